#include "crypto/dnskey_codec.hpp"

#include <bit>

#include "crypto/verifier.hpp"

namespace zw::crypto {

std::optional<RsaKeyParts> split_rsa_key(std::span<const std::uint8_t> key_field) noexcept {
  if (key_field.empty()) {
    return std::nullopt;
  }
  std::size_t exponent_length = key_field[0];
  std::size_t offset = 1;
  if (exponent_length == 0) {
    // RFC 3110 §2: a zero first octet announces a two-octet exponent length.
    if (key_field.size() < 3) {
      return std::nullopt;
    }
    exponent_length = (static_cast<std::size_t>(key_field[1]) << 8) | key_field[2];
    offset = 3;
  }
  if (exponent_length == 0 || key_field.size() <= offset + exponent_length) {
    return std::nullopt;
  }
  return RsaKeyParts{key_field.subspan(offset, exponent_length), key_field.subspan(offset + exponent_length)};
}

unsigned significant_bits(std::span<const std::uint8_t> big_endian) noexcept {
  std::size_t i = 0;
  while (i < big_endian.size() && big_endian[i] == 0) {
    ++i;
  }
  if (i == big_endian.size()) {
    return 0;
  }
  const auto rest = static_cast<unsigned>(big_endian.size() - i - 1);
  return rest * 8 + static_cast<unsigned>(std::bit_width(big_endian[i]));
}

bool is_rsa_algorithm(std::uint8_t alg) noexcept {
  return alg == algorithm::rsamd5 || alg == algorithm::rsasha1 || alg == algorithm::rsasha1_nsec3_sha1 ||
         alg == algorithm::rsasha256 || alg == algorithm::rsasha512;
}

std::size_t fixed_key_length(std::uint8_t alg) noexcept {
  switch (alg) {
  case algorithm::ecdsap256sha256: return 64;
  case algorithm::ecdsap384sha384: return 96;
  case algorithm::ed25519: return 32;
  case algorithm::ed448: return 57;
  default: return 0;
  }
}

} // namespace zw::crypto
