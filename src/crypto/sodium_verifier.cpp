#include "crypto/library_verifiers.hpp"

#include <sodium.h>

#include "crypto/dnskey_codec.hpp"
#include "crypto/public_key_impl.hpp"

namespace zw::crypto {

namespace {

class SodiumVerifier final : public Verifier {
public:
  std::string_view name() const override { return "libsodium"; }

  // sodium_init() may be called any number of times, from any thread; it returns -1 only when it
  // cannot initialise at all, and then every verification reports `unsupported_algorithm`.
  SodiumVerifier() : m_ready(sodium_init() >= 0) {}

  VerifyStatus verify(std::uint8_t alg, const PublicKey& key, std::span<const std::uint8_t> data,
                      std::span<const std::uint8_t> signature) const override {
    if (alg != algorithm::ed25519 || !m_ready) {
      return VerifyStatus::unsupported_algorithm;
    }
    const PublicKey::Impl& impl = key.impl();
    if (impl.algorithm != alg) {
      return VerifyStatus::invalid;
    }
    if (impl.key_field.size() != crypto_sign_PUBLICKEYBYTES) {
      return VerifyStatus::bad_key; // load_public_key refuses these; kept for safety
    }
    if (signature.size() != crypto_sign_BYTES) {
      return VerifyStatus::invalid; // RFC 8080 §4: R | S, 64 octets
    }
    return crypto_sign_verify_detached(signature.data(), data.data(), data.size(), impl.key_field.data()) == 0
               ? VerifyStatus::valid
               : VerifyStatus::invalid;
  }

private:
  bool m_ready = false; // sodium_init() succeeded
};

} // namespace

const Verifier& sodium_verifier() noexcept {
  static const SodiumVerifier verifier;
  return verifier;
}

} // namespace zw::crypto
