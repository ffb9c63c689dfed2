#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dns/canonical_rdata.hpp"
#include "dns/rr.hpp"
#include "dns/rr_file.hpp"
#include "dns/serial.hpp"

// Last: ldns's headers define `false` as a macro, which breaks <optional> included after them.
#include "dns/ldns_handle.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_dns_rr {

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
  // One line only: ldns would overflow its TTL buffer on this one (fuzz_rr_text).
  const auto broken = parse_rr("a (\n" + std::string(30, '1'));
  REQUIRE_FALSE(broken.has_value());
  CHECK(broken.error().message.find('\n') == std::string::npos);
  CHECK_FALSE(parse_rr("www.example.com. 300 IN A\r\n192.0.2.1").has_value());
}

TEST_CASE("dns::rr_to_text and rdf_to_text print what ldns_rr2str and ldns_rdf2str print") {
  // They print into one reused buffer per thread: a long record (past the buffer's first 1 KiB)
  // must come out whole, and a short one after it with nothing of the long one left over.
  std::string long_txt = "long.example. 300 IN TXT";
  for (int i = 0; i < 20; ++i) {
    long_txt += " \"" + std::string(200, static_cast<char>('a' + i)) + "\"";
  }
  const std::vector<std::string> lines = {
      long_txt,
      "a.example. 300 IN A 192.0.2.1",
      "example. 300 IN RRSIG SOA 13 1 300 20261231000000 20261201000000 12345 example. "
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      long_txt,
      "b.example. 300 IN TYPE65280 \\# 3 010203",
  };
  for (const std::string& line : lines) {
    CAPTURE(line);
    ldns_rr* raw = nullptr;
    REQUIRE(ldns_rr_new_frm_str(&raw, line.c_str(), 0, nullptr, nullptr) == LDNS_STATUS_OK);
    const RrHandle rr(raw);
    const CString oracle(ldns_rr2str(rr.get()));
    std::string want(oracle.get());
    while (!want.empty() && (want.back() == '\n' || want.back() == ' ' || want.back() == '\t')) {
      want.pop_back();
    }
    CHECK(rr_to_text(rr.get(), ldns_output_format_default) == want);
    const CString owner(ldns_rdf2str(ldns_rr_owner(rr.get())));
    CHECK(rdf_to_text(ldns_rr_owner(rr.get())) == owner.get());
    const CString last(ldns_rdf2str(ldns_rr_rdf(rr.get(), ldns_rr_rd_count(rr.get()) - 1)));
    CHECK(rdf_to_text(ldns_rr_rdf(rr.get(), ldns_rr_rd_count(rr.get()) - 1)) == last.get());
  }
  CHECK(rr_to_text(nullptr, ldns_output_format_default).empty());
  CHECK(rdf_to_text(nullptr).empty());
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

TEST_CASE("dns::canonical_compare: RFC 4034 §6.1's example order, every pair; the longest names") {
  const std::vector<const char*> ordered = {"example.",         "a.example.",      "yljkjljk.a.example.",
                                            "Z.a.example.",     "zABC.a.EXAMPLE.", "z.example.",
                                            "\\001.z.example.", "*.z.example.",    "\\200.z.example."};
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    for (std::size_t j = 0; j < ordered.size(); ++j) {
      const auto x = name_from_text(ordered[i]).value();
      const auto y = name_from_text(ordered[j]).value();
      CAPTURE(ordered[i]);
      CAPTURE(ordered[j]);
      CHECK((canonical_compare(x, y) < 0) == (i < j));
      CHECK((canonical_compare(x, y) == 0) == (i == j));
    }
  }
  // 127 labels, the most a 255-octet name holds; they differ only in the leftmost one.
  std::string deep_a = "a";
  std::string deep_b = "b";
  for (int i = 0; i < 126; ++i) {
    deep_a += ".x";
    deep_b += ".x";
  }
  const auto da = name_from_text(deep_a + ".").value();
  const auto db = name_from_text(deep_b + ".").value();
  CHECK(label_count(da) == 127);
  CHECK(canonical_compare(da, db) < 0);
  CHECK(is_subdomain(da, name_from_text("x.x.").value()));
  CHECK_FALSE(is_subdomain(da, db));
}

TEST_CASE("dns::compare_serials and newest_serial: RFC 1982 §3.2, and no newest when there is none") {
  CHECK(compare_serials(2026120402, 2026120401) == SerialOrder::newer);
  CHECK(compare_serials(2026120401, 2026120402) == SerialOrder::older);
  CHECK(compare_serials(7, 7) == SerialOrder::equal);
  CHECK(compare_serials(5, 0xFFFFFFFF) == SerialOrder::newer); // wrapped
  CHECK(compare_serials(0x80000000, 0) == SerialOrder::undefined);
  CHECK(compare_serials(0, 0x80000000) == SerialOrder::undefined);
  CHECK(compare_serials(0x7FFFFFFF, 0) == SerialOrder::newer);
  CHECK(compare_serials(0x80000001, 0) == SerialOrder::older);

  const auto newest = [](std::vector<std::uint32_t> v) { return newest_serial(v); };
  CHECK(newest({2026120401, 2026120403, 2026120402}) == 2026120403U);
  CHECK(newest({0xFFFFFFF0, 3, 0xFFFFFFFF}) == 3U);
  CHECK(newest({9}) == 9U);
  // A cycle: each is newer than the one before, so none is newest, in every order.
  std::vector<std::uint32_t> cycle = {0, 0x55555555, 0xAAAAAAAA};
  std::sort(cycle.begin(), cycle.end());
  do {
    CHECK_FALSE(newest(cycle).has_value());
  } while (std::next_permutation(cycle.begin(), cycle.end()));
  CHECK_FALSE(newest({0, 0x80000000}).has_value());
}

