#pragma once
// The engine: runs the selected rules over a Snapshot and collects the results per zone.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "zonewarden/error.hpp"
#include "zonewarden/finding.hpp"
#include "zonewarden/rule.hpp"
#include "zonewarden/snapshot.hpp"

namespace zw {

// One row of the per-zone server table.
struct ServerRow {
  std::string name;
  std::string address;
  std::optional<std::uint32_t> soa_serial;
  bool authoritative = false;
  std::string rcode; // "NOERROR", "REFUSED", ... or "" without an answer
  std::optional<double> rtt_ms;
  std::string udp; // "ok", "timeout", "unreachable", "truncated", ...
  std::string tcp;
};

// One zone of the chain of trust, root first, the audited zone last (for diagrams).
struct ChainLink {
  struct Ds {
    std::uint16_t key_tag = 0;
    std::uint8_t algorithm = 0;
    std::uint8_t digest_type = 0;
    bool matches_key = false; // the digest matches a DNSKEY of the zone
  };
  struct Key {
    std::uint16_t key_tag = 0;
    std::uint8_t algorithm = 0;
    std::uint16_t flags = 0; // 257 KSK/SEP, 256 ZSK
    bool matched_by_ds = false;
    bool signs_dnskey = false;
  };
  std::string zone;
  std::string status; // "secure", "insecure", "bogus", "indeterminate"
  std::vector<Ds> ds;
  std::vector<Key> keys;
};

// A zone's keys, DS set and signing as one audit saw them: what the rollover rules compare from
// one run to the next (docs/rules/rollover/), kept in the run history (--history, docs/history.md).
struct RolloverState {
  struct Key {
    std::string id; // 16 hex digits: FNV-1a 64 of the algorithm and public key (flags aside: a
                    // key keeps its id when it is revoked)
    std::uint16_t key_tag = 0;
    std::uint8_t algorithm = 0;
    std::uint16_t flags = 0;
    bool signs_dnskey = false; // a signature by it over the DNSKEY RRset validated
    bool sole_signer = false;  // it alone made a valid signature over some other RRset of the zone
  };
  struct Ds {
    std::uint16_t key_tag = 0;
    std::uint8_t algorithm = 0;
    std::uint8_t digest_type = 0;
    std::string digest{}; // hex, lower case
    std::string key{};    // id of the DNSKEY its digest matched, "" when none did
  };
  std::int64_t observed = 0; // unix seconds: the run's "now"
  std::vector<Key> keys;     // the DNSKEY RRset, union over the zone's servers
  std::uint32_t dnskey_ttl = 0;
  bool ds_known = false; // a parent server answered the DS query (NOERROR or NXDOMAIN)
  std::vector<Ds> ds;
  std::uint32_t ds_ttl = 0;
  std::uint32_t max_data_ttl = 0; // the largest TTL of the zone's answers seen (a lower bound of the zone's)
  std::optional<std::int64_t> earliest_expiration{}; // of the zone's own valid signatures (unix s)
  std::vector<std::string> cds{};                    // CDS RDATA in presentation form, sorted
  // Carried from run to run: since when (observed) the zone publishes this same CDS set.
  std::int64_t cds_since = 0;
  // When the zone's first RRset stops validating unless it is re-signed: the earliest, over the
  // zone's own RRsets with a usable signature, of the latest expiration among them (unix s).
  std::optional<std::int64_t> signed_until{};
  std::int64_t validity = 0; // expiration - inception of that signature (s), 0 when unsigned
  // Carried from run to run (rollover/resigning-stalled): since when (observed) `signed_until` has
  // had this value; and what the zone's re-signing looked like in the runs before. A refresh is
  // a run that saw `signed_until` later than the run before it did, when that run's margin
  // (signed_until - observed) was under half the validity: the signer's own schedule, not a
  // re-sign after an edit. `refresh_floor` is the lowest margin any refresh can have happened at
  // (the margin of the run before it, less the time between the two runs); 0 with no refresh.
  std::int64_t signed_until_since = 0;
  std::int64_t refresh_floor = 0;
  std::uint32_t refreshes = 0;
};

struct ZoneResult {
  std::string zone;
  std::string chain; // "secure", "insecure", "bogus", "indeterminate"
  std::vector<ServerRow> servers;
  std::vector<Finding> findings;                   // sorted: severity (worst first), rule, owner, type, server
  std::vector<std::string> notes;                  // walk and analysis notes for people
  std::optional<std::int64_t> earliest_expiration; // earliest RRSIG expiration seen (unix s)
  std::vector<ChainLink> chain_links;              // root first, this zone last; empty when not walked
  // Live audits: the zone's keys as this run saw them (not in the reports; the history keeps it).
  std::optional<RolloverState> rollover{};
};

// Where a run's judged zones are kept when not in AuditResult::zones: a live audit writes each
// zone to a file as soon as it is judged, so that its memory follows the zones in flight, not the
// fleet (issue #10). Read back one zone at a time, in the run's order, as often as needed.
class ZoneResultSource {
public:
  virtual ~ZoneResultSource() = default;
  [[nodiscard]] virtual std::size_t size() const = 0;
  // The zone at `index` (below size()) as it was stored; throws ZoneSourceError when it cannot
  // be read back (an I/O error on the file): the run cannot report, and exits 2.
  [[nodiscard]] virtual ZoneResult load(std::size_t index) const = 0;

protected:
  ZoneResultSource() = default;
  ZoneResultSource(const ZoneResultSource&) = default;
  ZoneResultSource& operator=(const ZoneResultSource&) = default;
};

struct ZoneSourceError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What a result says of the run that made it (the JSON report's header).
// The rule whose warning window a result records (AuditHeader::expiry_window_s).
inline constexpr std::string_view k_expiry_window_rule = "dnssec/rrsig-expiring-soon";

struct AuditHeader {
  std::string tool = "zonewarden";
  std::string version;
  std::string command;        // "audit" or "check"
  std::int64_t generated = 0; // unix seconds, when the result was made
  std::int64_t now = 0;       // the "now" the rules used
  double elapsed_s = 0.0;
  std::string policy = "default";     // the policy profile the findings were graded with
  std::vector<std::string> rules_run; // ids of every rule that ran, sorted
  // The warning window dnssec/rrsig-expiring-soon judged with (the profile's, or --expiry-window):
  // the HTML report's expiry timeline shades it. Reports written before it was recorded read 3 d.
  std::int64_t expiry_window_s = std::int64_t{3} * 86400;
};

struct AuditResult : AuditHeader {
  // The zones, in the order they were given: here, or (a live audit) in `spooled`, never both.
  // Read them through zones_of(), which takes either; the functions that change findings
  // (apply_policy, apply_waivers, apply_baseline) change those held here: a spooled zone is
  // graded before it is stored.
  std::vector<ZoneResult> zones;
  std::shared_ptr<const ZoneResultSource> spooled;
};

// The zones of a result wherever they are kept: `for (const ZoneResult& z : zones_of(result))`.
// A spooled zone is read when its iterator is dereferenced and lives until the iterator moves on;
// each begin() is a new pass. Throws ZoneSourceError as ZoneResultSource::load does.
class ZoneResults {
public:
  class iterator { // NOLINT(readability-identifier-naming): the standard range interface's name
  public:
    using iterator_category = std::input_iterator_tag;
    using value_type = ZoneResult;
    using difference_type = std::ptrdiff_t;
    using pointer = const ZoneResult*;
    using reference = const ZoneResult&;

    iterator() = default;
    reference operator*() const;
    pointer operator->() const { return &**this; }
    iterator& operator++() {
      ++m_index;
      m_loaded.reset();
      return *this;
    }
    void operator++(int) { ++*this; }
    [[nodiscard]] std::size_t index() const noexcept { return m_index; }
    friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.m_index == b.m_index; }

  private:
    friend class ZoneResults;
    iterator(const std::vector<ZoneResult>* memory, const ZoneResultSource* source, std::size_t index)
        : m_memory(memory), m_source(source), m_index(index) {}
    const std::vector<ZoneResult>* m_memory = nullptr;
    const ZoneResultSource* m_source = nullptr;
    std::size_t m_index = 0;
    mutable std::shared_ptr<const ZoneResult> m_loaded;
  };

  explicit ZoneResults(const AuditResult& result) noexcept : m_memory(&result.zones), m_source(result.spooled.get()) {}
  [[nodiscard]] std::size_t size() const { return m_source != nullptr ? m_source->size() : m_memory->size(); }
  [[nodiscard]] bool empty() const { return size() == 0; }
  [[nodiscard]] iterator begin() const { return {m_memory, m_source, 0}; }
  [[nodiscard]] iterator end() const { return {m_memory, m_source, size()}; }

private:
  const std::vector<ZoneResult>* m_memory;
  const ZoneResultSource* m_source;
};

inline ZoneResults zones_of(const AuditResult& result) noexcept {
  return ZoneResults(result);
}

// What the rollover rules compare a live audit with (--history): each zone's state as its latest
// earlier run saw it. find() is called by several judging threads at once.
class PreviousStates {
public:
  virtual ~PreviousStates() = default;
  // The state of `zone` (lower case with its final dot), or none: the zone has no earlier run.
  [[nodiscard]] virtual std::optional<RolloverState> find(const std::string& zone) const = 0;

protected:
  PreviousStates() = default;
  PreviousStates(const PreviousStates&) = default;
  PreviousStates& operator=(const PreviousStates&) = default;
};

// The states held in a map (tests, a few zones). A fleet's are read from a file: see
// audit::StateSpool.
class PreviousStateMap final : public PreviousStates {
public:
  PreviousStateMap() = default;
  explicit PreviousStateMap(std::map<std::string, RolloverState> states) : m_states(std::move(states)) {}
  [[nodiscard]] std::optional<RolloverState> find(const std::string& zone) const override {
    const auto found = m_states.find(zone);
    return found != m_states.end() ? std::optional<RolloverState>(found->second) : std::nullopt;
  }

private:
  std::map<std::string, RolloverState> m_states;
};

// The thresholds a policy profile sets for the rules (docs/policy.md). The catalog says which
// rule reads which (RuleInfo::options): expiry_window the signature-timing rules, cds_patience
// rollover/cds-not-acted-on, allowed_algorithms dnssec/algorithm-deprecated, min_rsa_bits
// dnssec/key-size-weak, max_nsec3_iterations dnssec/nsec3-parameters.
struct RuleThresholds {
  std::int64_t expiry_window_s = std::int64_t{3} * 86400; // signatures that expire within it
  std::int64_t cds_patience_s = std::int64_t{3} * 86400;  // a CDS set the parent has ignored this long
  std::vector<std::uint8_t> allowed_algorithms;           // empty: the IANA recommendations decide
  unsigned min_rsa_bits = 2048;                           // RSA moduli below it are weak
  unsigned max_nsec3_iterations = 0;                      // RFC 9276 §3.1
};

// A profile's thresholds: those of [thresholds], and for the rules it gives options of their own
// ([options."ID"]), each such rule's, which start from [thresholds]. The same in the policy, the
// engine's options and what the rules read (RuleOptions).
struct ProfileThresholds : RuleThresholds {
  std::map<std::string, RuleThresholds, std::less<>> per_rule;

