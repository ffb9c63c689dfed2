// The markdown subset the rule pages use (docs/rules/TEMPLATE.md), rendered to escaped HTML.
// Not a general markdown parser: what the pages do not use is shown as plain text.

#include "report/html_markdown.hpp"

#include <cctype>
#include <vector>

#include <fmt/format.h>

namespace zw::detail {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char c : text) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    case '\t':
    case '\n':
    case '\r': out += c; break;
    default:
      // C0 controls and DEL are parse errors in HTML and not allowed in SVG (XML): show them.
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
        out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
      } else {
        out += c;
      }
    }
  }
  return out;
}

namespace {

bool is_word(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

std::size_t indent_of(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == ' ') {
    ++n;
  }
  return n;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string inline_html(std::string_view s, const LinkResolver& links) {
  std::string out;
  bool strong = false;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '`') {
      const std::size_t end = s.find('`', i + 1);
      if (end != std::string_view::npos) {
        out += "<code>" + html_escape(s.substr(i + 1, end - i - 1)) + "</code>";
        i = end + 1;
        continue;
      }
    }
    if (c == '*' && i + 1 < s.size() && s[i + 1] == '*') {
      out += strong ? "</strong>" : "<strong>";
      strong = !strong;
      i += 2;
      continue;
    }
    if (c == '*' && (i == 0 || !is_word(s[i - 1])) && i + 1 < s.size() && s[i + 1] != ' ' && s[i + 1] != '*') {
      const std::size_t end = s.find('*', i + 1);
      if (end != std::string_view::npos && s[end - 1] != ' ' && (end + 1 == s.size() || !is_word(s[end + 1])) &&
          (end + 1 == s.size() || s[end + 1] != '*')) {
        out += "<em>" + inline_html(s.substr(i + 1, end - i - 1), links) + "</em>";
        i = end + 1;
        continue;
      }
    }
    if (c == '[') {
      const std::size_t close = s.find("](", i + 1);
      const std::size_t end = close == std::string_view::npos ? close : s.find(')', close + 2);
      if (end != std::string_view::npos && s.find('[', i + 1) > close) {
        const std::string text = inline_html(s.substr(i + 1, close - i - 1), links);
        const std::string href = links ? links(s.substr(close + 2, end - close - 2)) : std::string();
        if (href.empty()) {
          out += text;
        } else {
          out += "<a href=\"" + html_escape(href) + "\">" + text + "</a>";
        }
        i = end + 1;
        continue;
      }
    }
    out += html_escape(std::string_view(&s[i], 1));
    ++i;
  }
  if (strong) {
    out += "</strong>";
  }
  return out;
}

bool list_marker(std::string_view line, std::size_t& indent, bool& ordered, std::string_view& text) {
  indent = indent_of(line);
  std::string_view rest = line.substr(indent);
  if (rest.size() >= 2 && (rest[0] == '-' || rest[0] == '*') && rest[1] == ' ') {
    ordered = false;
    text = trim(rest.substr(2));
    return true;
  }
  std::size_t d = 0;
  while (d < rest.size() && std::isdigit(static_cast<unsigned char>(rest[d])) != 0) {
    ++d;
  }
  if (d > 0 && d + 1 < rest.size() && rest[d] == '.' && rest[d + 1] == ' ') {
    ordered = true;
    text = trim(rest.substr(d + 2));
    return true;
  }
  return false;
}

std::vector<std::string_view> split_row(std::string_view line) {
  line = trim(line);
  if (!line.empty() && line.front() == '|') {
    line.remove_prefix(1);
  }
  if (!line.empty() && line.back() == '|') {
    line.remove_suffix(1);
  }
  std::vector<std::string_view> cells;
  std::size_t start = 0;
  bool in_code = false;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i < line.size() && line[i] == '`') {
      in_code = !in_code;
    }
    if (i == line.size() || (line[i] == '|' && !in_code)) {
      cells.push_back(trim(line.substr(start, i - start)));
      start = i + 1;
    }
  }
  return cells;
}

class Renderer {
public:
  explicit Renderer(const LinkResolver& links) : m_links(links) {}

