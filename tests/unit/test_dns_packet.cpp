#include <doctest/doctest.h>

#include <random>

#include "dns/packet.hpp"
#include "test_probe_fakens.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_dns_packet {

using namespace zw;

TEST_CASE("dns::build_query") {
  const Result<dns::Bytes> wire = dns::build_query("Example.COM", "SOA", 0x1234);
  REQUIRE(wire.has_value());
  const std::optional<test::Query> q = test::parse_query(*wire);
  REQUIRE(q.has_value());
  CHECK(q->id == 0x1234);
  CHECK(q->qname == "example.com.");
  CHECK(q->qtype == "SOA");
  CHECK(q->edns);
  CHECK((*wire)[2] == 0); // QR=0, opcode 0, AA=0, TC=0, RD=0

  const Result<dns::Message> m = dns::parse_message(*wire);
  REQUIRE(m.has_value());
  CHECK(m->has_opt);
  CHECK_FALSE(m->qr);

  const Result<dns::Bytes> plain = dns::build_query("example.com.", "NS", 7, dns::QueryFlags{.edns = false});
  REQUIRE(plain.has_value());
  CHECK_FALSE(test::parse_query(*plain)->edns);
  CHECK(plain->size() < wire->size());

  CHECK_FALSE(dns::build_query("example.com.", "NOSUCHTYPE", 1).has_value());
  CHECK_FALSE(dns::build_query("a..b", "A", 1).has_value());
}

TEST_CASE("dns::decode_response") {
  const dns::Bytes query = dns::build_query("example.com.", "DNSKEY", 4711).value();
  const test::Query q = *test::parse_query(query);
  test::Reply reply;
  reply.answer = {"example.com. 3600 IN DNSKEY 257 3 13 "
                  "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ=="};
  reply.authority = {"example.com. 3600 IN NS ns1.example.com."};
  reply.additional = {"ns1.example.com. 3600 IN A 192.0.2.1"};

  SUBCASE("matching response") {
    const dns::Decoded d = dns::decode_response(test::make_response(q, reply), 4711, "EXAMPLE.com", "DNSKEY");
    REQUIRE(d.verdict == dns::Verdict::ok);
    CHECK(d.message.aa);
    CHECK_FALSE(d.message.tc);
    CHECK(d.message.has_opt);
    CHECK(d.message.rcode == 0);
    REQUIRE(d.message.answer.size() == 1);
    CHECK(d.message.answer[0].find("DNSKEY") != std::string::npos);
    CHECK(d.message.answer[0].find(';') == std::string::npos); // no ldns comment
    CHECK(d.message.answer[0].find('\n') == std::string::npos);
    CHECK(dns::parse_rr(d.message.answer[0]).has_value()); // round-trips
    REQUIRE(d.message.additional.size() == 1);             // OPT not listed
    CHECK(d.message.authority.size() == 1);
  }
  SUBCASE("extended rcode") {
    reply.rcode = 16; // BADVERS: 4 low bits in the header, the rest in OPT
    const dns::Decoded d = dns::decode_response(test::make_response(q, reply), 4711, "example.com.", "DNSKEY");
    REQUIRE(d.verdict == dns::Verdict::ok);
    CHECK(d.message.rcode == 16);
  }
  SUBCASE("TC and rcode") {
    reply.tc = true;
    reply.rcode = 5;
    reply.aa = false;
    const dns::Decoded d = dns::decode_response(test::make_response(q, reply), 4711, "example.com.", "DNSKEY");
    REQUIRE(d.verdict == dns::Verdict::ok);
    CHECK(d.message.tc);
    CHECK_FALSE(d.message.aa);
    CHECK(d.message.rcode == 5);
  }
  SUBCASE("wrong id") {
    const dns::Decoded d = dns::decode_response(test::make_response(q, reply, 4712), 4711, "example.com.", "DNSKEY");
    CHECK(d.verdict == dns::Verdict::mismatched);
    CHECK(d.detail.find("4712") != std::string::npos);
  }
  SUBCASE("wrong question name or type") {
    CHECK(dns::decode_response(test::make_response(q, reply, std::nullopt, "example.net."), 4711, "example.com.",
                               "DNSKEY")
              .verdict == dns::Verdict::mismatched);
    CHECK(dns::decode_response(test::make_response(q, reply), 4711, "example.com.", "SOA").verdict ==
          dns::Verdict::mismatched);
  }
  SUBCASE("a query is not a response") {
    CHECK(dns::decode_response(query, 4711, "example.com.", "DNSKEY").verdict == dns::Verdict::mismatched);
  }
  SUBCASE("garbage") {
    CHECK(dns::decode_response(dns::Bytes{1, 2, 3}, 4711, "example.com.", "DNSKEY").verdict == dns::Verdict::malformed);
    dns::Bytes cut = test::make_response(q, reply);
    cut.resize(cut.size() - 10);
    CHECK(dns::decode_response(cut, 4711, "example.com.", "DNSKEY").verdict == dns::Verdict::malformed);
  }
}

