#pragma once
// The rule pages (docs/rules/<area>/<name>.md), embedded at build time by
// src/report/embed_rule_docs.py, so that the HTML report explains each finding without
// reading files at run time.

#include <span>
#include <string_view>

namespace zw::detail {

// Three sections of one rule page, as the page's markdown text.
struct RuleDoc {
  std::string_view id;   // "dnssec/rrsig-expired"
  std::string_view what; // "## What it checks"
  std::string_view why;  // "## Why resolution breaks"
  std::string_view fix;  // "## How to fix"
};

// Every embedded page, sorted by id (generated; see embed_rule_docs.py).
std::span<const RuleDoc> rule_docs() noexcept;

// The page of rule `id`, or nullptr when the rule has none.
const RuleDoc* find_rule_doc(std::string_view id) noexcept;

} // namespace zw::detail
