// The format dispatcher: one name per format, its file extension, and the renderer it calls.

#include <array>

#include <fmt/format.h>

#include "report/pieces.hpp"
#include "zonewarden/report.hpp"

namespace zw {

namespace detail {
// markdown_report.cpp: the summary line's pass/fail follows the caller's --fail-on.
std::string render_markdown(const AuditResult& result, Severity fail_on);
} // namespace detail

namespace {

struct Format {
  std::string_view name;
  std::string_view extension;
};

// The order `--help` lists them.
constexpr std::array<Format, 7> k_formats{{{"text", "txt"},
                                           {"json", "json"},
                                           {"jsonl", "jsonl"},
                                           {"sarif", "sarif"},
                                           {"junit", "junit.xml"},
                                           {"md", "md"},
                                           {"html", "html"}}};

constexpr std::array<std::string_view, k_formats.size()> names() {
  std::array<std::string_view, k_formats.size()> out{};
  for (std::size_t i = 0; i < k_formats.size(); ++i) {
    out[i] = k_formats[i].name;
  }
  return out;
}

constexpr std::array<std::string_view, k_formats.size()> k_names = names();

} // namespace

std::span<const std::string_view> report_formats() noexcept {
  return k_names;
}

std::string_view format_extension(std::string_view format) noexcept {
  for (const Format& f : k_formats) {
    if (f.name == format) {
      return f.extension;
    }
  }
  return format;
}

Result<std::string> render(std::string_view format, const AuditResult& result, const RenderOptions& options) {
  if (format == "text") {
    return render_text(result, TextOptions{options.colour});
  }
  if (format == "json") {
    return render_json(result);
  }
  if (format == "jsonl") {
    return render_jsonl(result);
  }
  if (format == "sarif") {
    return render_sarif(result);
  }
  if (format == "junit") {
    return render_junit(result, options.fail_on);
  }
  if (format == "md") {
    return detail::render_markdown(result, options.fail_on);
  }
  if (format == "html") {
    return render_html(result, options.history);
  }
  return fail(fmt::format("unknown format {} (use {})", format, fmt::join(k_names, ", ")));
}

Result<void> render_to(std::string_view format, const AuditResult& result, const RenderOptions& options,
                       const TextSink& write) {
  if (format == "json") {
    return write_json(result, write);
  }
  if (format == "text") {
    return detail::write_text(result, TextOptions{options.colour}, write);
  }
  if (format == "junit") {
    return detail::write_junit(result, options.fail_on, write);
  }
  if (format == "html") {
    return detail::write_html(result, options.history, write);
  }
  ZW_TRY_ASSIGN(const std::string text, render(format, result, options));
  return write(text);
}

} // namespace zw
