// The rule catalog, generated at build time from src/rules/rules.toml by gen_catalog.py: each
// rule's RuleInfo beside the factory of its code. The registry builds all_rules() from it.
#pragma once

#include <memory>
#include <span>

#include "zonewarden/rule.hpp"

namespace zw::rules {

struct CatalogEntry {
  RuleInfo info;
  std::unique_ptr<Rule> (*make)(const RuleInfo& info);
};

// Every rule, sorted by id (gen_catalog.py refuses a catalog that is not).
std::span<const CatalogEntry> catalog() noexcept;

} // namespace zw::rules
