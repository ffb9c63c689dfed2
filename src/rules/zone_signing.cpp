#include "rules/zone_signing.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "dnssec/keys.hpp"

namespace zw::rules::zone_signing {

bool must_be_signed(dns::NameRole role, std::uint16_t type) noexcept {
  if (type == dns::rrtype::rrsig) {
    return false; // RFC 4035 §2.2: RRSIGs are not themselves signed
  }
  switch (role) {
  case dns::NameRole::apex:
  case dns::NameRole::authoritative: return true;
  case dns::NameRole::delegation:
    // RFC 4035 §2.2: the NS RRset at a cut and the glue are not authoritative and not signed;
    // the DS (§2.4) and the NSEC/NSEC3 RRsets (§2.3, RFC 5155 §7.1) are.
    return type == dns::rrtype::ds || type == dns::rrtype::nsec || type == dns::rrtype::nsec3;
  default: return false;
  }
}

ApexKeys ApexKeys::of(const dns::ZoneStore& store) {
  ApexKeys out;
  const std::optional<dns::RrsetView> dnskeys = store.find(store.origin(), dns::rrtype::dnskey);
  if (!dnskeys) {
    return out;
  }
  out.m_present = true;
  std::vector<dns::Bytes> rdatas;
  for (std::size_t i = 0; i < dnskeys->size(); ++i) {
    const std::span<const std::uint8_t> r = dnskeys->rdata(i);
    rdatas.emplace_back(r.begin(), r.end());
  }
  out.m_ring = zw::dnssec::KeyRing(store.origin(), rdatas);
  for (const zw::dnssec::KeyRing::Key& k : out.m_ring.keys()) {
    if (k.may_sign() &&
        std::find(out.m_algorithms.begin(), out.m_algorithms.end(), k.algorithm) == out.m_algorithms.end()) {
      out.m_algorithms.push_back(k.algorithm);
    }
  }
  std::sort(out.m_algorithms.begin(), out.m_algorithms.end());
  return out;
}

bool ApexKeys::by_active_key(const zw::dnssec::RrsigView& sig) const noexcept {
  return zw::dnssec::find_signing_key(sig, m_ring).status == zw::dnssec::SigStatus::valid;
}

std::string ApexKeys::active_tags_text(std::uint8_t algorithm) const {
  std::vector<std::uint16_t> tags;
  for (const zw::dnssec::KeyRing::Key& k : m_ring.keys()) {
    if (k.may_sign() && k.algorithm == algorithm && std::find(tags.begin(), tags.end(), k.tag) == tags.end()) {
      tags.push_back(k.tag);
    }
  }
  std::sort(tags.begin(), tags.end());
  std::string text;
  for (const std::uint16_t tag : tags) {
    text += fmt::format("{}{}", text.empty() ? "" : ", ", tag);
  }
  return text;
}

namespace {

// The 32-bit field `index` (0 SERIAL, 1 REFRESH, 2 RETRY, 3 EXPIRE, 4 MINIMUM) of an SOA RDATA:
// MNAME and RNAME (uncompressed: the store keeps RDATA as loaded from text), then the five
// fields (RFC 1035 §3.3.13).
std::optional<std::uint32_t> soa_field(std::span<const std::uint8_t> r, std::size_t index) noexcept {
  std::size_t pos = 0;
  for (int name = 0; name < 2; ++name) {
    while (true) {
      if (pos >= r.size()) {
        return std::nullopt;
      }
      const std::uint8_t len = r[pos];
      if (len == 0) {
        ++pos;
        break;
      }
      if ((len & 0xC0) != 0) {
        return std::nullopt;
      }
      pos += 1 + std::size_t{len};
    }
  }
  if (pos + 20 > r.size()) {
    return std::nullopt;
  }
  const std::size_t at = pos + 4 * index;
  return (std::uint32_t{r[at]} << 24) | (std::uint32_t{r[at + 1]} << 16) | (std::uint32_t{r[at + 2]} << 8) |
         std::uint32_t{r[at + 3]};
}

std::optional<std::uint32_t> apex_soa_field(const dns::ZoneStore& store, std::size_t index) noexcept {
  const std::optional<dns::RrsetView> soa = store.find(store.origin(), dns::rrtype::soa);
  if (!soa) {
    return std::nullopt;
  }
  return soa_field(soa->rdata(0), index);
}

} // namespace

std::optional<std::uint32_t> soa_expire(std::span<const std::uint8_t> soa_rdata) noexcept {
  return soa_field(soa_rdata, 3);
}

std::optional<std::uint32_t> soa_expire(const dns::ZoneStore& store) noexcept {
  return apex_soa_field(store, 3);
}

std::optional<std::uint32_t> soa_minimum(const dns::ZoneStore& store) noexcept {
  return apex_soa_field(store, 4);
}

std::string rrset_text(const dns::RrsetView& rrset) {
  return fmt::format("{} {}", dns::name_to_text(rrset.owner()), dns::type_to_text(rrset.type()));
}

Location location_of(const RuleContext& ctx, const dns::RrsetView& rrset) {
  return at(ctx, "", dns::name_to_text(rrset.owner()), dns::type_to_text(rrset.type()));
}

std::string source_line(const dns::RrsetView& rrset) {
  return fmt::format("{}: {}", rrset.location().to_string(), rrset_text(rrset));
}

std::uint32_t max_ttl(const dns::RrsetView& rrset) noexcept {
  std::uint32_t ttl = 0;
  for (std::size_t i = 0; i < rrset.size(); ++i) {
    ttl = std::max(ttl, rrset.ttl(i));
  }
  return ttl;
}

std::string algorithm_text(std::uint8_t algorithm) {
  // IANA "Domain Name System Security (DNSSEC) Algorithm Numbers", mnemonics.
  std::string_view name;
  switch (algorithm) {
  case 1: name = "RSAMD5"; break;
  case 3: name = "DSA"; break;
  case 5: name = "RSASHA1"; break;
  case 6: name = "DSA-NSEC3-SHA1"; break;
  case 7: name = "RSASHA1-NSEC3-SHA1"; break;
  case 8: name = "RSASHA256"; break;
  case 10: name = "RSASHA512"; break;
  case 12: name = "ECC-GOST"; break;
  case 13: name = "ECDSAP256SHA256"; break;
  case 14: name = "ECDSAP384SHA384"; break;
  case 15: name = "ED25519"; break;
  case 16: name = "ED448"; break;
  case 17: name = "SM2SM3"; break;
  case 23: name = "ECC-GOST12"; break;
  default: return fmt::format("{}", algorithm);
  }
  return fmt::format("{} ({})", algorithm, name);
}

int telling_rank(const dns::RrsetView& rrset, std::span<const std::uint8_t> apex) noexcept {
  if (dns::names_equal(rrset.owner(), apex)) {
    switch (rrset.type()) {
    case dns::rrtype::soa: return 0;
    case dns::rrtype::dnskey: return 1;
    case dns::rrtype::ns: return 2;
    default: return 3;
    }
  }
  return rrset.type() == dns::rrtype::ds ? 4 : 5;
}

void RrsetGroup::add(const dns::RrsetView& rrset, std::span<const std::uint8_t> apex) {
  const int rank = telling_rank(rrset, apex);
  if (m_count == 0 || rank < m_rank) {
    m_rank = rank;
    m_telling = rrset;
  }
  ++m_count;
  if (m_first_count < m_first.size()) {
    m_first[m_first_count++] = rrset;
  }
}

namespace {

// The telling RRset, then the first ones that are not it, `limit` in all.
template <typename Fn> void visit_shown(const RrsetGroup& group, std::size_t limit, Fn&& fn) {
  if (group.empty()) {
    return;
  }
  fn(group.telling());
  std::size_t shown = 1;
  for (const dns::RrsetView& r : group.first()) {
    if (shown >= limit) {
      break;
    }
    if (r.owner().data() == group.telling().owner().data() && r.type() == group.telling().type()) {
      continue; // owners are stored once per name: same pointer and type, same RRset
    }
    fn(r);
    ++shown;
  }
}

} // namespace

std::string RrsetGroup::list_text() const {
  std::string text;
  std::size_t shown = 0;
  visit_shown(*this, k_shown, [&](const dns::RrsetView& r) {
    text += (text.empty() ? "" : ", ") + rrset_text(r);
    ++shown;
  });
  if (m_count > shown) {
    text += fmt::format(" and {} more", m_count - shown);
  }
  return text;
}

void KeyExpiryGroup::add(const dns::RrsetView& rrset, std::span<const std::uint8_t> apex, std::int64_t expiration,
                         std::int64_t now) {
  if (rrsets.empty() || expiration < earliest) {
    earliest = expiration;
  }
  latest = std::max(latest, expiration);
  rrsets.add(rrset, apex);
  if (const std::uint32_t ttl = max_ttl(rrset); static_cast<std::int64_t>(ttl) > expiration - now) {
    ++ttl_outlives;
    longest_ttl = std::max(longest_ttl, ttl);
  }
}

void RrsetGroup::add_evidence(Finding& finding) const {
  std::size_t shown = 0;
  visit_shown(*this, k_evidence, [&](const dns::RrsetView& r) {
    finding.evidence.push_back(source_line(r));
    ++shown;
  });
  if (m_count > shown) {
    finding.evidence.push_back(fmt::format("and {} more RRsets", m_count - shown));
  }
}

} // namespace zw::rules::zone_signing
