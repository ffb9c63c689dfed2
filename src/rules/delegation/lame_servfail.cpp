// delegation/lame-servfail: A name server of the zone answers SERVFAIL for it.
// User documentation: docs/rules/delegation/lame-servfail.md
#include "rules/rule_support.hpp"

namespace zw::rules::delegation {
namespace {

class LameServfail final : public Rule {
public:
  const RuleInfo& info() const noexcept override { return k_info; }
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    report_lame(ctx, sink, ServerStatus::servfail, "fails queries for the zone");
  }

private:
  static constexpr std::string_view k_tags[] = {"delegation"};
  static constexpr std::string_view k_compliance[] = {"rfc2182"};
  static constexpr RuleInfo k_info{.id = "delegation/lame-servfail",
                                   .severity = Severity::warning,
                                   .stability = Stability::stable,
                                   .summary = "A name server of the zone answers SERVFAIL for it",
                                   .reference = "RFC 1034 §4.2.2, RFC 8499 (lame delegation)",
                                   .impact = {Rcode::servfail, Ede::no_reachable_authority},
                                   .inputs = Inputs::live,
                                   .since = "0.1.0",
                                   .tags = k_tags,
                                   .compliance = k_compliance};
};

} // namespace
std::unique_ptr<Rule> make_lame_servfail() {
  return std::make_unique<LameServfail>();
}
} // namespace zw::rules::delegation
