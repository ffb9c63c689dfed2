#include "util/time.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <ctime>

#include <fmt/format.h>

namespace zw::util {

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

int number(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

Result<std::int64_t> from_fields(std::string_view text, int y, int mo, int d, int h, int mi, int s) {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    return fail(fmt::format("{}: not a valid date and time", text));
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return static_cast<std::int64_t>(timegm(&tm));
}

} // namespace

Result<std::int64_t> parse_time(std::string_view text) {
  if (!text.empty() && text.front() == '@' && all_digits(text.substr(1))) {
    std::int64_t v = 0;
    std::from_chars(text.data() + 1, text.data() + text.size(), v);
    return v;
  }
  if (text.size() == 14 && all_digits(text)) {
    return from_fields(text, number(text.substr(0, 4)), number(text.substr(4, 2)), number(text.substr(6, 2)),
                       number(text.substr(8, 2)), number(text.substr(10, 2)), number(text.substr(12, 2)));
  }
  // RFC 3339 in UTC: YYYY-MM-DD[THH:MM:SS[Z]]
  const auto digits_at = [&](std::size_t pos, std::size_t n) { return pos + n <= text.size() && all_digits(text.substr(pos, n)); };
  if (digits_at(0, 4) && text.size() >= 10 && text[4] == '-' && digits_at(5, 2) && text[7] == '-' && digits_at(8, 2)) {
    const int y = number(text.substr(0, 4));
    const int mo = number(text.substr(5, 2));
    const int d = number(text.substr(8, 2));
    if (text.size() == 10) {
      return from_fields(text, y, mo, d, 0, 0, 0);
    }
    std::string_view rest = text.substr(10);
    if ((rest.front() == 'T' || rest.front() == ' ') && rest.size() >= 9 && digits_at(11, 2) && text[13] == ':' &&
        digits_at(14, 2) && text[16] == ':' && digits_at(17, 2) && (text.size() == 19 || (text.size() == 20 && (text[19] == 'Z' || text[19] == 'z')))) {
      return from_fields(text, y, mo, d, number(text.substr(11, 2)), number(text.substr(14, 2)), number(text.substr(17, 2)));
    }
  }
  return fail(fmt::format("{}: not a time (use 2026-11-27T12:00:00Z, 20261127120000 or @unixseconds)", text));
}

std::string format_utc(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec);
}

Result<std::int64_t> parse_duration_ms(std::string_view text) {
  std::size_t split = 0;
  while (split < text.size() && (std::isdigit(static_cast<unsigned char>(text[split])) || text[split] == '.')) {
    ++split;
  }
  const std::string number_part(text.substr(0, split));
  const std::string_view unit = text.substr(split);
  double value = 0;
  try {
    std::size_t used = 0;
    value = std::stod(number_part, &used);
    if (used != number_part.size()) {
      throw std::invalid_argument("trailing");
    }
  } catch (const std::exception&) {
    return fail(fmt::format("{}: not a duration (use 2s, 500ms, 3d, 12h, 90m)", text));
  }
  double factor = 1000.0;
  if (unit == "ms") {
    factor = 1.0;
  } else if (unit.empty() || unit == "s") {
    factor = 1000.0;
  } else if (unit == "m") {
    factor = 60'000.0;
  } else if (unit == "h") {
    factor = 3'600'000.0;
  } else if (unit == "d") {
    factor = 86'400'000.0;
  } else {
    return fail(fmt::format("{}: unknown unit \"{}\" (use ms, s, m, h, d)", text, unit));
  }
  if (!std::isfinite(value) || value < 0 || value * factor > 1e15) {
    return fail(fmt::format("{}: duration out of range", text));
  }
  return static_cast<std::int64_t>(value * factor);
}

Result<std::int64_t> parse_duration_s(std::string_view text) {
  ZW_TRY_ASSIGN(const std::int64_t ms, parse_duration_ms(text));
  return ms / 1000;
}

} // namespace zw::util
