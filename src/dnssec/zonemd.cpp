#include "dnssec/zonemd.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

#include "dns/canonical_rdata.hpp"
#include "dns/serial.hpp"

namespace zw::dnssec {

namespace {

std::uint32_t load32(std::span<const std::uint8_t> r, std::size_t at) noexcept {
  return (std::uint32_t{r[at]} << 24) | (std::uint32_t{r[at + 1]} << 16) | (std::uint32_t{r[at + 2]} << 8) | r[at + 3];
}

std::size_t expected_length(std::uint8_t hash) noexcept {
  switch (hash) {
  case k_zonemd_sha384: return 48;
  case k_zonemd_sha512: return 64;
  default: return 0;
  }
}

} // namespace

bool ZonemdCheck::verified() const noexcept {
  return std::any_of(records.begin(), records.end(),
                     [](const ZonemdRecord& r) { return r.status == ZonemdStatus::verified; });
}

ZonemdCheck plan_zonemd(const dns::ZoneStore& store) {
  ZonemdCheck check;
  if (const std::optional<dns::RrsetView> soa = store.find(store.origin(), dns::rrtype::soa)) {
    if (const std::optional<std::uint32_t> serial = dns::soa_field(soa->rdata(0), dns::SoaField::serial)) {
      check.soa_present = true;
      check.soa_serial = *serial;
      check.soa_source = soa->location(0).to_string();
    }
  }
  if (const std::optional<dns::RrsetView> set = store.find(store.origin(), k_zonemd_type)) {
    for (std::size_t i = 0; i < set->size(); ++i) {
      const std::span<const std::uint8_t> r = set->rdata(i);
      ZonemdRecord rec;
      rec.source = set->location(i).to_string();
      if (r.size() >= 6) {
        rec.serial = load32(r, 0);
        rec.scheme = r[4];
        rec.hash = r[5];
        rec.digest.assign(r.begin() + 6, r.end());
        if (rec.scheme == k_zonemd_simple && rec.hash == k_zonemd_sha384) {
          check.need_sha384 = true;
        } else if (rec.scheme == k_zonemd_simple && rec.hash == k_zonemd_sha512) {
          check.need_sha512 = true;
        }
      }
      check.records.push_back(std::move(rec));
    }
  }
  return check;
}

ZonemdDigester::ZonemdDigester(bool sha384, bool sha512) {
  if (sha384) {
    m_sha384.emplace(crypto::StreamingAlgorithm::sha384);
  }
  if (sha512) {
    m_sha512.emplace(crypto::StreamingAlgorithm::sha512);
  }
  m_scratch.reserve(1024);
}

void ZonemdDigester::feed(std::span<const std::uint8_t> data) noexcept {
  if (m_sha384) {
    m_sha384->update(data);
  }
  if (m_sha512) {
    m_sha512->update(data);
  }
}

void ZonemdDigester::add(const dns::NameView& name, dns::NameRole role) {
  // §3.3.1.1: "all records in the zone": data outside the zone is not part of it (the RFC's
  // own A.2 example excludes it); glue and occluded data below cuts and DNAMEs are.
  if (role == dns::NameRole::out_of_zone) {
    return;
  }
  const bool apex = role == dns::NameRole::apex;
  const std::span<const std::uint8_t> owner = name.owner();
  // The store's index order is §3.3.1's: owners in canonical order (RFC 4034 §6.1), RRsets by
  // ascending type, RRs by canonical RDATA (§6.3), exact duplicates dropped.
  for (const dns::RrsetView rrset : name.rrsets()) {
    const std::uint16_t type = rrset.type();
    if (apex && type == k_zonemd_type) {
      continue; // the apex ZONEMD RRset ("placeholder") is never digested
    }
    for (std::size_t i = 0; i < rrset.size(); ++i) {
      const std::span<const std::uint8_t> rdata = rrset.rdata(i);
      if (apex && type == dns::rrtype::rrsig && rdata.size() >= 2 && ((rdata[0] << 8) | rdata[1]) == k_zonemd_type) {
        continue; // nor the RRSIGs covering it
      }
      // Canonical form (RFC 4034 §6.2): owner lowercased (the store's), names in the RDATA of
      // the RFC 6840 §5.1 types lowercased, the RR's own TTL.
      dns::canonical_rdata(type, rdata, m_scratch);
      const std::uint32_t ttl = rrset.ttl(i);
      const std::size_t len = m_scratch.size();
      const std::array<std::uint8_t, 10> fixed{static_cast<std::uint8_t>(type >> 8),
                                               static_cast<std::uint8_t>(type),
                                               0,
                                               1, // class IN
                                               static_cast<std::uint8_t>(ttl >> 24),
                                               static_cast<std::uint8_t>(ttl >> 16),
                                               static_cast<std::uint8_t>(ttl >> 8),
                                               static_cast<std::uint8_t>(ttl),
                                               static_cast<std::uint8_t>(len >> 8),
                                               static_cast<std::uint8_t>(len)};
      feed(owner);
      feed(fixed);
      feed(m_scratch);
    }
  }
}

dns::Bytes ZonemdDigester::finish_sha384() {
  return m_sha384 ? m_sha384->finish() : dns::Bytes();
}
dns::Bytes ZonemdDigester::finish_sha512() {
  return m_sha512 ? m_sha512->finish() : dns::Bytes();
}

void settle_zonemd(ZonemdCheck& check, const dns::Bytes& sha384, const dns::Bytes& sha512) {
  // §4 step 4: a (Scheme, Hash Algorithm) tuple that appears more than once verifies nothing.
  std::map<std::pair<std::uint8_t, std::uint8_t>, int> tuples;
  for (const ZonemdRecord& r : check.records) {
    ++tuples[{r.scheme, r.hash}];
  }
  for (ZonemdRecord& r : check.records) {
    // The digest of the zone for this RR's hash, kept for the evidence whatever the outcome.
    if (r.scheme == k_zonemd_simple && r.hash == k_zonemd_sha384) {
      r.computed = sha384;
    } else if (r.scheme == k_zonemd_simple && r.hash == k_zonemd_sha512) {
      r.computed = sha512;
    }
    const std::size_t expected = expected_length(r.hash);
    if (r.digest.size() < k_zonemd_min_digest || (expected != 0 && r.digest.size() != expected)) {
      // §2.2.4 for every RR; step 5d for SHA-384/SHA-512. The length is checked whatever the
      // scheme: BIND 9.18 refuses to load a zone whose hash 1 or 2 digest has another length.
      r.status = ZonemdStatus::malformed;
    } else if (tuples[{r.scheme, r.hash}] > 1) {
      r.status = ZonemdStatus::duplicate;
    } else if (!check.soa_present || r.serial != check.soa_serial) {
      r.status = ZonemdStatus::serial_mismatch;
    } else if (r.scheme != k_zonemd_simple) {
      r.status = ZonemdStatus::unsupported_scheme;
    } else if (expected == 0) {
      r.status = ZonemdStatus::unsupported_hash;
    } else if (!r.computed.empty() && r.computed == r.digest) {
      r.status = ZonemdStatus::verified;
    } else {
      r.status = ZonemdStatus::digest_mismatch;
    }
  }
}

ZonemdDigests digest_zone(const dns::ZoneStore& store, std::span<const dns::NameRole> roles, bool sha384, bool sha512) {
  ZonemdDigester digester(sha384, sha512);
  std::size_t i = 0;
  for (const dns::NameView name : store.names()) {
    digester.add(name, i < roles.size() ? roles[i] : dns::NameRole::out_of_zone);
    ++i;
  }
  return {digester.finish_sha384(), digester.finish_sha512()};
}

ZonemdCheck check_zonemd(const dns::ZoneStore& store, std::span<const dns::NameRole> roles) {
  ZonemdCheck check = plan_zonemd(store);
  ZonemdDigests digests;
  if (check.needs_digest()) {
    digests = digest_zone(store, roles, check.need_sha384, check.need_sha512);
  }
  settle_zonemd(check, digests.sha384, digests.sha512);
  return check;
}

} // namespace zw::dnssec
