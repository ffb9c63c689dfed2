// delegation/lame-not-authoritative: A name server of the zone answers without authority (no AA bit or no SOA).
// User documentation: docs/rules/delegation/lame-not-authoritative.md
#include "rules/rule_support.hpp"

namespace zw::rules::delegation {

std::unique_ptr<Rule> make_lame_not_authoritative(const RuleInfo& info) {
  return make_lame_rule(info, ServerStatus::not_authoritative, "is not authoritative for the zone");
}

} // namespace zw::rules::delegation
