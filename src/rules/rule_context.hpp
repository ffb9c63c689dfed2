#pragma once
// The read-only world a rule sees. Built by the audit engine once per zone.

#include <cstdint>
#include <string>

#include "dnssec/zone_analysis.hpp"
#include "rules/observations.hpp"
#include "zonewarden/rule.hpp"
#include "zonewarden/snapshot.hpp"

namespace zw {

// Thresholds a policy can set. Defaults follow the issue tracker and DESIGN.md.
struct RuleOptions {
  std::int64_t expiry_window_s = 3 * 86400;  // dnssec/rrsig-expiring-soon
};

class RuleContext {
public:
  RuleContext(const Snapshot& snapshot, const ZoneSnapshot& zone, const dnssec::ZoneDnssec& dnssec,
              const rules::ZoneObservations& observations, std::int64_t now, const RuleOptions& options)
      : m_snapshot(&snapshot), m_zone(&zone), m_dnssec(&dnssec), m_observations(&observations), m_now(now),
        m_options(&options) {}

  const std::string& zone_name() const noexcept { return m_zone->zone; }
  // The live observations; every rule of this issue reads a live snapshot.
  const ZoneSnapshot& live() const noexcept { return *m_zone; }
  const Snapshot& snapshot() const noexcept { return *m_snapshot; }
  const dnssec::ZoneDnssec& dnssec() const noexcept { return *m_dnssec; }
  const rules::ZoneObservations& servers() const noexcept { return *m_observations; }
  // Unix seconds; `--now`, or when the snapshot was taken. Rules never read the clock.
  std::int64_t now() const noexcept { return m_now; }
  const RuleOptions& options() const noexcept { return *m_options; }
  // True when the walk started from the built-in public root hints (not a lab or internal root).
  bool public_root_hints() const noexcept { return m_snapshot->public_root_hints; }

private:
  const Snapshot* m_snapshot;
  const ZoneSnapshot* m_zone;
  const dnssec::ZoneDnssec* m_dnssec;
  const rules::ZoneObservations* m_observations;
  std::int64_t m_now;
  const RuleOptions* m_options;
};

} // namespace zw
