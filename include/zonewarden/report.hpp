#pragma once
// Reporters turn an AuditResult into a format. They never decide severity, and every format is
// rendered from the same list of findings.

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zonewarden/audit.hpp"
#include "zonewarden/error.hpp"

namespace zw {

// What the run history (--history, docs/history.md) says of a run, for the HTML report's trends:
// when each of its findings was first recorded, and each zone's findings over its latest
// recorded runs (the run being reported is not recorded yet).
struct ReportHistory {
  std::map<std::string, std::int64_t> first_seen; // fingerprint -> start of the first run that had it (unix s)
  struct Run {
    std::int64_t started = 0; // unix s
    std::int64_t errors = 0;  // findings of that severity, suppressed ones included
    std::int64_t warnings = 0;
  };
  std::map<std::string, std::vector<Run>> zones; // zone as in the results -> its latest runs, oldest first
};

struct RenderOptions {
  bool colour = false;                    // text only: ANSI colours (the CLI sets it only on a TTY)
  Severity fail_on = Severity::error;     // junit: a <failure> per finding at or above this
  const ReportHistory* history = nullptr; // html: trends from the run history; nullptr: none
};

// Kept for the text reporter's callers.
struct TextOptions {
  bool colour = false;
};

// Every format name, in the order `--help` lists them: text json jsonl sarif junit md html.
std::span<const std::string_view> report_formats() noexcept;
// File extension for `--output-dir` ("junit" -> "junit.xml", "text" -> "txt").
std::string_view format_extension(std::string_view format) noexcept;
// Renders `result` in `format`; an unknown format is an Error naming it.
Result<std::string> render(std::string_view format, const AuditResult& result, const RenderOptions& options);

// Takes the next piece of a report's text (a file being written, say); an Error stops the report.
using TextSink = std::function<Result<void>(std::string_view)>;
// The same text as render(), handed to `write` in pieces: JSON, text, JUnit and HTML a zone at a
// time in pieces of about a megabyte, so that a fleet's report is never whole in memory (HTML's
// overview table and expiry chart, a row per zone, are); JSONL, SARIF and Markdown whole.
Result<void> render_to(std::string_view format, const AuditResult& result, const RenderOptions& options,
                       const TextSink& write);

// One renderer per format (one file each in src/report/).
std::string render_text(const AuditResult& result, const TextOptions& options);
std::string render_json(const AuditResult& result);                        // DESIGN.md's stable contract (schema 1)
Result<void> write_json(const AuditResult& result, const TextSink& write); // render_json's text, in pieces
std::string render_jsonl(const AuditResult& result);                       // one finding per line, streamable
std::string render_sarif(const AuditResult& result);                       // SARIF 2.1.0
std::string render_junit(const AuditResult& result, Severity fail_on);
std::string render_markdown(const AuditResult& result); // fits a pull-request comment
std::string render_html(const AuditResult& result,
                        const ReportHistory* history = nullptr); // self-contained compliance report

// Reads back what render_json wrote (`zonewarden report SAVED.json`); validates shape and names
// the first offending member.
Result<AuditResult> read_result_json(const std::string& text);
// The same from the file `path`, read a piece at a time, each zone handed to `each_zone` in order
// and not kept: the result returned has no zones. Errors name the file first.
Result<AuditResult> read_result_file(const std::string& path, const std::function<void(ZoneResult&&)>& each_zone);

} // namespace zw
