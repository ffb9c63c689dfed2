#pragma once
// OpenSSL 3's EVP API, the library most validating resolvers use: the primary verifier for RSA,
// P-256 and Ed448, the second opinion for P-384 and Ed25519 (crypto/dual_verifier.hpp).

#include "crypto/verifier.hpp"

namespace zw::crypto {

// Verifies algorithms 5, 7, 8, 10, 13, 14, 15 and 16; others give `unsupported_algorithm`.
// Uses the EVP_PKEY cached in the PublicKey. RSA and ECDSA hash first and reuse one
// EVP_PKEY_CTX per thread and key (kept in the key); EdDSA reuses one EVP_MD_CTX per thread.
class OpenSslVerifier final : public Verifier {
public:
  VerifyStatus verify(std::uint8_t algorithm, const PublicKey& key, std::span<const std::uint8_t> data,
                      std::span<const std::uint8_t> signature) const override;
  std::string_view name() const override { return "openssl"; }
};

} // namespace zw::crypto
