#pragma once
// RFC 1982 serial number arithmetic (SERIAL_BITS = 32), for SOA serials: one definition for
// every rule that compares them.

#include <cstdint>
#include <optional>
#include <span>

namespace zw::dns {

enum class SerialOrder : std::uint8_t { equal, newer, older, undefined };

// How serial `a` compares with `b` (RFC 1982 §3.2): newer when a is ahead of b by 1 to 2^31 - 1
// (modulo 2^32), older when behind by as much; exactly 2^31 apart the comparison is undefined.
constexpr SerialOrder compare_serials(std::uint32_t a, std::uint32_t b) noexcept {
  if (a == b) {
    return SerialOrder::equal;
  }
  const std::uint32_t ahead = a - b; // modulo 2^32
  if (ahead < 0x80000000U) {
    return SerialOrder::newer;
  }
  return ahead > 0x80000000U ? SerialOrder::older : SerialOrder::undefined;
}

// The serial newer than every other distinct one in `serials`, or nullopt when there is none:
// RFC 1982's relation is not transitive, and serials spread over half the number space or more
// have no newest (0, 2^32/3 and 2 * 2^32/3 are each newer than the one before, cyclically).
// Unlike "keep the newer of each pair", the answer never depends on the order of `serials`.
constexpr std::optional<std::uint32_t> newest_serial(std::span<const std::uint32_t> serials) noexcept {
  for (const std::uint32_t candidate : serials) {
    bool newest = true;
    for (const std::uint32_t other : serials) {
      const SerialOrder order = compare_serials(candidate, other);
      if (order != SerialOrder::equal && order != SerialOrder::newer) {
        newest = false;
        break;
      }
    }
    if (newest) {
      return candidate;
    }
  }
  return std::nullopt;
}

// The 32-bit fields of SOA RDATA after MNAME and RNAME (RFC 1035 §3.3.13), in wire order.
enum class SoaField : std::uint8_t { serial, refresh, retry, expire, minimum };

// One of them from uncompressed SOA RDATA (a zone store's, a parsed record's); nullopt when the
// RDATA is too short.
constexpr std::optional<std::uint32_t> soa_field(std::span<const std::uint8_t> rdata, SoaField field) noexcept {
  std::size_t pos = 0;
  for (int name = 0; name < 2; ++name) { // MNAME, RNAME
    while (pos < rdata.size() && rdata[pos] != 0) {
      pos += 1 + rdata[pos];
    }
    ++pos;
  }
  if (pos + 20 > rdata.size()) {
    return std::nullopt;
  }
  const std::size_t at = pos + 4 * static_cast<std::size_t>(field);
  return (std::uint32_t{rdata[at]} << 24) | (std::uint32_t{rdata[at + 1]} << 16) | (std::uint32_t{rdata[at + 2]} << 8) |
         rdata[at + 3];
}

} // namespace zw::dns
