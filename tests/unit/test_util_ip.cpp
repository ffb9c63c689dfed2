#include <doctest/doctest.h>

#include "util/ip.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_util_ip {

using namespace zw::util;

TEST_CASE("util::normalize_ip") {
  CHECK(normalize_ip("2001:DB8:0::1").value() == "2001:db8::1");
  CHECK(normalize_ip("192.0.2.1").value() == "192.0.2.1");
  CHECK_FALSE(normalize_ip("192.0.2.256").has_value());
  CHECK_FALSE(normalize_ip("ns1.example.").has_value());
}

TEST_CASE("util::non_public_reason") {
  CHECK(non_public_reason("10.1.2.3").has_value());
  CHECK(non_public_reason("172.20.0.1").has_value());
  CHECK_FALSE(non_public_reason("172.32.0.1").has_value());
  CHECK(non_public_reason("192.168.1.1").has_value());
  CHECK(non_public_reason("127.53.0.1").has_value());
  CHECK(non_public_reason("100.64.0.1").has_value());
  CHECK(non_public_reason("fd53::1").has_value());
  CHECK(non_public_reason("fe80::1").has_value());
  CHECK(non_public_reason("::1").has_value());
  CHECK(non_public_reason("2001:db8::53").has_value());
  CHECK_FALSE(non_public_reason("193.0.14.129").has_value());
  CHECK_FALSE(non_public_reason("2001:7fd::1").has_value());
  CHECK(non_public_reason("not-an-address").has_value());
}

} // namespace zw_test_util_ip
