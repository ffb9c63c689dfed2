#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <thread>

#include "crypto/botan_verifier.hpp"
#include "crypto/dual_verifier.hpp"
#include "crypto/openssl_verifier.hpp"
#include "dnssec/canonical.hpp"
#include "dnssec/rrsig.hpp"
#include "test_crypto_fixtures.hpp"

using namespace zw;
using crypto::VerifyStatus;

namespace {

const crypto::OpenSslVerifier k_openssl;
const crypto::BotanVerifier k_botan;

std::shared_ptr<const crypto::PublicKey> key_of(const dns::Rr& dnskey) {
  const dnssec::DnskeyFields fields = dnssec::parse_dnskey(dnskey).value();
  Result<std::shared_ptr<const crypto::PublicKey>> key = crypto::load_public_key(fields.algorithm, fields.public_key);
  REQUIRE_MESSAGE(key.has_value(), (key ? "" : key.error().message));
  return *key;
}

// The signed data and signature of `rrsig` over `rrset`.
struct Signed {
  dnssec::RrsigFields sig;
  dns::Bytes data;
};

Signed signed_of(const dns::Rr& rrsig, const std::vector<dns::Rr>& rrset) {
  Signed s{dnssec::parse_rrsig(rrsig).value(), {}};
  dnssec::signed_data(s.sig, rrset, rrsig, s.data);
  return s;
}

// What Botan should say for a signature OpenSSL finds valid: Botan 2 has no Ed448.
VerifyStatus botan_expected(std::uint8_t algorithm) {
  return algorithm == crypto::algorithm::ed448 ? VerifyStatus::unsupported_algorithm : VerifyStatus::valid;
}

} // namespace

TEST_CASE("crypto::OpenSslVerifier and BotanVerifier accept every fixture signature") {
  for (const std::uint8_t alg : test::k_fixture_algorithms) {
    CAPTURE(static_cast<int>(alg));
    const test::SignedZone zone(alg);
    const auto key = key_of(zone.dnskey);
    REQUIRE(zone.rrsigs.size() >= 10);
    std::size_t checked = 0;
    for (const dns::Rr& rrsig : zone.rrsigs) {
      CAPTURE(dns::to_text(rrsig));
      const std::vector<dns::Rr> rrset = zone.rrset_of(rrsig);
      REQUIRE_FALSE(rrset.empty());
      const Signed s = signed_of(rrsig, rrset);
      CHECK(s.sig.algorithm == alg);
      CHECK(k_openssl.verify(alg, *key, s.data, s.sig.signature) == VerifyStatus::valid);
      CHECK(k_botan.verify(alg, *key, s.data, s.sig.signature) == botan_expected(alg));
      ++checked;
    }
    // SOA, NS, MX, DNSKEY, CNAME, A, TXT and the denial records are all among them.
    CHECK(checked == zone.rrsigs.size());
  }
}

TEST_CASE("crypto::OpenSslVerifier and BotanVerifier reject a flipped bit") {
  for (const std::uint8_t alg : test::k_fixture_algorithms) {
    CAPTURE(static_cast<int>(alg));
    const test::SignedZone zone(alg);
    const auto key = key_of(zone.dnskey);
    const dns::Rr rrsig = zone.rrsig("www.example.", dns::rrtype::a);
    const Signed good = signed_of(rrsig, zone.rrset_of(rrsig));
    for (const std::size_t bit : {std::size_t{0}, std::size_t{13}, good.sig.signature.size() * 8 - 1}) {
      dns::Bytes signature = good.sig.signature;
      signature[bit / 8] ^= static_cast<std::uint8_t>(1U << (bit % 8));
      CHECK(k_openssl.verify(alg, *key, good.data, signature) == VerifyStatus::invalid);
      CHECK(k_botan.verify(alg, *key, good.data, signature) ==
            (alg == crypto::algorithm::ed448 ? VerifyStatus::unsupported_algorithm : VerifyStatus::invalid));
    }
    for (const std::size_t at : {std::size_t{0}, good.data.size() / 2, good.data.size() - 1}) {
      dns::Bytes data = good.data;
      data[at] ^= 0x04;
      CHECK(k_openssl.verify(alg, *key, data, good.sig.signature) == VerifyStatus::invalid);
      CHECK(k_botan.verify(alg, *key, data, good.sig.signature) ==
            (alg == crypto::algorithm::ed448 ? VerifyStatus::unsupported_algorithm : VerifyStatus::invalid));
    }
    // Truncated, empty and overlong signatures are invalid, not errors.
    const dns::Bytes& sig = good.sig.signature;
    for (const dns::Bytes& bad : {dns::Bytes(sig.begin(), sig.end() - 1), dns::Bytes{}, [&] {
                                    dns::Bytes longer = sig;
                                    longer.push_back(0);
                                    return longer;
                                  }()}) {
      CHECK(k_openssl.verify(alg, *key, good.data, bad) == VerifyStatus::invalid);
      CHECK(k_botan.verify(alg, *key, good.data, bad) != VerifyStatus::valid);
    }
  }
}

