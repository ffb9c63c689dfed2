#pragma once
// Nettle/hogweed 3 (GnuTLS's backend, so Knot's): the primary verifier for P-384, where it is
// about twice as fast as OpenSSL 3.0 (bench/crypto/README.md), and the second opinion for Ed448,
// which Botan 2 lacks.

#include "crypto/verifier.hpp"

namespace zw::crypto {

// Verifies algorithms 13, 14, 15 and 16; RSA and every other algorithm give
// `unsupported_algorithm`. ECDSA uses the point nettle checked when the key was loaded and the
// low-level ecc_ecdsa_verify with scratch on the stack: no heap allocation per call. Nettle's
// EdDSA functions allocate their scratch per call (through GMP's allocator).
class NettleVerifier final : public Verifier {
public:
  VerifyStatus verify(std::uint8_t algorithm, const PublicKey& key, std::span<const std::uint8_t> data,
                      std::span<const std::uint8_t> signature) const override;
  std::string_view name() const override { return "nettle"; }
};

} // namespace zw::crypto
