// delegation/lame-not-authoritative: A name server of the zone answers without authority (no AA bit or no SOA).
// User documentation: docs/rules/delegation/lame-not-authoritative.md
#include "rules/rule_support.hpp"

namespace zw::rules::delegation {
extern const RuleCode lame_not_authoritative{.check = &check_lame<ServerStatus::not_authoritative>};
} // namespace zw::rules::delegation
