// delegation/lame-unreachable: a name server of the zone gives no usable answer at all.
// User documentation: docs/rules/delegation/lame-unreachable.md
#include "rules/rule_support.hpp"

namespace zw::rules::delegation {
namespace {

void check_lame_unreachable(const RuleContext& ctx, FindingSink& sink, const RuleInfo& /*info*/) {
  // Timeouts, ICMP unreachable, garbage and wrong-ID answers: a resolver gets nothing it can
  // use from this address (RFC 1035 §7.3 discards mismatched responses).
  report_lame(ctx, sink, ServerStatus::unreachable);
  const ZoneObservations& obs = ctx.servers();
  for (const NameServer* ns : obs.without_address) {
    Finding f;
    f.location = at(ctx, ns->name, ctx.zone_name(), "NS");
    f.message = fmt::format("name server {} has no address: {}", ns->name,
                            ns->resolution_error.empty() ? "no A or AAAA record found" : ns->resolution_error);
    f.servers = {ns->name};
    f.severity = obs.any_server_ok || obs.any_server_unknown ? Severity::warning : Severity::error;
    f.resolver = lame_impact(ctx);
    sink.add_graded(std::move(f));
  }
}

} // namespace
extern const RuleCode lame_unreachable{.check = &check_lame_unreachable};
} // namespace zw::rules::delegation
