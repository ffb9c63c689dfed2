// The rule table. rules.def lists every rule once; this file expands it into factory
// declarations and the table. No static self-registration (STYLE.md §2).

#include <algorithm>
#include <vector>

#include "zonewarden/rule.hpp"

#define ZW_RULE(area, name)                                                                                            \
  namespace zw::rules::area {                                                                                          \
  std::unique_ptr<::zw::Rule> make_##name();                                                                           \
  }
#include "rules/rules.def"
#undef ZW_RULE

namespace zw {

std::span<const std::unique_ptr<Rule>> all_rules() {
  static const std::vector<std::unique_ptr<Rule>> table = [] {
    std::vector<std::unique_ptr<Rule>> rules;
#define ZW_RULE(area, name) rules.push_back(::zw::rules::area::make_##name());
#include "rules/rules.def"
#undef ZW_RULE
    std::sort(rules.begin(), rules.end(), [](const auto& a, const auto& b) { return a->info().id < b->info().id; });
    return rules;
  }();
  return table;
}

const Rule* find_rule(std::string_view id) noexcept {
  for (const auto& rule : all_rules()) {
    if (rule->info().id == id) {
      return rule.get();
    }
  }
  return nullptr;
}

} // namespace zw
