// The SQLite side of run history. Every statement is prepared with bound parameters; no data is
// ever part of SQL text.

#include "history/history_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <string_view>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "history/rollover_json.hpp"
#include "history/sqlite.hpp"
#include "report/fingerprint.hpp"
#include "util/text.hpp"

namespace zw::history {

namespace {

using namespace sqlite; // NOLINT(google-build-using-namespace): this file is the SQLite side

constexpr int k_busy_timeout_ms = 10000;

const char* const k_schema = R"(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started INTEGER NOT NULL,
  finished INTEGER NOT NULL,
  generated INTEGER NOT NULL,
  version TEXT NOT NULL,
  command TEXT NOT NULL,
  profile TEXT NOT NULL,
  exit_status INTEGER NOT NULL
);
CREATE TABLE zones (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  zone TEXT NOT NULL,
  chain TEXT NOT NULL,
  soa_serials TEXT,
  dnskeys TEXT,
  ds TEXT,
  state TEXT,
  PRIMARY KEY (run_id, zone)
);
CREATE INDEX zones_zone ON zones(zone, run_id);
CREATE TABLE findings (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  fingerprint TEXT NOT NULL,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL,
  zone TEXT NOT NULL,
  server TEXT NOT NULL,
  owner TEXT NOT NULL,
  type TEXT NOT NULL,
  file TEXT NOT NULL,
  line INTEGER NOT NULL,
  message TEXT NOT NULL,
  suppressed TEXT NOT NULL
);
CREATE INDEX findings_run ON findings(run_id);
CREATE INDEX findings_zone ON findings(zone, run_id);
PRAGMA user_version = 2;
)";

// Version 1 -> 2: the zones' states for the rollover rules (RolloverState as JSON).
const char* const k_migrate_1_to_2 = R"(
ALTER TABLE zones ADD COLUMN state TEXT;
CREATE INDEX zones_zone ON zones(zone, run_id);
PRAGMA user_version = 2;
)";

std::string normalize_zone(std::string zone) {
  for (char& c : zone) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (zone.empty() || zone.back() != '.') {
    zone += '.';
  }
  return zone;
}

// What the result carries about the zone's keys and SOA serials, as JSON text; empty when it
// carries nothing (check has no servers; an audit not walked has no chain links).
std::optional<std::string> soa_serials(const ZoneResult& zone) {
  std::set<std::uint32_t> serials;
  for (const ServerRow& s : zone.servers) {
    if (s.soa_serial) {
      serials.insert(*s.soa_serial);
    }
  }
  if (serials.empty()) {
    return std::nullopt;
  }
  return nlohmann::json(serials).dump();
}

const ChainLink* own_link(const ZoneResult& zone) {
  for (const ChainLink& link : zone.chain_links) {
    if (link.zone == zone.zone) {
      return &link;
    }
  }
  return nullptr;
}

std::optional<std::string> dnskeys(const ZoneResult& zone) {
  const ChainLink* link = own_link(zone);
  if (link == nullptr) {
    return std::nullopt;
  }
  nlohmann::json keys = nlohmann::json::array();
  for (const ChainLink::Key& k : link->keys) {
    keys.push_back({{"key_tag", k.key_tag}, {"algorithm", k.algorithm}, {"flags", k.flags}});
  }
  return keys.dump();
}

std::optional<std::string> ds_set(const ZoneResult& zone) {
  const ChainLink* link = own_link(zone);
  if (link == nullptr) {
    return std::nullopt;
  }
  nlohmann::json ds = nlohmann::json::array();
  for (const ChainLink::Ds& d : link->ds) {
    ds.push_back({{"key_tag", d.key_tag}, {"algorithm", d.algorithm}, {"digest_type", d.digest_type}});
  }
  return ds.dump();
}

struct SchemaState {
  int version = 0;          // PRAGMA user_version
  std::int64_t objects = 0; // tables, indexes, ... of any kind
};