TEST_CASE("crypto::Verifier: algorithm mismatch and unsupported algorithms") {
  const test::SignedZone zone(13);
  const auto key = key_of(zone.dnskey);
  const dns::Rr rrsig = zone.rrsig("example.", dns::rrtype::soa);
  const Signed s = signed_of(rrsig, zone.rrset_of(rrsig));
  // The key was loaded for 13: a claim of 14 is simply false.
  CHECK(k_openssl.verify(14, *key, s.data, s.sig.signature) == VerifyStatus::invalid);
  CHECK(k_botan.verify(14, *key, s.data, s.sig.signature) == VerifyStatus::invalid);
  for (const std::uint8_t alg :
       {std::uint8_t{1}, std::uint8_t{3}, std::uint8_t{6}, std::uint8_t{12}, std::uint8_t{17}, std::uint8_t{253}}) {
    const auto unsupported = crypto::load_public_key(alg, dns::Bytes{1, 2, 3, 4});
    REQUIRE(unsupported.has_value());
    CHECK(k_openssl.verify(alg, **unsupported, s.data, s.sig.signature) == VerifyStatus::unsupported_algorithm);
    CHECK(k_botan.verify(alg, **unsupported, s.data, s.sig.signature) == VerifyStatus::unsupported_algorithm);
  }
  CHECK(crypto::is_supported_algorithm(16));
  CHECK_FALSE(crypto::is_supported_algorithm(1));
  CHECK(k_openssl.name() == "openssl");
  CHECK(k_botan.name() == "botan");
  CHECK(crypto::to_string(VerifyStatus::bad_key) == "bad-key");
}

TEST_CASE("crypto::load_public_key rejects malformed keys") {
  const dns::Bytes zero64(64, 0);
  const dns::Bytes ones64(64, 0x01);
  const dns::Bytes short_rsa{3, 1, 0, 1};            // exponent only, no modulus
  const dns::Bytes past_end{0, 0x10, 0x00, 1, 2, 3}; // two-octet exponent length beyond the end
  const dns::Bytes small_rsa{1, 3, 0xC3, 0x55};      // 16-bit modulus
  CHECK_FALSE(crypto::load_public_key(8, {}).has_value());
  CHECK_FALSE(crypto::load_public_key(8, short_rsa).has_value());
  CHECK_FALSE(crypto::load_public_key(8, past_end).has_value());
  CHECK_FALSE(crypto::load_public_key(5, small_rsa).has_value());
  CHECK_FALSE(crypto::load_public_key(13, dns::Bytes(63, 7)).has_value());
  CHECK_FALSE(crypto::load_public_key(13, zero64).has_value()); // not on the curve
  CHECK_FALSE(crypto::load_public_key(13, ones64).has_value());
  CHECK_FALSE(crypto::load_public_key(14, dns::Bytes(96, 0x01)).has_value());
  CHECK_FALSE(crypto::load_public_key(15, dns::Bytes(31, 1)).has_value());
  CHECK_FALSE(crypto::load_public_key(16, dns::Bytes(32, 1)).has_value());
  const auto error = crypto::load_public_key(13, dns::Bytes(63, 7));
  CHECK(error.error().message.find("63") != std::string::npos);

  // Truncations of every real key, and random bytes, never crash; what loads verifies nothing.
  std::mt19937 random(20240101);
  for (const std::uint8_t alg : test::k_fixture_algorithms) {
    const test::SignedZone zone(alg);
    const dnssec::DnskeyFields fields = dnssec::parse_dnskey(zone.dnskey).value();
    const dns::Rr rrsig = zone.rrsig("example.", dns::rrtype::ns);
    const Signed s = signed_of(rrsig, zone.rrset_of(rrsig));
    for (std::size_t length = 0; length < fields.public_key.size(); length += 3) {
      const std::span<const std::uint8_t> cut(fields.public_key.data(), length);
      const auto key = crypto::load_public_key(alg, cut);
      if (key) {
        CHECK(k_openssl.verify(alg, **key, s.data, s.sig.signature) != VerifyStatus::valid);
        CHECK(k_botan.verify(alg, **key, s.data, s.sig.signature) != VerifyStatus::valid);
      }
    }
    for (int round = 0; round < 20; ++round) {
      dns::Bytes garbage(fields.public_key.size());
      std::generate(garbage.begin(), garbage.end(), [&] { return static_cast<std::uint8_t>(random()); });
      const auto key = crypto::load_public_key(alg, garbage);
      if (key) {
        CHECK(k_openssl.verify(alg, **key, s.data, s.sig.signature) == VerifyStatus::invalid);
        CHECK(k_botan.verify(alg, **key, s.data, s.sig.signature) != VerifyStatus::valid);
      }
    }
  }
}

