// protocol/malformed-response: a server's responses break RFC 6891 and resolvers drop them.
// User documentation: docs/rules/protocol/malformed-response.md
#include "rules/rule_support.hpp"

namespace zw::rules::protocol {
namespace {

class MalformedResponse final : public Rule {
public:
  const RuleInfo& info() const noexcept override { return k_info; }
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    // One finding per server address whose SOA answer resolvers would drop: a warning while
    // another server answers, an error when none does (the same grading as a lame server).
    report_lame(ctx, sink, ServerStatus::malformed, "sends malformed responses (RFC 6891 §6.1.1)");
  }

private:
  static constexpr std::string_view k_tags[] = {"protocol"};
  static constexpr RuleInfo k_info{
      .id = "protocol/malformed-response",
      .severity = Severity::warning,
      .stability = Stability::stable,
      .summary = "A server's responses are malformed (several OPT records, a bad OPT): resolvers drop them",
      .reference = "RFC 6891 §6.1.1",
      .impact = {Rcode::noerror, Ede::none},
      .inputs = Inputs::live,
      .since = "0.1.0",
      .tags = k_tags};
};

} // namespace
std::unique_ptr<Rule> make_malformed_response() {
  return std::make_unique<MalformedResponse>();
}
} // namespace zw::rules::protocol
