#include "crypto/dual_verifier.hpp"

#include "crypto/botan_verifier.hpp"
#include "crypto/nettle_verifier.hpp"
#include "crypto/openssl_verifier.hpp"
#include "crypto/sodium_verifier.hpp"

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
  static const OpenSslVerifier openssl;
  static const BotanVerifier botan;
  static const NettleVerifier nettle;
  static const SodiumVerifier sodium;
  switch (algorithm) {
  case algorithm::ecdsap384sha384: return {nettle, openssl};
  case algorithm::ed25519: return {sodium, openssl};
  case algorithm::ed448: return {openssl, nettle};
  default: return {openssl, botan};
  }
}

DualResult verify_dual(std::uint8_t algorithm, const PublicKey& key, std::span<const std::uint8_t> data,
                       std::span<const std::uint8_t> signature) {
  const VerifierPair pair = verifiers_for(algorithm);
  return verify_dual(pair.primary, pair.second, algorithm, key, data, signature);
}

} // namespace zw::crypto
