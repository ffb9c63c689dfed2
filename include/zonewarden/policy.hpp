#pragma once
// Policy profiles, baselines and waivers: what the organisation decides about findings. The
// engine and the rules never read these; they are applied to an AuditResult afterwards (and
// the thresholds are handed to the rules through EngineOptions).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zonewarden/audit.hpp"
#include "zonewarden/error.hpp"
#include "zonewarden/finding.hpp"

namespace zw {

// The policy's thresholds for the rules are its RuleThresholds.
struct Policy : ProfileThresholds {
  std::string name = "default";
  // Rule selection, applied in order: a glob ("dnssec/*", "delegation/lame-*") and whether it
  // enables or disables the rules it matches; the last matching entry decides. Rules not matched
  // by any entry stay enabled. A profile's `enable` list loads as ("*", false) followed by its
  // globs, then `disable`'s.
  std::vector<std::pair<std::string, bool>> rules;
  // Severity overrides by exact rule id or glob; the last matching entry wins.
  std::vector<std::pair<std::string, Severity>> severities;
};

// The two syntaxes of profiles and waiver files.
enum class ConfigFormat : std::uint8_t { toml, yaml };

// Loads a profile: "default" and "strict" are bundled; anything else is a path to a TOML
// (.toml) or YAML (.yaml/.yml) file. An unknown key, an unknown rule id (or a glob matching no
// rule), a bad severity or a bad value is an Error naming the file and key.
Result<Policy> load_policy(const std::string& name_or_path);
// Reads a profile from `text` in `format`, as load_policy reads a file named `name`: `name`
// stands for the file in messages, and its stem is the profile's name unless the text names
// one. `name` itself is never opened.
Result<Policy> parse_policy(std::string_view text, ConfigFormat format, const std::string& name);

// Is rule `id` enabled under `policy`?
bool rule_enabled(const Policy& policy, std::string_view id);

// Drops the findings of disabled rules, applies severity overrides, records the policy name.
// The tool's own findings (`internal/*`, `policy/*`) are never dropped or regraded. Removes the
// disabled ids from `result.rules_run` and sorts each zone's findings again.
void apply_policy(const Policy& policy, AuditResult& result);
// The per-zone part of it (findings dropped, regraded, sorted), for a zone graded on its own.
void apply_policy(const Policy& policy, ZoneResult& zone);

// Copies the thresholds of `policy` (expiry window, CDS patience, allowed algorithms, minimum RSA
// size, maximum NSEC3 iterations; [thresholds] and each rule's [options."ID"]) into `options`, so
// the rules run with the profile's values.
void apply_thresholds(const Policy& policy, EngineOptions& options);

// The names of the thresholds a profile sets ("expiry_window", ...): the keys of [thresholds] and
// of [options."ID"], and what a rule's catalog entry may name in `options`.
std::span<const std::string_view> threshold_names() noexcept;

// Names of the bundled profiles ("default", "strict"), sorted.
std::vector<std::string> bundled_profile_names();

// A previous result (the JSON report) whose findings are known. Findings are matched on rule,
// zone, server, owner and type, never on message text.
struct Baseline {
  struct Key {
    std::string rule, zone, server, owner, type;
    auto operator<=>(const Key&) const = default;
  };
  std::vector<Key> keys; // sorted
};
// Reads the JSON report at `path` (render_json's format, schema 1). Members it does not need are
// ignored; a missing or mistyped member it needs is an Error naming the file and the member.
Result<Baseline> load_baseline(const std::string& path);
// The same for a report already in memory; `name` stands for the file in messages.
Result<Baseline> parse_baseline(std::string_view text, const std::string& name);
// Marks findings present in `baseline` as suppressed ("baseline"); nothing is removed. A
// finding that is already suppressed keeps its reason; the tool's own findings are never hidden.
void apply_baseline(const Baseline& baseline, AuditResult& result);
void apply_baseline(const Baseline& baseline, ZoneResult& zone);

// An accepted finding: matched like a baseline entry (empty fields match anything), with a
// reason and an expiry date. An expired waiver suppresses nothing and is itself a finding
// (`policy/waiver-expired`, warning).
struct Waiver {
  std::string rule, zone, server, owner, type;
  std::string reason;
  std::int64_t expires = 0; // unix seconds
};
// Reads a waiver file: TOML (`[[waiver]]` tables) or YAML (a list under `waivers:`). `rule` is
// an exact id or a glob; `reason` and `expires` ("2026-12-31" or RFC 3339) are required.
Result<std::vector<Waiver>> load_waivers(const std::string& path); // TOML or YAML
// The same for text already in memory, in `format`; `name` stands for the file in messages.
Result<std::vector<Waiver>> parse_waivers(std::string_view text, ConfigFormat format, const std::string& name);
// A waiver is active while `now` < `expires`. An active waiver marks the findings it matches
// suppressed ("waived: <reason> (until <date>)"). An expired one suppresses nothing and adds a
// `policy/waiver-expired` warning to the zone it names, or to every zone when it names none.
// Zone and owner match case-insensitively with or without the final dot; `server` matches the
// whole "name/address", the name alone or the address alone.
void apply_waivers(const std::vector<Waiver>& waivers, std::int64_t now, AuditResult& result);
void apply_waivers(const std::vector<Waiver>& waivers, std::int64_t now, ZoneResult& zone);

} // namespace zw
