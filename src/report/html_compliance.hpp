#pragma once
// The requirements of the HTML report's compliance section. Which rules serve a requirement is
// in each rule's RuleInfo::compliance (by `id`); this list only names and orders them.

#include <span>
#include <string>
#include <string_view>

#include "zonewarden/audit.hpp"
#include "zonewarden/finding.hpp"

namespace zw::report {

struct Requirement {
  std::string_view id;        // named in RuleInfo::compliance: "rfc9364"
  std::string_view name;      // "Algorithm recommendations"
  std::string_view reference; // "RFC 8624 / IANA"
  // How the requirement's rules are listed: by the first of these id prefixes they start with
  // (in this order), then by id; rules matching none come last.
  std::span<const std::string_view> order;
};

// Every requirement, in the order of the report's table.
std::span<const Requirement> compliance_requirements() noexcept;

} // namespace zw::report

namespace zw::detail {

// A finding that makes its zone or requirement fail: one not suppressed (waived or baselined).
inline bool counts_towards_fail(const Finding& f) {
  return f.suppressed.empty();
}

// Appends the compliance section: a row per requirement with its verdict, its rules and the
// zones that fail it.
void compliance_section(std::string& out, const AuditResult& r);

} // namespace zw::detail
