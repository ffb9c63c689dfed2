#include "util/text.hpp"

#include <algorithm>

namespace zw::util {

std::string list_first(std::span<const std::string> items, std::size_t shown, std::string_view separator,
                       std::size_t total) {
  total = std::max(total, items.size());
  shown = std::min(shown, items.size());
  std::string out;
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) {
      out += separator;
    }
    out += items[i];
  }
  if (total > shown) {
    out += (shown == 0 ? "" : " and ") + std::to_string(total - shown) + " more";
  }
  return out;
}

std::string quote_input(std::string_view text, std::size_t max_chars) {
  std::string out;
  out.reserve(std::min(text.size(), max_chars * 4 + 3));
  std::size_t chars = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (chars == max_chars) {
      out += "…";
      return out;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    // Length of the UTF-8 sequence starting here; a stray byte counts as one character.
    std::size_t len = 1;
    if (c >= 0xf0 && c < 0xf8) {
      len = 4;
    } else if (c >= 0xe0) {
      len = c < 0xf0 ? 3 : 1;
    } else if (c >= 0xc0) {
      len = 2;
    }
    bool valid = i + len <= text.size();
    for (std::size_t k = 1; valid && k < len; ++k) {
      valid = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
    }
    if (!valid) {
      len = 1;
    }
    if (len == 1 && (c < 0x20 || c == 0x7f || c >= 0x80)) {
      out += '?';
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
    ++chars;
  }
  return out;
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  constexpr std::string_view k_digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const std::uint8_t b : bytes) {
    out += k_digits[b >> 4];
    out += k_digits[b & 0x0f];
  }
  return out;
}

void append_visible(std::string& out, char c, std::string_view backslash) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u != 0x7f) {
    out += c;
    return;
  }
  out += backslash;
  out += 'x';
  out += to_hex(std::span(&u, 1));
}

} // namespace zw::util
