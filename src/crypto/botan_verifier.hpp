#pragma once
// The second opinion: Botan 2, an implementation independent of OpenSSL. Slower (it parses the
// key on every call) and consulted only when OpenSSL rejects a signature (crypto/dual_verifier).

#include "crypto/verifier.hpp"

namespace zw::crypto {

// Verifies algorithms 5, 7, 8, 10, 13, 14 and 15. Botan 2 has no Ed448: algorithm 16 and every
// other algorithm give `unsupported_algorithm`. A key field Botan cannot parse gives `bad_key`.
// Every Botan exception is caught here.
class BotanVerifier final : public Verifier {
public:
  VerifyStatus verify(std::uint8_t algorithm, const PublicKey& key, std::span<const std::uint8_t> data,
                      std::span<const std::uint8_t> signature) const override;
  std::string_view name() const override { return "botan"; }
};

} // namespace zw::crypto
