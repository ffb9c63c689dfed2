#pragma once
// Shared by the zone structure rules (src/rules/zone/): walking the names of a zone file with
// their roles, names inside RDATA, file:line evidence. Everything here is allocation-free except
// where it builds text for a finding. (The per-rule finding cap is the engine's: FindingSink.)

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "dns/rr.hpp"
#include "dns/zone_layout.hpp"
#include "dns/zone_store.hpp"
#include "rules/rule_support.hpp"

namespace zw::rules::zone_support {

using Name = std::span<const std::uint8_t>;

using dns::wire_name_length;

// Where the host name sits in the RDATA of NS, MX and SRV, or nullopt for
// any other type.
inline std::optional<std::size_t> host_target_offset(std::uint16_t type) noexcept {
  switch (type) {
  case dns::rrtype::ns: return 0;  // RFC 1035 §3.3.11
  case dns::rrtype::mx: return 2;  // RFC 1035 §3.3.9, after PREFERENCE
  case dns::rrtype::srv: return 6; // RFC 2782, after priority, weight and port
  default: return std::nullopt;
  }
}

// The name at `offset` in `rdata` (MX exchange at 2, NS at 0, SRV target at 6), if well formed.
inline std::optional<Name> rdata_name(Name rdata, std::size_t offset) noexcept {
  if (offset >= rdata.size()) {
    return std::nullopt;
  }
  const Name rest = rdata.subspan(offset);
  const std::size_t len = wire_name_length(rest);
  if (len == 0) {
    return std::nullopt;
  }
  return rest.first(len);
}

// Case-insensitive equality of two well-formed wire names.
inline bool same_name(Name a, Name b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](std::uint8_t x, std::uint8_t y) {
           return dns::ascii_lower(x) == dns::ascii_lower(y);
         });
}

// True when `name` equals `ancestor` or lies below it (case-insensitive, well-formed names).
// Unlike dns::is_subdomain it allocates nothing: it skips labels of `name` until the rest is
// as long as `ancestor`, which keeps the comparison on a label boundary.
inline bool at_or_below(Name name, Name ancestor) noexcept {
  std::size_t pos = 0;
  while (name.size() - pos > ancestor.size()) {
    if (name[pos] == 0 || pos + 1 + name[pos] >= name.size()) {
      return false;
    }
    pos += 1 + name[pos];
  }
  return name.size() - pos == ancestor.size() && same_name(name.subspan(pos), ancestor);
}

// Strictly below `ancestor`.
inline bool below(Name name, Name ancestor) noexcept {
  return name.size() > ancestor.size() && at_or_below(name, ancestor);
}

// A strict weak order on names that ignores case (byte order of the lowercased wire form, not
// the canonical DNS order): enough for sorting and binary search.
inline bool name_less(Name a, Name b) noexcept {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](std::uint8_t x, std::uint8_t y) {
    return dns::ascii_lower(x) < dns::ascii_lower(y);
  });
}

// True for a wildcard owner: its first label is "*" (RFC 4592 §2.1.1).
inline bool is_wildcard(Name name) noexcept {
  return name.size() >= 2 && name[0] == 1 && name[1] == '*';
}

inline std::string type_text(std::uint16_t type) {
  return dns::type_to_text(type);
}

// "zones/example.test.zone:12: www.example.test. A", the evidence line of an RRset.
inline std::string where(const dns::RrsetView& rrset) {
  return fmt::format("{}: {} {}", rrset.location().to_string(), text(rrset.owner()), type_text(rrset.type()));
}

// The type an RRSIG RR covers (RFC 4034 §3.1.1), 0 when its RDATA is too short.
inline std::uint16_t covered_type(Name rrsig_rdata) noexcept {
  return rrsig_rdata.size() < 2 ? 0 : static_cast<std::uint16_t>(rrsig_rdata[0] << 8 | rrsig_rdata[1]);
}

// "A, AAAA and TXT".
inline std::string join_types(const std::vector<std::uint16_t>& types) {
  std::string out;
  for (std::size_t i = 0; i < types.size(); ++i) {
    if (i > 0) {
      out += i + 1 == types.size() ? " and " : ", ";
    }
    out += type_text(types[i]);
  }
  return out;
}

// Calls `fn(NameView, NameRole)` for every name of the zone file, in canonical order.
template <typename Fn> void for_each_name(const ZoneFileInput& file, Fn&& fn) {
  const std::span<const dns::NameRole> roles = file.layout->roles();
  std::size_t i = 0;
  for (const dns::NameView name : file.store->names()) {
    fn(name, i < roles.size() ? roles[i] : dns::NameRole::out_of_zone);
    ++i;
  }
}

// Calls `fn(i, target)` for each RR `i` of `rrset` (NS, MX or SRV; nothing for another type)
// whose host name is a host inside the zone at `apex`: "." (a null MX, RFC 7505, or "no such
// service", RFC 2782), a name outside the zone and malformed RDATA are passed over.
template <typename Fn> void for_each_host_target(const dns::RrsetView& rrset, Name apex, Fn&& fn) {
  const std::optional<std::size_t> offset = host_target_offset(rrset.type());
  if (!offset) {
    return;
  }
  for (std::size_t i = 0; i < rrset.size(); ++i) {
    const std::optional<Name> target = rdata_name(rrset.rdata(i), *offset);
    if (target && target->size() > 1 && at_or_below(*target, apex)) {
      fn(i, *target);
    }
  }
}

// "zone.db:12: example.com. MX mail.example.com.": RR `i` of `rrset`, naming host `target`.
inline std::string target_evidence(const dns::RrsetView& rrset, std::size_t i, Name target) {
  return fmt::format("{}: {} {} {}", rrset.location(i).to_string(), text(rrset.owner()), type_text(rrset.type()),
                     text(target));
}

} // namespace zw::rules::zone_support
