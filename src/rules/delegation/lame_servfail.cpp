// delegation/lame-servfail: A name server of the zone answers SERVFAIL for it.
// User documentation: docs/rules/delegation/lame-servfail.md
#include "rules/rule_support.hpp"

namespace zw::rules::delegation {
namespace {

class LameServfail final : public Rule {
public:
  using Rule::Rule;
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    report_lame(ctx, sink, ServerStatus::servfail, "fails queries for the zone");
  }
};

} // namespace
std::unique_ptr<Rule> make_lame_servfail(const RuleInfo& info) {
  return std::make_unique<LameServfail>(info);
}
} // namespace zw::rules::delegation
