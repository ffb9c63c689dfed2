// delegation/lame-servfail: A name server of the zone answers SERVFAIL for it.
// User documentation: docs/rules/delegation/lame-servfail.md
#include "rules/rule_support.hpp"

namespace zw::rules::delegation {

std::unique_ptr<Rule> make_lame_servfail(const RuleInfo& info) {
  return make_lame_rule(info, ServerStatus::servfail, "fails queries for the zone");
}

} // namespace zw::rules::delegation
