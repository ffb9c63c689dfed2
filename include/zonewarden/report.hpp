#pragma once
// Reporters turn an AuditResult into a format. They never decide severity.

#include <string>

#include "zonewarden/audit.hpp"

namespace zw {

// DESIGN.md's stable JSON contract (schema 1).
std::string render_json(const AuditResult& result);

struct TextOptions {
  bool colour = false;   // ANSI colours; the CLI sets it only when writing to a terminal
};
// The report a person reads on a terminal: per zone a server table and the findings.
std::string render_text(const AuditResult& result, const TextOptions& options);

} // namespace zw
