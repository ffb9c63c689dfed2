// delegation/lame-not-authoritative: A name server of the zone answers without authority (no AA bit or no SOA).
// User documentation: docs/rules/delegation/lame-not-authoritative.md
#include "rules/rule_support.hpp"

namespace zw::rules::delegation {
namespace {

class LameNotAuthoritative final : public Rule {
public:
  const RuleInfo& info() const noexcept override { return k_info; }
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    report_lame(ctx, sink, ServerStatus::not_authoritative, "is not authoritative for the zone");
  }

private:
  static constexpr std::string_view k_tags[] = {"delegation"};
  static constexpr std::string_view k_compliance[] = {"rfc2182"};
  static constexpr RuleInfo k_info{.id = "delegation/lame-not-authoritative",
                                   .severity = Severity::warning,
                                   .stability = Stability::stable,
                                   .summary =
                                       "A name server of the zone answers without authority (no AA bit or no SOA)",
                                   .reference = "RFC 1034 §4.3.1, RFC 1035 §4.1.1 (AA)",
                                   .impact = {Rcode::servfail, Ede::no_reachable_authority},
                                   .inputs = Inputs::live,
                                   .since = "0.1.0",
                                   .tags = k_tags,
                                   .compliance = k_compliance};
};

} // namespace
std::unique_ptr<Rule> make_lame_not_authoritative() {
  return std::make_unique<LameNotAuthoritative>();
}
} // namespace zw::rules::delegation
