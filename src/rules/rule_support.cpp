#include "rules/rule_support.hpp"

namespace zw::rules {

ResolverImpact lame_impact(const RuleContext& ctx) noexcept {
  if (ctx.servers().any_server_ok) {
    return {Rcode::noerror, Ede::none};
  }
  return {Rcode::servfail, Ede::no_reachable_authority};
}

namespace {

// What a server in `status` does, for report_lame's message.
std::string_view lame_words(ServerStatus status) noexcept {
  switch (status) {
  case ServerStatus::refused: return "refuses queries for the zone";
  case ServerStatus::servfail: return "fails queries for the zone";
  case ServerStatus::not_authoritative: return "is not authoritative for the zone";
  // Its answers break RFC 6891 and resolvers drop them (several OPT records, ...).
  case ServerStatus::malformed: return "sends malformed responses (RFC 6891 §6.1.1)";
  case ServerStatus::unreachable: return "is unreachable";
  case ServerStatus::ok:
  case ServerStatus::truncated_only:
  case ServerStatus::not_asked: break;
  }
  return "gives no usable answer";
}

} // namespace

void report_lame(const RuleContext& ctx, FindingSink& sink, ServerStatus status) {
  const std::string_view what = lame_words(status);
  const ZoneObservations& obs = ctx.servers();
  for (const ServerState& s : obs.servers) {
    if (s.status != status) {
      continue;
    }
    Finding f;
    f.location = at(ctx, s.label, ctx.zone_name(), "SOA");
    f.message = fmt::format("{} {}: {}", s.label, what, s.detail);
    f.servers = {s.label};
    // Servers not asked (deadline, signal, bound) may answer: only a known total failure is an error.
    f.severity = obs.any_server_ok || obs.any_server_unknown ? Severity::warning : Severity::error;
    f.resolver = lame_impact(ctx);
    if (!obs.any_server_ok && !obs.any_server_unknown) {
      f.evidence.push_back("no server of the zone gives a usable answer: resolution fails");
    }
    sink.add_graded(std::move(f));
  }
}

} // namespace zw::rules
