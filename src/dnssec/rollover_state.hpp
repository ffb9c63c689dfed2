#pragma once
// What the rollover rules compare from one run to the next (zw::RolloverState): the zone's keys,
// DS set, TTLs, CDS set and earliest signature expiration as one audit saw them, computed from its snapshot
// and its DNSSEC analysis, with what is carried from the zone's previous run.

#include <cstdint>
#include <span>
#include <string>

#include "dnssec/zone_analysis.hpp"
#include "zonewarden/audit.hpp"

namespace zw::dnssec {

// The state of `zone` at `now`. `previous` is the state the zone's latest earlier run recorded,
// or nullptr: the carried fields (cds_since, the re-signing fields) start afresh without it.
RolloverState observe_rollover(const ZoneSnapshot& zone, const ZoneDnssec& analysis, std::int64_t now,
                               const RolloverState* previous);

// The carried fields of rollover/resigning-stalled (RolloverState::signed_until_since,
// refresh_floor, refreshes) of `state`, whose observed, signed_until and validity are set, from
// the zone's previous recorded state (nullptr: none).
void carry_resigning(RolloverState& state, const RolloverState* previous);

// A key's id across runs: 16 hex digits of 64-bit FNV-1a over its algorithm and public key, from
// DNSKEY RDATA (flags, protocol, algorithm, key). "" for RDATA shorter than 4 octets.
std::string rollover_key_id(std::span<const std::uint8_t> dnskey_rdata);

} // namespace zw::dnssec
