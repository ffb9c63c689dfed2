#pragma once
// The order of ZoneResult::findings (audit.hpp): severity (worst first), rule, owner, type,
// server, message. Policy overrides change severities and waivers add findings, so both sort
// again with the engine's order.

#include <algorithm>
#include <tuple>
#include <vector>

#include "zonewarden/finding.hpp"

namespace zw::audit {

inline bool finding_before(const Finding& a, const Finding& b) {
  if (a.severity != b.severity) {
    return a.severity > b.severity;
  }
  return std::tie(a.rule, a.location.owner, a.location.type, a.location.server, a.message) <
         std::tie(b.rule, b.location.owner, b.location.type, b.location.server, b.message);
}

inline void sort_findings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), finding_before);
}

// The tool's own findings (`internal/*`) and the policy's (`policy/*`) are not faults of a
// rule: a profile never drops or regrades them, and neither baselines nor waivers hide them.
inline bool is_tool_finding(std::string_view rule) {
  return rule.starts_with("internal/") || rule.starts_with("policy/");
}

} // namespace zw::audit
