#include <doctest/doctest.h>

#include "crypto/library_verifiers.hpp"
#include "dnssec/keys.hpp"
#include "dnssec/rrsig.hpp"
#include "dnssec/validator.hpp"
#include "test_crypto_fixtures.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_dnssec_rrsig {

using namespace zw;
using crypto::VerifyStatus;

namespace {
const crypto::Verifier& k_openssl = crypto::openssl_verifier();
const crypto::Verifier& k_botan = crypto::botan_verifier();

dns::Rr rr(const char* text) {
  return dns::parse_rr(text).value();
}
} // namespace

TEST_CASE("dnssec::parse_rrsig") {
  const dns::Rr sig = rr("www.example. 300 IN RRSIG A 13 2 3600 20340101000000 20240101000000 64470 "
                         "Example. AQIDBA==");
  const dnssec::RrsigFields f = dnssec::parse_rrsig(sig).value();
  CHECK(f.type_covered == dns::rrtype::a);
  CHECK(f.algorithm == 13);
  CHECK(f.labels == 2);
  CHECK(f.original_ttl == 3600);
  CHECK(f.expiration == 2019686400U); // 2034-01-01T00:00:00Z
  CHECK(f.inception == 1704067200U);  // 2024-01-01T00:00:00Z
  CHECK(f.key_tag == 64470);
  CHECK(dns::name_to_text(f.signer) == "Example.");
  CHECK(f.signature == dns::Bytes{1, 2, 3, 4});

  dns::Rr truncated = sig;
  truncated.rdata.resize(17);
  CHECK_FALSE(dnssec::parse_rrsig(truncated).has_value());
  dns::Rr no_signature = sig;
  no_signature.rdata.resize(18 + 9); // the signer "\7Example\0" and nothing after it
  CHECK_FALSE(dnssec::parse_rrsig(no_signature).has_value());
  dns::Rr bad_signer = sig;
  bad_signer.rdata[18] = 60; // a label running past the end
  CHECK_FALSE(dnssec::parse_rrsig(bad_signer).has_value());
  dns::Rr compressed = sig;
  compressed.rdata[18] = 0xC0;
  CHECK_FALSE(dnssec::parse_rrsig(compressed).has_value());
  CHECK_FALSE(dnssec::parse_rrsig(rr("www.example. 300 IN A 192.0.2.1")).has_value());
}

TEST_CASE("dnssec::parse_dnskey and parse_ds") {
  const dnssec::DnskeyFields ksk = dnssec::parse_dnskey(rr("example. 300 IN DNSKEY 257 3 15 AQIDBA==")).value();
  CHECK(ksk.flags == 257);
  CHECK(ksk.protocol == 3);
  CHECK(ksk.algorithm == 15);
  CHECK(ksk.public_key == dns::Bytes{1, 2, 3, 4});
  CHECK(ksk.zone_key());
  CHECK(ksk.sep());
  CHECK_FALSE(ksk.revoked());
  const dnssec::DnskeyFields zsk = dnssec::parse_dnskey(rr("example. 300 IN DNSKEY 256 3 15 AQIDBA==")).value();
  CHECK(zsk.zone_key());
  CHECK_FALSE(zsk.sep());
  const dnssec::DnskeyFields revoked = dnssec::parse_dnskey(rr("example. 300 IN DNSKEY 385 3 15 AQIDBA==")).value();
  CHECK(revoked.revoked());
  const dnssec::DnskeyFields other = dnssec::parse_dnskey(rr("example. 300 IN DNSKEY 1 3 15 AQIDBA==")).value();
  CHECK_FALSE(other.zone_key());
  dns::Rr short_key = rr("example. 300 IN DNSKEY 257 3 15 AQIDBA==");
  short_key.rdata.resize(4);
  CHECK_FALSE(dnssec::parse_dnskey(short_key).has_value());
  CHECK_FALSE(dnssec::parse_dnskey(rr("www.example. 300 IN A 192.0.2.1")).has_value());

  const dnssec::DsFields ds = dnssec::parse_ds(rr("example. 300 IN DS 64470 13 2 0102A0FF")).value();
  CHECK(ds.key_tag == 64470);
  CHECK(ds.algorithm == 13);
  CHECK(ds.digest_type == 2);
  CHECK(ds.digest == dns::Bytes{0x01, 0x02, 0xA0, 0xFF});
  dns::Rr short_ds = rr("example. 300 IN DS 64470 13 2 0102A0FF");
  short_ds.rdata.resize(3);
  CHECK_FALSE(dnssec::parse_ds(short_ds).has_value());
}

