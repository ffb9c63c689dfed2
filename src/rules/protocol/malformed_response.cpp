// protocol/malformed-response: a server's responses break RFC 6891 and resolvers drop them. One
// finding per server address whose SOA answer resolvers would drop: a warning while another
// server answers, an error when none does (the same grading as a lame server).
// User documentation: docs/rules/protocol/malformed-response.md
#include "rules/rule_support.hpp"

namespace zw::rules::protocol {
extern const RuleCode malformed_response{.check = &check_lame<ServerStatus::malformed>};
} // namespace zw::rules::protocol
