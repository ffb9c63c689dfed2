#pragma once
// The read-only world a rule sees. Built by the audit engine once per zone.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "dns/zone_layout.hpp"
#include "dns/zone_store.hpp"
#include "dnssec/denial.hpp"
#include "dnssec/zone_analysis.hpp"
#include "dnssec/zonemd.hpp"
#include "rules/observations.hpp"
#include "rules/zone_file_diff.hpp"
#include "zonewarden/audit.hpp"
#include "zonewarden/rule.hpp"
#include "zonewarden/snapshot.hpp"

namespace zw {

// What the rules are told: the policy's thresholds, and whose answers findings predict.
struct RuleOptions : ProfileThresholds {
  ResolverModel resolver_model = ResolverModel::unbound;
};

// What `check` adds: the zone file itself, loaded, and where its names stand.
struct ZoneFileInput {
  const dns::ZoneStore* store = nullptr;
  const dns::ZoneLayout* layout = nullptr;
  std::string path;      // as given on the command line
  bool ds_given = false; // --ds named DS records for this zone (ZoneDnssec::ds holds them)
  // NSEC/NSEC3 analysis of the zone, computed once by the engine (zw::dnssec::analyse_denial);
  // nullptr when the engine did not compute it (the denial rules then compute their own).
  const zw::dnssec::DenialAnalysis* denial = nullptr;
  // ZONEMD records and their verification (RFC 8976), computed by the verification pass;
  // nullptr when the engine did not compute it (the zonemd rules then compute their own).
  const zw::dnssec::ZonemdCheck* zonemd = nullptr;
};

class RuleContext {
public:
  RuleContext(const Snapshot& snapshot, const ZoneSnapshot& zone, const zw::dnssec::ZoneDnssec& dnssec,
              const rules::ZoneObservations& observations, std::int64_t now, const RuleOptions& options,
              const rules::ZoneFileView* compared = nullptr)
      : m_snapshot(&snapshot), m_zone(&zone), m_dnssec(&dnssec), m_observations(&observations), m_compared(compared),
        m_now(now), m_options(&options) {}

  // A zone file (`check`): no snapshot, no servers.
  RuleContext(std::string zone, const ZoneFileInput& file, const zw::dnssec::ZoneDnssec& dnssec, std::int64_t now,
              const RuleOptions& options)
      : m_zone_name(std::move(zone)), m_dnssec(&dnssec), m_file(&file), m_now(now), m_options(&options) {}

  const std::string& zone_name() const noexcept { return m_zone != nullptr ? m_zone->zone : m_zone_name; }
  // The zone file, or nullptr in a live audit. Rules with Inputs::zone_file read it.
  const ZoneFileInput* zone_file() const noexcept { return m_file; }
  // In a live audit with `--zone-file`: the file the servers are compared with; else nullptr.
  const rules::ZoneFileView* compared_zone_file() const noexcept { return m_compared; }
  // The live observations. Only rules with Inputs::live may call live(), snapshot(), servers()
  // and public_root_hints(): the engine runs the others on zone files, where there are none.
  const ZoneSnapshot& live() const noexcept { return *m_zone; }
  const Snapshot& snapshot() const noexcept { return *m_snapshot; }
  const zw::dnssec::ZoneDnssec& dnssec() const noexcept { return *m_dnssec; }
  const rules::ZoneObservations& servers() const noexcept { return *m_observations; }
  // Unix seconds; `--now`, or when the snapshot was taken. Rules never read the clock.
  std::int64_t now() const noexcept { return m_now; }
  const RuleOptions& options() const noexcept { return *m_options; }
  // The thresholds rule `info` reads: the profile's, or the rule's own ([options."ID"]).
  const RuleThresholds& thresholds(const RuleInfo& info) const { return m_options->for_rule(info.id); }
  // True when the walk started from the built-in public root hints (not a lab or internal root).
  bool public_root_hints() const noexcept { return m_snapshot->public_root_hints; }

  // Live audits with a run history (--history): the zone's state now, and as the zone's latest
  // earlier run recorded it. Either may be nullptr (no history, the zone's first run); the rollover
  // rules then say nothing.
  const RolloverState* rollover() const noexcept { return m_rollover; }
  const RolloverState* previous_rollover() const noexcept { return m_previous; }
  void set_rollover(const RolloverState* now, const RolloverState* previous) noexcept {
    m_rollover = now;
    m_previous = previous;
  }

private:
  const Snapshot* m_snapshot = nullptr;
  const ZoneSnapshot* m_zone = nullptr;
  std::string m_zone_name;
  const zw::dnssec::ZoneDnssec* m_dnssec = nullptr;
  const rules::ZoneObservations* m_observations = nullptr;
  const ZoneFileInput* m_file = nullptr;
  const rules::ZoneFileView* m_compared = nullptr;
  std::int64_t m_now = 0;
  const RuleOptions* m_options = nullptr;
  const RolloverState* m_rollover = nullptr;
  const RolloverState* m_previous = nullptr;
};

} // namespace zw