TEST_CASE("dns::parse_message never crashes on hostile bytes") {
  const dns::Bytes query = dns::build_query("example.com.", "DNSKEY", 99).value();
  const test::Query q = *test::parse_query(query);
  test::Reply reply;
  reply.answer = {"example.com. 3600 IN NS ns1.example.com.", "example.com. 3600 IN TXT \"hello\""};
  reply.additional = {"ns1.example.com. 3600 IN AAAA 2001:db8::1"};
  const dns::Bytes good = test::make_response(q, reply);
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 20000; ++round) {
    dns::Bytes wire;
    if (round % 3 == 0) { // pure noise
      wire.resize(static_cast<std::size_t>(rng() % 600));
      for (std::uint8_t& b : wire) {
        b = static_cast<std::uint8_t>(byte(rng));
      }
    } else if (round % 3 == 1) { // truncated
      wire.assign(good.begin(), good.begin() + static_cast<long>(rng() % (good.size() + 1)));
    } else { // bit flips
      wire = good;
      for (int flips = 0; flips < 1 + static_cast<int>(rng() % 4); ++flips) {
        wire[rng() % wire.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
      }
    }
    const dns::Decoded d = dns::decode_response(wire, 99, "example.com.", "DNSKEY");
    CHECK((d.verdict == dns::Verdict::ok || d.verdict == dns::Verdict::malformed ||
           d.verdict == dns::Verdict::mismatched));
  }
}

TEST_CASE("dns::parse_message reports what RFC 6891 §6.1.1 makes malformed") {
  // A response to example. SOA with no answer and ARCOUNT 2: two OPT records, the second with
  // EDNS version 255 and an option claiming 100 octets in 4 octets of RDATA.
  const zw::dns::Bytes wire = {0x12, 0x34, 0x84, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,       // header
                               7,    'e',  'x',  'a',  'm',  'p',  'l',  'e',  0,    0x00, 0x06, 0x00, 0x01, // question
                               0x00, 0x00, 0x29, 0x04, 0xd0, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, // OPT 1232, DO
                               0x00, 0x00, 0x29, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x04, // OPT v255
                               0x00, 0x0a, 0x00, 0x64};
  const auto m = zw::dns::parse_message(wire);
  REQUIRE(m.has_value());
  REQUIRE(m->edns_faults.size() == 3);
  CHECK(m->edns_faults[0].find("2 OPT records") != std::string::npos);
  CHECK(m->edns_faults[1].find("version 255") != std::string::npos);
  CHECK(m->edns_faults[2].find("overruns") != std::string::npos);
}

TEST_CASE("dns::parse_message: one well-formed OPT is no fault") {
  const zw::dns::Bytes wire = {0x12, 0x34, 0x84, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 7,    'e',
                               'x',  'a',  'm',  'p',  'l',  'e',  0,    0x00, 0x06, 0x00, 0x01, 0x00, 0x00, 0x29,
                               0x04, 0xd0, 0x00, 0x00, 0x80, 0x00, 0x00, 0x04, 0x00, 0x0a, 0x00, 0x00};
  const auto m = zw::dns::parse_message(wire);
  REQUIRE(m.has_value());
  CHECK(m->has_opt);
  CHECK(m->edns_faults.empty());
}

} // namespace zw_test_dns_packet

TEST_CASE("dns::split_section_rr reads back the lines the decoder writes") {
  const auto cname = zw::dns::split_section_rr("WWW.Example.COM.\t300\tIN\tCNAME\tTarget.example.net.");
  REQUIRE(cname);
  CHECK(cname->owner == "www.example.com.");
  CHECK(cname->type == "CNAME");
  CHECK(cname->rdata == "Target.example.net.");
  CHECK(cname->first_rdata_word() == "Target.example.net.");

  const auto mx = zw::dns::split_section_rr("example.com. 300 IN MX  10   mail.example.com.");
  REQUIRE(mx);
  CHECK(mx->rdata == "10 mail.example.com."); // single-spaced
  CHECK(mx->first_rdata_word() == "10");

  const auto empty = zw::dns::split_section_rr("example.com. 0 IN TYPE65280");
  REQUIRE(empty);
  CHECK(empty->rdata.empty());
  CHECK(empty->first_rdata_word().empty());

  CHECK_FALSE(zw::dns::split_section_rr("example.com. 300 IN"));                // three fields
  CHECK_FALSE(zw::dns::split_section_rr(""));                                   // none
  CHECK_FALSE(zw::dns::split_section_rr(std::string(300, 'a') + ". 1 IN A 1")); // owner not a name
}
