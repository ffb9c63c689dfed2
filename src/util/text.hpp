#pragma once
// Text helpers for messages. No DNS knowledge.

#include <cstddef>
#include <string>
#include <string_view>

namespace zw::util {

// Longest piece of user input an error message quotes (STYLE.md §7: one line).
inline constexpr std::size_t k_max_quoted_chars = 80;

// `text` for quoting in a one-line message: at most `max_chars` characters (a UTF-8 sequence
// is never cut), then "…"; control characters, which would break the one-line contract,
// become "?".
std::string quote_input(std::string_view text, std::size_t max_chars = k_max_quoted_chars);

} // namespace zw::util
