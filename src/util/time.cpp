#include "util/time.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>
#include <limits>

#include <fmt/format.h>

#include "util/text.hpp"

namespace zw::util {

namespace {

// Accepted instants: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, what the four-digit year
// of the text forms can say; `@unix` (digits only, so never below 0) is held to the same end.
constexpr std::int64_t k_max_time = 253402300799;
// Longest duration: 100 years, far beyond any timeout, deadline or expiry window, and far
// from overflowing milliseconds (or nanoseconds, where a clock adds it) in 64 bits.
constexpr std::int64_t k_max_duration_ms = std::int64_t{100} * 366 * 86'400'000;

bool all_digits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

int number(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

bool leap_year(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m) {
  static constexpr int k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap_year(y) ? 29 : k_days[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil):
// exact, no time zone, no normalisation of impossible dates (those are rejected before).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Result<std::int64_t> from_fields(std::string_view text, int y, int mo, int d, int h, int mi, int s) {
  // Strict: 2026-02-31 or 25:00 is a typo, never silently moved to another instant. A leap
  // second (:60) is not accepted either: Unix time has no name for it.
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 59) {
    return fail(fmt::format("{}: not a valid date and time", quote_input(text)));
  }
  return days_from_civil(y, mo, d) * 86400 + std::int64_t{h} * 3600 + std::int64_t{mi} * 60 + s;
}

} // namespace

Result<std::int64_t> parse_time(std::string_view text) {
  if (!text.empty() && text.front() == '@' && all_digits(text.substr(1))) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data() + 1, text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v > k_max_time) {
      return fail(fmt::format("{}: out of range (at most @{}, 9999-12-31T23:59:59Z)", quote_input(text), k_max_time));
    }
    return v;
  }
  if (text.size() == 14 && all_digits(text)) {
    return from_fields(text, number(text.substr(0, 4)), number(text.substr(4, 2)), number(text.substr(6, 2)),
                       number(text.substr(8, 2)), number(text.substr(10, 2)), number(text.substr(12, 2)));
  }
  // RFC 3339 in UTC: YYYY-MM-DD[THH:MM:SS[Z]]
  const auto digits_at = [&](std::size_t pos, std::size_t n) {
    return pos + n <= text.size() && all_digits(text.substr(pos, n));
  };
  if (digits_at(0, 4) && text.size() >= 10 && text[4] == '-' && digits_at(5, 2) && text[7] == '-' && digits_at(8, 2)) {
    const int y = number(text.substr(0, 4));
    const int mo = number(text.substr(5, 2));
    const int d = number(text.substr(8, 2));
    if (text.size() == 10) {
      return from_fields(text, y, mo, d, 0, 0, 0);
    }
    std::string_view rest = text.substr(10);
    if ((rest.front() == 'T' || rest.front() == ' ') && rest.size() >= 9 && digits_at(11, 2) && text[13] == ':' &&
        digits_at(14, 2) && text[16] == ':' && digits_at(17, 2) &&
        (text.size() == 19 || (text.size() == 20 && (text[19] == 'Z' || text[19] == 'z')))) {
      return from_fields(text, y, mo, d, number(text.substr(11, 2)), number(text.substr(14, 2)),
                         number(text.substr(17, 2)));
    }
  }
  return fail(
      fmt::format("{}: not a time (use 2026-11-27T12:00:00Z, 20261127120000 or @unixseconds)", quote_input(text)));
}

std::string format_utc(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec);
}

Result<std::int64_t> parse_duration_ms(std::string_view text) {
  // NUMBER[.FRACTION][UNIT], read as integers: no exponent, sign, inf or nan, and every step
  // checked against the limit, so nothing can overflow or round into range.
  std::size_t split = 0;
  while (split < text.size() && std::isdigit(static_cast<unsigned char>(text[split]))) {
    ++split;
  }
  const std::string_view whole = text.substr(0, split);
  std::string_view fraction;
  if (split < text.size() && text[split] == '.') {
    const std::size_t begin = ++split;
    while (split < text.size() && std::isdigit(static_cast<unsigned char>(text[split]))) {
      ++split;
    }
    fraction = text.substr(begin, split - begin);
  }
  const std::string_view unit = text.substr(split);
  if (whole.empty() && fraction.empty()) {
    return fail(fmt::format("{}: not a duration (use 2s, 500ms, 3d, 12h, 90m)", quote_input(text)));
  }
  std::int64_t factor = 1000;
  if (unit == "ms") {
    factor = 1;
  } else if (unit.empty() || unit == "s") {
    factor = 1000;
  } else if (unit == "m") {
    factor = 60'000;
  } else if (unit == "h") {
    factor = 3'600'000;
  } else if (unit == "d") {
    factor = 86'400'000;
  } else {
    return fail(fmt::format("{}: unknown unit \"{}\" (use ms, s, m, h, d)", quote_input(text), quote_input(unit, 20)));
  }
  const auto out_of_range = [&] {
    return fail(fmt::format("{}: duration out of range (at most 100 years)", quote_input(text)));
  };
  std::int64_t ms = 0;
  for (const char c : whole) {
    ms = ms * 10 + (c - '0') * factor;
    if (ms > k_max_duration_ms) {
      return out_of_range();
    }
  }
  // The fraction, rounded down to whole milliseconds. Nine digits are more precision than a
  // millisecond needs even for days, and keep digits * factor well inside 64 bits.
  std::int64_t numerator = 0;
  std::int64_t denominator = 1;
  for (const char c : fraction.substr(0, 9)) {
    numerator = numerator * 10 + (c - '0');
    denominator *= 10;
  }
  ms += numerator * factor / denominator;
  if (ms > k_max_duration_ms) {
    return out_of_range();
  }
  return ms;
}

Result<std::int64_t> parse_duration_s(std::string_view text) {
  ZW_TRY_ASSIGN(const std::int64_t ms, parse_duration_ms(text));
  return ms / 1000;
}

std::string format_duration(std::int64_t seconds) {
  const std::int64_t s = seconds < 0 ? -seconds : seconds;
  if (s >= 86400) {
    return fmt::format("{}d {}h", s / 86400, (s % 86400) / 3600);
  }
  if (s >= 3600) {
    return fmt::format("{}h {}m", s / 3600, (s % 3600) / 60);
  }
  if (s >= 60) {
    return fmt::format("{}m {}s", s / 60, s % 60);
  }
  return fmt::format("{}s", s);
}

} // namespace zw::util
