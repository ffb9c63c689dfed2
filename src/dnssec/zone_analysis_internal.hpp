#pragma once
// Internals of analyse_zone shared by zone_analysis.cpp and chain_above.cpp. Not part of the
// dnssec/ interface.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "dns/rr.hpp"
#include "dnssec/validator.hpp"
#include "dnssec/zone_analysis.hpp"

namespace zw::dnssec::detail {

// The name in lower-case presentation format.
std::string lower_text(std::span<const std::uint8_t> wire);

// RRs parsed from presentation text; unparsable lines become notes, never crashes.
std::vector<dns::Rr> parse_all(const std::vector<std::string>& lines, std::vector<std::string>& notes);

// The DNSKEY RRset of a zone, from every answer that carries it: one KeyRing per zone.
KeyRing ring_of(const std::string& zone, const std::vector<dns::Rr>& dnskeys);

// Judges one RRSIG RR over `rrset` with the keys of `ring` (validator.hpp).
SignatureJudgement judge(const dns::Rr& sig, std::span<const dns::Rr> rrset, const KeyRing& ring, std::int64_t now,
                         dns::Bytes& scratch);

// The records of `rrs` at `owner` (lower-case text) of `type`.
std::vector<dns::Rr> records(const std::vector<dns::Rr>& rrs, const std::string& owner, std::uint16_t type);

// Walks anchor -> root DNSKEY -> DS -> ... -> the parent's DNSKEY RRset into out.above,
// out.above_reason, out.above_fault and out.chain.
void evaluate_chain_above(const ZoneSnapshot& zone, const std::vector<std::string>& anchor_text, std::int64_t now,
                          ZoneDnssec& out);

// The audited zone's own link, from the analysis (DS union over the parent's servers, keys union
// over the zone's servers).
ChainLinkInfo zone_link(const std::string& apex, const ZoneDnssec& d);
// The zone's link as records: its DS set and its keys, with no status yet.
ChainLinkInfo link_records(const std::string& apex, const ZoneDnssec& d);
// True when a key the DS set names signs the DNSKEY RRset: the chain can enter the zone.
bool chain_enters(const ZoneDnssec& d) noexcept;

} // namespace zw::dnssec::detail
