#pragma once
// Run history (#10): every run of `audit`, `check` or `report --history HISTORY` recorded in an
// SQLite file or a PostgreSQL database, one transaction per run, and the questions nightly CI asks
// of it: which runs, what is new, what was fixed and since when (docs/history.md).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zonewarden/audit.hpp"
#include "zonewarden/error.hpp"
#include "zonewarden/policy.hpp"
#include "zonewarden/report.hpp"

namespace zw::history {

// The schema this build writes and reads (SQLite: `PRAGMA user_version`; PostgreSQL: the
// zonewarden_meta table). A history of a newer schema is refused; an older one is migrated when it
// is opened (SQLite 1 -> 2: zones.state; 2 is PostgreSQL's first).
inline constexpr int k_schema_version = 2;

// The identity of "the same finding" in baselines and waivers (rule, zone, server, owner, type;
// never the message), as 16 hex digits of 64-bit FNV-1a: the SARIF report's
// `partialFingerprints["zonewardenFinding/v1"]` of the same finding.
std::string fingerprint(const Finding& finding);

// What the run was, besides its result.
struct RunMeta {
  std::int64_t started = 0;  // unix seconds
  std::int64_t finished = 0; // unix seconds
  int exit_status = 0;
};

// One row of `history FILE runs`.
struct RunSummary {
  std::int64_t id = 0;
  std::int64_t started = 0;
  std::int64_t finished = 0;
  std::string version;
  std::string command;
  std::string profile;
  int exit_status = 0;
  std::int64_t zones = 0;
  std::int64_t errors = 0; // findings of severity error (suppressed ones included)
  std::int64_t warnings = 0;
  std::int64_t notices = 0;
};

// A finding as stored.
struct StoredFinding {
  std::int64_t run = 0;
  std::string fingerprint;
  std::string rule;
  std::string severity;
  std::string zone, server, owner, type;
  std::string file;
  std::int64_t line = 0;
  std::string message;
  std::string suppressed;
};

// `history FILE diff [A B]`: findings matched by fingerprint, over the zones both sides recorded
// (a zone the other side did not look at is neither fixed nor new there: it is not compared).
struct RunDiff {
  // The two runs; 0 for each zone's own latest two runs (diff_latest) when they differ from zone
  // to zone (the shards of a night are runs of their own).
  std::int64_t from = 0;
  std::int64_t to = 0;
  std::size_t zones = 0;              // zones compared
  std::vector<std::string> only_from; // recorded by `from` only: not compared
  std::vector<std::string> only_to;   // recorded by `to` only (diff_latest: by one run only): not compared
  std::vector<StoredFinding> added;   // in `to`, not in `from` (as in `to`)
  std::vector<StoredFinding> fixed;   // in `from`, not in `to` (as in `from`)
  std::vector<StoredFinding> still;   // in both (as in `to`)
};

// `history FILE zone NAME`.
struct ZoneHistory {
  struct Present {
    StoredFinding finding;           // as in the zone's latest run
    std::int64_t first_seen_run = 0; // the first run of the zone that had it
    std::int64_t first_seen = 0;     // that run's start (unix s)
    std::int64_t consecutive = 0;    // runs of the zone in a row, up to the latest, that had it
  };
  struct Fixed {
    StoredFinding finding; // as last seen
    std::int64_t last_seen_run = 0;
    std::int64_t fixed_run = 0; // the first run of the zone without it, after last_seen_run
    std::int64_t fixed = 0;     // that run's start (unix s)
  };
  std::string zone;
  std::vector<std::int64_t> runs; // runs that checked the zone, oldest first
  // The zone as its latest run saw it: the chain status, and the JSON text stored for its SOA
  // serials, DNSKEYs and DS set (empty when that run's result did not carry them).
  std::string chain;
  std::string soa_serials, dnskeys, ds;
  std::vector<Present> present;
  std::vector<Fixed> fixed;
};

namespace db {
class Database;
class Query;
} // namespace db

// An open history. Move-only; the connection is closed with the object.
class HistoryStore {
public:
  // `spec`: an SQLite file, or a PostgreSQL connection URI (`postgresql://` or `postgres://`).
  // `create`: a missing file (an empty database) gets the schema (SQLite in WAL mode); else the
  // history must be there. One-line Errors naming the history (a URI without its password):
  // missing, not an SQLite database, not a zonewarden history, written by a newer zonewarden
  // (schema version), the server's refusal.
  static Result<HistoryStore> open(const std::string& spec, bool create);
  HistoryStore(HistoryStore&&) noexcept;
  HistoryStore& operator=(HistoryStore&&) noexcept;
  ~HistoryStore();

