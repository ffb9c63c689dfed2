// Markdown reporter: a pull-request or issue comment (GitHub-flavoured Markdown). A summary line,
// then a table of findings per zone; zones without findings are listed on one line. Stays under
// GitHub's 65536-character comment limit by cutting rows, and says so.

#include <array>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "util/text.hpp"
#include "util/time.hpp"
#include "zonewarden/report.hpp"
#include "zonewarden/rule.hpp"

namespace zw {

namespace {

// GitHub rejects comments over 65536 characters; we count bytes (never fewer than characters) and
// keep a margin for the truncation note and the closing lines.
constexpr std::size_t k_budget = 60000;

// Escapes a table cell. Every ASCII punctuation character may be backslash-escaped in CommonMark
// (§2.4); escaping `|` keeps the column count, `<` and `&` stop servers' text from becoming HTML or
// entities, and the rest stop emphasis, code spans and links. Line breaks would end the row.
std::string cell(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
    case '\\':
    case '`':
    case '*':
    case '_':
    case '[':
    case ']':
    case '<':
    case '>':
    case '|':
    case '~':
    case '&':
      out += '\\';
      out += c;
      break;
    case '\n':
    case '\r':
    case '\t': out += ' '; break;
    default:
      // Other control characters are invisible or break the comment; show them as `\xNN` (the
      // backslash escaped, or Markdown would take it as an escape).
      util::append_visible(out, c, "\\\\");
    }
  }
  return out;
}

// The rule id linked to its page (repository-relative, as in docs/rules/index.md); ids without a
// registered rule (internal/*, policy/*) have no page.
std::string rule_cell(std::string_view id) {
  if (find_rule(id) == nullptr) {
    return cell(id);
  }
  return fmt::format("[{}](docs/rules/{}.md)", cell(id), id);
}

std::string rrset_cell(const Location& loc) {
  if (loc.owner.empty() && loc.type.empty()) {
    return "";
  }
  return cell(fmt::format("{} {}", loc.owner, loc.type));
}

std::string message_cell(const Finding& f) {
  std::string out = cell(f.message);
  if ((f.resolver.rcode != Rcode::none && f.resolver.rcode != Rcode::noerror) || f.resolver.ede != Ede::none) {
    out += fmt::format(" (resolvers: {}", to_string(f.resolver.rcode));
    if (f.resolver.ede != Ede::none) {
      out += fmt::format(", EDE {} {}", static_cast<int>(f.resolver.ede), cell(ede_text(f.resolver.ede)));
    }
    out += ")";
  }
  if (!f.suppressed.empty()) {
    out += fmt::format(" (suppressed: {})", cell(f.suppressed));
  }
  return out;
}

} // namespace

namespace detail {

std::string render_markdown(const AuditResult& result, Severity fail_on) {
  std::array<std::size_t, 3> counts{};
  std::size_t suppressed = 0;
  std::size_t failing = 0;
  std::size_t total = 0;
  for (const ZoneResult& z : zones_of(result)) {
    for (const Finding& f : z.findings) {
      ++counts[static_cast<std::size_t>(f.severity)];
      ++total;
      if (!f.suppressed.empty()) {
        ++suppressed;
      } else if (f.severity >= fail_on) {
        ++failing;
      }
    }
  }

  std::string out =
      fmt::format("### zonewarden {}: **{}**: {} error(s), {} warning(s), {} notice(s) in {} zone(s){}\n\n"
                  "{} unsuppressed finding(s) at or above `{}`; policy `{}`; as of {}.\n",
                  result.command, failing > 0 ? "FAIL" : "PASS", counts[2], counts[1], counts[0],
                  zones_of(result).size(), suppressed > 0 ? fmt::format(", {} suppressed", suppressed) : std::string(),
                  failing, to_string(fail_on), cell(result.policy), util::format_utc(result.now));

  // The zones without findings, named as far as the comment has room (a fleet's are counted).
  std::vector<std::string> clean;
  std::size_t clean_count = 0;
  std::size_t clean_chars = 0;
  std::size_t shown = 0;
  bool truncated = false;
  for (const ZoneResult& z : zones_of(result)) {
    if (z.findings.empty()) {
      ++clean_count;
      if (clean_chars <= k_budget + 4000) {
        clean_chars += z.zone.size() + 2;
        clean.push_back(z.zone);
      }
      continue;
    }
    if (truncated) {
      continue;
    }
    std::string section =
        fmt::format("\n#### {} (chain of trust: {})\n\n| severity | rule | server | RRset | message |\n"
                    "|---|---|---|---|---|\n",
                    cell(z.zone), cell(z.chain));
    if (out.size() + section.size() > k_budget) {
      truncated = true;
      continue;
    }
    out += section;
    for (const Finding& f : z.findings) {
      std::string row = fmt::format("| {} | {} | {} | {} | {} |\n", to_string(f.severity), rule_cell(f.rule),
                                    cell(f.location.server), rrset_cell(f.location), message_cell(f));
      if (out.size() + row.size() > k_budget) {
        truncated = true;
        break;
      }
      out += row;
      ++shown;
    }
  }
  if (truncated) {
    out += fmt::format("\n**{} of {} finding(s) not shown** (GitHub comments hold 65536 characters); the JSON, "
                       "SARIF or HTML report has them all.\n",
                       total - shown, total);
  }
  if (clean_count > 0) {
    std::string line = fmt::format("\n**No findings** ({} zone(s)):", clean_count);
    std::size_t listed = 0;
    for (const std::string& zone : clean) {
      const std::string item = fmt::format("{} {}", listed == 0 ? "" : ",", cell(zone));
      if (out.size() + line.size() + item.size() > k_budget + 4000) {
        break;
      }
      line += item;
      ++listed;
    }
    if (listed < clean_count) {
      line += fmt::format(" and {} more", clean_count - listed);
    }
    out += line + "\n";
  }
  return out;
}

} // namespace detail

std::string render_markdown(const AuditResult& result) {
  return detail::render_markdown(result, Severity::error);
}

} // namespace zw
