#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <iterator>
#include <latch>
#include <random>
#include <thread>

#include <botan/auto_rng.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/ed25519.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>
#include <nettle/eddsa.h>

#include "crypto/dnskey_codec.hpp"
#include "crypto/dual_verifier.hpp"
#include "crypto/library_verifiers.hpp"
#include "crypto/public_key_impl.hpp"
#include "dnssec/canonical.hpp"
#include "dnssec/rrsig.hpp"
#include "test_crypto_fixtures.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_crypto_verifier {

using namespace zw;
using crypto::VerifyStatus;

namespace {

const crypto::Verifier& k_openssl = crypto::openssl_verifier();
const crypto::Verifier& k_botan = crypto::botan_verifier();
const crypto::Verifier& k_nettle = crypto::nettle_verifier();
const crypto::Verifier& k_sodium = crypto::sodium_verifier();

// Every verifier with the algorithms it implements; the others must say unsupported_algorithm.
struct Candidate {
  const crypto::Verifier& verifier;
  std::vector<std::uint8_t> algorithms;
  bool supports(std::uint8_t alg) const {
    return std::find(algorithms.begin(), algorithms.end(), alg) != algorithms.end();
  }
};
const std::array<Candidate, 4> k_verifiers{{
    {k_openssl, {5, 7, 8, 10, 13, 14, 15, 16}},
    {k_botan, {5, 7, 8, 10, 13, 14, 15}}, // Botan 2 has no Ed448
    {k_nettle, {13, 14, 15, 16}},
    {k_sodium, {15}},
}};

// What `c` should say for a signature that is good.
VerifyStatus expected_good(const Candidate& c, std::uint8_t alg) {
  return c.supports(alg) ? VerifyStatus::valid : VerifyStatus::unsupported_algorithm;
}
VerifyStatus expected_bad(const Candidate& c, std::uint8_t alg) {
  return c.supports(alg) ? VerifyStatus::invalid : VerifyStatus::unsupported_algorithm;
}

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

} // namespace

TEST_CASE("crypto: every verifier accepts every fixture signature (made by ldns-signzone)") {
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
      for (const Candidate& c : k_verifiers) {
        CAPTURE(c.verifier.name());
        CHECK(c.verifier.verify(alg, *key, s.data, s.sig.signature) == expected_good(c, alg));
      }
      ++checked;
    }
    // SOA, NS, MX, DNSKEY, CNAME, A, TXT and the denial records are all among them.
    CHECK(checked == zone.rrsigs.size());
  }
}

