#include "crypto/library_verifiers.hpp"

#include <algorithm>
#include <array>

#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/ecdsa.h>
#include <nettle/eddsa.h>
#include <nettle/sha2.h>

#include "crypto/dnskey_codec.hpp"
#include "crypto/public_key_impl.hpp"

namespace zw::crypto {

namespace {

using detail::k_ec_limbs;

// Big-endian octets to `limbs` little-endian limbs (the value fits: the caller checked lengths).
void to_limbs(std::span<const std::uint8_t> be, mp_limb_t* out, std::size_t limbs) {
  std::fill(out, out + limbs, mp_limb_t{0});
  for (std::size_t k = 0; k < be.size(); ++k) {
    const std::size_t bit = 8 * (be.size() - 1 - k);
    out[bit / GMP_NUMB_BITS] |= static_cast<mp_limb_t>(be[k]) << (bit % GMP_NUMB_BITS);
  }
}

// ecc_ecdsa_verify_itch is 244 limbs for P-256 and 366 for P-384 in nettle 3.8; the bound leaves
// room for later versions, and a larger need is refused rather than overrun.
constexpr std::size_t k_scratch_limbs = 1024;

VerifyStatus verify_ecdsa(std::uint8_t alg, const PublicKey::Impl& impl, std::span<const std::uint8_t> data,
                          std::span<const std::uint8_t> signature) {
  const bool p256 = alg == algorithm::ecdsap256sha256;
  const ecc_curve* curve = p256 ? nettle_get_secp_256r1() : nettle_get_secp_384r1();
  const std::size_t half = fixed_key_length(alg) / 2;
  if (signature.size() != 2 * half) {
    return VerifyStatus::invalid; // r | s (RFC 6605 §4)
  }
  const auto limbs = static_cast<std::size_t>(ecc_size(curve));
  const auto itch = static_cast<std::size_t>(ecc_ecdsa_verify_itch(curve));
  if (limbs > k_ec_limbs || itch > k_scratch_limbs) {
    return VerifyStatus::unsupported_algorithm; // a nettle we were not built for
  }
  // RFC 6605 §4: SHA-256 for P-256, SHA-384 for P-384; nettle truncates to the group order's size.
  std::array<std::uint8_t, SHA384_DIGEST_SIZE> digest{};
  if (p256) {
    sha256_ctx h;
    sha256_init(&h);
    sha256_update(&h, data.size(), data.data());
    sha256_digest(&h, SHA256_DIGEST_SIZE, digest.data());
  } else {
    sha384_ctx h;
    sha384_init(&h);
    sha384_update(&h, data.size(), data.data());
    sha384_digest(&h, SHA384_DIGEST_SIZE, digest.data());
  }
  // The point is X | Y with a stride of k_ec_limbs (public_key.cpp); nettle wants them adjacent.
  std::array<mp_limb_t, 2 * k_ec_limbs> point{};
  std::copy_n(impl.ec_point.begin(), limbs, point.begin());
  std::copy_n(impl.ec_point.begin() + k_ec_limbs, limbs, point.begin() + static_cast<std::ptrdiff_t>(limbs));
  std::array<mp_limb_t, k_ec_limbs> r{};
  std::array<mp_limb_t, k_ec_limbs> s{};
  to_limbs(signature.first(half), r.data(), limbs);
  to_limbs(signature.subspan(half), s.data(), limbs);
  std::array<mp_limb_t, k_scratch_limbs> scratch; // NOLINT: written by nettle before it is read
  // ecc_ecdsa_verify refuses r or s outside [1, q-1] itself.
  return ecc_ecdsa_verify(curve, point.data(), half, digest.data(), r.data(), s.data(), scratch.data()) == 1
             ? VerifyStatus::valid
             : VerifyStatus::invalid;
}

class NettleVerifier final : public Verifier {
public:
  std::string_view name() const override { return "nettle"; }

  VerifyStatus verify(std::uint8_t alg, const PublicKey& key, std::span<const std::uint8_t> data,
                      std::span<const std::uint8_t> signature) const override {
    switch (alg) {
    case algorithm::ecdsap256sha256:
    case algorithm::ecdsap384sha384:
    case algorithm::ed25519:
    case algorithm::ed448: break;
    default: return VerifyStatus::unsupported_algorithm;
    }
    const PublicKey::Impl& impl = key.impl();
    if (impl.algorithm != alg) {
      return VerifyStatus::invalid;
    }
    if (impl.key_field.size() != fixed_key_length(alg)) {
      return VerifyStatus::bad_key; // load_public_key refuses these; kept for safety
    }
    switch (alg) {
    case algorithm::ed25519:
      // RFC 8080 §4: R | S, 64 octets.
      if (signature.size() != ED25519_SIGNATURE_SIZE) {
        return VerifyStatus::invalid;
      }
      return ed25519_sha512_verify(impl.key_field.data(), data.size(), data.data(), signature.data()) == 1
                 ? VerifyStatus::valid
                 : VerifyStatus::invalid;
    case algorithm::ed448:
      if (signature.size() != ED448_SIGNATURE_SIZE) { // 114 octets
        return VerifyStatus::invalid;
      }
      // RFC 8032 §5.2.7: S must be below L (< 2^446), so its final octet is always zero. Nettle
      // 3.8 reads S into 448 bits and ignores that octet: it accepts a signature whose last octet
      // was changed (tests/unit/test_crypto_verifier.cpp, "flipped bit"). Refuse it here.
      if (signature.back() != 0) {
        return VerifyStatus::invalid;
      }
      return ed448_shake256_verify(impl.key_field.data(), data.size(), data.data(), signature.data()) == 1
                 ? VerifyStatus::valid
                 : VerifyStatus::invalid;
    default: return verify_ecdsa(alg, impl, data, signature);
    }
  }
};

} // namespace

const Verifier& nettle_verifier() noexcept {
  static const NettleVerifier verifier;
  return verifier;
}

} // namespace zw::crypto
