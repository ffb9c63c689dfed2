#pragma once
// Where each owner name of a zone stands (RFC 1034 §4.2.1, RFC 4035 §2.2, RFC 6672 §2.4):
// the apex, authoritative data, a delegation point (zone cut), data below a cut (glue or
// occluded), data below a DNAME (occluded), or data outside the zone. Also the empty
// non-terminals (RFC 5155 §7.1) the NSEC3 chain must cover. Computed once per zone in one pass
// over the canonical name order, where every name's subtree follows it contiguously.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "dns/rr.hpp"
#include "dns/zone_store.hpp"

namespace zw::dns {

enum class NameRole : std::uint8_t {
  apex,
  authoritative,    // in the zone, above every cut, not the apex
  delegation,       // NS below the apex: the zone's side of a cut (NS, DS, NSEC, glue owner)
  below_delegation, // below a cut: glue when an in-bailiwick NS target, else occluded data
  below_dname,      // below a DNAME owner: occluded (RFC 6672 §2.4)
  out_of_zone,      // not at or below the apex
};

std::string_view to_string(NameRole role) noexcept;

class ZoneLayout {
public:
  // Classifies every name of `store`.
  static ZoneLayout compute(const ZoneStore& store);

  // One role per name, in the order of `store.names()`.
  std::span<const NameRole> roles() const noexcept { return m_roles; }
  // The role of any name (present in the zone or not): by its position relative to the apex and
  // the cuts. A name that is itself a cut owner is `delegation` (or `authoritative` for a DNAME).
  NameRole role_of(std::span<const std::uint8_t> owner) const;
  // Owners of the zone's delegations (NS below the apex, not themselves below a cut), lowercased
  // wire, canonical order.
  const std::vector<Bytes>& delegations() const noexcept { return m_delegations; }
  // Owners of DNAME records that are not below a cut, lowercased wire, canonical order.
  const std::vector<Bytes>& dnames() const noexcept { return m_dnames; }
  // Names that own no record but have authoritative descendants (or delegations) below them,
  // between them and the apex; lowercased wire, canonical order.
  const std::vector<Bytes>& empty_non_terminals() const noexcept { return m_ents; }

private:
  std::vector<NameRole> m_roles;
  std::vector<Bytes> m_delegations;
  std::vector<Bytes> m_dnames;
  std::vector<Bytes> m_ents;
  Bytes m_apex;
};

} // namespace zw::dns
