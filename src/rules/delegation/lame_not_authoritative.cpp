// delegation/lame-not-authoritative: A name server of the zone answers without authority (no AA bit or no SOA).
// User documentation: docs/rules/delegation/lame-not-authoritative.md
#include "rules/rule_support.hpp"

namespace zw::rules::delegation {
namespace {

class LameNotAuthoritative final : public Rule {
public:
  using Rule::Rule;
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    report_lame(ctx, sink, ServerStatus::not_authoritative, "is not authoritative for the zone");
  }
};

} // namespace
std::unique_ptr<Rule> make_lame_not_authoritative(const RuleInfo& info) {
  return std::make_unique<LameNotAuthoritative>(info);
}
} // namespace zw::rules::delegation
