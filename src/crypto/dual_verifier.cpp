#include "crypto/dual_verifier.hpp"

#include "crypto/botan_verifier.hpp"
#include "crypto/openssl_verifier.hpp"

namespace zw::crypto {

DualResult verify_dual(const Verifier& primary, const Verifier& second, std::uint8_t algorithm, const PublicKey& key,
                       std::span<const std::uint8_t> data, std::span<const std::uint8_t> signature) {
  DualResult result;
  result.openssl = primary.verify(algorithm, key, data, signature);
  result.status = result.openssl;
  if (result.openssl != VerifyStatus::invalid) {
    return result;
  }
  result.botan = second.verify(algorithm, key, data, signature);
  result.disagreement = *result.botan == VerifyStatus::valid;
  return result;
}

DualResult verify_dual(std::uint8_t algorithm, const PublicKey& key, std::span<const std::uint8_t> data,
                       std::span<const std::uint8_t> signature) {
  static const OpenSslVerifier openssl;
  static const BotanVerifier botan;
  return verify_dual(openssl, botan, algorithm, key, data, signature);
}

} // namespace zw::crypto
