#include <doctest/doctest.h>

#include "util/time.hpp"

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
