#pragma once
// Internals of the zone text rewrite (zone_text.cpp, zone_generate.cpp): words of master-file
// text and BIND's $GENERATE. Not part of the dns/ interface.

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "zonewarden/error.hpp"

namespace zw::dns::detail {

// `c` is one of `set` (never the NUL character, which std::strchr would find in any set).
inline bool one_of(char c, std::string_view set) {
  return set.find(c) != std::string_view::npos;
}

inline bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
         });
}

inline bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// `word` is a class mnemonic (IN, CH, CS, HS, NONE, ANY, CLASSnn).
inline bool is_class(std::string_view word) {
  for (const std::string_view c : {"IN", "CH", "CS", "HS", "NONE", "ANY"}) {
    if (iequals(word, c)) {
      return true;
    }
  }
  return word.size() > 5 && iequals(word.substr(0, 5), "CLASS") && all_digits(word.substr(5));
}

// `word` is a TTL: seconds, or BIND's units (1h30m, 2W).
inline bool is_ttl(std::string_view word) {
  if (word.empty() || word[0] < '0' || word[0] > '9') {
    return false;
  }
  bool digit_before = false;
  for (const char c : word) {
    if (c >= '0' && c <= '9') {
      digit_before = true;
    } else if (digit_before && one_of(c, "smhdwSMHDW")) {
      digit_before = false;
    } else {
      return false;
    }
  }
  return true;
}

// $GENERATE's range, start-stop[/step].
struct GenerateRange {
  std::uint32_t start = 0;
  std::uint32_t stop = 0;
  std::uint32_t step = 1;
};
Result<GenerateRange> parse_range(std::string_view text);

// `pattern` with every `$` replaced by `value` as BIND does ($, ${offset[,width[,base]]}, $$).
Result<std::string> substitute(std::string_view pattern, std::int64_t value);

// The words of a directive line up to its comment; a quoted word keeps what is between the
// quotes (escapes included), as BIND's lexer gives it.
Result<std::vector<std::string>> directive_words(std::string_view line);

} // namespace zw::dns::detail
