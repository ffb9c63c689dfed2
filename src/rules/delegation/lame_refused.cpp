// delegation/lame-refused: A name server of the zone answers REFUSED for it.
// User documentation: docs/rules/delegation/lame-refused.md
#include "rules/rule_support.hpp"

namespace zw::rules::delegation {
namespace {

class LameRefused final : public Rule {
public:
  const RuleInfo& info() const noexcept override { return k_info; }
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    report_lame(ctx, sink, ServerStatus::refused, "refuses queries for the zone");
  }

private:
  static constexpr std::string_view k_tags[] = {"delegation"};
  static constexpr std::string_view k_compliance[] = {"rfc2182"};
  static constexpr RuleInfo k_info{.id = "delegation/lame-refused",
                                   .severity = Severity::warning,
                                   .stability = Stability::stable,
                                   .summary = "A name server of the zone answers REFUSED for it",
                                   .reference = "RFC 1034 §4.2.2, RFC 8499 (lame delegation)",
                                   .impact = {Rcode::servfail, Ede::no_reachable_authority},
                                   .inputs = Inputs::live,
                                   .since = "0.1.0",
                                   .tags = k_tags,
                                   .compliance = k_compliance};
};

} // namespace
std::unique_ptr<Rule> make_lame_refused() {
  return std::make_unique<LameRefused>();
}
} // namespace zw::rules::delegation
