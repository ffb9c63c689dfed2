#pragma once
// libsodium: the primary verifier for Ed25519, about twice as fast as OpenSSL 3.0 there
// (bench/crypto/README.md). No heap allocation per call.

#include "crypto/verifier.hpp"

namespace zw::crypto {

// Verifies algorithm 15 only (crypto_sign_verify_detached, RFC 8032 Ed25519 without prehash as
// RFC 8080 uses it); every other algorithm gives `unsupported_algorithm`. libsodium is stricter
// than RFC 8032 asks: it also refuses small-order keys and R, and non-canonical S. Such a
// signature gives `invalid` here, and crypto/dual_verifier then asks OpenSSL, whose different
// verdict becomes a disagreement finding rather than a silent `bogus`.
class SodiumVerifier final : public Verifier {
public:
  SodiumVerifier();
  VerifyStatus verify(std::uint8_t algorithm, const PublicKey& key, std::span<const std::uint8_t> data,
                      std::span<const std::uint8_t> signature) const override;
  std::string_view name() const override { return "libsodium"; }

private:
  bool m_ready = false; // sodium_init() succeeded
};

} // namespace zw::crypto
