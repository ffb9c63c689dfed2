#include <doctest/doctest.h>

#include "dnssec/keys.hpp"
#include "dnssec/rollover_state.hpp"
#include "dnssec/rrsig.hpp"
#include "test_crypto_fixtures.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_dnssec_keys {

using namespace zw;

TEST_CASE("dnssec::key_tag matches the RRSIGs and DS records made by ldns and BIND") {
  for (const std::uint8_t alg : test::k_fixture_algorithms) {
    CAPTURE(static_cast<int>(alg));
    const test::SignedZone zone(alg);
    const std::uint16_t tag = dnssec::key_tag(zone.dnskey.rdata);
    for (const dns::Rr& rrsig : zone.rrsigs) {
      CHECK(dnssec::parse_rrsig(rrsig).value().key_tag == tag);
    }
    for (const std::string file : {".ldns.ds", ".bind.ds"}) {
      const std::vector<dns::Rr> ds = test::load_rrs("alg" + std::to_string(alg) + file);
      REQUIRE(ds.size() == 3);
      for (const dns::Rr& rr : ds) {
        CHECK(dnssec::parse_ds(rr).value().key_tag == tag);
      }
    }
  }
}

TEST_CASE("dnssec::key_tag of RSAMD5 uses the modulus (RFC 4034 B.1)") {
  const dns::Bytes rdata{0x01, 0x00, 3, 1, 1, 3, 0xC0, 0x11, 0xAB, 0xCD, 0xEF};
  CHECK(dnssec::key_tag(rdata) == 0xABCD);
  CHECK(dnssec::key_tag(dns::Bytes{1, 0, 3}) == 0);
  CHECK(dnssec::key_tag(dns::Bytes{1, 0, 3, 1}) == 0);
}

TEST_CASE("dnssec::ds_digest matches ldns-key2ds and dnssec-dsfromkey") {
  for (const std::uint8_t alg : test::k_fixture_algorithms) {
    CAPTURE(static_cast<int>(alg));
    const test::SignedZone zone(alg);
    for (const std::string file : {".ldns.ds", ".bind.ds"}) {
      for (const dns::Rr& ds : test::load_rrs("alg" + std::to_string(alg) + file)) {
        const dnssec::DsFields fields = dnssec::parse_ds(ds).value();
        CAPTURE(static_cast<int>(fields.digest_type));
        const std::optional<dns::Bytes> digest =
            dnssec::ds_digest(zone.dnskey.owner, zone.dnskey.rdata, fields.digest_type);
        REQUIRE(digest.has_value());
        CHECK(*digest == fields.digest);
        CHECK(dnssec::ds_matches(ds, zone.dnskey));

        // The owner is hashed in lower case, whatever its case in the zone.
        dns::Rr upper = zone.dnskey;
        upper.owner = dns::name_from_text("EXAMPLE.").value();
        CHECK(dnssec::ds_matches(ds, upper));

        dns::Rr tampered = ds;
        tampered.rdata.back() ^= 1;
        CHECK_FALSE(dnssec::ds_matches(tampered, zone.dnskey));
        dns::Rr other_owner = zone.dnskey;
        other_owner.owner = dns::name_from_text("example.net.").value();
        CHECK_FALSE(dnssec::ds_matches(ds, other_owner));
      }
    }
  }
  const test::SignedZone zone(13);
  CHECK_FALSE(dnssec::ds_digest(zone.dnskey.owner, zone.dnskey.rdata, 3).has_value());
  CHECK_FALSE(dnssec::ds_digest(zone.dnskey.owner, zone.dnskey.rdata, 0).has_value());
  CHECK(dnssec::ds_digest(zone.dnskey.owner, zone.dnskey.rdata, 1)->size() == 20);
  CHECK(dnssec::ds_digest(zone.dnskey.owner, zone.dnskey.rdata, 2)->size() == 32);
  CHECK(dnssec::ds_digest(zone.dnskey.owner, zone.dnskey.rdata, 4)->size() == 48);
  dns::Rr unsupported = test::load_rrs("alg13.ldns.ds").front();
  unsupported.rdata[3] = 3; // GOST: not supported, so never a match
  CHECK_FALSE(dnssec::ds_matches(unsupported, zone.dnskey));
}

TEST_CASE("dnssec::rollover_key_id: algorithm and public key, not flags or protocol") {
  for (const std::uint8_t alg : test::k_fixture_algorithms) {
    CAPTURE(static_cast<int>(alg));
    const test::SignedZone zone(alg);
    const dns::Bytes& rdata = zone.dnskey.rdata;
    const std::string id = dnssec::rollover_key_id(rdata);
    CHECK(id.size() == 16);
    CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
    dns::Bytes revoked = rdata; // the REVOKE flag (RFC 5011 §3) set: the same key
    revoked[1] |= 0x80;
    CHECK(dnssec::rollover_key_id(revoked) == id);
    dns::Bytes other_alg = rdata;
    other_alg[3] ^= 0x01;
    CHECK(dnssec::rollover_key_id(other_alg) != id);
    dns::Bytes other_key = rdata;
    other_key.back() ^= 0x01;
    CHECK(dnssec::rollover_key_id(other_key) != id);
  }
  CHECK(dnssec::rollover_key_id(dns::Bytes{1, 0, 3}).empty());
  // FNV-1a 64 of the algorithm octet 13 alone: its offset basis xor 13, times its prime.
  CHECK(dnssec::rollover_key_id(dns::Bytes{1, 1, 3, 13}) == "af63c04c8601bcf8");
}

TEST_CASE("dnssec::key_size_bits") {
  const std::array<std::pair<std::uint8_t, unsigned>, 8> expected{
      {{5, 1024}, {7, 1536}, {8, 2048}, {10, 2048}, {13, 256}, {14, 384}, {15, 256}, {16, 448}}};
  for (const auto& e : expected) {
    const std::uint8_t alg = e.first; // not a structured binding: clang 14 cannot capture one (CAPTURE)
    const unsigned bits = e.second;
    CAPTURE(static_cast<int>(alg));
    const test::SignedZone zone(alg);
    const dnssec::DnskeyFields fields = dnssec::parse_dnskey(zone.dnskey).value();
    CHECK(dnssec::key_size_bits(alg, fields.public_key) == bits);
  }
  // RFC 3110 with the three-octet exponent length form and a leading zero in the modulus.
  dns::Bytes key{0, 0, 1, 3, 0x00, 0x01};
  key.resize(key.size() + 127, 0xFF);
  CHECK(dnssec::key_size_bits(8, key) == 1 + 127 * 8);
  CHECK(dnssec::key_size_bits(8, dns::Bytes{3, 1, 0, 1}) == 0);
  CHECK(dnssec::key_size_bits(13, dns::Bytes(10, 1)) == 0);
  CHECK(dnssec::key_size_bits(3, dns::Bytes(10, 1)) == 0);
}

} // namespace zw_test_dnssec_keys
