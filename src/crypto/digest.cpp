#include "crypto/digest.hpp"

#include <openssl/err.h>

#include "crypto/openssl_handle.hpp"

namespace zw::crypto {

namespace {

const EVP_MD* md_for(DigestAlgorithm algorithm) {
  // Fetched once (see openssl_verifier.cpp for why explicit fetches).
  static const detail::EvpMdHandle sha1(EVP_MD_fetch(nullptr, "SHA1", nullptr));
  static const detail::EvpMdHandle sha256(EVP_MD_fetch(nullptr, "SHA256", nullptr));
  static const detail::EvpMdHandle sha384(EVP_MD_fetch(nullptr, "SHA384", nullptr));
  switch (algorithm) {
  case DigestAlgorithm::sha1: return sha1.get();
  case DigestAlgorithm::sha256: return sha256.get();
  case DigestAlgorithm::sha384: return sha384.get();
  }
  return nullptr;
}

} // namespace

std::size_t digest_length(DigestAlgorithm algorithm) noexcept {
  switch (algorithm) {
  case DigestAlgorithm::sha1: return 20;
  case DigestAlgorithm::sha256: return 32;
  case DigestAlgorithm::sha384: return 48;
  }
  return 0;
}

bool digest(DigestAlgorithm algorithm, std::initializer_list<std::span<const std::uint8_t>> parts,
            std::vector<std::uint8_t>& out) {
  out.clear();
  const EVP_MD* md = md_for(algorithm);
  const detail::EvpMdCtxHandle ctx(EVP_MD_CTX_new());
  if (md == nullptr || !ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) {
    ERR_clear_error();
    return false;
  }
  for (const std::span<const std::uint8_t> part : parts) {
    if (EVP_DigestUpdate(ctx.get(), part.data(), part.size()) != 1) {
      ERR_clear_error();
      return false;
    }
  }
  out.resize(digest_length(algorithm));
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx.get(), out.data(), &length) != 1 || length != out.size()) {
    ERR_clear_error();
    out.clear();
    return false;
  }
  return true;
}

} // namespace zw::crypto
