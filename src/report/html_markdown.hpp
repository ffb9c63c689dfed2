#pragma once
// HTML text helpers of the HTML reporter: escaping, and the markdown subset of the rule pages
// (paragraphs, nested lists, tables, fenced code, `code`, **bold**, *emphasis*, links).

#include <functional>
#include <string>
#include <string_view>

namespace zw::detail {

// `text` with & < > " ' escaped: safe in element content and in quoted attribute values, in
// HTML and in inline SVG alike. Zone data is hostile input; every string goes through here.
// Control characters other than tab, LF and CR become a visible `\xNN`.
std::string html_escape(std::string_view text);

// Maps a markdown link target to an href, or "" to render the link's text only.
using LinkResolver = std::function<std::string(std::string_view target)>;

// Renders `markdown` to HTML. Every character of the input is escaped; only the markup this
// function generates is emitted raw. Links go through `links` (nullptr: text only).
std::string markdown_to_html(std::string_view markdown, const LinkResolver& links);

// The first block of `markdown` (up to the first blank line outside a list), for a short
// explanation; a block ending in ':' takes the block that follows with it.
std::string_view first_block(std::string_view markdown);

} // namespace zw::detail
