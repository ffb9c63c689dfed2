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

// One zone of the chain of trust, root first, the audited zone last (for diagrams).
struct ChainLink {
  struct Ds {
    std::uint16_t key_tag = 0;
    std::uint8_t algorithm = 0;
    std::uint8_t digest_type = 0;
    bool matches_key = false;    // the digest matches a DNSKEY of the zone
  };
  struct Key {
    std::uint16_t key_tag = 0;
    std::uint8_t algorithm = 0;
    std::uint16_t flags = 0;     // 257 KSK/SEP, 256 ZSK
    bool matched_by_ds = false;
    bool signs_dnskey = false;
  };
  std::string zone;
  std::string status;            // "secure", "insecure", "bogus", "indeterminate"
  std::vector<Ds> ds;
  std::vector<Key> keys;
};

struct ZoneResult {
  std::string zone;
  std::string chain;          // "secure", "insecure", "bogus", "indeterminate"
  std::vector<ServerRow> servers;
  std::vector<Finding> findings;  // sorted: severity (worst first), rule, owner, type, server
  std::vector<std::string> notes; // walk and analysis notes for people
  std::optional<std::int64_t> earliest_expiration;  // earliest RRSIG expiration seen (unix s)
  std::vector<ChainLink> chain_links;  // root first, this zone last; empty when not walked
};

struct AuditResult {
  std::string tool = "zonewarden";
  std::string version;
  std::string command;        // "audit" or "check"
  std::int64_t generated = 0; // unix seconds, when the result was made
  std::int64_t now = 0;       // the "now" the rules used
  double elapsed_s = 0.0;
  std::string policy = "default";  // the policy profile the findings were graded with
  std::vector<std::string> rules_run;  // ids of every rule that ran, sorted
  std::vector<ZoneResult> zones;
};

struct EngineOptions {
  std::int64_t now = 0;                       // unix seconds
  std::int64_t expiry_window_s = 3 * 86400;
};

// Runs every live rule on every zone of `snapshot`. Never throws: a rule that throws becomes an
// `internal/rule-failed` finding and the other rules still run.
AuditResult run_audit_rules(const Snapshot& snapshot, const EngineOptions& options);

// Number of findings at or above `threshold` over all zones, not counting suppressed ones.
std::size_t count_at_or_above(const AuditResult& result, Severity threshold) noexcept;

} // namespace zw
