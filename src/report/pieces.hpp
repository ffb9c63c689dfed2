#pragma once
// Renderers that write a report a zone at a time (JSON, JUnit, HTML, text): their text gathers in
// a string that is handed to the sink whenever a megabyte has gathered, so that a fleet's report
// is never whole in memory; render() collects the same pieces into one string.

#include <cstddef>
#include <string>
#include <string_view>

#include "zonewarden/error.hpp"
#include "zonewarden/report.hpp"

namespace zw::detail {

// Hands `out` to `write` and empties it once it holds a megabyte or more.
inline Result<void> flush_if_full(std::string& out, const TextSink& write) {
  constexpr std::size_t k_piece = std::size_t{1} << 20;
  if (out.size() < k_piece) {
    return {};
  }
  ZW_TRY(write(out));
  out.clear();
  return {};
}

// What `writer(sink)` writes, as one string (appending to a string does not fail).
template <typename Writer> std::string collect(Writer&& writer) {
  std::string out;
  const Result<void> written = writer([&out](std::string_view piece) -> Result<void> {
    out += piece;
    return {};
  });
  (void)written;
  return out;
}

// The renderers that write this way (render() and render_to() call them).
Result<void> write_text(const AuditResult& result, const TextOptions& options, const TextSink& write);
Result<void> write_junit(const AuditResult& result, Severity fail_on, const TextSink& write);
Result<void> write_html(const AuditResult& result, const ReportHistory* history, const TextSink& write);

} // namespace zw::detail
