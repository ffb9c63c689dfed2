// The rule catalog, generated at build time from src/rules/rules.toml by gen_catalog.py: each
// rule's RuleInfo beside its code (rule_code.hpp). The registry builds all_rules() from it.
#pragma once

#include <span>

#include "rules/rule_code.hpp"
#include "zonewarden/rule.hpp"

namespace zw::rules {

struct CatalogEntry {
  RuleInfo info;
  const RuleCode* code;
};

// Every rule, sorted by id (gen_catalog.py refuses a catalog that is not).
std::span<const CatalogEntry> catalog() noexcept;

} // namespace zw::rules
