#pragma once
// An incremental SHA-384 or SHA-512 digest over many small pieces (a ZONEMD zone digest, RFC 8976
// §3.3.1.2): one OpenSSL context, created once; `update` allocates nothing.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace zw::crypto {

enum class StreamingAlgorithm { sha384, sha512 };

class StreamingDigest {
public:
  // A digest in progress. `ok()` is false when the OpenSSL build lacks the algorithm.
  explicit StreamingDigest(StreamingAlgorithm algorithm);
  ~StreamingDigest();
  StreamingDigest(StreamingDigest&&) noexcept;
  StreamingDigest& operator=(StreamingDigest&&) noexcept;
  StreamingDigest(const StreamingDigest&) = delete;
  StreamingDigest& operator=(const StreamingDigest&) = delete;

  bool ok() const noexcept { return m_ctx != nullptr && m_ok; }
  // Output length in octets: 48 or 64.
  std::size_t length() const noexcept;
  // Hashes `data` after everything given so far.
  void update(std::span<const std::uint8_t> data) noexcept;
  // The digest of everything given since construction (or the last `finish`); the context is
  // then ready for a new digest. Empty when `ok()` is false.
  std::vector<std::uint8_t> finish();

private:
  struct Free {
    void operator()(void* ctx) const noexcept;
  };
  StreamingAlgorithm m_algorithm;
  std::unique_ptr<void, Free> m_ctx; // EVP_MD_CTX, kept opaque: only src/crypto/*.cpp see OpenSSL
  bool m_ok = false;
};

} // namespace zw::crypto
