// delegation/lame-refused: A name server of the zone answers REFUSED for it.
// User documentation: docs/rules/delegation/lame-refused.md
#include "rules/rule_support.hpp"

namespace zw::rules::delegation {
extern const RuleCode lame_refused{.check = &check_lame<ServerStatus::refused>};
} // namespace zw::rules::delegation
