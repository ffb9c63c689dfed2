#include "crypto/streaming_digest.hpp"

#include <openssl/evp.h>

#include "crypto/openssl_handle.hpp"

namespace zw::crypto {

namespace {

const EVP_MD* md_for(StreamingAlgorithm algorithm) {
  // Fetched once (see openssl_verifier.cpp for why explicit fetches).
  static const detail::EvpMdHandle sha384(EVP_MD_fetch(nullptr, "SHA384", nullptr));
  static const detail::EvpMdHandle sha512(EVP_MD_fetch(nullptr, "SHA512", nullptr));
  return algorithm == StreamingAlgorithm::sha384 ? sha384.get() : sha512.get();
}

EVP_MD_CTX* as_ctx(void* p) noexcept {
  return static_cast<EVP_MD_CTX*>(p);
}

} // namespace

void StreamingDigest::Free::operator()(void* ctx) const noexcept {
  EVP_MD_CTX_free(as_ctx(ctx));
}

StreamingDigest::StreamingDigest(StreamingAlgorithm algorithm) : m_algorithm(algorithm), m_ctx(EVP_MD_CTX_new()) {
  const EVP_MD* md = md_for(algorithm);
  m_ok = m_ctx != nullptr && md != nullptr && EVP_DigestInit_ex2(as_ctx(m_ctx.get()), md, nullptr) == 1;
}

StreamingDigest::~StreamingDigest() = default;
StreamingDigest::StreamingDigest(StreamingDigest&&) noexcept = default;
StreamingDigest& StreamingDigest::operator=(StreamingDigest&&) noexcept = default;

std::size_t StreamingDigest::length() const noexcept {
  return m_algorithm == StreamingAlgorithm::sha384 ? 48 : 64;
}

void StreamingDigest::update(std::span<const std::uint8_t> data) noexcept {
  if (m_ok && !data.empty()) {
    m_ok = EVP_DigestUpdate(as_ctx(m_ctx.get()), data.data(), data.size()) == 1;
  }
}

std::vector<std::uint8_t> StreamingDigest::finish() {
  if (!ok()) {
    return {};
  }
  std::vector<std::uint8_t> out(EVP_MAX_MD_SIZE);
  unsigned int n = 0;
  m_ok = EVP_DigestFinal_ex(as_ctx(m_ctx.get()), out.data(), &n) == 1;
  out.resize(m_ok ? n : 0);
  // Ready for the next digest with the same algorithm, in the same context.
  m_ok = m_ok && EVP_DigestInit_ex2(as_ctx(m_ctx.get()), md_for(m_algorithm), nullptr) == 1;
  return out;
}

} // namespace zw::crypto
