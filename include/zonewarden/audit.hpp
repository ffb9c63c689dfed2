#pragma once
// The engine: runs the selected rules over a Snapshot and collects the results per zone.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zonewarden/finding.hpp"
#include "zonewarden/snapshot.hpp"

namespace zw {

// One row of the per-zone server table.
struct ServerRow {
  std::string name;
  std::string address;
  std::optional<std::uint32_t> soa_serial;
  bool authoritative = false;
  std::string rcode;          // "NOERROR", "REFUSED", ... or "" without an answer
  std::optional<double> rtt_ms;
  std::string udp;            // "ok", "timeout", "unreachable", "truncated", ...
  std::string tcp;
};

struct ZoneResult {
  std::string zone;
  std::string chain;          // "secure", "insecure", "bogus", "indeterminate"
  std::vector<ServerRow> servers;
  std::vector<Finding> findings;  // sorted: severity (worst first), rule, owner, type, server
  std::vector<std::string> notes; // walk and analysis notes for people
  std::optional<std::int64_t> earliest_expiration;  // earliest RRSIG expiration seen (unix s)
};

struct AuditResult {
  std::string tool = "zonewarden";
  std::string version;
  std::string command;        // "audit" or "check"
  std::int64_t generated = 0; // unix seconds, when the result was made
  std::int64_t now = 0;       // the "now" the rules used
  double elapsed_s = 0.0;
  std::vector<ZoneResult> zones;
};

struct EngineOptions {
  std::int64_t now = 0;                       // unix seconds
  std::int64_t expiry_window_s = 3 * 86400;
};

// Runs every live rule on every zone of `snapshot`. Never throws: a rule that throws becomes an
// `internal/rule-failed` finding and the other rules still run.
AuditResult run_audit_rules(const Snapshot& snapshot, const EngineOptions& options);

// Number of findings at or above `threshold` over all zones.
std::size_t count_at_or_above(const AuditResult& result, Severity threshold) noexcept;

} // namespace zw
