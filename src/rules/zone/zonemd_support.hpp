#pragma once
// Shared by the zone/zonemd-* rules: the zone's ZONEMD check (computed once by the verification
// pass), what the consumers that verify ZONEMD do with it, and the evidence lines.
//
// Consumers, as measured on Debian 12 (docs/rules/zone/zonemd-digest-mismatch.md, "Criterion"):
// - Knot DNS 3.2.6 with `zonemd-verify: on` refuses to load the zone unless the SIMPLE ZONEMD RR
//   with the strongest hash it supports (SHA-512 before SHA-384) verifies; it also refuses any
//   repeated (Scheme, Hash Algorithm) pair, unsupported-only RRsets and zones without ZONEMD.
// - Unbound 1.17.1 auth-zone with `zonemd-check: yes` answers SERVFAIL for the zone when no RR
//   verifies and some RR fails (serial, length, digest), or a SIMPLE SHA-384/SHA-512 pair
//   repeats; it serves a zone whose RRs all have unsupported schemes or hashes.
// - BIND 9.18 refuses to load a zone with a hash 1 or 2 digest of the wrong length (any scheme).
// - NSD 4.6.1 does not verify ZONEMD.

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "dnssec/zonemd.hpp"
#include "rules/zone/zone_support.hpp"
#include "util/text.hpp"

namespace zw::rules::zonemd_support {

using zw::dnssec::ZonemdCheck;
using zw::dnssec::ZonemdRecord;
using zw::dnssec::ZonemdStatus;

// A zone/zonemd-* rule's RuleCode::file: `Check(ctx, file, zonemd, sink, info)` on the zone file's
// ZONEMD check, the engine's (computed in the verification pass) or else computed here.
template <void (*Check)(const RuleContext&, const ZoneFileInput&, const ZonemdCheck&, FindingSink&, const RuleInfo&)>
void with_zonemd(const RuleContext& ctx, const ZoneFileInput& file, FindingSink& sink, const RuleInfo& info) {
  if (file.zonemd != nullptr) {
    Check(ctx, file, *file.zonemd, sink, info);
  } else {
    Check(ctx, file, zw::dnssec::check_zonemd(*file.store, file.layout->roles()), sink, info);
  }
}

inline bool length_wrong_for_hash(const ZonemdRecord& r) noexcept {
  return (r.hash == zw::dnssec::k_zonemd_sha384 && r.digest.size() != 48) ||
         (r.hash == zw::dnssec::k_zonemd_sha512 && r.digest.size() != 64);
}

// The RR Knot DNS 3.2 verifies: SIMPLE with the strongest hash it supports; nullptr when none.
inline const ZonemdRecord* knot_choice(const ZonemdCheck& c) noexcept {
  const ZonemdRecord* best = nullptr;
  for (const ZonemdRecord& r : c.records) {
    if (r.scheme == zw::dnssec::k_zonemd_simple &&
        (r.hash == zw::dnssec::k_zonemd_sha384 || r.hash == zw::dnssec::k_zonemd_sha512) &&
        (best == nullptr || r.hash > best->hash)) {
      best = &r;
    }
  }
  return best;
}

// What the verifying consumers do when the records selected by `mine` fail. Lines for the
// evidence, and whether any of them refuses the zone because of those records.
struct Consequence {
  bool refused = false;
  std::vector<std::string> lines;
};

inline Consequence consequence(const ZonemdCheck& c, const std::function<bool(const ZonemdRecord&)>& mine,
                               bool duplicates) {
  Consequence out;
  const bool verified = c.verified();
  const bool any_mine = std::any_of(c.records.begin(), c.records.end(), mine);
  if (!any_mine) {
    return out;
  }
  const ZonemdRecord* knot = knot_choice(c);
  if ((knot != nullptr && mine(*knot)) || duplicates) {
    out.refused = true;
    out.lines.emplace_back("Knot DNS 3.2 with zonemd-verify: on refuses to load the zone (measured)");
  }
  // Unbound refuses repeated SIMPLE SHA-384/SHA-512 pairs even beside a record that verifies;
  // repeated private pairs beside one it serves (measured).
  const bool supported_duplicate =
      duplicates && std::any_of(c.records.begin(), c.records.end(), [&](const ZonemdRecord& r) {
        return mine(r) && r.scheme == zw::dnssec::k_zonemd_simple &&
               (r.hash == zw::dnssec::k_zonemd_sha384 || r.hash == zw::dnssec::k_zonemd_sha512);
      });
  if (!verified || supported_duplicate) {
    out.refused = true;
    out.lines.emplace_back("Unbound 1.17 auth-zone with zonemd-check: yes answers SERVFAIL for the zone (measured)");
  }
  if (std::any_of(c.records.begin(), c.records.end(),
                  [&](const ZonemdRecord& r) { return mine(r) && length_wrong_for_hash(r); })) {
    out.refused = true;
    out.lines.emplace_back("BIND 9.18 refuses to load the zone: the digest length does not fit its hash algorithm "
                           "(measured with named-checkzone)");
  }
  if (!out.refused) {
    out.lines.emplace_back("another ZONEMD record verifies, which suffices (RFC 8976 §4): Knot DNS 3.2 and Unbound "
                           "1.17 load the zone; verifiers that support only this record's hash algorithm would not");
  }
  return out;
}

// "zone.db:5: ZONEMD 2018031900 1 1".
inline std::string describe(const ZonemdRecord& r) {
  return fmt::format("{}: ZONEMD {} {} {}", r.source, r.serial, r.scheme, r.hash);
}

// The SOA line of the evidence.
inline std::string soa_line(const ZonemdCheck& c) {
  return c.soa_present ? fmt::format("{}: SOA serial {}", c.soa_source, c.soa_serial)
                       : std::string("the zone has no SOA serial (zone/soa-count)");
}

// The apex records with `status`, in the RRset's order.
inline std::vector<const ZonemdRecord*> with_status(const ZonemdCheck& c, ZonemdStatus status) {
  std::vector<const ZonemdRecord*> out;
  for (const ZonemdRecord& r : c.records) {
    if (r.status == status) {
      out.push_back(&r);
    }
  }
  return out;
}

// One finding for the records of `status` (one root cause: the zone's digest was not updated, the
// serial moved on, ...): `message(number of records)`, evidence one line per record from `line`, then the
// SOA and what the verifying consumers do. Error when some consumer refuses the zone because of
// these records, else warning (another record verifies).
template <typename MessageFn, typename LineFn>
void report_records(const RuleContext& ctx, FindingSink& sink, const ZonemdCheck& c, ZonemdStatus status,
                    MessageFn&& message, LineFn&& line) {
  const std::vector<const ZonemdRecord*> records = with_status(c, status);
  if (records.empty()) {
    return;
  }
  Finding f;
  f.location = at(ctx, "", ctx.zone_name(), "ZONEMD");
  f.message = message(records.size());
  for (const ZonemdRecord* r : records) {
    f.evidence.push_back(line(*r));
  }
  f.evidence.push_back(soa_line(c));
  const Consequence what = consequence(
      c, [status](const ZonemdRecord& r) { return r.status == status; }, status == ZonemdStatus::duplicate);
  f.evidence.insert(f.evidence.end(), what.lines.begin(), what.lines.end());
  f.severity = what.refused ? Severity::error : Severity::warning;
  f.resolver = what.refused ? ResolverImpact{Rcode::servfail, Ede::none} : k_unaffected;
  sink.add_graded(std::move(f));
}

} // namespace zw::rules::zonemd_support