// Both numbers from one statement, so from one read transaction: read apart, another process
// could create the schema between them (version 0, then its tables: "not a zonewarden history").
Result<SchemaState> schema_state(const std::string& path, sqlite3* db) {
  Statement s(db, "SELECT (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_master)");
  if (!s.ok()) {
    return tl::unexpected<Error>(db_error(path, db, SQLITE_ERROR));
  }
  if (const int rc = s.step(); rc != SQLITE_ROW) {
    return tl::unexpected<Error>(db_error(path, db, rc));
  }
  return SchemaState{static_cast<int>(s.integer(0)), s.integer(1)};
}

// Switches a new history to WAL. The switch reads the file, then needs it to itself; when two
// processes create the history at once, SQLite answers one of them SQLITE_BUSY at once instead
// of letting both wait on each other (its busy handler does not run there), so the switch is
// tried again until the busy timeout. On a file another process already switched it is a no-op.
Result<void> use_wal(const std::string& path, sqlite3* db) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(k_busy_timeout_ms);
  for (;;) {
    Statement s(db, "PRAGMA journal_mode = WAL");
    if (!s.ok()) {
      return tl::unexpected<Error>(db_error(path, db, SQLITE_ERROR));
    }
    const int rc = s.step();
    if (rc == SQLITE_ROW) {
      return {}; // the mode in force: "wal", or the old one where the file system cannot have WAL
    }
    if (rc != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline) {
      return tl::unexpected<Error>(db_error(path, db, rc));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

Result<void> check_schema(const std::string& path, const SchemaState& state, bool create) {
  if (state.version > k_schema_version) {
    return fail(fmt::format("{}: history schema version {} is newer than this zonewarden's ({}): upgrade zonewarden",
                            path, state.version, k_schema_version));
  }
  if (state.version == 0 && state.objects > 0) {
    return fail(fmt::format("{}: an SQLite database, but not a zonewarden history", path));
  }
  if (state.version == 0 && !create) {
    return fail(fmt::format("{}: an empty SQLite database, not a zonewarden history", path));
  }
  return {};
}

// Brings a history of an older schema to k_schema_version in one transaction; another process
// may have done it meanwhile, so the version is read again under the write lock.
Result<void> migrate(const std::string& path, sqlite3* db) {
  ZW_TRY(exec(path, db, "BEGIN IMMEDIATE"));
  Transaction tx(db);
  ZW_TRY_ASSIGN(const SchemaState state, schema_state(path, db));
  if (state.version == 1) {
    ZW_TRY(exec(path, db, k_migrate_1_to_2));
  }
  ZW_TRY(exec(path, db, "COMMIT"));
  tx.committed();
  return {};
}

const char* const k_finding_columns =
    "run_id, fingerprint, rule, severity, zone, server, owner, type, file, line, message, suppressed";

StoredFinding stored_finding(const Statement& s) {
  StoredFinding f;
  f.run = s.integer(0);
  f.fingerprint = s.text(1);
  f.rule = s.text(2);
  f.severity = s.text(3);
  f.zone = s.text(4);
  f.server = s.text(5);
  f.owner = s.text(6);
  f.type = s.text(7);
  f.file = s.text(8);
  f.line = s.integer(9);
  f.message = s.text(10);
  f.suppressed = s.text(11);
  return f;
}

} // namespace

std::string fingerprint(const Finding& finding) {
  return detail::finding_fingerprint(finding);
}

void HistoryStore::Close::operator()(sqlite3* db) const noexcept {
  sqlite3_close_v2(db);
}

Result<HistoryStore> HistoryStore::open(const std::string& path, bool create) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  if (!exists && !create) {
    return fail(fmt::format("{}: no such file", path));
  }
  if (exists && !std::filesystem::is_regular_file(path, ec)) {
    return fail(fmt::format("{}: not a regular file", path));
  }
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<sqlite3, Close> db(raw);
  if (rc != SQLITE_OK) {
    return tl::unexpected<Error>(db_error(path, raw, rc));
  }
  sqlite3_busy_timeout(db.get(), k_busy_timeout_ms);
  sqlite3_extended_result_codes(db.get(), 0);
  // The first read of the file: a file that is not SQLite fails here (SQLITE_NOTADB).
  ZW_TRY_ASSIGN(SchemaState state, schema_state(path, db.get()));
  ZW_TRY(check_schema(path, state, create));
  ZW_TRY(exec(path, db.get(), "PRAGMA foreign_keys = ON"));
  if (state.version == 0) {
    // WAL: readers (a `history` command, a dashboard) never block the nightly writer.
    ZW_TRY(use_wal(path, db.get()));
    ZW_TRY(exec(path, db.get(), "BEGIN IMMEDIATE"));
    Transaction tx(db.get());
    // Asked again under the write lock: another process may have created it meanwhile.
    ZW_TRY_ASSIGN(state, schema_state(path, db.get()));
    ZW_TRY(check_schema(path, state, create));
    if (state.version == 0) {
      ZW_TRY(exec(path, db.get(), k_schema));
    }
    ZW_TRY(exec(path, db.get(), "COMMIT"));
    tx.committed();
  } else if (state.version < k_schema_version) {
    ZW_TRY(migrate(path, db.get()));
  }
  return HistoryStore(path, std::move(db));
}

