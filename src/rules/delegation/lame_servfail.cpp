// delegation/lame-servfail: A name server of the zone answers SERVFAIL for it.
// User documentation: docs/rules/delegation/lame-servfail.md
#include "rules/rule_support.hpp"

namespace zw::rules::delegation {
extern const RuleCode lame_servfail{.check = &check_lame<ServerStatus::servfail>};
} // namespace zw::rules::delegation