  // The thresholds rule `id` reads.
  [[nodiscard]] const RuleThresholds& for_rule(std::string_view id) const {
    const auto found = per_rule.find(id);
    return found != per_rule.end() ? found->second : *this;
  }
  // The command line's --expiry-window: it wins over the profile, for every rule.
  void override_expiry_window(std::int64_t seconds) {
    expiry_window_s = seconds;
    for (auto& [id, thresholds] : per_rule) {
      thresholds.expiry_window_s = seconds;
    }
  }
  // The largest expiry window any rule reads: the signatures the analysis must keep.
  [[nodiscard]] std::int64_t widest_expiry_window() const noexcept {
    std::int64_t widest = expiry_window_s;
    for (const auto& [id, thresholds] : per_rule) {
      widest = std::max(widest, thresholds.expiry_window_s);
    }
    return widest;
  }
};

struct EngineOptions : ProfileThresholds {
  std::int64_t now = 0;                                  // unix seconds
  ResolverModel resolver_model = ResolverModel::unbound; // whose answers findings predict
  // A run with a history (--history): the zones' states as their latest earlier run saw them
  // (none for a new history). The engine then records each zone's state (ZoneResult::rollover)
  // and the rollover rules compare it with the earlier one; a zone with no earlier state has no
  // earlier run, and they say nothing. nullptr: no history.
  const PreviousStates* previous = nullptr;
};

// What `zonewarden check` knows besides the zone file.
// How far `check_zone_file` has got, for a progress line: read concurrently by another thread.
struct CheckProgress {
  std::atomic<std::size_t> names_total{0};    // the zone's names, once the file is loaded
  std::atomic<std::size_t> names_verified{0}; // names whose signatures are verified so far
};

struct CheckOptions {
  std::string origin;                  // zone apex; empty: the owner of the file's SOA
  std::vector<std::string> ds_records; // --ds, presentation format; each zone takes those at its apex
  std::vector<std::string> ds_sources; // where each of ds_records is, "file:line" (same order; may be empty)
  bool ds_given = false;
  // An Error when --ds holds no DS for the zone (one file checked); else a note, and the zone is
  // checked without DS (several files share one --ds file).
  bool require_ds = true;
  unsigned jobs = 0;                 // verification threads; 0: every core
  CheckProgress* progress = nullptr; // optional: filled in while the file is checked
};

// Runs every live rule on every zone of `snapshot`. Never throws: a rule that throws becomes an
// `internal/rule-failed` finding and the other rules still run.
AuditResult run_audit_rules(const Snapshot& snapshot, const EngineOptions& options);

// The same, one zone at a time, for audits that hand each zone over as its walk ends
// (ProbeOptions::on_zone): an empty result (version, command, now, rules run) to append to, and
// one zone's result. `snapshot` supplies what is common to the run (trust anchor, hints); its
// `zones` are not read.
AuditResult start_audit_result(const EngineOptions& options);
// The empty result of `check` (the rules that read zone files), as start_audit_result's.
AuditResult start_check_result(const EngineOptions& options);
ZoneResult run_audit_rules_on_zone(const Snapshot& snapshot, const ZoneSnapshot& zone, const EngineOptions& options);

// `audit --shard K/N`: the shard (0 to N-1) that audits `zone`: FNV-1a (64-bit) of the name in
// lower case with its trailing dot, modulo N. Fixed for good: shards that run on other machines
// or other versions of zonewarden must agree on it.
std::size_t shard_of(std::string_view zone, std::size_t shards);

// `report --merge`: one result from the JSON results of the shards of one audit, each given
// with the file it came from (for the errors). They must agree on what makes the findings
// comparable (command, version, policy, rules run) and no zone may be in two of them. The zones
// are sorted by name; `now` is the earliest, `generated` the latest, `elapsed_s` the longest.
Result<AuditResult> merge_results(std::vector<std::pair<std::string, AuditResult>> parts);
// The same in two steps, for results whose zones are not in memory: the merged result without
// its zones (the checks that the parts are shards of one audit), and the order of the zones of
// all parts (`zones[i]` read from `files[i]`, in the parts' order) in the merged result: indices
// into `zones`, canonical order of their names. An Error for a zone in two parts or a name that
// is not a domain name.
Result<AuditResult> merge_headers(std::span<const std::pair<std::string, const AuditResult*>> parts);
Result<std::vector<std::size_t>> merge_order(std::span<const std::string> zones, std::span<const std::string> files);

// Loads the zone file at `path`, verifies every signature and runs every zone-file rule on it.
// An Error (exit status 2) when the file cannot be loaded: unreadable, or a syntax error, named
// `file:line: reason`. The zone's findings are sorted like an audit's.
Result<ZoneResult> check_zone_file(const std::string& path, const CheckOptions& check, const EngineOptions& options);

// `audit --zone-file`: the zone file at `path` loaded as zone `zone` by `check`'s loader (the
// same one-line errors, `file:line: reason`), every record of it for the snapshot, and the
// (owner, type) questions that ask every server for its authoritative RRsets (never glue,
// occluded data or RRSIG; only DS at a cut), the first `limit` of them in canonical order.
struct ZoneFileForAudit {
  ZoneFileCopy copy;
  std::vector<std::pair<std::string, std::string>> questions;
};
Result<ZoneFileForAudit> load_zone_file_for_audit(const std::string& path, const std::string& zone,
                                                  std::uint64_t limit);

// Ids of the rules that read `inputs` (Inputs::live for audit, Inputs::zone_file for check), sorted.
std::vector<std::string> rules_reading(Inputs inputs);

// Number of findings at or above `threshold` over all zones, not counting suppressed ones.
std::size_t count_at_or_above(const AuditResult& result, Severity threshold) noexcept;

} // namespace zw
