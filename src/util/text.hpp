#pragma once
// Text helpers for messages. No DNS knowledge.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace zw::util {

// Longest piece of user input an error message quotes (STYLE.md §7: one line).
inline constexpr std::size_t k_max_quoted_chars = 80;

// `text` for quoting in a one-line message: at most `max_chars` characters (a UTF-8 sequence
// is never cut), then "…"; control characters, which would break the one-line contract,
// become "?".
std::string quote_input(std::string_view text, std::size_t max_chars = k_max_quoted_chars);

// Appends `c` to `out`; a C0 control character or DEL, which a reader would not see or which
// breaks the format (HTML, XML, a Markdown table), as `backslash` then "xNN" (two hex digits).
// `backslash` is "\\" where a backslash is literal, "\\\\" where the format escapes it.
void append_visible(std::string& out, char c, std::string_view backslash = "\\");

// `bytes` as lower-case hex, two digits an octet ("" for none).
std::string to_hex(std::span<const std::uint8_t> bytes);

// "a, b, c and 4 more": the first `shown` of `items` joined by `separator`, then how many were
// left out of `total`, the number there are in all (0: `items.size()`; more when `items` holds
// only the first ones). "" when there are none.
std::string list_first(std::span<const std::string> items, std::size_t shown, std::string_view separator = ", ",
                       std::size_t total = 0);

} // namespace zw::util