  // Records the run, its zones and every finding in one transaction: all of it or nothing.
  // Returns the new run's id.
  Result<std::int64_t> record_run(const AuditResult& result, const RunMeta& meta);

  // Every zone's state as the latest run that recorded one saw it (RolloverState), by zone name in
  // lower case with its final dot: what the rollover rules compare this run with. An Error when a
  // stored state does not read back (a damaged file).
  Result<std::map<std::string, RolloverState>> rollover_states();
  // The same for the zones given only (names as given; a zone never recorded has no entry): what
  // an audit of those zones reads, whatever else the history holds.
  Result<std::map<std::string, RolloverState>> rollover_states(std::span<const std::string> zones);
  // The same, each state handed to `visit` as stored (zone name in lower case with its final dot,
  // the state's JSON text) and not kept: what a fleet's audit spools (audit::StateSpool). An
  // Error from `visit` stops the reading and comes back naming the run and the zone.
  using StateVisitor = std::function<Result<void>(const std::string& zone, std::string_view state)>;
  Result<void> each_rollover_state(std::span<const std::string> zones, const StateVisitor& visit);
  // For the HTML report of `result` (not recorded yet): when each of its findings was first
  // recorded (by fingerprint) and, for each of its zones, its latest `runs_per_zone` runs with
  // their errors and warnings, oldest first.
  Result<ReportHistory> report_history(const AuditResult& result, std::size_t runs_per_zone);
  // Every run, oldest first.
  Result<std::vector<RunSummary>> runs();
  // The latest run's id; an Error when the file holds no run.
  Result<std::int64_t> latest_run();
  // The run `id`'s findings; an Error "FILE: no run ID" when there is no such run.
  Result<std::vector<StoredFinding>> findings_of_run(std::int64_t id);
  // The findings of run `to` against run `from`, over the zones both recorded.
  Result<RunDiff> diff(std::int64_t from, std::int64_t to);
  // Each zone's latest run against the zone's run before it: what changed since the zone was last
  // looked at, whichever runs (shards, a `check` in between) recorded it.
  Result<RunDiff> diff_latest();
  // The zone's findings over time; `zone` with or without its final dot, any case.
  Result<ZoneHistory> zone_history(const std::string& zone);
  // The run `id` as a baseline (the same keys as a JSON report of it gives); `id` empty: each
  // zone's findings in the latest run that recorded the zone (the latest run, when every run
  // records every zone).
  Result<Baseline> baseline(std::optional<std::int64_t> id);
  // Deletes every run but the newest `keep`; returns how many were deleted.
  Result<std::int64_t> prune(std::int64_t keep);

  // The history as messages name it: the file's path, or the URI without its password.
  const std::string& path() const noexcept;

private:
  explicit HistoryStore(std::unique_ptr<db::Database> db);
  Result<void> require_run(std::int64_t id);
  // The zones run `id` recorded.
  Result<std::set<std::string>> zones_of_run(std::int64_t id);
  // Hands the rows (zone, state, run id) of `s` to `visit`.
  Result<void> visit_states(db::Query& s, const StateVisitor& visit);
  // The rows of `s` as rollover states by zone name.
  Result<std::map<std::string, RolloverState>> read_states(db::Query& s);

  std::unique_ptr<db::Database> m_db;
};

// A history that is not there yet, and will be created when a run is recorded: a file that does
// not exist (a database URI is always taken to be there: its server creates nothing on a read).
bool history_missing(const std::string& spec);

// `--baseline history:HISTORY` (the latest run) or `history:HISTORY#RUN`, HISTORY a file or a
// PostgreSQL URI: the run as a baseline. An Error when `spec` does not start with "history:",
// names no history, or a bad run id.
Result<Baseline> load_history_baseline(const std::string& spec);

} // namespace zw::history