  std::string run(std::string_view md) {
    std::vector<std::string_view> lines;
    for (std::size_t pos = 0; pos <= md.size();) {
      const std::size_t nl = md.find('\n', pos);
      const std::size_t end = nl == std::string_view::npos ? md.size() : nl;
      lines.push_back(md.substr(pos, end - pos));
      if (nl == std::string_view::npos) {
        break;
      }
      pos = nl + 1;
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string_view line = lines[i];
      const std::string_view body = trim(line);
      if (body.starts_with("```")) {
        flush_text();
        if (indent_of(line) <= base_indent()) {
          close_lists_to(indent_of(line));
        }
        std::string code;
        const std::size_t strip = indent_of(line);
        for (++i; i < lines.size() && !trim(lines[i]).starts_with("```"); ++i) {
          std::string_view l = lines[i];
          l.remove_prefix(std::min(strip, indent_of(l)));
          code += l;
          code += '\n';
        }
        m_out += "<pre><code>" + html_escape(code) + "</code></pre>\n";
        continue;
      }
      if (body.empty()) {
        flush_text();
        m_blank = true;
        continue;
      }
      if (body.front() == '|' && m_lists.empty()) {
        flush_text();
        std::vector<std::string_view> rows;
        for (; i < lines.size() && !trim(lines[i]).empty() && trim(lines[i]).front() == '|'; ++i) {
          rows.push_back(lines[i]);
        }
        --i;
        table(rows);
        continue;
      }
      std::size_t indent = 0;
      bool ordered = false;
      std::string_view text;
      if (list_marker(line, indent, ordered, text)) {
        flush_text();
        item(indent, ordered);
        m_text = std::string(text);
        m_blank = false;
        continue;
      }
      if (!m_lists.empty() && (indent_of(line) > m_lists.back().indent || !m_blank)) {
        // Continuation of the current item (lazy or indented), or a new paragraph inside it.
        if (m_blank) {
          flush_text();
          m_in_item_paragraph = true;
        }
        append(body);
        m_blank = false;
        continue;
      }
      if (m_blank || !m_lists.empty()) {
        flush_text();
        close_lists_to(0);
      }
      if (body.starts_with("#")) {
        std::size_t level = 0;
        while (level < body.size() && body[level] == '#') {
          ++level;
        }
        m_out += "<p class=\"md-h\"><strong>" + inline_html(trim(body.substr(level)), m_links) + "</strong></p>\n";
        m_blank = true;
        continue;
      }
      append(body);
      m_blank = false;
    }
    flush_text();
    close_lists_to(0);
    return std::move(m_out);
  }

private:
  struct List {
    std::size_t indent;
    bool ordered;
  };

  std::size_t base_indent() const { return m_lists.empty() ? 0 : m_lists.back().indent; }

  void append(std::string_view text) {
    if (!m_text.empty()) {
      m_text += ' ';
    }
    m_text += text;
  }

  void flush_text() {
    if (m_text.empty()) {
      return;
    }
    const std::string html = inline_html(m_text, m_links);
    if (m_lists.empty()) {
      m_out += "<p>" + html + "</p>\n";
    } else if (m_in_item_paragraph) {
      m_out += "<p>" + html + "</p>";
    } else {
      m_out += html;
    }
    m_text.clear();
  }

  void close_lists_to(std::size_t indent) {
    while (!m_lists.empty() && m_lists.back().indent >= indent) {
      m_out += m_lists.back().ordered ? "</li></ol>\n" : "</li></ul>\n";
      m_lists.pop_back();
      if (indent == 0 && m_lists.empty()) {
        break;
      }
    }
    m_in_item_paragraph = false;
  }

  void item(std::size_t indent, bool ordered) {
    while (!m_lists.empty() && indent < m_lists.back().indent) {
      m_out += m_lists.back().ordered ? "</li></ol>\n" : "</li></ul>\n";
      m_lists.pop_back();
    }
    if (!m_lists.empty() && indent == m_lists.back().indent && ordered != m_lists.back().ordered) {
      m_out += m_lists.back().ordered ? "</li></ol>\n" : "</li></ul>\n";
      m_lists.pop_back();
    }
    if (!m_lists.empty() && indent == m_lists.back().indent) {
      m_out += "</li>\n<li>";
    } else {
      m_out += ordered ? "\n<ol>\n<li>" : "\n<ul>\n<li>";
      m_lists.push_back({indent, ordered});
    }
    m_in_item_paragraph = false;
  }

  void table(const std::vector<std::string_view>& rows) {
    m_out += "<table class=\"md-table\">\n";
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const std::vector<std::string_view> cells = split_row(rows[r]);
      if (r == 1 && !cells.empty() && trim(cells[0]).starts_with("-")) {
        continue; // the |---|---| separator
      }
      const char* tag = r == 0 ? "th" : "td";
      m_out += r == 0 ? "<thead><tr>" : "<tr>";
      for (const std::string_view cell : cells) {
        m_out +=
            std::string("<") + tag + (r == 0 ? " scope=\"col\">" : ">") + inline_html(cell, m_links) + "</" + tag + ">";
      }
      m_out += r == 0 ? "</tr></thead>\n" : "</tr>\n";
    }
    m_out += "</table>\n";
  }

  const LinkResolver& m_links;
  std::string m_out;
  std::string m_text;
  std::vector<List> m_lists;
  bool m_blank = false;
  bool m_in_item_paragraph = false;
};

} // namespace

std::string markdown_to_html(std::string_view markdown, const LinkResolver& links) {
  return Renderer(links).run(markdown);
}

std::string_view first_block(std::string_view markdown) {
  std::size_t pos = 0;
  while (pos < markdown.size() && markdown[pos] == '\n') {
    ++pos;
  }
  const std::size_t start = pos;
  int blocks = 0;
  while (pos < markdown.size()) {
    std::size_t end = markdown.find("\n\n", pos);
    if (end == std::string_view::npos) {
      return markdown.substr(start);
    }
    // A blank line followed by another list item keeps the list together.
    std::size_t next = end + 2;
    while (next < markdown.size() && markdown[next] == '\n') {
      ++next;
    }
    const std::string_view block = markdown.substr(pos, end - pos);
    const std::string_view rest = markdown.substr(next);
    const bool list_continues = (block.starts_with("- ") || block.find("\n- ") != std::string_view::npos) &&
                                (rest.starts_with("- ") || rest.starts_with("  "));
    ++blocks;
    if (list_continues || (blocks == 1 && !block.empty() && trim(block).ends_with(":"))) {
      pos = next;
      continue;
    }
    return trim(markdown.substr(start, end - start));
  }
  return markdown.substr(start);
}

} // namespace zw::detail
