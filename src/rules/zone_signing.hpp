#pragma once
// Shared by the signature-completeness rules that read a zone file directly
// (dnssec/rrsig-missing, dnssec/algorithm-coverage, dnssec/rrsig-validity-below-soa-expire,
// dnssec/rrsig-ttl-mismatch): which RRsets must be signed, the apex keys, the RRSIG headers over
// one RRset, the SOA EXPIRE, and groups of RRsets that share one root cause. None of this
// verifies a signature (the zone-file analysis does that once); it reads RRSIG headers only, in
// one pass over the canonical name order, with no allocation per name.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dns/rr.hpp"
#include "dns/zone_layout.hpp"
#include "dns/zone_store.hpp"
#include "dnssec/rrsig.hpp"
#include "dnssec/validator.hpp"
#include "rules/rule_support.hpp"

namespace zw::rules::zone_signing {

// At most this many findings per rule and zone name one RRset each; the rest become one summary
// finding with their count (never silently dropped).
inline constexpr std::size_t k_finding_cap = k_max_findings_per_rule;

// True when an RRset of `type` at a name of `role` must carry an RRSIG in a signed zone:
// RFC 4035 §2.2 (every authoritative RRset but RRSIG; at a delegation point only DS and
// NSEC/NSEC3, not the NS RRset nor glue), §2.3 and RFC 5155 §7.1 (NSEC/NSEC3 RRsets, whose
// NSEC3 owners are hashed names in the zone). Nothing below a cut, below a DNAME or out of zone.
bool must_be_signed(dns::NameRole role, std::uint16_t type) noexcept;

// The apex DNSKEY RRset of a zone, parsed once into the validator's KeyRing: "signed by a key of
// the zone" means here exactly what it means to the validator (zw::dnssec::find_signing_key).
class ApexKeys {
public:
  // Reads the DNSKEY RRset at the apex of `store`.
  static ApexKeys of(const dns::ZoneStore& store);

  // True when the apex has a DNSKEY RRset: the zone is meant to be signed.
  bool zone_is_signed() const noexcept { return m_present; }
  std::span<const zw::dnssec::KeyRing::Key> keys() const noexcept { return m_ring.keys(); }
  // Distinct algorithms of the keys that may sign (KeyRing::Key::may_sign), ascending: the
  // algorithms RFC 4035 §2.2 requires on every signed RRset.
  std::span<const std::uint8_t> active_algorithms() const noexcept { return m_algorithms; }
  // True when `sig` names a key of the apex that may sign: find_signing_key says `valid`.
  // Signatures by other keys cannot validate (the validator's findings report them); the
  // timing and TTL rules ignore them.
  bool by_active_key(const zw::dnssec::RrsigView& sig) const noexcept;
  // Key tags of the keys of `algorithm` that may sign, ascending ("12345, 23456").
  std::string active_tags_text(std::uint8_t algorithm) const;

private:
  bool m_present = false;
  zw::dnssec::KeyRing m_ring;
  std::vector<std::uint8_t> m_algorithms;
};

// SOA EXPIRE (RFC 1035 §3.3.13: the fourth 32-bit field after MNAME and RNAME) of the apex SOA;
// nullopt when the apex has no SOA or its RDATA is malformed.
std::optional<std::uint32_t> soa_expire(const dns::ZoneStore& store) noexcept;
// The same from one SOA RDATA.
std::optional<std::uint32_t> soa_expire(std::span<const std::uint8_t> soa_rdata) noexcept;
// SOA MINIMUM (the fifth field) of the apex SOA, the negative-caching TTL (RFC 2308 §4).
std::optional<std::uint32_t> soa_minimum(const dns::ZoneStore& store) noexcept;

// Calls `fn(const dns::NameView&, const dns::RrsetView&)` for every RRset of the zone that
// must be signed (must_be_signed), in canonical order.
template <typename Fn> void for_each_rrset_to_sign(const ZoneFileInput& file, Fn&& fn) {
  const std::span<const dns::NameRole> roles = file.layout->roles();
  std::size_t ordinal = 0;
  for (const dns::NameView name : file.store->names()) {
    const dns::NameRole role = ordinal < roles.size() ? roles[ordinal] : dns::NameRole::out_of_zone;
    ++ordinal;
    if (role != dns::NameRole::apex && role != dns::NameRole::authoritative && role != dns::NameRole::delegation) {
      continue;
    }
    for (const dns::RrsetView rrset : name.rrsets()) {
      if (must_be_signed(role, rrset.type())) {
        fn(name, rrset);
      }
    }
  }
}

// Calls `fn(const zw::dnssec::RrsigView&)` for every RRSIG of `sigs` (a view of RRSIG RRs, such as
// NameView::rrsigs_covering) whose header parses; malformed ones are skipped.
template <typename Fn> void for_each_signature(const dns::RrsetView& sigs, Fn&& fn) {
  for (std::size_t i = 0; i < sigs.size(); ++i) {
    if (const std::optional<zw::dnssec::RrsigView> sig = zw::dnssec::parse_rrsig_view(sigs.rdata(i))) {
      fn(*sig);
    }
  }
}

// "www.example.com. A".
std::string rrset_text(const dns::RrsetView& rrset);
// The finding location of `rrset` (zone data: no server).
Location location_of(const RuleContext& ctx, const dns::RrsetView& rrset);
// "zones/example.com.zone:17: www.example.com. A", an evidence line.
std::string source_line(const dns::RrsetView& rrset);
// The largest TTL among the RRs of `rrset` (RFC 2181 §5.2 wants them equal).
std::uint32_t max_ttl(const dns::RrsetView& rrset) noexcept;

// "13 (ECDSAP256SHA256)", or "200" for an unassigned number (IANA DNS Security Algorithm Numbers).
std::string algorithm_text(std::uint8_t algorithm);

// RRsets that share one root cause, in fixed memory whatever their number: how many, the most
// telling one (apex SOA, DNSKEY, NS, then DS, then the others; among equals the first added) and
// the first few added. Add in canonical order.
class RrsetGroup {
public:
  static constexpr std::size_t k_shown = 4;     // named in the message
  static constexpr std::size_t k_evidence = 10; // listed with file:line in the evidence

