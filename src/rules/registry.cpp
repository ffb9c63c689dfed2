// The rule table, built from the catalog (src/rules/rules.toml, compiled by gen_catalog.py): each
// entry's RuleInfo with its code. No static self-registration (STYLE.md §2).

#include <vector>

#include "rules/catalog.hpp"
#include "rules/rule_context.hpp"
#include "zonewarden/rule.hpp"

namespace zw {
namespace {

// A rule of the catalog: its entry and the functions of its file (RuleCode).
class CatalogRule final : public Rule {
public:
  explicit CatalogRule(const rules::CatalogEntry& entry) noexcept : Rule(entry.info), m_code(*entry.code) {}

  void check(const RuleContext& ctx, FindingSink& sink) const override {
    if (m_code.check != nullptr) {
      m_code.check(ctx, sink, info());
    }
    const ZoneFileInput* file = ctx.zone_file();
    if (file == nullptr) {
      if (m_code.live != nullptr) {
        m_code.live(ctx, sink, info());
      }
    } else if (m_code.file != nullptr && file->store != nullptr && file->layout != nullptr) {
      m_code.file(ctx, *file, sink, info());
    }
  }

private:
  const rules::RuleCode& m_code;
};

} // namespace

std::span<const std::unique_ptr<Rule>> all_rules() {
  static const std::vector<std::unique_ptr<Rule>> table = [] {
    std::vector<std::unique_ptr<Rule>> rules;
    rules.reserve(rules::catalog().size());
    for (const rules::CatalogEntry& entry : rules::catalog()) {
      rules.push_back(std::make_unique<CatalogRule>(entry)); // in id order: the catalog is sorted
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
