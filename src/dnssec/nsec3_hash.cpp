// NSEC3 hashing (RFC 5155 §5) and the text forms it needs: base32hex owner labels (RFC 4648 §7)
// and the hash parameters.

#include <algorithm>

#include <fmt/format.h>

#include "crypto/digest.hpp"
#include "dnssec/denial_internal.hpp"

namespace zw::dnssec {

namespace {

constexpr char k_base32hex[] = "0123456789abcdefghijklmnopqrstuv";

} // namespace

std::string to_text(const Nsec3Params& params) {
  std::string salt;
  for (const std::uint8_t b : params.salt) {
    salt += fmt::format("{:02x}", b);
  }
  return fmt::format("{}, {} iteration{}, {}",
                     params.algorithm == 1 ? std::string("SHA-1") : fmt::format("hash algorithm {}", params.algorithm),
                     params.iterations, params.iterations == 1 ? "" : "s", salt.empty() ? "no salt" : "salt " + salt);
}

std::string base32hex(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const std::uint8_t b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out.push_back(k_base32hex[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) {
    out.push_back(k_base32hex[(buffer << (5 - bits)) & 31]);
  }
  return out;
}

bool base32hex_decode(std::span<const std::uint8_t> text, dns::Bytes& out) {
  out.clear();
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const std::uint8_t ch : text) {
    const std::uint8_t c = dns::ascii_lower(ch);
    int v = -1;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'a' && c <= 'v') {
      v = c - 'a' + 10;
    }
    if (v < 0) {
      return false;
    }
    buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<std::uint8_t>(buffer >> (bits - 8)));
      bits -= 8;
    }
    buffer &= (1u << bits) - 1;
  }
  return buffer == 0; // leftover bits must be zero padding
}

Nsec3Hasher::Nsec3Hasher(const Nsec3Params& params)
    : m_salt(params.salt), m_iterations(params.iterations), m_supported(params.algorithm == 1) {
  m_a.reserve(32);
  m_b.reserve(32);
}

bool Nsec3Hasher::hash(std::span<const std::uint8_t> name, Nsec3Hash& out) {
  // RFC 5155 §5: IH(salt, x, 0) = H(x || salt); IH(salt, x, k) = H(IH(salt, x, k-1) || salt).
  if (!m_supported || !crypto::digest(crypto::DigestAlgorithm::sha1, {name, m_salt}, m_a)) {
    out.fill(0);
    return false;
  }
  for (std::uint16_t k = 0; k < m_iterations; ++k) {
    if (!crypto::digest(crypto::DigestAlgorithm::sha1, {m_a, m_salt}, m_b)) {
      out.fill(0);
      return false;
    }
    m_a.swap(m_b);
  }
  std::copy(m_a.begin(), m_a.end(), out.begin());
  return true;
}

} // namespace zw::dnssec