  void add(const dns::RrsetView& rrset, std::span<const std::uint8_t> apex);
  std::size_t size() const noexcept { return m_count; }
  bool empty() const noexcept { return m_count == 0; }
  const dns::RrsetView& telling() const noexcept { return m_telling; }
  std::span<const dns::RrsetView> first() const noexcept { return {m_first.data(), m_first_count}; }

  // "example.com. SOA, www.example.com. A and 12 more": the telling RRset first, then the
  // first others, k_shown in all.
  std::string list_text() const;
  // Appends the file:line of the first RRsets (k_evidence, the telling one first) and, when some
  // are not listed, "and N more RRsets".
  void add_evidence(Finding& finding) const;

private:
  std::size_t m_count = 0;
  int m_rank = 0;
  dns::RrsetView m_telling;
  std::array<dns::RrsetView, k_evidence> m_first{};
  std::size_t m_first_count = 0;
};

// The rank used by RrsetGroup: 0 apex SOA, 1 apex DNSKEY, 2 apex NS, 3 other apex types,
// 4 DS, 5 anything else. Lower is more telling.
int telling_rank(const dns::RrsetView& rrset, std::span<const std::uint8_t> apex) noexcept;

// The RRsets whose usable signatures by one key (tag, algorithm) end too early, for one finding:
// when the first and the last of those signatures expire, and how many RRsets have a TTL longer
// than the validity left (a cache that does not validate keeps them past it), the longest.
struct KeyExpiryGroup {
  RrsetGroup rrsets;
  std::int64_t earliest = 0;
  std::int64_t latest = 0;
  std::size_t ttl_outlives = 0;
  std::uint32_t longest_ttl = 0;

  // Adds `rrset`, whose best signature by the key expires at `expiration`, `now` being now.
  void add(const dns::RrsetView& rrset, std::span<const std::uint8_t> apex, std::int64_t expiration, std::int64_t now);
};
using KeyExpiryGroups = std::map<std::pair<std::uint16_t, std::uint8_t>, KeyExpiryGroup>;

// One finding per faulty RRset up to k_finding_cap, then the others in one group for a summary.
class CappedRrsets {
public:
  // True while under the cap: the caller reports `rrset` itself. Beyond, `rrset` joins
  // overflow() and this returns false.
  bool admit(const dns::RrsetView& rrset, std::span<const std::uint8_t> apex) {
    if (m_admitted < k_finding_cap) {
      ++m_admitted;
      return true;
    }
    m_overflow.add(rrset, apex);
    return false;
  }
  const RrsetGroup& overflow() const noexcept { return m_overflow; }

private:
  std::size_t m_admitted = 0;
  RrsetGroup m_overflow;
};

} // namespace zw::rules::zone_signing
