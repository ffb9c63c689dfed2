// delegation/lame-unreachable: a name server of the zone gives no usable answer at all.
// User documentation: docs/rules/delegation/lame-unreachable.md
#include "rules/rule_support.hpp"

namespace zw::rules::delegation {
namespace {

class LameUnreachable final : public Rule {
public:
  const RuleInfo& info() const noexcept override { return k_info; }
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    // Timeouts, ICMP unreachable, garbage and wrong-ID answers: a resolver gets nothing it can
    // use from this address (RFC 1035 §7.3 discards mismatched responses).
    report_lame(ctx, sink, ServerStatus::unreachable, "is unreachable");
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

private:
  static constexpr std::string_view k_tags[] = {"delegation"};
  static constexpr std::string_view k_compliance[] = {"rfc2182"};
  static constexpr RuleInfo k_info{.id = "delegation/lame-unreachable",
                                   .severity = Severity::warning,
                                   .stability = Stability::stable,
                                   .summary = "A name server of the zone does not answer, or has no address",
                                   .reference = "RFC 1034 §4.2.2, RFC 2182 §3",
                                   .impact = {Rcode::servfail, Ede::no_reachable_authority},
                                   .inputs = Inputs::live,
                                   .since = "0.1.0",
                                   .tags = k_tags,
                                   .compliance = k_compliance};
};

} // namespace
std::unique_ptr<Rule> make_lame_unreachable() {
  return std::make_unique<LameUnreachable>();
}
} // namespace zw::rules::delegation
