// protocol/rate-limited: a server answering other queries left UDP queries unanswered that it
// answered over TCP: probably response-rate limiting.
// User documentation: docs/rules/protocol/rate-limited.md
#include "rules/rule_support.hpp"

namespace zw::rules::protocol {
namespace {

void check_rate_limited(const RuleContext& ctx, FindingSink& sink, const RuleInfo& /*info*/) {
  // One finding per server address; observe() found the queries (ServerState::udp_unanswered).
  constexpr std::size_t k_named = 5;
  for (const ServerState& s : ctx.servers().servers) {
    if (s.udp_unanswered.empty() || !sink.room()) {
      continue;
    }
    std::size_t udp_asked = 0;
    for (const Exchange& e : s.probe->exchanges) {
      udp_asked += e.transport == Transport::udp && e.outcome != Outcome::not_asked ? 1 : 0;
    }
    Finding f;
    f.location = at(ctx, s.label, ctx.zone_name(), "SOA");
    f.message = fmt::format("{} left {} of {} UDP queries unanswered while answering the others, and answered "
                            "{} over TCP: probably response-rate limiting",
                            s.label, s.udp_unanswered.size(), udp_asked, s.udp_unanswered.size() == 1 ? "it" : "them");
    f.servers = {s.label};
    for (std::size_t i = 0; i < s.udp_unanswered.size() && i < k_named; ++i) {
      const Exchange& e = *s.udp_unanswered[i];
      f.evidence.push_back(fmt::format("{} {}: no UDP answer within the timeout; answered over TCP", e.qname, e.qtype));
    }
    if (s.udp_unanswered.size() > k_named) {
      f.evidence.push_back(fmt::format("and {} more", s.udp_unanswered.size() - k_named));
    }
    f.evidence.push_back("the audit used the TCP answers: this server is not reported as unreachable");
    sink.add(std::move(f));
  }
}

} // namespace
extern const RuleCode rate_limited{.check = &check_rate_limited};
} // namespace zw::rules::protocol