TEST_CASE("dns::soa_field reads the five counters after MNAME and RNAME (RFC 1035 §3.3.13)") {
  const auto soa = parse_rr("example. 300 IN SOA ns.example. h.example. 2026120401 7200 3600 1209600 300").value();
  CHECK(soa_field(soa.rdata, SoaField::serial) == 2026120401U);
  CHECK(soa_field(soa.rdata, SoaField::refresh) == 7200U);
  CHECK(soa_field(soa.rdata, SoaField::retry) == 3600U);
  CHECK(soa_field(soa.rdata, SoaField::expire) == 1209600U);
  CHECK(soa_field(soa.rdata, SoaField::minimum) == 300U);
  const std::vector<std::uint8_t> truncated(soa.rdata.begin(), soa.rdata.end() - 1);
  CHECK_FALSE(soa_field(truncated, SoaField::serial).has_value());
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

TEST_CASE("dns::read_rr_text") {
  // $ORIGIN, $TTL, parentheses and comments, as read_rr_file reads them from a file.
  const zw::Result<std::vector<std::string>> rrs =
      read_rr_text("$ORIGIN example.\n$TTL 60\n@ DS ( 1 13 2\n "
                   "0000000000000000000000000000000000000000000000000000000000000000 ) ; c\n",
                   "anchors.txt");
  REQUIRE(rrs.has_value());
  REQUIRE(rrs->size() == 1);
  const zw::Result<Rr> ds = parse_rr((*rrs)[0]);
  REQUIRE(ds.has_value());
  CHECK(ds->type == rrtype::ds);
  CHECK(ds->ttl == 60);
  CHECK(name_to_text(ds->owner) == "example.");
  CHECK(read_rr_text("", "empty.txt").value().empty());
  // Errors name the text by the name given, never opened, with the line.
  const zw::Result<std::vector<std::string>> bad =
      read_rr_text("example. 60 IN DS 1 13 2 00\nexample. IN DS x\n", "/nonexistent/ds.txt");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message.starts_with("/nonexistent/ds.txt:"));
  CHECK(bad.error().message.find('\n') == std::string::npos);
}

TEST_CASE("dns::read_rr_text_lines: the line each record starts on") {
  const std::string zero64(64, '0');
  const zw::Result<std::vector<RrLine>> rrs =
      read_rr_text_lines("; DS records\n$ORIGIN example.\n\n@ 60 DS 1 13 2 " + zero64 +
                             "\n; between\n@ 60 DS ( 2 13 2\n " + zero64 + " )\n@ 60 DS 3 13 2 " + zero64 + "\n",
                         "ds.txt");
  REQUIRE(rrs.has_value());
  REQUIRE(rrs->size() == 3);
  CHECK((*rrs)[0].line == 4);
  CHECK((*rrs)[1].line == 6); // a record over two lines: where it starts
  CHECK((*rrs)[2].line == 8);
  CHECK((*rrs)[2].text.starts_with("example.\t60\tIN\tDS\t3 13 2 "));
}

} // namespace zw_test_dns_rr

TEST_CASE("dns::wire_name_length and wire_name_end: RFC 1035 §3.1 limits") {
  using zw::dns::wire_name_end;
  using zw::dns::wire_name_length;
  // A name of `labels` labels of `size` octets each, then the root label.
  const auto name = [](std::size_t labels, std::uint8_t size) {
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i < labels; ++i) {
      out.push_back(size);
      out.insert(out.end(), size, 'a');
    }
    out.push_back(0);
    return out;
  };
  CHECK(wire_name_length(std::vector<std::uint8_t>{0}) == 1); // the root
  CHECK(wire_name_length(name(1, 63)) == 65);
  CHECK(wire_name_length(name(1, 64)) == 0); // a label over 63 octets: 0x40 is an extended label type
  // Three labels of 63 octets, then one of `last`, then the root: 3 x 64 + (1 + last) + 1 octets.
  const auto four_labels = [&](std::uint8_t last) {
    std::vector<std::uint8_t> out = name(3, 63);
    out.pop_back();
    out.push_back(last);
    out.insert(out.end(), last, 'b');
    out.push_back(0);
    return out;
  };
  const std::vector<std::uint8_t> longest = four_labels(61);
  const std::vector<std::uint8_t> too_long = four_labels(62);
  CHECK(longest.size() == 255);
  CHECK(wire_name_length(longest) == 255); // the longest name
  CHECK(too_long.size() == 256);
  CHECK(wire_name_length(too_long) == 0);                                         // one octet more
  CHECK(wire_name_length(std::vector<std::uint8_t>{3, 'w', 'w', 'w'}) == 0);      // no root label
  CHECK(wire_name_length(std::vector<std::uint8_t>{0xC0, 0x0C}) == 0);            // a compression pointer
  CHECK(wire_name_length(std::vector<std::uint8_t>{1, 'a', 0, 0xFF, 0xFF}) == 3); // what follows is not read
  CHECK(wire_name_end(std::vector<std::uint8_t>{9, 9, 1, 'a', 0}, 2) == std::optional<std::size_t>(5));
  CHECK_FALSE(wire_name_end(std::vector<std::uint8_t>{1, 'a', 0}, 3)); // past the end
  CHECK_FALSE(wire_name_end(too_long, 0));
}
