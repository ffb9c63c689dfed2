#include "crypto/dual_verifier.hpp"

#include "crypto/library_verifiers.hpp"

namespace zw::crypto {

DualResult verify_dual(const Verifier& primary, const Verifier& second, std::uint8_t algorithm, const PublicKey& key,
                       std::span<const std::uint8_t> data, std::span<const std::uint8_t> signature) {
  DualResult result;
  result.primary = primary.verify(algorithm, key, data, signature);
  result.status = result.primary;
  if (result.primary != VerifyStatus::invalid) {
    return result;
  }
  result.second = second.verify(algorithm, key, data, signature);
  result.disagreement = *result.second == VerifyStatus::valid;
  return result;
}

VerifierPair verifiers_for(std::uint8_t algorithm) noexcept {
  switch (algorithm) {
  case algorithm::ecdsap384sha384: return {nettle_verifier(), openssl_verifier()};
  case algorithm::ed25519: return {sodium_verifier(), openssl_verifier()};
  case algorithm::ed448: return {openssl_verifier(), nettle_verifier()};
  default: return {openssl_verifier(), botan_verifier()};
  }
}

DualResult verify_dual(std::uint8_t algorithm, const PublicKey& key, std::span<const std::uint8_t> data,
                       std::span<const std::uint8_t> signature) {
  const VerifierPair pair = verifiers_for(algorithm);
  return verify_dual(pair.primary, pair.second, algorithm, key, data, signature);
}

} // namespace zw::crypto
