#pragma once
// Policy profiles, baselines and waivers: what the organisation decides about findings. The
// engine and the rules never read these; they are applied to an AuditResult afterwards (and
// the thresholds are handed to the rules through EngineOptions).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zonewarden/audit.hpp"
#include "zonewarden/error.hpp"
#include "zonewarden/finding.hpp"

namespace zw {

struct Policy {
  std::string name = "default";
  // Rule selection, applied in order: a glob ("dnssec/*", "delegation/lame-*") and whether it
  // enables or disables the rules it matches. Rules not matched by any entry stay enabled.
  std::vector<std::pair<std::string, bool>> rules;
  // Severity overrides by exact rule id or glob; the last matching entry wins.
  std::vector<std::pair<std::string, Severity>> severities;
  // Thresholds handed to the rules.
  std::int64_t expiry_window_s = 3 * 86400;
  std::vector<std::uint8_t> allowed_algorithms;  // empty: the IANA recommendations decide
  unsigned min_rsa_bits = 2048;
  unsigned max_nsec3_iterations = 0;             // RFC 9276 §3.1
};

// Loads a profile: "default" and "strict" are bundled; anything else is a path to a TOML
// (.toml) or YAML (.yaml/.yml) file. An unknown key, an unknown rule id (or a glob matching no
// rule), a bad severity or a bad value is an Error naming the file and key.
Result<Policy> load_policy(const std::string& name_or_path);

// Is rule `id` enabled under `policy`?
bool rule_enabled(const Policy& policy, std::string_view id);

// Drops the findings of disabled rules, applies severity overrides, records the policy name.
void apply_policy(const Policy& policy, AuditResult& result);

// A previous result (the JSON report) whose findings are known. Findings are matched on rule,
// zone, server, owner and type, never on message text.
struct Baseline {
  struct Key {
    std::string rule, zone, server, owner, type;
    auto operator<=>(const Key&) const = default;
  };
  std::vector<Key> keys;  // sorted
};
Result<Baseline> load_baseline(const std::string& path);
// Marks findings present in `baseline` as suppressed ("baseline").
void apply_baseline(const Baseline& baseline, AuditResult& result);

// An accepted finding: matched like a baseline entry (empty fields match anything), with a
// reason and an expiry date. An expired waiver suppresses nothing and is itself a finding
// (`policy/waiver-expired`, warning).
struct Waiver {
  std::string rule, zone, server, owner, type;
  std::string reason;
  std::int64_t expires = 0;  // unix seconds
};
Result<std::vector<Waiver>> load_waivers(const std::string& path);  // TOML or YAML
void apply_waivers(const std::vector<Waiver>& waivers, std::int64_t now, AuditResult& result);

} // namespace zw
