// protocol/tcp-unsupported: a name server answers over UDP but not over TCP.
// User documentation: docs/rules/protocol/tcp-unsupported.md
#include <algorithm>

#include "rules/rule_support.hpp"

namespace zw::rules::protocol {
namespace {

void check_tcp_unsupported(const RuleContext& ctx, FindingSink& sink, const RuleInfo& /*info*/) {
  for (const ServerState& s : ctx.servers().servers) {
    // RFC 7766 §5: TCP is mandatory for every authoritative server. Only servers that answer
    // over UDP count here; a server that answers nothing at all is lame, not this.
    const bool udp_answers = s.soa_udp != nullptr && s.soa_udp->outcome == Outcome::answered;
    // A TCP query the deadline, a signal or a bound kept from being made or answered is unknown.
    const bool tcp_unknown = s.soa_tcp == nullptr || s.soa_tcp->outcome == Outcome::not_asked;
    if (!udp_answers || s.tcp_ok || tcp_unknown) {
      continue;
    }
    Finding f;
    f.location = at(ctx, s.label, ctx.zone_name(), "SOA");
    const std::string why = fmt::format("{}{}", to_string(s.soa_tcp->outcome),
                                        s.soa_tcp->detail.empty() ? "" : " (" + s.soa_tcp->detail + ")");
    f.message = fmt::format("{} answers over UDP but not over TCP: {}", s.label, why);
    f.servers = {s.label};
    // Another server (not this one) must deliver the answers this one truncates.
    const bool other_ok = std::any_of(ctx.servers().servers.begin(), ctx.servers().servers.end(),
                                      [&](const ServerState& o) { return &o != &s && o.status == ServerStatus::ok; });
    if (s.any_truncation && !other_ok) {
      // Answers that do not fit in UDP cannot be had from any server of the zone.
      f.severity = Severity::error;
      f.resolver = {Rcode::servfail, Ede::no_reachable_authority};
      f.evidence.push_back("this server truncates UDP answers (TC=1) and no server of the zone delivers them");
    } else if (s.any_truncation) {
      grade_warning_unaffected(f);
      f.evidence.push_back("this server truncates UDP answers (TC=1); resolvers must fall back to another server");
    } else {
      grade_warning_unaffected(f);
      f.evidence.push_back("answers larger than the UDP buffer (1232 octets) will fail");
    }
    sink.add_graded(std::move(f));
  }
}

} // namespace
extern const RuleCode tcp_unsupported{.check = &check_tcp_unsupported};
} // namespace zw::rules::protocol
