#include "dns/zone_layout.hpp"

#include <algorithm>
#include <optional>

namespace zw::dns {

namespace {

// The wire name with its first label removed; `name` must not be the root.
std::span<const std::uint8_t> parent_of(std::span<const std::uint8_t> name) noexcept {
  return name.subspan(1 + static_cast<std::size_t>(name[0]));
}

bool contains(const std::vector<Bytes>& sorted, std::span<const std::uint8_t> name) {
  const auto it =
      std::lower_bound(sorted.begin(), sorted.end(), name,
                       [](const Bytes& a, std::span<const std::uint8_t> b) { return canonical_compare(a, b) < 0; });
  return it != sorted.end() && canonical_compare(*it, name) == 0;
}

} // namespace

std::string_view to_string(NameRole role) noexcept {
  switch (role) {
  case NameRole::apex: return "apex";
  case NameRole::authoritative: return "authoritative";
  case NameRole::delegation: return "delegation";
  case NameRole::below_delegation: return "below-delegation";
  case NameRole::below_dname: return "below-dname";
  case NameRole::out_of_zone: return "out-of-zone";
  }
  return "?";
}

ZoneLayout ZoneLayout::compute(const ZoneStore& store) {
  ZoneLayout layout;
  layout.m_apex = lowercased(store.origin());
  layout.m_roles.reserve(store.name_count());
  // The innermost active cut (delegation or DNAME owner) and its kind. Canonical order lists a
  // name's whole subtree right after it, so a cut stays active while names are below it.
  std::optional<Bytes> cut;
  NameRole below_cut = NameRole::below_delegation;
  Bytes previous_in_zone; // the last name at or below the apex that is not below a cut
  for (const NameView name : store.names()) {
    const std::span<const std::uint8_t> owner = name.owner();
    if (!is_subdomain(owner, layout.m_apex)) {
      layout.m_roles.push_back(NameRole::out_of_zone);
      continue;
    }
    if (cut && is_subdomain(owner, *cut)) {
      layout.m_roles.push_back(below_cut);
      continue;
    }
    cut.reset();
    if (canonical_compare(owner, layout.m_apex) == 0) {
      layout.m_roles.push_back(NameRole::apex);
      previous_in_zone.assign(owner.begin(), owner.end());
      if (name.find(rrtype::dname)) {
        layout.m_dnames.emplace_back(owner.begin(), owner.end());
        cut = layout.m_dnames.back();
        below_cut = NameRole::below_dname;
      }
      continue;
    }
    // Empty non-terminals: ancestors of this name, below the apex, that own nothing. Any such
    // ancestor lies between the previous in-zone name and this one in canonical order, so it is
    // new exactly when it is not an ancestor of (or equal to) the previous in-zone name.
    {
      std::vector<Bytes> fresh;
      for (std::span<const std::uint8_t> up = parent_of(owner); up.size() > layout.m_apex.size(); up = parent_of(up)) {
        if (is_subdomain(previous_in_zone, up) || store.find_name(up)) {
          break;
        }
        fresh.emplace_back(up.begin(), up.end());
      }
      layout.m_ents.insert(layout.m_ents.end(), fresh.rbegin(), fresh.rend());
    }
    previous_in_zone.assign(owner.begin(), owner.end());
    if (name.find(rrtype::ns)) {
      layout.m_roles.push_back(NameRole::delegation);
      layout.m_delegations.emplace_back(owner.begin(), owner.end());
      cut = layout.m_delegations.back();
      below_cut = NameRole::below_delegation;
      continue;
    }
    layout.m_roles.push_back(NameRole::authoritative);
    if (name.find(rrtype::dname)) {
      layout.m_dnames.emplace_back(owner.begin(), owner.end());
      cut = layout.m_dnames.back();
      below_cut = NameRole::below_dname;
    }
  }
  return layout;
}

NameRole ZoneLayout::role_of(std::span<const std::uint8_t> owner) const {
  const Bytes name = lowercased(owner);
  if (!is_subdomain(name, m_apex)) {
    return NameRole::out_of_zone;
  }
  if (name.size() == m_apex.size()) {
    return NameRole::apex;
  }
  // The outermost cut above the name decides; walk from the apex down.
  std::vector<std::span<const std::uint8_t>> ancestors; // proper ancestors below the apex
  for (std::span<const std::uint8_t> up = parent_of(name); up.size() > m_apex.size(); up = parent_of(up)) {
    ancestors.push_back(up);
  }
  for (auto it = ancestors.rbegin(); it != ancestors.rend(); ++it) {
    if (contains(m_delegations, *it)) {
      return NameRole::below_delegation;
    }
    if (contains(m_dnames, *it)) {
      return NameRole::below_dname;
    }
  }
  if (contains(m_dnames, m_apex)) {
    return NameRole::below_dname;
  }
  return contains(m_delegations, name) ? NameRole::delegation : NameRole::authoritative;
}

} // namespace zw::dns
