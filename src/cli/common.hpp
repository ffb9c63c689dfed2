#pragma once
// What every command shares: exit codes, output writing, one-line errors.

#include <string>

#include "zonewarden/audit.hpp"
#include "zonewarden/error.hpp"

namespace zw::cli {

// DESIGN.md: 0 no finding at or above --fail-on, 1 such findings, 2 the tool could not do its job.
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_findings = 1;
inline constexpr int k_exit_error = 2;

// Prints "zonewarden: <message>" on stderr; returns k_exit_error.
int report_error(const Error& error);

struct OutputOptions {
  std::string format = "text";   // text | json
  std::string output;            // file path; empty = stdout
  std::string fail_on = "error"; // error | warning | notice | never
};

// Renders `result`, writes it, and returns the exit status.
int emit(const AuditResult& result, const OutputOptions& options);

// Validates --format / --fail-on values.
Result<void> validate_output_options(const OutputOptions& options);

} // namespace zw::cli
