// BIND's $GENERATE directive (BIND ARM, "The $GENERATE Directive"), for zone_text.cpp's rewrite.
#include <charconv>
#include <limits>

#include <fmt/format.h>

#include "dns/zone_text_internal.hpp"
#include "util/text.hpp"

namespace zw::dns::detail {

namespace {

// BIND's nibble format (lib/dns/master.c nibbles()): hex digits, least significant first,
// separated by dots; `width` counts characters, dots included.
std::string nibbles(std::uint64_t value, unsigned width, bool upper) {
  static constexpr std::string_view lower_digits = "0123456789abcdef";
  static constexpr std::string_view upper_digits = "0123456789ABCDEF";
  std::string out;
  do {
    out += (upper ? upper_digits : lower_digits)[value & 0x0f];
    value >>= 4;
    width = width > 0 ? width - 1 : 0;
    if (width > 0 || value != 0) {
      out += '.';
      width = width > 0 ? width - 1 : 0;
    }
  } while (value != 0 || width > 0);
  return out;
}

constexpr unsigned k_max_generate_width = 255;

} // namespace

// `pattern` with every `$` replaced by `value` as BIND does.
Result<std::string> substitute(std::string_view pattern, std::int64_t value) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    if (c == '\\') {
      out.append(pattern.substr(i, 2));
      i += 2;
      continue;
    }
    if (c != '$') {
      out += c;
      ++i;
      continue;
    }
    if (i + 1 < pattern.size() && pattern[i + 1] == '$') {
      out += '$';
      i += 2;
      continue;
    }
    ++i;
    std::int64_t offset = 0;
    unsigned width = 0;
    char base = 'd';
    if (i < pattern.size() && pattern[i] == '{') {
      const std::size_t close = pattern.find('}', i);
      if (close == std::string_view::npos) {
        return fail(fmt::format("\"{}\": ${{ without }}", util::quote_input(pattern, 80)));
      }
      const std::string_view spec = pattern.substr(i + 1, close - i - 1);
      std::vector<std::string_view> parts;
      for (std::size_t from = 0;;) {
        const std::size_t comma = spec.find(',', from);
        parts.push_back(spec.substr(from, comma - from));
        if (comma == std::string_view::npos) {
          break;
        }
        from = comma + 1;
      }
      const auto bad = [&] { return fail(fmt::format("invalid ${{{}}}", util::quote_input(spec, 40))); };
      if (parts.empty() || parts.size() > 3) {
        return bad();
      }
      const auto [p0, e0] = std::from_chars(parts[0].data(), parts[0].data() + parts[0].size(), offset);
      if (e0 != std::errc() || p0 != parts[0].data() + parts[0].size() || offset < -(std::int64_t{1} << 31) ||
          offset > (std::int64_t{1} << 31)) {
        return bad();
      }
      if (parts.size() > 1) {
        const auto [p1, e1] = std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), width);
        if (e1 != std::errc() || p1 != parts[1].data() + parts[1].size() || width > k_max_generate_width) {
          return bad();
        }
      }
      if (parts.size() > 2) {
        if (parts[2].size() != 1 || std::string_view("doxXnN").find(parts[2][0]) == std::string_view::npos) {
          return bad();
        }
        base = parts[2][0];
      }
      i = close + 1;
    }
    const std::int64_t v = value + offset;
    if (v < 0) {
      return fail(fmt::format("${{{}}} gives a negative value for {}", offset, value));
    }
    const auto u = static_cast<std::uint64_t>(v);
    switch (base) {
    case 'o': out += fmt::format("{:0{}o}", u, width); break;
    case 'x': out += fmt::format("{:0{}x}", u, width); break;
    case 'X': out += fmt::format("{:0{}X}", u, width); break;
    case 'n':
    case 'N': out += nibbles(u, width, base == 'N'); break;
    default: out += fmt::format("{:0{}d}", u, width); break;
    }
  }
  return out;
}

// The words of a directive line up to its comment; a quoted word keeps what is between the
// quotes (escapes included), as BIND's lexer gives it.
Result<std::vector<std::string>> directive_words(std::string_view line) {
  std::vector<std::string> words;
  for (std::size_t i = 0; i < line.size();) {
    const char c = line[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
    } else if (c == ';') {
      break;
    } else if (c == '"') {
      std::string word;
      ++i;
      while (i < line.size() && line[i] != '"') {
        if (line[i] == '\\' && i + 1 < line.size()) {
          word += line[i++];
        }
        word += line[i++];
      }
      if (i >= line.size()) {
        return fail("unterminated quoted text");
      }
      ++i;
      words.push_back(std::move(word));
    } else {
      const std::size_t start = i;
      while (i < line.size() && !one_of(line[i], " \t\r\n;\"")) {
        i += (line[i] == '\\' && i + 1 < line.size()) ? 2 : 1;
      }
      words.emplace_back(line.substr(start, i - start));
    }
  }
  return words;
}

Result<GenerateRange> parse_range(std::string_view text) {
  const auto bad = [&] {
    return fail(fmt::format("invalid range \"{}\" (start-stop[/step])", util::quote_input(text, 40)));
  };
  GenerateRange r;
  const std::size_t dash = text.find('-');
  if (dash == std::string_view::npos) {
    return bad();
  }
  const std::size_t slash = text.find('/', dash);
  const std::string_view a = text.substr(0, dash);
  const std::string_view b =
      text.substr(dash + 1, slash == std::string_view::npos ? std::string_view::npos : slash - dash - 1);
  const auto number = [](std::string_view s, std::uint32_t& out) {
    constexpr std::uint32_t k_max = std::numeric_limits<std::int32_t>::max(); // as BIND
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return all_digits(s) && ec == std::errc() && p == s.data() + s.size() && out <= k_max;
  };
  if (!number(a, r.start) || !number(b, r.stop) ||
      (slash != std::string_view::npos && !number(text.substr(slash + 1), r.step)) || r.step == 0 || r.start > r.stop) {
    return bad();
  }
  return r;
}

} // namespace zw::dns::detail