namespace {
// Fixed verdicts to exercise the decision table of verify_dual; real cryptography is tested above.
class FixedVerdict final : public crypto::Verifier {
public:
  explicit FixedVerdict(VerifyStatus status) : m_status(status) {}
  VerifyStatus verify(std::uint8_t, const crypto::PublicKey&, std::span<const std::uint8_t>,
                      std::span<const std::uint8_t>) const override {
    return m_status;
  }
  std::string_view name() const override { return "fixed"; }

private:
  VerifyStatus m_status;
};
} // namespace

TEST_CASE("crypto::verify_dual") {
  SUBCASE("real keys") {
    for (const std::uint8_t alg : test::k_fixture_algorithms) {
      CAPTURE(static_cast<int>(alg));
      const test::SignedZone zone(alg);
      const auto key = key_of(zone.dnskey);
      const dns::Rr rrsig = zone.rrsig("example.", dns::rrtype::dnskey);
      const Signed s = signed_of(rrsig, zone.rrset_of(rrsig));
      const crypto::DualResult good = crypto::verify_dual(alg, *key, s.data, s.sig.signature);
      CHECK(good.status == VerifyStatus::valid);
      CHECK(good.openssl == VerifyStatus::valid);
      CHECK_FALSE(good.botan.has_value());
      CHECK_FALSE(good.disagreement);

      dns::Bytes data = s.data;
      data.back() ^= 1;
      const crypto::DualResult bad = crypto::verify_dual(alg, *key, data, s.sig.signature);
      CHECK(bad.status == VerifyStatus::invalid);
      CHECK(bad.openssl == VerifyStatus::invalid);
      REQUIRE(bad.botan.has_value());
      CHECK(*bad.botan == (alg == 16 ? VerifyStatus::unsupported_algorithm : VerifyStatus::invalid));
      CHECK_FALSE(bad.disagreement);
    }
  }
  SUBCASE("decision table") {
    const auto key = crypto::load_public_key(253, dns::Bytes{1}).value();
    const FixedVerdict valid(VerifyStatus::valid), invalid(VerifyStatus::invalid),
        unsupported(VerifyStatus::unsupported_algorithm), bad_key(VerifyStatus::bad_key);
    const dns::Bytes none;
    const auto run = [&](const crypto::Verifier& a, const crypto::Verifier& b) {
      return crypto::verify_dual(a, b, 253, *key, none, none);
    };
    CHECK(run(invalid, valid).status == VerifyStatus::invalid);
    CHECK(run(invalid, valid).disagreement);
    CHECK(run(invalid, invalid).status == VerifyStatus::invalid);
    CHECK_FALSE(run(invalid, invalid).disagreement);
    CHECK(run(invalid, unsupported).status == VerifyStatus::invalid);
    CHECK_FALSE(run(invalid, unsupported).disagreement);
    CHECK_FALSE(run(invalid, bad_key).disagreement);
    CHECK(run(unsupported, valid).status == VerifyStatus::unsupported_algorithm);
    CHECK_FALSE(run(unsupported, valid).botan.has_value());
    CHECK(run(bad_key, valid).status == VerifyStatus::bad_key);
    CHECK(run(valid, invalid).status == VerifyStatus::valid);
    CHECK_FALSE(run(valid, invalid).disagreement);
  }
}

TEST_CASE("crypto::OpenSslVerifier is safe to share between threads") {
  for (const std::uint8_t alg : {std::uint8_t{8}, std::uint8_t{13}, std::uint8_t{15}}) {
    const test::SignedZone zone(alg);
    const auto key = key_of(zone.dnskey);
    const dns::Rr rrsig = zone.rrsig("www.example.", dns::rrtype::a);
    const Signed s = signed_of(rrsig, zone.rrset_of(rrsig));
    dns::Bytes bad = s.data;
    bad[0] ^= 1;
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 100; ++i) {
          const bool tamper = (i + t) % 3 == 0;
          const VerifyStatus expected = tamper ? VerifyStatus::invalid : VerifyStatus::valid;
          if (k_openssl.verify(alg, *key, tamper ? bad : s.data, s.sig.signature) != expected) {
            ++wrong;
          }
          if (i % 10 == 0 && k_botan.verify(alg, *key, tamper ? bad : s.data, s.sig.signature) != expected) {
            ++wrong;
          }
        }
      });
    }
    for (std::thread& thread : threads) {
      thread.join();
    }
    CHECK(wrong == 0);
  }
}
