#pragma once
// Time values given by people on the command line. No DNS knowledge.

#include <cstdint>
#include <string>
#include <string_view>

#include "zonewarden/error.hpp"

namespace zw::util {

// Unix seconds of "2026-11-27T12:00:00Z", "2026-11-27", "20261127120000" (RRSIG style) or
// "@1796000000".
Result<std::int64_t> parse_time(std::string_view text);
// "2026-11-27T12:00:00Z".
std::string format_utc(std::int64_t unix_seconds);
// A span for people, its two largest units: "3d 0h", "5h 12m", "4m 10s", "45s" (the sign dropped).
std::string format_duration(std::int64_t seconds);
// Seconds of "3d", "72h", "90m", "45s", "250ms" (rounded down) or a plain number of seconds;
// `allow_fraction` accepts "0.5" and returns milliseconds instead.
Result<std::int64_t> parse_duration_s(std::string_view text);
Result<std::int64_t> parse_duration_ms(std::string_view text);

} // namespace zw::util
