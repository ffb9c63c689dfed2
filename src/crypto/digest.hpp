#pragma once
// Message digests for DS records (RFC 4034 §5.1.4, RFC 4509, RFC 6605 §2).

#include <cstdint>
#include <initializer_list>
#include <span>
#include <vector>

namespace zw::crypto {

enum class DigestAlgorithm { sha1, sha256, sha384 };

// Output length in octets: 20, 32, 48.
std::size_t digest_length(DigestAlgorithm algorithm) noexcept;

// Replaces `out` with the digest of the concatenation of `parts`. False only when the digest is
// unavailable in the OpenSSL build (then `out` is empty).
bool digest(DigestAlgorithm algorithm, std::initializer_list<std::span<const std::uint8_t>> parts,
            std::vector<std::uint8_t>& out);

} // namespace zw::crypto
