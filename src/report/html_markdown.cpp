// The rule pages' markdown (docs/rules/TEMPLATE.md) rendered to escaped HTML by md4c's parser
// (CommonMark with GitHub's tables), and the HTML escaping every reporter of HTML uses.

#include "report/html_markdown.hpp"
#include "util/text.hpp"

#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <md4c.h>

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
      util::append_visible(out, c);
    }
  }
  return out;
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// md4c's parse events written out as HTML: every text escaped, raw HTML in the markdown disabled
// (MD_FLAG_NOHTML: it comes out as text), links through the resolver.
class Renderer {
public:
  explicit Renderer(const LinkResolver& links) : m_links(links) {}

  std::string run(std::string_view markdown) {
    const MD_PARSER parser{.abi_version = 0,
                           .flags = MD_FLAG_TABLES | MD_FLAG_NOHTML | MD_FLAG_STRIKETHROUGH,
                           .enter_block = &Renderer::enter_block,
                           .leave_block = &Renderer::leave_block,
                           .enter_span = &Renderer::enter_span,
                           .leave_span = &Renderer::leave_span,
                           .text = &Renderer::text,
                           .debug_log = nullptr,
                           .syntax = nullptr};
    // md_parse fails only when a callback does (ours never do) or on memory exhaustion: then the
    // page is shown as escaped text rather than not at all.
    if (md_parse(markdown.data(), static_cast<MD_SIZE>(markdown.size()), &parser, this) != 0) {
      return "<pre>" + html_escape(markdown) + "</pre>\n";
    }
    return std::move(m_out);
  }

private:
  static Renderer& self(void* userdata) { return *static_cast<Renderer*>(userdata); }

  // The markup around a block other than a list: {open, close}; empty for the document and raw
  // HTML (none with MD_FLAG_NOHTML), and for a paragraph in a tight list (CommonMark §5.3). Lists
  // are written by enter_block and leave_block, which track tight lists.
  std::pair<std::string_view, std::string_view> block_tags(MD_BLOCKTYPE type) const noexcept {
    switch (type) {
    case MD_BLOCK_P:
      if (in_tight_list()) {
        break;
      }
      return {"<p>", "</p>\n"};
    case MD_BLOCK_QUOTE: return {"<blockquote>\n", "</blockquote>\n"};
    case MD_BLOCK_LI: return {"<li>", "</li>\n"};
    case MD_BLOCK_HR: return {"<hr>\n", ""};
    // A heading inside a page's section is not a heading of the report's outline: bold text.
    case MD_BLOCK_H: return {"<p class=\"md-h\"><strong>", "</strong></p>\n"};
    case MD_BLOCK_CODE: return {"<pre><code>", "</code></pre>\n"};
    case MD_BLOCK_TABLE: return {"<table class=\"md-table\">\n", "</table>\n"};
    case MD_BLOCK_THEAD: return {"<thead>\n", "</thead>\n"};
    case MD_BLOCK_TBODY: return {"<tbody>\n", "</tbody>\n"};
    case MD_BLOCK_TR: return {"<tr>", "</tr>\n"};
    case MD_BLOCK_TH: return {"<th scope=\"col\">", "</th>"};
    case MD_BLOCK_TD: return {"<td>", "</td>"};
    case MD_BLOCK_DOC:
    case MD_BLOCK_HTML:
    case MD_BLOCK_UL:
    case MD_BLOCK_OL: break;
    }
    return {};
  }

  static int enter_block(MD_BLOCKTYPE type, void* detail, void* userdata) {
    Renderer& r = self(userdata);
    if (type == MD_BLOCK_UL || type == MD_BLOCK_OL) {
      const bool ordered = type == MD_BLOCK_OL;
      r.m_tight.push_back((ordered ? static_cast<const MD_BLOCK_OL_DETAIL*>(detail)->is_tight
                                   : static_cast<const MD_BLOCK_UL_DETAIL*>(detail)->is_tight) != 0);
      r.new_line();
      const unsigned start = ordered ? static_cast<const MD_BLOCK_OL_DETAIL*>(detail)->start : 1;
      r.m_out += !ordered     ? std::string("<ul>\n")
                 : start == 1 ? std::string("<ol>\n")
                              : fmt::format("<ol start=\"{}\">\n", start);
    } else {
      r.m_out += r.block_tags(type).first;
    }
    return 0;
  }

  static int leave_block(MD_BLOCKTYPE type, void* /*detail*/, void* userdata) {
    Renderer& r = self(userdata);
    if (type == MD_BLOCK_UL || type == MD_BLOCK_OL) {
      r.m_tight.pop_back();
      r.m_out += type == MD_BLOCK_UL ? "</ul>\n" : "</ol>\n";
    } else {
      r.m_out += r.block_tags(type).second;
    }
    return 0;
  }

  // The markup around a span other than a link: {open, close}; none for images, wiki links and
  // LaTeX, which show their text only.
  static std::pair<std::string_view, std::string_view> span_tags(MD_SPANTYPE type) noexcept {
    switch (type) {
    case MD_SPAN_EM: return {"<em>", "</em>"};
    case MD_SPAN_STRONG: return {"<strong>", "</strong>"};
    case MD_SPAN_CODE: return {"<code>", "</code>"};
    case MD_SPAN_DEL: return {"<del>", "</del>"};
    default: return {};
    }
  }

  static int enter_span(MD_SPANTYPE type, void* detail, void* userdata) {
    Renderer& r = self(userdata);
    if (type != MD_SPAN_A) {
      r.m_out += span_tags(type).first;
      return 0;
    }
    const MD_ATTRIBUTE& href = static_cast<const MD_SPAN_A_DETAIL*>(detail)->href;
    const std::string target = r.m_links ? r.m_links(std::string_view(href.text, href.size)) : std::string();
    r.m_links_open.push_back(!target.empty());
    if (!target.empty()) {
      r.m_out += "<a href=\"" + html_escape(target) + "\">";
    }
    return 0;
  }

  static int leave_span(MD_SPANTYPE type, void* /*detail*/, void* userdata) {
    Renderer& r = self(userdata);
    if (type != MD_SPAN_A) {
      r.m_out += span_tags(type).second;
      return 0;
    }
    if (r.m_links_open.back()) {
      r.m_out += "</a>";
    }
    r.m_links_open.pop_back();
    return 0;
  }

  static int text(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size, void* userdata) {
    Renderer& r = self(userdata);
    const std::string_view t(text, size);
    switch (type) {
    case MD_TEXT_NULLCHAR: r.m_out += "\xEF\xBF\xBD"; break; // U+FFFD, as CommonMark asks
    case MD_TEXT_BR: r.m_out += "<br>\n"; break;
    case MD_TEXT_SOFTBR:
      r.m_out += ' ';
      break; // a line break of the source: one space
    // An entity is shown as written ("&amp;" stays "&amp;amp;"): the pages use none, and an
    // unknown one must not reach the page raw.
    default: r.m_out += html_escape(t); break;
    }
    return 0;
  }

  // A block opened after text (a list nested in a list item's text) starts on a line of its own.
  void new_line() {
    if (!m_out.empty() && m_out.back() != '\n') {
      m_out += '\n';
    }
  }

  // Paragraphs of a tight list item are not wrapped in <p> (as CommonMark renders them).
  bool in_tight_list() const { return !m_tight.empty() && m_tight.back(); }

  const LinkResolver& m_links;
  std::string m_out;
  std::vector<bool> m_tight;      // per open list: tight
  std::vector<bool> m_links_open; // per open link: rendered as <a>
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
