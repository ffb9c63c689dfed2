#include <doctest/doctest.h>

#include "dns/rr.hpp"

using namespace zw::dns;

TEST_CASE("dns::parse_rr") {
  const auto rr = parse_rr("www.Example.com. 300 IN A 192.0.2.1");
  REQUIRE(rr.has_value());
  CHECK(rr->type == rrtype::a);
  CHECK(rr->ttl == 300);
  CHECK(rr->rdata == Bytes{192, 0, 2, 1});
  CHECK(name_to_text(rr->owner) == "www.Example.com.");
  CHECK(to_text(*rr).find("192.0.2.1") != std::string::npos);
  CHECK_FALSE(parse_rr("www.example.com. 300 IN A 300.1.1.1").has_value());
}

TEST_CASE("dns::canonical_compare") {
  const auto a = name_from_text("example.").value();
  const auto b = name_from_text("a.example.").value();
  const auto c = name_from_text("Z.a.example.").value();
  const auto d = name_from_text("zABC.a.EXAMPLE.").value();
  CHECK(canonical_compare(a, b) < 0);
  CHECK(canonical_compare(b, c) < 0);
  CHECK(canonical_compare(c, d) < 0);
  CHECK(canonical_compare(d, d) == 0);
  CHECK(is_subdomain(c, a));
  CHECK_FALSE(is_subdomain(a, c));
  CHECK(label_count(c) == 3);
  CHECK(label_count(name_from_text(".").value()) == 0);
}

TEST_CASE("dns::normalize_name") {
  CHECK(normalize_name("Example.COM").value() == "example.com.");
  CHECK(normalize_name(".").value() == ".");
  CHECK_FALSE(normalize_name("a..b").has_value());
  CHECK_FALSE(normalize_name("a b").has_value());
  CHECK(name_is_at_or_below("www.example.com.", "example.com."));
  CHECK_FALSE(name_is_at_or_below("wwwexample.com.", "example.com."));
  CHECK(parent_name("www.example.com.") == "example.com.");
  CHECK(parent_name("com.") == ".");
}
