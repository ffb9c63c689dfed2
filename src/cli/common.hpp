#pragma once
// What every command shares: exit codes, output and policy options, one-line errors.

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "zonewarden/audit.hpp"
#include "zonewarden/error.hpp"
#include "zonewarden/policy.hpp"

namespace zw::cli {

// DESIGN.md: 0 no finding at or above --fail-on, 1 such findings, 2 the tool could not do its job.
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_findings = 1;
inline constexpr int k_exit_error = 2;

// Prints "zonewarden: <message>" on stderr; returns k_exit_error.
int report_error(const Error& error);

struct OutputOptions {
  std::string format = "text";   // one format, or several separated by commas (with --output-dir)
  std::string output;            // file path; empty = stdout
  std::string output_dir;        // several formats at once: DIR/<command>.<ext>
  std::string fail_on = "error"; // error | warning | notice | never
  std::string profile;            // empty: "default" for a new audit; a saved result keeps its own
  std::string baseline;
  std::string waivers;
};

// Registers --resolver-model (unbound | bind | knot-resolver) into `model`.
void add_resolver_model_option(CLI::App& cmd, std::string& model);
// The model named by `text` ("" is Unbound); an Error naming the accepted values otherwise.
Result<ResolverModel> parse_resolver_model(const std::string& text);

// Registers --format, -o/--output, --output-dir, --fail-on, --profile, --baseline, --waivers.
void add_output_options(CLI::App& cmd, OutputOptions& options);

// What the output and policy options resolve to, checked before any work is done.
struct Prepared {
  std::vector<std::string> formats;
  Policy policy;
  bool profile_given = false;      // --profile was on the command line
  std::optional<Baseline> baseline;
  std::vector<Waiver> waivers;
};
Result<Prepared> prepare(const OutputOptions& options);

// Applies policy, waivers and baseline to `result`, renders every format, writes each file
// atomically (or stdout), and returns the exit status. A `saved_result` (already graded) is
// regraded only when --profile was given.
int emit(AuditResult& result, const OutputOptions& options, const Prepared& prepared, std::int64_t now,
         bool saved_result = false);

} // namespace zw::cli