TEST_CASE("dnssec::serial_time_before and absolute_time (RFC 4034 §3.1.5)") {
  CHECK(dnssec::serial_time_before(1, 2));
  CHECK_FALSE(dnssec::serial_time_before(2, 1));
  CHECK_FALSE(dnssec::serial_time_before(7, 7));
  CHECK(dnssec::serial_time_before(0xFFFFFFF0U, 5)); // across the wrap
  CHECK_FALSE(dnssec::serial_time_before(5, 0xFFFFFFF0U));
  CHECK(dnssec::serial_time_before(0, 0x7FFFFFFFU));
  CHECK_FALSE(dnssec::serial_time_before(0, 0x80000000U)); // undefined: neither before
  CHECK_FALSE(dnssec::serial_time_before(0x80000000U, 0));

  const std::int64_t now = 1'700'000'000;
  CHECK(dnssec::absolute_time(1'700'000'100U, now) == 1'700'000'100);
  CHECK(dnssec::absolute_time(1'600'000'000U, now) == 1'600'000'000);
  const std::int64_t wrap = std::int64_t{1} << 32; // 2106-02-07
  CHECK(dnssec::absolute_time(50, wrap + 100) == wrap + 50);
  CHECK(dnssec::absolute_time(0xFFFFFF00U, wrap + 100) == wrap - 256);
  CHECK(dnssec::absolute_time(200, wrap - 100) == wrap + 200);
  CHECK(dnssec::absolute_time(0xFFFFFF00U, 100) == -256);
}

TEST_CASE("dnssec::KeyRing loads a key once per thread: the same key, or the same error, again") {
  // An audit builds the root's and each TLD's ring again for every zone below them; the key
  // they load must be the one loaded before, and never another algorithm's.
  for (const std::uint8_t alg : test::k_fixture_algorithms) {
    CAPTURE(static_cast<int>(alg));
    const test::SignedZone zone(alg);
    const std::vector<dns::Bytes> keys{zone.dnskey.rdata};
    const dnssec::KeyRing first(zone.dnskey.owner, keys);
    const dnssec::KeyRing again(zone.dnskey.owner, keys);
    REQUIRE(first.keys().size() == 1);
    REQUIRE(first.keys()[0].key);
    CHECK(again.keys()[0].key == first.keys()[0].key);
    dns::Bytes other_algorithm = zone.dnskey.rdata;
    other_algorithm[3] = alg == 13 ? 14 : 13;
    const dnssec::KeyRing other(zone.dnskey.owner, std::vector<dns::Bytes>{other_algorithm});
    CHECK(other.keys()[0].key != first.keys()[0].key);
  }
  const dns::Rr bad = rr("example. 300 IN DNSKEY 257 3 13 AQIDBA==");
  const dnssec::KeyRing bad1(bad.owner, std::vector<dns::Bytes>{bad.rdata});
  const dnssec::KeyRing bad2(bad.owner, std::vector<dns::Bytes>{bad.rdata});
  CHECK_FALSE(bad1.keys()[0].key);
  CHECK_FALSE(bad1.keys()[0].load_error.empty());
  CHECK(bad2.keys()[0].load_error == bad1.keys()[0].load_error);
}

TEST_CASE("dnssec::verify_rrsig") {
  dns::Bytes scratch;
  for (const std::uint8_t alg : test::k_fixture_algorithms) {
    CAPTURE(static_cast<int>(alg));
    const test::SignedZone zone(alg);
    for (const dns::Rr& sig : zone.rrsigs) {
      CHECK(dnssec::verify_rrsig(sig, zone.rrset_of(sig), zone.dnskey, k_openssl, scratch) == VerifyStatus::valid);
    }
    const dns::Rr sig = zone.rrsig("example.", dns::rrtype::mx);
    const std::vector<dns::Rr> rrset = zone.rrset_of(sig);
    CHECK(dnssec::verify_rrsig(sig, rrset, zone.dnskey, k_botan, scratch) ==
          (alg == 16 ? VerifyStatus::unsupported_algorithm : VerifyStatus::valid));

    // Mismatches are found before any cryptography.
    dns::Rr wrong_tag = sig;
    wrong_tag.rdata[17] ^= 1;
    CHECK(dnssec::verify_rrsig(wrong_tag, rrset, zone.dnskey, k_openssl, scratch) == VerifyStatus::invalid);
    dns::Rr wrong_alg = sig;
    wrong_alg.rdata[2] = alg == 8 ? 10 : 8;
    CHECK(dnssec::verify_rrsig(wrong_alg, rrset, zone.dnskey, k_openssl, scratch) == VerifyStatus::invalid);
    dns::Rr other_signer = zone.dnskey;
    other_signer.owner = dns::name_from_text("example.net.").value();
    CHECK(dnssec::verify_rrsig(sig, rrset, other_signer, k_openssl, scratch) == VerifyStatus::invalid);
    dns::Rr too_many_labels = sig;
    too_many_labels.rdata[3] = 2; // owner "example." has one label
    CHECK(dnssec::verify_rrsig(too_many_labels, rrset, zone.dnskey, k_openssl, scratch) == VerifyStatus::invalid);
    CHECK(dnssec::verify_rrsig(sig, zone.rrset(sig.owner, dns::rrtype::ns), zone.dnskey, k_openssl, scratch) ==
          VerifyStatus::invalid);
    CHECK(dnssec::verify_rrsig(sig, {}, zone.dnskey, k_openssl, scratch) == VerifyStatus::invalid);
    // Without the Zone Key flag the DNSKEY must not be used (RFC 4035 §5.3.1); clearing the flag
    // changes the key tag, so the tag is patched into the RRSIG to isolate the flag check.
    dns::Rr non_zone = zone.dnskey;
    non_zone.rdata[0] &= 0xFE;
    dns::Rr retagged = sig;
    const std::uint16_t tag = dnssec::key_tag(non_zone.rdata);
    retagged.rdata[16] = static_cast<std::uint8_t>(tag >> 8);
    retagged.rdata[17] = static_cast<std::uint8_t>(tag & 0xFF);
    CHECK(dnssec::verify_rrsig(retagged, rrset, non_zone, k_openssl, scratch) == VerifyStatus::invalid);
    // A DNSKEY whose key does not load.
    dns::Rr broken = zone.dnskey;
    broken.rdata.resize(10);
    dns::Rr broken_tag = sig;
    const std::uint16_t broken_key_tag = dnssec::key_tag(broken.rdata);
    broken_tag.rdata[16] = static_cast<std::uint8_t>(broken_key_tag >> 8);
    broken_tag.rdata[17] = static_cast<std::uint8_t>(broken_key_tag & 0xFF);
    CHECK(dnssec::verify_rrsig(broken_tag, rrset, broken, k_openssl, scratch) == VerifyStatus::bad_key);
  }
}

TEST_CASE("dnssec::verify_rrsig of wildcard-expanded answers (RFC 4035 §5.3.2)") {
  dns::Bytes scratch;
  for (const std::uint8_t alg : test::k_fixture_algorithms) {
    CAPTURE(static_cast<int>(alg));
    const test::SignedZone zone(alg);
    for (const std::uint16_t type : {dns::rrtype::a, dns::rrtype::txt}) {
      const dns::Rr wild_sig = zone.rrsig("*.w.example.", type);
      const std::vector<dns::Rr> wild = zone.rrset_of(wild_sig);
      CHECK(dnssec::verify_rrsig(wild_sig, wild, zone.dnskey, k_openssl, scratch) == VerifyStatus::valid);
      for (const char* name : {"foo.w.example.", "A.Deep.Name.W.example.", "*.w.example."}) {
        CAPTURE(name);
        const dns::Bytes owner = dns::name_from_text(name).value();
        std::vector<dns::Rr> answer = wild;
        for (dns::Rr& r : answer) {
          r.owner = owner;
        }
        dns::Rr sig = wild_sig;
        sig.owner = owner;
        CHECK(dnssec::verify_rrsig(sig, answer, zone.dnskey, k_openssl, scratch) == VerifyStatus::valid);
        CHECK(dnssec::verify_rrsig(sig, answer, zone.dnskey, k_botan, scratch) ==
              (alg == 16 ? VerifyStatus::unsupported_algorithm : VerifyStatus::valid));
      }
      // Below another name the reconstructed wildcard is "*.v.example.": not what was signed.
      const dns::Bytes elsewhere = dns::name_from_text("foo.v.example.").value();
      std::vector<dns::Rr> answer = wild;
      for (dns::Rr& r : answer) {
        r.owner = elsewhere;
      }
      dns::Rr sig = wild_sig;
      sig.owner = elsewhere;
      CHECK(dnssec::verify_rrsig(sig, answer, zone.dnskey, k_openssl, scratch) == VerifyStatus::invalid);
    }
  }
}

} // namespace zw_test_dnssec_rrsig
