// delegation/lame-refused: A name server of the zone answers REFUSED for it.
// User documentation: docs/rules/delegation/lame-refused.md
#include "rules/rule_support.hpp"

namespace zw::rules::delegation {
namespace {

class LameRefused final : public Rule {
public:
  using Rule::Rule;
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    report_lame(ctx, sink, ServerStatus::refused, "refuses queries for the zone");
  }
};

} // namespace
std::unique_ptr<Rule> make_lame_refused(const RuleInfo& info) {
  return std::make_unique<LameRefused>(info);
}
} // namespace zw::rules::delegation
