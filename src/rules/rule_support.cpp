#include "rules/rule_support.hpp"

namespace zw::rules {

std::string duration(std::int64_t seconds) {
  const std::int64_t s = seconds < 0 ? -seconds : seconds;
  if (s >= 86400) {
    return fmt::format("{}d {}h", s / 86400, (s % 86400) / 3600);
  }
  if (s >= 3600) {
    return fmt::format("{}h {}m", s / 3600, (s % 3600) / 60);
  }
  if (s >= 60) {
    return fmt::format("{}m {}s", s / 60, s % 60);
  }
  return fmt::format("{}s", s);
}

ResolverImpact lame_impact(const RuleContext& ctx) noexcept {
  if (ctx.servers().any_server_ok) {
    return {Rcode::noerror, Ede::none};
  }
  return {Rcode::servfail, Ede::no_reachable_authority};
}

void report_lame(const RuleContext& ctx, FindingSink& sink, ServerStatus status, std::string_view what) {
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

namespace {

class LameRule final : public Rule {
public:
  LameRule(const RuleInfo& info, ServerStatus status, std::string_view what) noexcept
      : Rule(info), m_status(status), m_what(what) {}
  void check(const RuleContext& ctx, FindingSink& sink) const override { report_lame(ctx, sink, m_status, m_what); }

private:
  ServerStatus m_status;
  std::string_view m_what; // a literal of the rule's file
};

} // namespace

std::unique_ptr<Rule> make_lame_rule(const RuleInfo& info, ServerStatus status, std::string_view what) {
  return std::make_unique<LameRule>(info, status, what);
}

} // namespace zw::rules