TEST_CASE("crypto: every verifier rejects a flipped bit") {
  for (const std::uint8_t alg : test::k_fixture_algorithms) {
    CAPTURE(static_cast<int>(alg));
    const test::SignedZone zone(alg);
    const auto key = key_of(zone.dnskey);
    const dns::Rr rrsig = zone.rrsig("www.example.", dns::rrtype::a);
    const Signed good = signed_of(rrsig, zone.rrset_of(rrsig));
    for (const std::size_t bit : {std::size_t{0}, std::size_t{13}, good.sig.signature.size() * 8 - 1}) {
      dns::Bytes signature = good.sig.signature;
      signature[bit / 8] ^= static_cast<std::uint8_t>(1U << (bit % 8));
      for (const Candidate& c : k_verifiers) {
        CAPTURE(c.verifier.name());
        CHECK(c.verifier.verify(alg, *key, good.data, signature) == expected_bad(c, alg));
        // A rejection leaves nothing behind: the same thread's next good signature verifies.
        CHECK(c.verifier.verify(alg, *key, good.data, good.sig.signature) == expected_good(c, alg));
      }
    }
    for (const std::size_t at : {std::size_t{0}, good.data.size() / 2, good.data.size() - 1}) {
      dns::Bytes data = good.data;
      data[at] ^= 0x04;
      for (const Candidate& c : k_verifiers) {
        CAPTURE(c.verifier.name());
        CHECK(c.verifier.verify(alg, *key, data, good.sig.signature) == expected_bad(c, alg));
      }
    }
    // Truncated, empty and overlong signatures are invalid, not errors.
    const dns::Bytes& sig = good.sig.signature;
    for (const dns::Bytes& bad : {dns::Bytes(sig.begin(), sig.end() - 1), dns::Bytes{}, [&] {
                                    dns::Bytes longer = sig;
                                    longer.push_back(0);
                                    return longer;
                                  }()}) {
      CHECK(k_openssl.verify(alg, *key, good.data, bad) == VerifyStatus::invalid);
      for (const Candidate& c : k_verifiers) {
        CAPTURE(c.verifier.name());
        CHECK(c.verifier.verify(alg, *key, good.data, bad) != VerifyStatus::valid);
      }
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
  CHECK(k_nettle.verify(14, *key, s.data, s.sig.signature) == VerifyStatus::invalid);
  CHECK(k_sodium.verify(13, *key, s.data, s.sig.signature) == VerifyStatus::unsupported_algorithm);
  for (const std::uint8_t alg :
       {std::uint8_t{1}, std::uint8_t{3}, std::uint8_t{6}, std::uint8_t{12}, std::uint8_t{17}, std::uint8_t{253}}) {
    const auto unsupported = crypto::load_public_key(alg, dns::Bytes{1, 2, 3, 4});
    REQUIRE(unsupported.has_value());
    CHECK(k_openssl.verify(alg, **unsupported, s.data, s.sig.signature) == VerifyStatus::unsupported_algorithm);
    CHECK(k_botan.verify(alg, **unsupported, s.data, s.sig.signature) == VerifyStatus::unsupported_algorithm);
    CHECK(k_nettle.verify(alg, **unsupported, s.data, s.sig.signature) == VerifyStatus::unsupported_algorithm);
    CHECK(k_sodium.verify(alg, **unsupported, s.data, s.sig.signature) == VerifyStatus::unsupported_algorithm);
  }
  CHECK(crypto::is_supported_algorithm(16));
  CHECK_FALSE(crypto::is_supported_algorithm(1));
  CHECK(k_openssl.name() == "openssl");
  CHECK(k_botan.name() == "botan");
  CHECK(k_nettle.name() == "nettle");
  CHECK(k_sodium.name() == "libsodium");
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
        for (const Candidate& c : k_verifiers) {
          CHECK(c.verifier.verify(alg, **key, s.data, s.sig.signature) != VerifyStatus::valid);
        }
      }
    }
    for (int round = 0; round < 20; ++round) {
      dns::Bytes garbage(fields.public_key.size());
      std::generate(garbage.begin(), garbage.end(), [&] { return static_cast<std::uint8_t>(random()); });
      const auto key = crypto::load_public_key(alg, garbage);
      if (key) {
        CHECK(k_openssl.verify(alg, **key, s.data, s.sig.signature) == VerifyStatus::invalid);
        for (const Candidate& c : k_verifiers) {
          CHECK(c.verifier.verify(alg, **key, s.data, s.sig.signature) != VerifyStatus::valid);
        }
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
      CHECK(good.primary == VerifyStatus::valid);
      CHECK_FALSE(good.second.has_value());
      CHECK_FALSE(good.disagreement);

      dns::Bytes data = s.data;
      data.back() ^= 1;
      const crypto::DualResult bad = crypto::verify_dual(alg, *key, data, s.sig.signature);
      CHECK(bad.status == VerifyStatus::invalid);
      CHECK(bad.primary == VerifyStatus::invalid);
      REQUIRE(bad.second.has_value());
      CHECK(*bad.second == VerifyStatus::invalid); // every algorithm has a second opinion now
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
    CHECK_FALSE(run(unsupported, valid).second.has_value());
    CHECK(run(bad_key, valid).status == VerifyStatus::bad_key);
    CHECK(run(valid, invalid).status == VerifyStatus::valid);
    CHECK_FALSE(run(valid, invalid).disagreement);
  }
}

TEST_CASE("crypto: every verifier is safe to share between threads, also while keys come and go") {
  for (const std::uint8_t alg :
       {std::uint8_t{8}, std::uint8_t{13}, std::uint8_t{14}, std::uint8_t{15}, std::uint8_t{16}}) {
    CAPTURE(static_cast<int>(alg));
    const test::SignedZone zone(alg);
    const dns::Rr rrsig = zone.rrsig("www.example.", dns::rrtype::a);
    const Signed s = signed_of(rrsig, zone.rrset_of(rrsig));
    dns::Bytes bad = s.data;
    bad[0] ^= 1;
    std::atomic<int> wrong{0};
    // Rounds of one shared key, destroyed after each round while the threads' per-thread
    // contexts for it exist; more threads than the context table has slots on a small machine,
    // so some take the short-lived-context path; and a key per thread, made and dropped inside.
    for (int round = 0; round < 3; ++round) {
      auto key = key_of(zone.dnskey);
      std::vector<std::thread> threads;
      for (int t = 0; t < 12; ++t) {
        threads.emplace_back([&, t] {
          const auto own = key_of(zone.dnskey);
          for (int i = 0; i < 24; ++i) {
            const bool tamper = (i + t) % 3 == 0;
            const VerifyStatus expected = tamper ? VerifyStatus::invalid : VerifyStatus::valid;
            const crypto::PublicKey& k = i % 4 == 0 ? *own : *key;
            const Candidate& c = k_verifiers[static_cast<std::size_t>(i + t) % k_verifiers.size()];
            const VerifyStatus want = c.supports(alg) ? expected : VerifyStatus::unsupported_algorithm;
            if (c.verifier.verify(alg, k, tamper ? bad : s.data, s.sig.signature) != want) {
              ++wrong;
            }
            const crypto::DualResult dual = crypto::verify_dual(alg, k, tamper ? bad : s.data, s.sig.signature);
            if (dual.status != expected || dual.disagreement) {
              ++wrong;
            }
          }
        });
      }
      for (std::thread& thread : threads) {
        thread.join();
      }
      key.reset();
    }
    CHECK(wrong == 0);
  }
}

TEST_CASE("crypto::detail::ThreadContextTable: one slot per live thread, null when full") {
  crypto::detail::ThreadContextTable table(2);
  std::latch claimed(4);
  std::array<crypto::detail::ThreadContextTable::Slot*, 4> first{};
  std::array<bool, 4> stable{};
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      first[t] = table.slot_of_this_thread();
      claimed.arrive_and_wait(); // all four alive at once: no thread id is reused
      stable[t] = table.slot_of_this_thread() == first[t];
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  CHECK(std::count(first.begin(), first.end(), nullptr) == 2);
  std::vector<crypto::detail::ThreadContextTable::Slot*> owned;
  std::copy_if(first.begin(), first.end(), std::back_inserter(owned), [](auto* p) { return p != nullptr; });
  REQUIRE(owned.size() == 2);
  CHECK(owned[0] != owned[1]);
  CHECK(std::count(stable.begin(), stable.end(), true) == 4);
}

TEST_CASE("crypto::verifiers_for: the fastest verifier first, a different library second") {
  const auto primary = [](std::uint8_t alg) { return crypto::verifiers_for(alg).primary.name(); };
  const auto second = [](std::uint8_t alg) { return crypto::verifiers_for(alg).second.name(); };
  for (const std::uint8_t alg : {5, 7, 8, 10, 13}) {
    CHECK(primary(alg) == "openssl");
    CHECK(second(alg) == "botan");
  }
  CHECK(primary(14) == "nettle");
  CHECK(second(14) == "openssl");
  CHECK(primary(15) == "libsodium");
  CHECK(second(15) == "openssl");
  CHECK(primary(16) == "openssl");
  CHECK(second(16) == "nettle");
  for (const std::uint8_t alg : test::k_fixture_algorithms) {
    CHECK(primary(alg) != second(alg));
  }
}

namespace {

std::vector<std::uint8_t> big_endian(const Botan::BigInt& n) {
  std::vector<std::uint8_t> out(n.bytes());
  n.binary_encode(out.data());
  return out;
}

// A key and a signature over `data` made by Botan 2 (RSA, ECDSA, Ed25519) or nettle (Ed448),
// libraries that share no code with OpenSSL: the verifiers must not only agree with the signer
// they were tested against above (ldns, which signs with OpenSSL).
struct MadeElsewhere {
  dns::Bytes key_field;
  dns::Bytes signature;
};

MadeElsewhere sign_elsewhere(std::uint8_t alg, const dns::Bytes& data) {
  Botan::AutoSeeded_RNG rng;
  MadeElsewhere out;
  const auto sign = [&](const Botan::Private_Key& key, const char* emsa) {
    Botan::PK_Signer signer(key, rng, emsa, Botan::IEEE_1363);
    const std::vector<std::uint8_t> sig = signer.sign_message(data, rng);
    out.signature.assign(sig.begin(), sig.end());
  };
  if (crypto::is_rsa_algorithm(alg)) {
    const Botan::RSA_PrivateKey key(rng, 1024);
    const dns::Bytes e = big_endian(key.get_e());
    const dns::Bytes n = big_endian(key.get_n());
    out.key_field.push_back(static_cast<std::uint8_t>(e.size())); // RFC 3110
    out.key_field.insert(out.key_field.end(), e.begin(), e.end());
    out.key_field.insert(out.key_field.end(), n.begin(), n.end());
    sign(key, alg == 8 ? "EMSA3(SHA-256)" : alg == 10 ? "EMSA3(SHA-512)" : "EMSA3(SHA-1)");
  } else if (alg == 13 || alg == 14) {
    const Botan::ECDSA_PrivateKey key(rng, Botan::EC_Group(alg == 13 ? "secp256r1" : "secp384r1"));
    const std::vector<std::uint8_t> point = key.public_point().encode(Botan::PointGFp::UNCOMPRESSED);
    out.key_field.assign(point.begin() + 1, point.end()); // RFC 6605: X | Y without the 04
    sign(key, alg == 13 ? "EMSA1(SHA-256)" : "EMSA1(SHA-384)");
  } else if (alg == 15) {
    const Botan::Ed25519_PrivateKey key(rng);
    const std::vector<std::uint8_t> pub = key.get_public_key();
    out.key_field.assign(pub.begin(), pub.end());
    sign(key, "Pure");
  } else {
    std::array<std::uint8_t, ED448_KEY_SIZE> secret{};
    rng.randomize(secret.data(), secret.size());
    out.key_field.resize(ED448_KEY_SIZE);
    out.signature.resize(ED448_SIGNATURE_SIZE);
    ed448_shake256_public_key(out.key_field.data(), secret.data());
    ed448_shake256_sign(out.key_field.data(), secret.data(), data.size(), data.data(), out.signature.data());
  }
  return out;
}

} // namespace

TEST_CASE("crypto: every verifier accepts signatures made by Botan 2 and nettle, and rejects them tampered") {
  const test::SignedZone zone(8);
  const dns::Rr rrsig = zone.rrsig("www.example.", dns::rrtype::a);
  const dns::Bytes data = signed_of(rrsig, zone.rrset_of(rrsig)).data; // realistic signed data
  for (const std::uint8_t alg : test::k_fixture_algorithms) {
    CAPTURE(static_cast<int>(alg));
    const MadeElsewhere made = sign_elsewhere(alg, data);
    const auto key = crypto::load_public_key(alg, made.key_field);
    REQUIRE_MESSAGE(key.has_value(), (key ? "" : key.error().message));
    dns::Bytes tampered = data;
    tampered[tampered.size() / 2] ^= 0x20;
    for (const Candidate& c : k_verifiers) {
      CAPTURE(c.verifier.name());
      CHECK(c.verifier.verify(alg, **key, data, made.signature) == expected_good(c, alg));
      CHECK(c.verifier.verify(alg, **key, tampered, made.signature) == expected_bad(c, alg));
    }
    const crypto::DualResult dual = crypto::verify_dual(alg, **key, data, made.signature);
    CHECK(dual.status == VerifyStatus::valid);
    CHECK_FALSE(dual.disagreement);
  }
}

TEST_CASE("crypto::verify_dual reports a real disagreement: an Ed25519 key of small order") {
  // The neutral point as key (y = 1) and R = the neutral point, S = 0: [S]B = R + [k]A holds for
  // every message, so RFC 8032's equation accepts it and OpenSSL does; libsodium refuses keys
  // and R of small order. The dual path must say so, not call the zone bogus.
  dns::Bytes key_field(32, 0);
  key_field[0] = 0x01;
  dns::Bytes signature(64, 0);
  signature[0] = 0x01;
  const dns::Bytes data{'a', 'n', 'y'};
  const auto key = crypto::load_public_key(crypto::algorithm::ed25519, key_field);
  REQUIRE(key.has_value());
  CHECK(k_sodium.verify(15, **key, data, signature) == VerifyStatus::invalid);
  CHECK(k_openssl.verify(15, **key, data, signature) == VerifyStatus::valid);
  const crypto::DualResult r = crypto::verify_dual(15, **key, data, signature);
  CHECK(r.primary == VerifyStatus::invalid);
  REQUIRE(r.second.has_value());
  CHECK(*r.second == VerifyStatus::valid);
  CHECK(r.disagreement);
  CHECK(r.status == VerifyStatus::invalid);
}

} // namespace zw_test_crypto_verifier
