#pragma once
// The project's own resource-record model: wire format, no ldns in the interface. Everything
// above dns/ (dnssec, rules) works on these.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zonewarden/error.hpp"

namespace zw::dns {

using Bytes = std::vector<std::uint8_t>;

// ASCII lowercase of one octet of a name (RFC 4343: DNS names compare without case, only A-Z).
constexpr std::uint8_t ascii_lower(std::uint8_t c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<std::uint8_t>(c + ('a' - 'A')) : c;
}

namespace rrtype {
inline constexpr std::uint16_t a = 1, ns = 2, cname = 5, soa = 6, ptr = 12, mx = 15, txt = 16, aaaa = 28, srv = 33,
                               dname = 39, opt = 41, ds = 43, rrsig = 46, nsec = 47, dnskey = 48, nsec3 = 50,
                               nsec3param = 51, cds = 59, cdnskey = 60, caa = 257;
}

// One resource record. `owner` is an uncompressed wire-format name (RFC 1035 §3.1) with its
// case as received; `rdata` is uncompressed wire-format RDATA.
struct Rr {
  Bytes owner;
  std::uint16_t type = 0;
  std::uint16_t rclass = 1;
  std::uint32_t ttl = 0;
  Bytes rdata;
};

// Parses one RR in presentation format with an absolute owner ("www.example. 300 IN A 192.0.2.1").
Result<Rr> parse_rr(std::string_view text);
// Presentation format of `rr`, one line, no trailing newline.
std::string to_text(const Rr& rr);

// Type mnemonic ("SOA", or "TYPE65534" for unknown ones).
std::string type_to_text(std::uint16_t type);
// Type code of a mnemonic or "TYPEnnn"; 0 when unknown.
std::uint16_t type_from_text(std::string_view text) noexcept;

// Wire-format names.
Result<Bytes> name_from_text(std::string_view text);          // absolute; a missing final dot is added
std::string name_to_text(std::span<const std::uint8_t> wire); // "example.com.", lower case kept
Bytes lowercased(std::span<const std::uint8_t> wire);
bool names_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept;
// Length of the uncompressed wire name at the start of `data` (its final root label included),
// or 0 when it is malformed: truncated, a label over 63 octets or a compression pointer, or
// longer than 255 octets (RFC 1035 §3.1).
std::size_t wire_name_length(std::span<const std::uint8_t> data) noexcept;
// Number of labels, not counting the root label (RFC 4034 §3.1.3: "." is 0).
unsigned label_count(std::span<const std::uint8_t> wire) noexcept;
// True when `name` equals `ancestor` or lies below it (case-insensitive).
bool is_subdomain(std::span<const std::uint8_t> name, std::span<const std::uint8_t> ancestor) noexcept;
// RFC 4034 §6.1 canonical order: <0, 0, >0.
int canonical_compare(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept;

// Text-level helpers for names given by people: validates and normalises to lower case with a
// final dot ("Example.COM" -> "example.com."). Error text names what is wrong.
Result<std::string> normalize_name(std::string_view text);
// True when `name` (normalised text) equals `ancestor` or is below it.
bool name_is_at_or_below(std::string_view name, std::string_view ancestor) noexcept;
// "www.example.com." -> "example.com."; "." -> ".".
std::string parent_name(std::string_view name);

} // namespace zw::dns
