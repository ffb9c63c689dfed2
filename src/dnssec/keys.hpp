#pragma once
// DNSKEY identity: key tags (RFC 4034 App. B), DS digests (§5.1.4) and key sizes.

#include <cstdint>
#include <optional>
#include <span>

#include "dns/rr.hpp"

namespace zw::dnssec {

// The key tag of a DNSKEY RDATA (RFC 4034 Appendix B): the ones-complement-like sum over the
// RDATA, or for algorithm 1 (RSAMD5) the second-to-last two octets of the modulus (B.1).
// RDATA shorter than 4 octets gives 0.
std::uint16_t key_tag(std::span<const std::uint8_t> dnskey_rdata) noexcept;

// The DS digest of a DNSKEY: digest(lowercased `owner_wire` | `dnskey_rdata`) for digest types
// 1 (SHA-1), 2 (SHA-256) and 4 (SHA-384). nullopt for any other digest type.
std::optional<dns::Bytes> ds_digest(std::span<const std::uint8_t> owner_wire,
                                    std::span<const std::uint8_t> dnskey_rdata, std::uint8_t digest_type);

// True when `ds` refers to `dnskey`: same owner (case-insensitive), key tag, algorithm, and the
// digest recomputed from `dnskey` equals the DS digest. False for unparsable RDATA and for digest
// types ds_digest does not support.
bool ds_matches(const dns::Rr& ds, const dns::Rr& dnskey);

// The size in bits of a DNSKEY public key field: the RSA modulus length (RFC 3110 encoding,
// leading zeros not counted) for algorithms 1, 5, 7, 8, 10; the curve size for 13 (256),
// 14 (384), 15 (256) and 16 (448); 0 when unknown or malformed.
unsigned key_size_bits(std::uint8_t algorithm, std::span<const std::uint8_t> public_key) noexcept;

} // namespace zw::dnssec
