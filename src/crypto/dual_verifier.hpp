#pragma once
// Two independent verdicts on every rejected signature. For each algorithm the fastest verifier
// Debian has (bench/crypto/README.md) answers first; only when it says `invalid` is a second
// verifier from another library asked. A disagreement is not an error of ours to hide: the
// dnssec layer turns it into a finding.

#include <optional>

#include "crypto/verifier.hpp"

namespace zw::crypto {

struct DualResult {
  // The verdict to act on (see verify_dual for how it is chosen).
  VerifyStatus status = VerifyStatus::invalid;
  // True when the primary said invalid and the second verifier said valid.
  bool disagreement = false;
  VerifyStatus primary = VerifyStatus::invalid;
  // The second verdict; nullopt when it was not asked (the primary did not say invalid).
  std::optional<VerifyStatus> second;
};

// Verifies with `primary` first; only when it says `invalid` is `second` asked.
// - primary valid, unsupported_algorithm or bad_key: that verdict stands; `second` not asked.
// - both invalid: invalid, no disagreement.
// - primary invalid, second valid: status stays `invalid` ("invalid, unconfirmed") and
//   `disagreement` is set; the dnssec layer reports the signature as a disagreement (our
//   trouble, exit status 2), never as the zone's fault.
// - primary invalid, second unsupported_algorithm or bad_key: the primary verdict stands, no
//   disagreement.
DualResult verify_dual(const Verifier& primary, const Verifier& second, std::uint8_t algorithm, const PublicKey& key,
                       std::span<const std::uint8_t> data, std::span<const std::uint8_t> signature);

// The pair verify_dual uses for `algorithm`, two different libraries each time:
//   RSA 5, 7, 8, 10 and P-256 (13): OpenSSL, then Botan 2
//   P-384 (14):                     nettle, then OpenSSL
//   Ed25519 (15):                   libsodium, then OpenSSL
//   Ed448 (16):                     OpenSSL, then nettle
//   anything else:                  OpenSSL, then Botan 2 (both say unsupported_algorithm)
// The verifiers are process-wide and live until exit.
struct VerifierPair {
  const Verifier& primary;
  const Verifier& second;
};
VerifierPair verifiers_for(std::uint8_t algorithm) noexcept;

// verify_dual with verifiers_for(algorithm).
DualResult verify_dual(std::uint8_t algorithm, const PublicKey& key, std::span<const std::uint8_t> data,
                       std::span<const std::uint8_t> signature);

} // namespace zw::crypto