Result<std::int64_t> HistoryStore::record_run(const AuditResult& result, const RunMeta& meta) {
  sqlite3* db = m_db.get();
  const auto failed = [&](int rc) { return tl::unexpected<Error>(db_error(m_path, db, rc)); };
  ZW_TRY(exec(m_path, db, "BEGIN IMMEDIATE"));
  Transaction tx(db);
  Statement run(db, "INSERT INTO runs (started, finished, generated, version, command, profile, exit_status) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!run.ok()) {
    return failed(SQLITE_ERROR);
  }
  run.bind(1, meta.started);
  run.bind(2, meta.finished);
  run.bind(3, result.generated);
  run.bind(4, result.version);
  run.bind(5, result.command);
  run.bind(6, result.policy);
  run.bind(7, static_cast<std::int64_t>(meta.exit_status));
  if (const int rc = run.step(); rc != SQLITE_DONE) {
    return failed(rc);
  }
  const std::int64_t id = sqlite3_last_insert_rowid(db);
  Statement zone(db, "INSERT OR REPLACE INTO zones (run_id, zone, chain, soa_serials, dnskeys, ds, state) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  Statement finding(db, "INSERT INTO findings (run_id, fingerprint, rule, severity, zone, server, owner, type, file, "
                        "line, message, suppressed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  if (!zone.ok() || !finding.ok()) {
    return failed(SQLITE_ERROR);
  }
  for (const ZoneResult& z : result.zones) {
    zone.reset();
    zone.bind(1, id);
    zone.bind(2, z.zone);
    zone.bind(3, z.chain);
    zone.bind_or_null(4, soa_serials(z));
    zone.bind_or_null(5, dnskeys(z));
    zone.bind_or_null(6, ds_set(z));
    zone.bind_or_null(7, z.rollover ? std::optional<std::string>(rollover_to_json(*z.rollover)) : std::nullopt);
    if (const int rc = zone.step(); rc != SQLITE_DONE) {
      return failed(rc);
    }
    for (const Finding& f : z.findings) {
      finding.reset();
      finding.bind(1, id);
      finding.bind(2, fingerprint(f));
      finding.bind(3, f.rule);
      finding.bind(4, std::string(to_string(f.severity)));
      finding.bind(5, f.location.zone);
      finding.bind(6, f.location.server);
      finding.bind(7, f.location.owner);
      finding.bind(8, f.location.type);
      finding.bind(9, f.location.file);
      finding.bind(10, static_cast<std::int64_t>(f.location.line));
      finding.bind(11, f.message);
      finding.bind(12, f.suppressed);
      if (const int rc = finding.step(); rc != SQLITE_DONE) {
        return failed(rc);
      }
    }
  }
  ZW_TRY(exec(m_path, db, "COMMIT"));
  tx.committed();
  return id;
}

Result<std::map<std::string, RolloverState>> HistoryStore::rollover_states() {
  // The row of the largest run_id of each zone among those with a state (SQLite takes the bare
  // columns of an aggregate query with max() from the row that has the maximum).
  Statement s(m_db.get(), "SELECT zone, state, max(run_id) FROM zones WHERE state IS NOT NULL GROUP BY zone");
  if (!s.ok()) {
    return tl::unexpected<Error>(db_error(m_path, m_db.get(), SQLITE_ERROR));
  }
  std::map<std::string, RolloverState> out;
  int rc = 0;
  while ((rc = s.step()) == SQLITE_ROW) {
    const std::string zone = s.text(0);
    Result<RolloverState> state = rollover_from_json(s.text(1));
    if (!state) {
      return fail(fmt::format("{}: run {}, zone {}: {}", m_path, s.integer(2), zone, state.error().message));
    }
    out.insert_or_assign(normalize_zone(zone), std::move(*state));
  }
  if (rc != SQLITE_DONE) {
    return tl::unexpected<Error>(db_error(m_path, m_db.get(), rc));
  }
  return out;
}

Result<std::vector<RunSummary>> HistoryStore::runs() {
  Statement s(m_db.get(), "SELECT r.id, r.started, r.finished, r.version, r.command, r.profile, r.exit_status, "
                          "(SELECT count(*) FROM zones z WHERE z.run_id = r.id), "
                          "(SELECT count(*) FROM findings f WHERE f.run_id = r.id AND f.severity = 'error'), "
                          "(SELECT count(*) FROM findings f WHERE f.run_id = r.id AND f.severity = 'warning'), "
                          "(SELECT count(*) FROM findings f WHERE f.run_id = r.id AND f.severity = 'notice') "
                          "FROM runs r ORDER BY r.id");
  if (!s.ok()) {
    return tl::unexpected<Error>(db_error(m_path, m_db.get(), SQLITE_ERROR));
  }
  std::vector<RunSummary> out;
  int rc = 0;
  while ((rc = s.step()) == SQLITE_ROW) {
    RunSummary r;
    r.id = s.integer(0);
    r.started = s.integer(1);
    r.finished = s.integer(2);
    r.version = s.text(3);
    r.command = s.text(4);
    r.profile = s.text(5);
    r.exit_status = static_cast<int>(s.integer(6));
    r.zones = s.integer(7);
    r.errors = s.integer(8);
    r.warnings = s.integer(9);
    r.notices = s.integer(10);
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) {
    return tl::unexpected<Error>(db_error(m_path, m_db.get(), rc));
  }
  return out;
}

Result<std::int64_t> HistoryStore::latest_run() {
  Statement s(m_db.get(), "SELECT coalesce(max(id), 0) FROM runs");
  if (!s.ok() || s.step() != SQLITE_ROW) {
    return tl::unexpected<Error>(db_error(m_path, m_db.get(), SQLITE_ERROR));
  }
  if (s.integer(0) == 0) {
    return fail(fmt::format("{}: no run recorded yet", m_path));
  }
  return s.integer(0);
}

Result<void> HistoryStore::require_run(std::int64_t id) {
  Statement s(m_db.get(), "SELECT count(*) FROM runs WHERE id = ?1");
  if (!s.ok()) {
    return tl::unexpected<Error>(db_error(m_path, m_db.get(), SQLITE_ERROR));
  }
  s.bind(1, id);
  if (s.step() != SQLITE_ROW) {
    return tl::unexpected<Error>(db_error(m_path, m_db.get(), SQLITE_ERROR));
  }
  if (s.integer(0) == 0) {
    return fail(fmt::format("{}: no run {}", m_path, id));
  }
  return {};
}

Result<std::vector<StoredFinding>> HistoryStore::findings_of_run(std::int64_t id) {
  ZW_TRY(require_run(id));
  const std::string sql = fmt::format("SELECT {} FROM findings WHERE run_id = ?1 ORDER BY rowid", k_finding_columns);
  Statement s(m_db.get(), sql.c_str());
  if (!s.ok()) {
    return tl::unexpected<Error>(db_error(m_path, m_db.get(), SQLITE_ERROR));
  }
  s.bind(1, id);
  std::vector<StoredFinding> out;
  int rc = 0;
  while ((rc = s.step()) == SQLITE_ROW) {
    out.push_back(stored_finding(s));
  }
  if (rc != SQLITE_DONE) {
    return tl::unexpected<Error>(db_error(m_path, m_db.get(), rc));
  }
  return out;
}

Result<RunDiff> HistoryStore::diff(std::int64_t from, std::int64_t to) {
  ZW_TRY_ASSIGN(const std::vector<StoredFinding> before, findings_of_run(from));
  ZW_TRY_ASSIGN(const std::vector<StoredFinding> after, findings_of_run(to));
  std::set<std::string> before_keys;
  std::set<std::string> after_keys;
  for (const StoredFinding& f : before) {
    before_keys.insert(f.fingerprint);
  }
  RunDiff out;
  out.from = from;
  out.to = to;
  for (const StoredFinding& f : after) {
    if (!after_keys.insert(f.fingerprint).second) {
      continue; // the same finding twice in one run (several files of one zone): once
    }
    (before_keys.contains(f.fingerprint) ? out.still : out.added).push_back(f);
  }
  std::set<std::string> seen;
  for (const StoredFinding& f : before) {
    if (!after_keys.contains(f.fingerprint) && seen.insert(f.fingerprint).second) {
      out.fixed.push_back(f);
    }
  }
  return out;
}

Result<ZoneHistory> HistoryStore::zone_history(const std::string& name) {
  ZoneHistory out;
  out.zone = normalize_zone(name);
  std::map<std::int64_t, std::int64_t> started; // run -> its start, the runs of the zone
  {
    Statement s(m_db.get(), "SELECT z.run_id, r.started, z.chain, z.soa_serials, z.dnskeys, z.ds "
                            "FROM zones z JOIN runs r ON r.id = z.run_id WHERE lower(z.zone) = ?1 ORDER BY z.run_id");
    if (!s.ok()) {
      return tl::unexpected<Error>(db_error(m_path, m_db.get(), SQLITE_ERROR));
    }
    s.bind(1, out.zone);
    while (s.step() == SQLITE_ROW) {
      started[s.integer(0)] = s.integer(1);
      out.runs.push_back(s.integer(0));
      out.chain = s.text(2);
      out.soa_serials = s.text(3);
      out.dnskeys = s.text(4);
      out.ds = s.text(5);
    }
  }
  if (out.runs.empty()) {
    return fail(fmt::format("{}: no run checked zone {}", m_path, util::quote_input(out.zone)));
  }
  // Per fingerprint, the runs that had it and how it looked last.
  std::map<std::string, std::set<std::int64_t>> seen_in;
  std::map<std::string, StoredFinding> last;
  std::vector<std::string> order; // fingerprints in the order they first appeared
  {
    const std::string sql =
        fmt::format("SELECT {} FROM findings WHERE lower(zone) = ?1 ORDER BY run_id, rowid", k_finding_columns);
    Statement s(m_db.get(), sql.c_str());
    if (!s.ok()) {
      return tl::unexpected<Error>(db_error(m_path, m_db.get(), SQLITE_ERROR));
    }
    s.bind(1, out.zone);
    while (s.step() == SQLITE_ROW) {
      StoredFinding f = stored_finding(s);
      if (!last.contains(f.fingerprint)) {
        order.push_back(f.fingerprint);
      }
      seen_in[f.fingerprint].insert(f.run);
      last[f.fingerprint] = std::move(f);
    }
  }
  const std::int64_t latest = out.runs.back();
  for (const std::string& key : order) {
    const std::set<std::int64_t>& in = seen_in[key];
    if (in.contains(latest)) {
      ZoneHistory::Present p;
      p.finding = last[key];
      p.first_seen_run = *in.begin();
      p.first_seen = started[p.first_seen_run];
      for (auto it = out.runs.rbegin(); it != out.runs.rend() && in.contains(*it); ++it) {
        ++p.consecutive;
      }
      out.present.push_back(std::move(p));
    } else {
      ZoneHistory::Fixed x;
      x.finding = last[key];
      x.last_seen_run = *in.rbegin();
      // A finding's zone is its ZoneResult's, so every run it was seen in is a run of the zone,
      // and one of them (the latest) came after; checked all the same.
      const auto after = std::upper_bound(out.runs.begin(), out.runs.end(), x.last_seen_run);
      if (after == out.runs.end()) {
        continue;
      }
      x.fixed_run = *after;
      x.fixed = started[x.fixed_run];
      out.fixed.push_back(std::move(x));
    }
  }
  return out;
}

Result<Baseline> HistoryStore::baseline(std::optional<std::int64_t> id) {
  std::int64_t run = 0;
  if (id) {
    run = *id;
  } else {
    ZW_TRY_ASSIGN(run, latest_run());
  }
  ZW_TRY_ASSIGN(const std::vector<StoredFinding> findings, findings_of_run(run));
  Baseline out;
  for (const StoredFinding& f : findings) {
    out.keys.push_back(Baseline::Key{f.rule, f.zone, f.server, f.owner, f.type});
  }
  std::sort(out.keys.begin(), out.keys.end());
  out.keys.erase(std::unique(out.keys.begin(), out.keys.end()), out.keys.end());
  return out;
}

Result<std::int64_t> HistoryStore::prune(std::int64_t keep) {
  if (keep < 1) {
    return fail(fmt::format("--keep {}: keep at least 1 run", keep));
  }
  sqlite3* db = m_db.get();
  ZW_TRY(exec(m_path, db, "BEGIN IMMEDIATE"));
  Transaction tx(db);
  Statement s(db, "DELETE FROM runs WHERE id NOT IN (SELECT id FROM runs ORDER BY id DESC LIMIT ?1)");
  if (!s.ok()) {
    return tl::unexpected<Error>(db_error(m_path, db, SQLITE_ERROR));
  }
  s.bind(1, keep);
  if (const int rc = s.step(); rc != SQLITE_DONE) {
    return tl::unexpected<Error>(db_error(m_path, db, rc));
  }
  const std::int64_t deleted = sqlite3_changes(db);
  ZW_TRY(exec(m_path, db, "COMMIT"));
  tx.committed();
  return deleted;
}

Result<Baseline> load_history_baseline(const std::string& spec) {
  constexpr std::string_view prefix = "history:";
  if (!spec.starts_with(prefix)) {
    return fail(fmt::format("--baseline {}: not a history: baseline", util::quote_input(spec)));
  }
  std::string path = spec.substr(prefix.size());
  std::optional<std::int64_t> run;
  if (const std::size_t hash = path.rfind('#'); hash != std::string::npos) {
    const std::string id = path.substr(hash + 1);
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), value);
    if (id.empty() || ec != std::errc() || end != id.data() + id.size() || value < 1) {
      return fail(fmt::format("--baseline {}: the run after # must be a run id (1, 2, ...)", util::quote_input(spec)));
    }
    run = value;
    path.resize(hash);
  }
  if (path.empty()) {
    return fail(fmt::format("--baseline {}: no history file named", util::quote_input(spec)));
  }
  ZW_TRY_ASSIGN(HistoryStore store, HistoryStore::open(path, false));
  return store.baseline(run);
}

} // namespace zw::history
