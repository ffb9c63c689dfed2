// protocol/malformed-response: a server's responses break RFC 6891 and resolvers drop them.
// User documentation: docs/rules/protocol/malformed-response.md
#include "rules/rule_support.hpp"

namespace zw::rules::protocol {

std::unique_ptr<Rule> make_malformed_response(const RuleInfo& info) {
  // One finding per server address whose SOA answer resolvers would drop: a warning while
  // another server answers, an error when none does (the same grading as a lame server).
  return make_lame_rule(info, ServerStatus::malformed, "sends malformed responses (RFC 6891 §6.1.1)");
}

} // namespace zw::rules::protocol
