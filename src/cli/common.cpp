#include "cli/common.hpp"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

#include "util/files.hpp"
#include "zonewarden/report.hpp"

namespace zw::cli {

int report_error(const Error& error) {
  fmt::print(stderr, "zonewarden: {}\n", error.message);
  return k_exit_error;
}

Result<void> validate_output_options(const OutputOptions& options) {
  if (options.format != "text" && options.format != "json") {
    return fail(fmt::format("--format {}: unknown format (use text or json)", options.format));
  }
  if (options.fail_on != "never" && !severity_from_string(options.fail_on)) {
    return fail(fmt::format("--fail-on {}: use error, warning, notice or never", options.fail_on));
  }
  return {};
}

int emit(const AuditResult& result, const OutputOptions& options) {
  std::string rendered;
  if (options.format == "json") {
    rendered = render_json(result);
  } else {
    const bool tty = options.output.empty() && ::isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
    rendered = render_text(result, TextOptions{tty});
  }
  if (options.output.empty()) {
    std::fwrite(rendered.data(), 1, rendered.size(), stdout);
    std::fflush(stdout);
  } else if (auto written = util::write_file_atomically(options.output, rendered); !written) {
    return report_error(written.error());
  }
  for (const ZoneResult& z : result.zones) {
    for (const Finding& f : z.findings) {
      if (f.rule.rfind("internal/", 0) == 0) {
        fmt::print(stderr, "zonewarden: {}\n", f.message);
        return k_exit_error;
      }
    }
  }
  if (options.fail_on == "never") {
    return k_exit_ok;
  }
  const Severity threshold = severity_from_string(options.fail_on).value_or(Severity::error);
  return count_at_or_above(result, threshold) > 0 ? k_exit_findings : k_exit_ok;
}

} // namespace zw::cli
