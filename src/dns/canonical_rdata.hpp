#pragma once
// Canonical RDATA (RFC 4034 §6.2 item 3 as corrected by RFC 6840 §5.1): the domain names inside
// the RDATA of NS, MD, MF, CNAME, SOA, MB, MG, MR, PTR, MINFO, MX, RP, AFSDB, RT, SIG, PX, NXT,
// NAPTR, KX, SRV, DNAME, A6 and RRSIG are lowercased, and of no other type (not NSEC, not
// HINFO). One table for the zone store's RDATA order, RRSIG signed data and ZONEMD digests.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "dns/rr.hpp"

namespace zw::dns {

// RFC 4034 §3.1: the RDATA of an RRSIG before its signer name (type covered to key tag).
inline constexpr std::size_t k_rrsig_fixed = 18;

// True for the types whose RDATA names canonical form lowercases (the list above).
bool has_embedded_names(std::uint16_t type) noexcept;

// Lowercases the names inside `rdata` of `type` in place when the whole RDATA parses as that
// type; leaves it untouched otherwise (never reads past its end).
void lowercase_embedded_names(std::uint16_t type, std::span<std::uint8_t> rdata) noexcept;

// Replaces `out` with the canonical form of `rdata` of `type`: names lowercased for the types
// above; unchanged otherwise and when malformed. `out` keeps its capacity.
void canonical_rdata(std::uint16_t type, std::span<const std::uint8_t> rdata, Bytes& out);

// End of the uncompressed wire name starting at `pos` of `wire`, or nullopt when it runs past
// the end, is longer than 255 octets or uses a compression pointer or extended label type.
std::optional<std::size_t> wire_name_end(std::span<const std::uint8_t> wire, std::size_t pos) noexcept;

// Lowercases the label octets of the valid wire name at [begin, end) of `wire`.
void lowercase_wire_name(std::span<std::uint8_t> wire, std::size_t begin, std::size_t end) noexcept;

} // namespace zw::dns
