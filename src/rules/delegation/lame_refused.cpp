// delegation/lame-refused: A name server of the zone answers REFUSED for it.
// User documentation: docs/rules/delegation/lame-refused.md
#include "rules/rule_support.hpp"

namespace zw::rules::delegation {

std::unique_ptr<Rule> make_lame_refused(const RuleInfo& info) {
  return make_lame_rule(info, ServerStatus::refused, "refuses queries for the zone");
}

} // namespace zw::rules::delegation
