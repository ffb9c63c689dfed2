#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "dns/canonical_rdata.hpp"
#include "dnssec/canonical.hpp"
#include "dnssec/rrsig.hpp"
#include "test_crypto_fixtures.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_dnssec_canonical {

using namespace zw;

namespace {

dns::Rr rr(const std::string& text) {
  Result<dns::Rr> parsed = dns::parse_rr(text);
  REQUIRE_MESSAGE(parsed.has_value(), text);
  return *parsed;
}

void put16(dns::Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v & 0xFF));
}

// The signed form of one RR, written out independently: `text` already in canonical form.
void append_record(dns::Bytes& out, const std::string& text, std::uint32_t ttl) {
  const dns::Rr r = rr(text);
  out.insert(out.end(), r.owner.begin(), r.owner.end());
  put16(out, r.type);
  put16(out, r.rclass);
  put16(out, static_cast<std::uint16_t>(ttl >> 16));
  put16(out, static_cast<std::uint16_t>(ttl & 0xFFFF));
  put16(out, static_cast<std::uint16_t>(r.rdata.size()));
  out.insert(out.end(), r.rdata.begin(), r.rdata.end());
}

// RRSIG RDATA without the signature, from a lower-case rendering of the same RRSIG.
dns::Bytes header_of(const std::string& lowercase_rrsig) {
  const dns::Rr sig = rr(lowercase_rrsig);
  const dnssec::RrsigFields f = dnssec::parse_rrsig(sig).value();
  return dns::Bytes(sig.rdata.begin(), sig.rdata.end() - static_cast<std::ptrdiff_t>(f.signature.size()));
}

dns::Bytes signed_of(const std::string& rrsig_text, const std::vector<dns::Rr>& rrset) {
  const dns::Rr sig = rr(rrsig_text);
  dns::Bytes out{9, 9, 9}; // cleared by signed_data
  dnssec::signed_data(dnssec::parse_rrsig(sig).value(), rrset, sig, out);
  return out;
}

} // namespace

TEST_CASE("dnssec::signed_data lowercases owner, signer and MX names; sorts; drops duplicates") {
  const std::vector<dns::Rr> rrset{rr("EXAMPLE. 7200 IN MX 20 Backup.Example."),
                                   rr("example. 7200 IN MX 10 Mail.EXAMPLE."),
                                   rr("Example. 7200 IN MX 10 mail.example.")};
  const dns::Bytes out =
      signed_of("Example. 7200 IN RRSIG MX 8 1 3600 20340101000000 20240101000000 1234 Example. AQID", rrset);
  dns::Bytes expected =
      header_of("example. 7200 IN RRSIG MX 8 1 3600 20340101000000 20240101000000 1234 example. AQID");
  append_record(expected, "example. 3600 IN MX 10 mail.example.", 3600);
  append_record(expected, "example. 3600 IN MX 20 backup.example.", 3600);
  CHECK(out == expected);
}

TEST_CASE("dnssec::signed_data keeps NSEC and HINFO as they are (RFC 6840 §5.1)") {
  const std::vector<dns::Rr> nsec{rr("A.Example. 300 IN NSEC B.Example. A RRSIG NSEC")};
  const dns::Bytes out =
      signed_of("A.Example. 300 IN RRSIG NSEC 13 2 300 20340101000000 20240101000000 1 EXAMPLE. AQID", nsec);
  dns::Bytes expected =
      header_of("a.example. 300 IN RRSIG NSEC 13 2 300 20340101000000 20240101000000 1 example. AQID");
  const dns::Rr canonical = rr("a.example. 300 IN NSEC B.Example. A RRSIG NSEC"); // owner only lowercased
  append_record(expected, "a.example. 300 IN NSEC B.Example. A RRSIG NSEC", 300);
  CHECK(out == expected);
  CHECK(std::search(out.begin(), out.end(), canonical.rdata.begin(), canonical.rdata.end()) != out.end());

  dns::Bytes rdata;
  const dns::Rr hinfo = rr("x. 1 IN HINFO \"Intel\" \"Linux\"");
  dns::canonical_rdata(13, hinfo.rdata, rdata);
  CHECK(rdata == hinfo.rdata);
  const dns::Rr txt = rr("x. 1 IN TXT \"Mixed Case\"");
  dns::canonical_rdata(dns::rrtype::txt, txt.rdata, rdata);
  CHECK(rdata == txt.rdata);
}

