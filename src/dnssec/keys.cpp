#include "dnssec/keys.hpp"

#include <algorithm>

#include "crypto/digest.hpp"
#include "crypto/dnskey_codec.hpp"
#include "crypto/verifier.hpp"
#include "dnssec/rrsig.hpp"

namespace zw::dnssec {

std::uint16_t key_tag(std::span<const std::uint8_t> rdata) noexcept {
  if (rdata.size() < 4) {
    return 0;
  }
  if (rdata[3] == crypto::algorithm::rsamd5) {
    // RFC 4034 App. B.1: the most significant 16 of the least significant 24 bits of the
    // modulus, i.e. the third- and second-to-last octets of the RDATA.
    if (rdata.size() < 7) {
      return 0;
    }
    const std::size_t n = rdata.size();
    return static_cast<std::uint16_t>((rdata[n - 3] << 8) | rdata[n - 2]);
  }
  std::uint32_t ac = 0;
  for (std::size_t i = 0; i < rdata.size(); ++i) {
    ac += (i & 1) != 0 ? rdata[i] : static_cast<std::uint32_t>(rdata[i]) << 8;
  }
  ac += (ac >> 16) & 0xFFFF;
  return static_cast<std::uint16_t>(ac & 0xFFFF);
}

std::optional<dns::Bytes> ds_digest(std::span<const std::uint8_t> owner_wire,
                                    std::span<const std::uint8_t> dnskey_rdata, std::uint8_t digest_type) {
  crypto::DigestAlgorithm algorithm{};
  switch (digest_type) {
  case 1: algorithm = crypto::DigestAlgorithm::sha1; break;   // RFC 4034 §5.1.4
  case 2: algorithm = crypto::DigestAlgorithm::sha256; break; // RFC 4509
  case 4: algorithm = crypto::DigestAlgorithm::sha384; break; // RFC 6605 §2
  default: return std::nullopt;
  }
  // RFC 4034 §5.1.4: digest = digest_algorithm(DNSKEY owner name | DNSKEY RDATA), the owner in
  // canonical (lowercase) form.
  const dns::Bytes owner = dns::lowercased(owner_wire);
  dns::Bytes out;
  if (!crypto::digest(algorithm, {owner, dnskey_rdata}, out)) {
    return std::nullopt;
  }
  return out;
}

bool ds_matches(const dns::Rr& ds, const dns::Rr& dnskey) {
  const Result<DsFields> fields = parse_ds(ds);
  if (!fields || dnskey.rdata.size() < 4 || !dns::names_equal(ds.owner, dnskey.owner) ||
      fields->key_tag != key_tag(dnskey.rdata) || fields->algorithm != dnskey.rdata[3]) {
    return false;
  }
  const std::optional<dns::Bytes> digest = ds_digest(dnskey.owner, dnskey.rdata, fields->digest_type);
  return digest && *digest == fields->digest;
}

unsigned key_size_bits(std::uint8_t algorithm, std::span<const std::uint8_t> public_key) noexcept {
  if (crypto::is_rsa_algorithm(algorithm)) {
    const std::optional<crypto::RsaKeyParts> parts = crypto::split_rsa_key(public_key);
    return parts ? crypto::significant_bits(parts->modulus) : 0;
  }
  switch (algorithm) {
  case crypto::algorithm::ecdsap256sha256:
  case crypto::algorithm::ed25519: return public_key.size() == crypto::fixed_key_length(algorithm) ? 256 : 0;
  case crypto::algorithm::ecdsap384sha384: return public_key.size() == 96 ? 384 : 0;
  case crypto::algorithm::ed448: return public_key.size() == 57 ? 448 : 0;
  default: return 0;
  }
}

} // namespace zw::dnssec
