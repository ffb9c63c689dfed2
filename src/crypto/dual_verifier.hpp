#pragma once
// OpenSSL's verdict, cross-checked by Botan when OpenSSL rejects a signature. A disagreement is
// not an error of ours to hide: the dnssec layer turns it into a finding.

#include <optional>

#include "crypto/verifier.hpp"

namespace zw::crypto {

struct DualResult {
  // The verdict to act on (see verify_dual for how it is chosen).
  VerifyStatus status = VerifyStatus::invalid;
  // True when OpenSSL said invalid and Botan said valid.
  bool disagreement = false;
  VerifyStatus openssl = VerifyStatus::invalid;
  // Botan's verdict; nullopt when Botan was not asked (OpenSSL did not say invalid).
  std::optional<VerifyStatus> botan;
};

// Verifies with `primary` first; only when it says `invalid` is `second` asked.
// - primary valid, unsupported_algorithm or bad_key: that verdict stands; `second` not asked.
// - both invalid: invalid, no disagreement.
// - primary invalid, second valid: status stays `invalid` ("invalid, unconfirmed") and
//   `disagreement` is set. We keep `invalid` because the validating resolvers that matter run
//   OpenSSL and would reject the signature the same way; the flag is what reports the conflict.
// - primary invalid, second unsupported_algorithm or bad_key (Botan 2 has no Ed448): the
//   primary verdict stands, no disagreement.
DualResult verify_dual(const Verifier& primary, const Verifier& second, std::uint8_t algorithm, const PublicKey& key,
                       std::span<const std::uint8_t> data, std::span<const std::uint8_t> signature);

// The same with the process-wide OpenSslVerifier as primary and BotanVerifier as second.
DualResult verify_dual(std::uint8_t algorithm, const PublicKey& key, std::span<const std::uint8_t> data,
                       std::span<const std::uint8_t> signature);

} // namespace zw::crypto