TEST_CASE("dns::canonical_rdata lowercases the names of each listed type") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"x. 1 IN NS Ns1.EXAMPLE.", "x. 1 IN NS ns1.example."},
      {"x. 1 IN CNAME WWW.Example.", "x. 1 IN CNAME www.example."},
      {"x. 1 IN PTR Host.Example.", "x. 1 IN PTR host.example."},
      {"x. 1 IN DNAME Other.Example.", "x. 1 IN DNAME other.example."},
      {"x. 1 IN MD a.B.", "x. 1 IN MD a.b."},
      {"x. 1 IN MF a.B.", "x. 1 IN MF a.b."},
      {"x. 1 IN MB a.B.", "x. 1 IN MB a.b."},
      {"x. 1 IN MG a.B.", "x. 1 IN MG a.b."},
      {"x. 1 IN MR a.B.", "x. 1 IN MR a.b."},
      {"x. 1 IN SOA NS1.Example. HostMaster.EXAMPLE. 1 2 3 4 5",
       "x. 1 IN SOA ns1.example. hostmaster.example. 1 2 3 4 5"},
      {"x. 1 IN MINFO a.B. C.d.", "x. 1 IN MINFO a.b. c.d."},
      {"x. 1 IN RP a.B. C.d.", "x. 1 IN RP a.b. c.d."},
      {"x. 1 IN MX 10 Mail.Example.", "x. 1 IN MX 10 mail.example."},
      {"x. 1 IN AFSDB 1 a.B.", "x. 1 IN AFSDB 1 a.b."},
      {"x. 1 IN RT 1 a.B.", "x. 1 IN RT 1 a.b."},
      {"x. 1 IN KX 1 a.B.", "x. 1 IN KX 1 a.b."},
      {"x. 1 IN PX 1 a.B. C.d.", "x. 1 IN PX 1 a.b. c.d."},
      {"x. 1 IN SRV 1 2 3 Sip.Example.", "x. 1 IN SRV 1 2 3 sip.example."},
      {"x. 1 IN NAPTR 1 2 \"U\" \"E2U+sip\" \"\" Next.Example.",
       "x. 1 IN NAPTR 1 2 \"U\" \"E2U+sip\" \"\" next.example."},
      {"x. 1 IN SIG A 1 2 3 20240101000000 20240101000000 1 Ab.C. AQID",
       "x. 1 IN SIG A 1 2 3 20240101000000 20240101000000 1 ab.c. AQID"},
      {"x. 1 IN RRSIG A 13 2 3 20240101000000 20240101000000 1 Ab.C. AQID",
       "x. 1 IN RRSIG A 13 2 3 20240101000000 20240101000000 1 ab.c. AQID"},
  };
  dns::Bytes out;
  for (const auto& c : cases) {
    const auto& mixed = c.first; // not a structured binding: clang 14 cannot capture one (CAPTURE)
    const auto& lower = c.second;
    CAPTURE(mixed);
    const dns::Rr m = rr(mixed);
    dns::canonical_rdata(m.type, m.rdata, out);
    CHECK(out == rr(lower).rdata);
  }
  // NXT (RFC 2535) and A6 (RFC 2874), which ldns no longer parses, by hand.
  const dns::Bytes nxt_mixed{1, 'A', 1, 'B', 0, 0x40, 0x01};
  dns::canonical_rdata(30, nxt_mixed, out);
  CHECK(out == dns::Bytes{1, 'a', 1, 'b', 0, 0x40, 0x01});
  dns::Bytes a6{64, 0, 0, 0, 0, 0, 0, 0, 1, 3, 'P', 'r', 'E', 0};
  dns::canonical_rdata(38, a6, out);
  CHECK(out == dns::Bytes{64, 0, 0, 0, 0, 0, 0, 0, 1, 3, 'p', 'r', 'e', 0});
  const dns::Bytes a6_no_prefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  dns::canonical_rdata(38, a6_no_prefix, out);
  CHECK(out == a6_no_prefix);
}

TEST_CASE("dns::canonical_rdata copies malformed RDATA unchanged") {
  const std::vector<std::pair<std::uint16_t, dns::Bytes>> cases{
      {dns::rrtype::mx, {0, 10, 5, 'A', 'b'}},             // label past the end
      {dns::rrtype::mx, {0}},                              // no room for the preference
      {dns::rrtype::ns, {1, 'A', 0xC0, 0x04}},             // compression pointer
      {dns::rrtype::ns, {1, 'A', 0, 'X'}},                 // trailing octet
      {dns::rrtype::soa, {1, 'A', 0, 1, 'B', 0, 0, 0, 0}}, // serial etc. truncated
      {dns::rrtype::rrsig, {0, 1, 8, 2}},                  // fixed fields truncated
      {dns::rrtype::rrsig, dns::Bytes(18, 0xFF)},          // no signer name
      {35, {0, 1, 0, 2, 5, 'U'}},                          // NAPTR string past the end
      {38, {200, 1, 2}},                                   // A6 prefix length above 128
      {dns::rrtype::cname, {}},
  };
  dns::Bytes out;
  for (const auto& c : cases) {
    const auto& type = c.first; // not a structured binding: clang 14 cannot capture one (CAPTURE)
    const auto& rdata = c.second;
    CAPTURE(type);
    dns::canonical_rdata(type, rdata, out);
    CHECK(out == rdata);
  }
  // In an RRset too: copied, not read past its end.
  dns::Rr bad = rr("example. 300 IN MX 10 Mail.Example.");
  bad.rdata = {0, 10, 63, 'M'};
  const dns::Bytes signed_bytes =
      signed_of("example. 300 IN RRSIG MX 8 1 300 20340101000000 20240101000000 1 example. AQID", {bad});
  CHECK(std::equal(bad.rdata.begin(), bad.rdata.end(), signed_bytes.end() - 4));
}

