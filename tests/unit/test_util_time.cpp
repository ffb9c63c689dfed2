#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "util/time.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_util_time {

using namespace zw::util;

TEST_CASE("util::parse_time") {
  CHECK(parse_time("1970-01-01T00:00:00Z").value() == 0);
  CHECK(parse_time("2026-11-27T12:00:00Z").value() == 1795780800);
  CHECK(parse_time("2026-11-27").value() == 1795737600);
  CHECK(parse_time("20261127120000").value() == 1795780800);
  CHECK(parse_time("@1795780800").value() == 1795780800);
  CHECK_FALSE(parse_time("yesterday").has_value());
  CHECK_FALSE(parse_time("2026-13-01").has_value());
  CHECK(format_utc(1795780800) == "2026-11-27T12:00:00Z");
}

TEST_CASE("util::parse_time is strict") {
  // Impossible dates are errors, never normalised into another day.
  CHECK_FALSE(parse_time("2026-02-31").has_value());
  CHECK_FALSE(parse_time("2026-02-29").has_value());
  CHECK(parse_time("2028-02-29").value() == 1835395200);
  CHECK_FALSE(parse_time("2100-02-29").has_value());
  CHECK(parse_time("2000-02-29").has_value());
  CHECK_FALSE(parse_time("2026-04-31T00:00:00Z").has_value());
  CHECK_FALSE(parse_time("20260431000000").has_value());
  CHECK_FALSE(parse_time("2026-01-01T24:00:00Z").has_value());
  CHECK_FALSE(parse_time("2026-01-01T00:60:00Z").has_value());
  CHECK_FALSE(parse_time("2026-01-01T00:00:60Z").has_value());
  CHECK_FALSE(parse_time("0000-01-01").has_value());
  CHECK(parse_time("9999-12-31T23:59:59Z").value() == 253402300799);
  CHECK(parse_time("1969-12-31T23:59:59Z").value() == -1);
  // @unix: out of range and overflowing values are errors.
  CHECK(parse_time("@253402300799").value() == 253402300799);
  CHECK_FALSE(parse_time("@253402300800").has_value());
  CHECK_FALSE(parse_time("@9223372036854775807").has_value());
  CHECK_FALSE(parse_time("@99999999999999999999999").has_value());
  CHECK_FALSE(parse_time("@").has_value());
  CHECK_FALSE(parse_time("@-1").has_value());
  // The echoed input is capped.
  const zw::Result<std::int64_t> long_text = parse_time(std::string(100000, '9'));
  REQUIRE_FALSE(long_text.has_value());
  CHECK(long_text.error().message.size() < 200);
}

TEST_CASE("util::parse_duration") {
  CHECK(parse_duration_s("3d").value() == 3 * 86400);
  CHECK(parse_duration_s("12h").value() == 12 * 3600);
  CHECK(parse_duration_s("90").value() == 90);
  CHECK(parse_duration_ms("500ms").value() == 500);
  CHECK(parse_duration_ms("0.5").value() == 500);
  CHECK(parse_duration_ms("2s").value() == 2000);
  CHECK_FALSE(parse_duration_ms("2 weeks").has_value());
  CHECK_FALSE(parse_duration_ms("").has_value());
  CHECK_FALSE(parse_duration_ms("-1").has_value());
}

TEST_CASE("util::parse_duration is strict") {
  CHECK(parse_duration_ms("1.5m").value() == 90'000);
  CHECK(parse_duration_ms("0.001").value() == 1);
  CHECK(parse_duration_ms("0.0001").value() == 0);
  CHECK(parse_duration_ms(".25s").value() == 250);
  CHECK(parse_duration_ms("0.123456789123d").value() == 10'666'666);
  CHECK(parse_duration_s("36500d").value() == std::int64_t{36500} * 86400);
  // Overflow and out of range, in every unit.
  CHECK_FALSE(parse_duration_ms("36700d").has_value());
  CHECK_FALSE(parse_duration_ms("9223372036854775807ms").has_value());
  CHECK_FALSE(parse_duration_ms("99999999999999999999999999d").has_value());
  CHECK_FALSE(parse_duration_ms("106751991167301d").has_value());
  // No exponents, signs, special values or stray dots.
  CHECK_FALSE(parse_duration_ms("1e400").has_value());
  CHECK_FALSE(parse_duration_ms("1e3s").has_value());
  CHECK_FALSE(parse_duration_ms("+5s").has_value());
  CHECK_FALSE(parse_duration_ms("inf").has_value());
  CHECK_FALSE(parse_duration_ms("nan").has_value());
  CHECK_FALSE(parse_duration_ms(".").has_value());
  CHECK_FALSE(parse_duration_ms("1..2s").has_value());
  CHECK_FALSE(parse_duration_ms("5 s").has_value());
}

} // namespace zw_test_util_time
