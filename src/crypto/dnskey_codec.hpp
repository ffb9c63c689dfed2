#pragma once
// Decoding of DNSKEY public key fields shared by the verifiers and by dnssec/keys (no OpenSSL,
// no Botan here).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace zw::crypto {

// The two parts of an RSA public key field (RFC 3110 §2): a one-octet exponent length, or zero
// followed by a two-octet length, then the exponent, then the modulus. Spans borrow the input.
struct RsaKeyParts {
  std::span<const std::uint8_t> exponent;
  std::span<const std::uint8_t> modulus;
};

// Splits `key_field`; nullopt when the length prefix runs past the end or either part is empty.
std::optional<RsaKeyParts> split_rsa_key(std::span<const std::uint8_t> key_field) noexcept;

// Significant bits of a big-endian unsigned integer (leading zero octets and bits ignored).
unsigned significant_bits(std::span<const std::uint8_t> big_endian) noexcept;

// True for the RSA algorithms 1, 5, 7, 8, 10.
bool is_rsa_algorithm(std::uint8_t algorithm) noexcept;

// Length in octets of the public key field for the fixed-size algorithms: 64 (13), 96 (14),
// 32 (15), 57 (16); 0 for the others.
std::size_t fixed_key_length(std::uint8_t algorithm) noexcept;

} // namespace zw::crypto
