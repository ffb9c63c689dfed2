// protocol/malformed-response: a server's responses break RFC 6891 and resolvers drop them.
// User documentation: docs/rules/protocol/malformed-response.md
#include "rules/rule_support.hpp"

namespace zw::rules::protocol {
namespace {

class MalformedResponse final : public Rule {
public:
  using Rule::Rule;
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    // One finding per server address whose SOA answer resolvers would drop: a warning while
    // another server answers, an error when none does (the same grading as a lame server).
    report_lame(ctx, sink, ServerStatus::malformed, "sends malformed responses (RFC 6891 §6.1.1)");
  }
};

} // namespace
std::unique_ptr<Rule> make_malformed_response(const RuleInfo& info) {
  return std::make_unique<MalformedResponse>(info);
}
} // namespace zw::rules::protocol