TEST_CASE("dnssec::signed_data orders by canonical RDATA (RFC 4034 §6.3)") {
  // "\1b" sorts before "\2ab": the RDATA octets are compared, length octet first.
  const std::vector<dns::Rr> rrset{rr("x. 1 IN TXT \"ab\""), rr("x. 1 IN TXT \"b\""), rr("x. 1 IN TXT \"a\""),
                                   rr("x. 1 IN TXT \"a\"")};
  const dns::Bytes out = signed_of("x. 1 IN RRSIG TXT 8 1 60 20340101000000 20240101000000 1 x. AQID", rrset);
  dns::Bytes expected = header_of("x. 1 IN RRSIG TXT 8 1 60 20340101000000 20240101000000 1 x. AQID");
  append_record(expected, "x. 1 IN TXT \"a\"", 60);
  append_record(expected, "x. 1 IN TXT \"b\"", 60);
  append_record(expected, "x. 1 IN TXT \"ab\"", 60);
  CHECK(out == expected);

  // More RRs than fit the inline index, shuffled, with duplicates.
  std::vector<dns::Rr> many;
  for (int i = 0; i < 40; ++i) {
    many.push_back(rr("x. 1 IN A 192.0.2." + std::to_string(i)));
    many.push_back(rr("x. 1 IN A 192.0.2." + std::to_string(i)));
  }
  std::shuffle(many.begin(), many.end(), std::mt19937(7));
  const dns::Bytes big = signed_of("x. 1 IN RRSIG A 8 1 60 20340101000000 20240101000000 1 x. AQID", many);
  dns::Bytes big_expected = header_of("x. 1 IN RRSIG A 8 1 60 20340101000000 20240101000000 1 x. AQID");
  for (int i = 0; i < 40; ++i) {
    append_record(big_expected, "x. 1 IN A 192.0.2." + std::to_string(i), 60);
  }
  CHECK(big == big_expected);
}

TEST_CASE("dnssec::signed_data reconstructs the wildcard owner (RFC 4035 §5.3.2)") {
  const std::vector<dns::Rr> rrset{rr("Foo.Bar.W.Example. 300 IN A 192.0.2.53")};
  const dns::Bytes out =
      signed_of("Foo.Bar.W.Example. 300 IN RRSIG A 13 2 300 20340101000000 20240101000000 1 example. AQID", rrset);
  dns::Bytes expected = header_of("x. 300 IN RRSIG A 13 2 300 20340101000000 20240101000000 1 example. AQID");
  append_record(expected, "*.w.example. 300 IN A 192.0.2.53", 300);
  CHECK(out == expected);

  // Labels equal to the owner's count: no wildcard.
  const dns::Bytes plain = signed_of("W.Example. 300 IN RRSIG A 13 2 300 20340101000000 20240101000000 1 example. AQID",
                                     {rr("W.Example. 300 IN A 192.0.2.53")});
  dns::Bytes plain_expected = header_of("x. 300 IN RRSIG A 13 2 300 20340101000000 20240101000000 1 example. AQID");
  append_record(plain_expected, "w.example. 300 IN A 192.0.2.53", 300);
  CHECK(plain == plain_expected);
}

TEST_CASE("dnssec::signed_data reuses the buffer") {
  const test::SignedZone zone(13);
  const dns::Rr sig = zone.rrsig("www.example.", dns::rrtype::a);
  const dnssec::RrsigFields fields = dnssec::parse_rrsig(sig).value();
  std::vector<dns::Rr> rrset = zone.rrset_of(sig);
  dns::Bytes out;
  dnssec::signed_data(fields, rrset, sig, out);
  const dns::Bytes first = out;
  const std::uint8_t* storage = out.data();
  std::reverse(rrset.begin(), rrset.end());
  rrset.front().owner = dns::name_from_text("WWW.EXAMPLE.").value();
  dnssec::signed_data(fields, rrset, sig, out);
  CHECK(out == first);
  CHECK(out.data() == storage);
  dnssec::signed_data(fields, {}, sig, out);
  CHECK(out.size() == 18 + fields.signer.size());
}

} // namespace zw_test_dnssec_canonical
