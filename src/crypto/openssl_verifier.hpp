#pragma once
// The primary verifier: OpenSSL 3 EVP API, the library most validating resolvers use.

#include "crypto/verifier.hpp"

namespace zw::crypto {

// Verifies algorithms 5, 7, 8, 10, 13, 14, 15 and 16; others give `unsupported_algorithm`.
// Uses the EVP_PKEY cached in the PublicKey and one EVP_MD_CTX per call.
class OpenSslVerifier final : public Verifier {
public:
  VerifyStatus verify(std::uint8_t algorithm, const PublicKey& key, std::span<const std::uint8_t> data,
                      std::span<const std::uint8_t> signature) const override;
  std::string_view name() const override { return "openssl"; }
};

} // namespace zw::crypto
