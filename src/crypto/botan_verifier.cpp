#include "crypto/library_verifiers.hpp"

#include <array>
#include <memory>

#include <botan/bigint.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/ed25519.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>

#include "crypto/dnskey_codec.hpp"

namespace zw::crypto {

namespace {

// Botan 2 names of the padding/encoding with its hash for each algorithm: EMSA3 is PKCS#1 v1.5
// (RFC 3110, RFC 5702), EMSA1 is the plain hash ECDSA takes (RFC 6605), "Pure" is Ed25519
// without prehashing (RFC 8080).
const char* emsa_for(std::uint8_t alg) noexcept {
  switch (alg) {
  case algorithm::rsasha1:
  case algorithm::rsasha1_nsec3_sha1: return "EMSA3(SHA-1)";
  case algorithm::rsasha256: return "EMSA3(SHA-256)";
  case algorithm::rsasha512: return "EMSA3(SHA-512)";
  case algorithm::ecdsap256sha256: return "EMSA1(SHA-256)";
  case algorithm::ecdsap384sha384: return "EMSA1(SHA-384)";
  case algorithm::ed25519: return "Pure";
  default: return nullptr;
  }
}

// Parses the DNSKEY key field; throws Botan exceptions or returns null on malformed input.
std::unique_ptr<Botan::Public_Key> parse_key(std::uint8_t alg, std::span<const std::uint8_t> key_field) {
  if (is_rsa_algorithm(alg)) {
    const std::optional<RsaKeyParts> parts = split_rsa_key(key_field);
    if (!parts) {
      return nullptr;
    }
    const Botan::BigInt n(parts->modulus.data(), parts->modulus.size());
    const Botan::BigInt e(parts->exponent.data(), parts->exponent.size());
    return std::make_unique<Botan::RSA_PublicKey>(n, e);
  }
  if (key_field.size() != fixed_key_length(alg)) {
    return nullptr;
  }
  if (alg == algorithm::ed25519) {
    return std::make_unique<Botan::Ed25519_PublicKey>(key_field.data(), key_field.size());
  }
  // RFC 6605 §4: X | Y, which SEC 1 encodes as the uncompressed point 04 | X | Y.
  static const Botan::EC_Group p256("secp256r1");
  static const Botan::EC_Group p384("secp384r1");
  const Botan::EC_Group& group = alg == algorithm::ecdsap256sha256 ? p256 : p384;
  std::array<std::uint8_t, 1 + 96> point{};
  point[0] = 0x04;
  std::copy(key_field.begin(), key_field.end(), point.begin() + 1);
  return std::make_unique<Botan::ECDSA_PublicKey>(group, group.OS2ECP(point.data(), 1 + key_field.size()));
}

class BotanVerifier final : public Verifier {
public:
  std::string_view name() const override { return "botan"; }

  VerifyStatus verify(std::uint8_t alg, const PublicKey& key, std::span<const std::uint8_t> data,
                      std::span<const std::uint8_t> signature) const override {
    const char* emsa = emsa_for(alg);
    if (emsa == nullptr) {
      return VerifyStatus::unsupported_algorithm;
    }
    if (key.algorithm() != alg) {
      return VerifyStatus::invalid;
    }
    std::unique_ptr<Botan::Public_Key> public_key;
    try {
      public_key = parse_key(alg, key.key_field());
    } catch (...) { // STYLE.md §7: Botan's exceptions end here
      return VerifyStatus::bad_key;
    }
    if (!public_key) {
      return VerifyStatus::bad_key;
    }
    try {
      // IEEE 1363 format: ECDSA signatures are r | s, exactly as DNSSEC carries them.
      Botan::PK_Verifier verifier(*public_key, emsa, Botan::IEEE_1363);
      return verifier.verify_message(data.data(), data.size(), signature.data(), signature.size())
                 ? VerifyStatus::valid
                 : VerifyStatus::invalid;
    } catch (...) { // a malformed signature may throw instead of failing; it is still invalid
      return VerifyStatus::invalid;
    }
  }
};

} // namespace

const Verifier& botan_verifier() noexcept {
  static const BotanVerifier verifier;
  return verifier;
}

} // namespace zw::crypto
