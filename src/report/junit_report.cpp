// JUnit XML reporter, for CI systems that show test results (GitLab, Jenkins, GitHub test
// reporters). A <testsuite> per zone, a <testcase> per rule that ran; a finding at or above the
// --fail-on threshold that is not suppressed is a <failure>, every other finding is listed in the
// test case's <system-out>, so no finding is dropped. Checked by tests/report/check_junit.py.

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "report/pieces.hpp"
#include "util/text.hpp"
#include "util/time.hpp"
#include "zonewarden/report.hpp"

namespace zw {

namespace {

// Appends `text` as XML 1.0 character data (§2.2, §2.4). Servers put anything into what we quote,
// so bytes that are not UTF-8 become U+FFFD and control characters, which XML 1.0 cannot carry
// even as character references, are written visibly as `\xNN`. In attributes, quotes are escaped
// and tab/newline become references so that attribute-value normalisation (§3.3.3) keeps them.
void append_escaped(std::string& out, std::string_view text, bool attribute) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += attribute ? "&quot;" : "\""; break;
      case '\'': out += attribute ? "&apos;" : "'"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\r': out += "&#13;"; break;
      default: util::append_visible(out, static_cast<char>(c));
      }
      ++i;
      continue;
    }
    // A well-formed UTF-8 sequence (RFC 3629 §4): no overlongs, no surrogates, at most U+10FFFF;
    // U+FFFE and U+FFFF are not XML characters either.
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c >= 0xc2 && c <= 0xdf) {
      n = 2;
      cp = c & 0x1fU;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 3;
      cp = c & 0x0fU;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 4;
      cp = c & 0x07U;
    }
    bool ok = n != 0 && i + n <= text.size();
    for (std::size_t k = 1; ok && k < n; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      ok = (cc & 0xc0U) == 0x80U;
      cp = (cp << 6) | (cc & 0x3fU);
    }
    ok = ok && !(n == 3 && cp < 0x800) && !(n == 4 && (cp < 0x10000 || cp > 0x10ffff)) &&
         !(cp >= 0xd800 && cp <= 0xdfff) && cp != 0xfffe && cp != 0xffff;
    if (ok) {
      out.append(text.substr(i, n));
      i += n;
    } else {
      out += "\xef\xbf\xbd"; // U+FFFD REPLACEMENT CHARACTER
      ++i;
    }
  }
}

std::string text(std::string_view s) {
  std::string out;
  append_escaped(out, s, false);
  return out;
}

std::string attr(std::string_view s) {
  std::string out;
  append_escaped(out, s, true);
  return out;
}

// The lines after a finding's message, shared by <failure> bodies and <system-out> entries.
std::string details(const Finding& f, std::string_view indent) {
  std::string out;
  if (!f.location.server.empty()) {
    out += fmt::format("{}server: {}\n", indent, f.location.server);
  }
  if (!f.location.owner.empty() || !f.location.type.empty()) {
    out += fmt::format("{}rrset: {} {}\n", indent, f.location.owner, f.location.type);
  }
  out += fmt::format("{}resolver: {}\n", indent, impact_text(f.resolver));
  if (!f.servers.empty()) {
    out += fmt::format("{}servers: {}\n", indent, fmt::join(f.servers, ", "));
  }
  if (!f.suppressed.empty()) {
    out += fmt::format("{}suppressed: {}\n", indent, f.suppressed);
  }
  for (const std::string& e : f.evidence) {
    out += fmt::format("{}evidence: {}\n", indent, e);
  }
  return out;
}

// Every rule that ran, plus ids that only appear in this zone's findings (internal/rule-failed,
// policy/*), so that each finding has a test case to sit in.
std::vector<std::string> test_case_names(const AuditResult& result, const ZoneResult& zone) {
  std::vector<std::string> names = result.rules_run;
  std::vector<std::string> extra;
  for (const Finding& f : zone.findings) {
    if (std::find(names.begin(), names.end(), f.rule) == names.end() &&
        std::find(extra.begin(), extra.end(), f.rule) == extra.end()) {
      extra.push_back(f.rule);
    }
  }
  std::sort(extra.begin(), extra.end());
  names.insert(names.end(), extra.begin(), extra.end());
  return names;
}

bool is_failure(const Finding& f, Severity fail_on) {
  return f.suppressed.empty() && f.severity >= fail_on;
}

} // namespace

namespace {

// One zone's <testsuite>: a test case per rule that ran (and per other rule it has findings of).
std::string zone_suite(const AuditResult& result, const ZoneResult& z, Severity fail_on, const std::string& timestamp) {
  const std::vector<std::string> cases = test_case_names(result, z);
  std::string body;
  std::size_t failures = 0;
  for (const std::string& rule : cases) {
    std::string failure_xml;
    std::string system_out;
    for (const Finding& f : z.findings) {
      if (f.rule != rule) {
        continue;
      }
      if (is_failure(f, fail_on)) {
        ++failures;
        failure_xml += fmt::format("      <failure type=\"{}\" message=\"{}\">{}</failure>\n", to_string(f.severity),
                                   attr(f.message), text(f.message + "\n" + details(f, "")));
      } else {
        // One entry per finding, each starting with "[severity] ", separated by a blank line.
        system_out += fmt::format("{}[{}] {}\n{}", system_out.empty() ? "" : "\n", to_string(f.severity), f.message,
                                  details(f, "  "));
      }
    }
    body += fmt::format("    <testcase classname=\"{}\" name=\"{}\"", attr(z.zone), attr(rule));
    if (failure_xml.empty() && system_out.empty()) {
      body += "/>\n";
      continue;
    }
    body += ">\n" + failure_xml;
    if (!system_out.empty()) {
      body += fmt::format("      <system-out>{}</system-out>\n", text(system_out));
    }
    body += "    </testcase>\n";
  }
  return fmt::format(
      "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" timestamp=\"{}\">\n"
      "    <properties>\n      <property name=\"chain\" value=\"{}\"/>\n    </properties>\n{}  </testsuite>\n",
      attr(z.zone), cases.size(), failures, timestamp, attr(z.chain), body);
}

} // namespace

// The totals the root element states come first: a pass over the zones counts them, a second
// writes each zone's suite.
Result<void> detail::write_junit(const AuditResult& result, Severity fail_on, const TextSink& write) {
  // JUnit's timestamp is an xs:dateTime without a zone designator in the common XSDs; it is UTC.
  std::string timestamp = util::format_utc(result.generated);
  timestamp.pop_back();
  const ZoneResults zones = zones_of(result);
  std::size_t total_tests = 0;
  std::size_t total_failures = 0;
  for (const ZoneResult& z : zones) {
    total_tests += test_case_names(result, z).size();
    total_failures += static_cast<std::size_t>(
        std::count_if(z.findings.begin(), z.findings.end(), [&](const Finding& f) { return is_failure(f, fail_on); }));
  }
  std::string out =
      fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" time=\"{:.3f}\">\n",
                  attr(fmt::format("{} {} ({} policy, fail on {})", result.tool, result.command, result.policy,
                                   to_string(fail_on))),
                  total_tests, total_failures, result.elapsed_s);
  for (const ZoneResult& z : zones) {
    out += zone_suite(result, z, fail_on, timestamp);
    ZW_TRY(detail::flush_if_full(out, write));
  }
  out += "</testsuites>\n";
  return write(out);
}

std::string render_junit(const AuditResult& result, Severity fail_on) {
  return detail::collect([&](const TextSink& write) { return detail::write_junit(result, fail_on, write); });
}

} // namespace zw
