// The rule table, built from the catalog (src/rules/rules.toml, compiled by gen_catalog.py): each
// entry's factory called once with its RuleInfo. No static self-registration (STYLE.md §2).

#include <vector>

#include "rules/catalog.hpp"
#include "zonewarden/rule.hpp"

namespace zw {

std::span<const std::unique_ptr<Rule>> all_rules() {
  static const std::vector<std::unique_ptr<Rule>> table = [] {
    std::vector<std::unique_ptr<Rule>> rules;
    rules.reserve(rules::catalog().size());
    for (const rules::CatalogEntry& entry : rules::catalog()) {
      rules.push_back(entry.make(entry.info)); // in id order: the catalog is sorted
    }
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
