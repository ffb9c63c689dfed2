#include <libpq-fe.h>
#include <sqlite3.h>

#include <cstdlib>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "audit/rollover_json.hpp"
#include "audit/state_spool.hpp"
#include "history/database.hpp"
#include "history/history_store.hpp"
#include "test_audit_support.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_history_store {

using namespace zw;
using zw::test::make_finding;
using zw::test::TempDir;

namespace {

// A check run of one zone with these findings.
AuditResult run_of(std::vector<Finding> findings, const std::string& zone = "example.") {
  AuditResult result;
  result.version = "0.1.0";
  result.command = "check";
  result.generated = 1764900000;
  ZoneResult z;
  z.zone = zone;
  z.chain = "insecure";
  z.findings = std::move(findings);
  result.zones.push_back(std::move(z));
  return result;
}

Finding cname() {
  return make_finding("zone/cname-and-other-data", Severity::error, "example.", "", "www.example.", "CNAME");
}
Finding ttl() {
  return make_finding("zone/ttl-mismatch", Severity::warning, "example.", "", "mail.example.", "A");
}
Finding target() {
  return make_finding("zone/target-no-address", Severity::warning, "example.", "", "example.", "MX");
}

// A path inside `dir` where nothing is yet.
std::string path_in(const TempDir& dir, const std::string& name) {
  return (std::filesystem::path(dir.write(".keep", "")).parent_path() / name).string();
}

history::RunMeta meta(std::int64_t started, int status) {
  return {started, started + 2, status};
}

// Runs statements with no data in them on an SQLite file (the SQLite-only cases' own tampering).
void exec(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

// Where the store's cases run: an SQLite file always; a database on a real PostgreSQL server when
// ZW_TEST_POSTGRES names one (`postgresql://USER@HOST:PORT`, no database: USER may create
// databases). tests/lab/test_history_postgres.py starts such a server in a private namespace and
// runs the [PostgreSQL] cases; elsewhere they are reported as skipped.
const char* postgres_server() {
  const char* uri = std::getenv("ZW_TEST_POSTGRES");
  return uri != nullptr && *uri != '\0' ? uri : nullptr;
}

class Backend {
public:
  virtual ~Backend() = default;
  // The spec of a history that is not there yet (a path; an empty database).
  virtual std::string fresh(const std::string& name) = 0;
  // The test's own SQL on the history (tampering, reading what was stored): the first row's
  // columns as text ("" for NULL), none for a statement without rows.
  virtual std::vector<std::string> sql(const std::string& spec, const std::string& statement) = 0;
};

class SqliteBackend final : public Backend {
public:
  std::string fresh(const std::string& name) override { return path_in(m_dir, name + ".sqlite"); }
  std::vector<std::string> sql(const std::string& spec, const std::string& statement) override {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(spec.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, statement.c_str(), -1, &s, nullptr) == SQLITE_OK);
    std::vector<std::string> row;
    const int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(s); ++i) {
        const unsigned char* t = sqlite3_column_text(s, i);
        row.emplace_back(t == nullptr ? "" : reinterpret_cast<const char*>(t));
      }
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    REQUIRE((rc == SQLITE_ROW || rc == SQLITE_DONE));
    return row;
  }

private:
  TempDir m_dir;
};

class PostgresBackend final : public Backend {
public:
  std::string fresh(const std::string& name) override {
    const std::string db = "zw_unit_" + name;
    sql(uri("postgres"), "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    sql(uri("postgres"), "CREATE DATABASE " + db);
    return uri(db);
  }
  std::vector<std::string> sql(const std::string& spec, const std::string& statement) override {
    PGconn* conn = PQconnectdb(spec.c_str());
    REQUIRE(conn != nullptr);
    INFO(PQerrorMessage(conn));
    REQUIRE(PQstatus(conn) == CONNECTION_OK);
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    PGresult* r = PQexec(conn, statement.c_str());
    const ExecStatusType status = PQresultStatus(r);
    std::vector<std::string> row;
    if (status == PGRES_TUPLES_OK && PQntuples(r) > 0) {
      for (int i = 0; i < PQnfields(r); ++i) {
        row.emplace_back(PQgetvalue(r, 0, i));
      }
    }
    const std::string error = PQresultErrorMessage(r);
    PQclear(r);
    PQfinish(conn);
    INFO(statement << ": " << error);
    REQUIRE((status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK));
    return row;
  }

private:
  static std::string uri(const std::string& db) { return std::string(postgres_server()) + "/" + db; }
};

} // namespace

// One case body, run on each engine.
#define HISTORY_CASE(name, body)                                                                                       \
  TEST_CASE(name " [SQLite]") {                                                                                        \
    SqliteBackend backend;                                                                                             \
    body(backend);                                                                                                     \
  }                                                                                                                    \
  TEST_CASE(name " [PostgreSQL]" * doctest::skip(postgres_server() == nullptr)) {                                      \
    PostgresBackend backend;                                                                                           \
    body(backend);                                                                                                     \
  }

TEST_CASE("history::fingerprint is the baseline identity, not the message") {
  Finding a = cname();
  Finding b = cname();
  b.message = "another text";
  b.location.file = "other.zone";
  b.location.line = 7;
  CHECK(history::fingerprint(a) == history::fingerprint(b));
  CHECK(history::fingerprint(a).size() == 16);
  b.location.owner = "ftp.example.";
  CHECK(history::fingerprint(a) != history::fingerprint(b));
}

namespace {

void records_runs(Backend& backend) {
  const std::string path = backend.fresh("records");
  auto store = history::HistoryStore::open(path, true);
  REQUIRE(store);
  auto r1 = store->record_run(run_of({cname(), ttl()}), meta(1000, 1));
  auto r2 = store->record_run(run_of({ttl(), target()}), meta(2000, 0));
  auto r3 = store->record_run(run_of({ttl(), target()}), meta(3000, 0));
  REQUIRE(r1);
  REQUIRE(r2);
  REQUIRE(r3);
  CHECK(*r1 == 1);
  CHECK(*r3 == 3);

  auto runs = store->runs();
  REQUIRE(runs);
  REQUIRE(runs->size() == 3);
  CHECK((*runs)[0].errors == 1);
  CHECK((*runs)[0].warnings == 1);
  CHECK((*runs)[0].exit_status == 1);
  CHECK((*runs)[0].zones == 1);
  CHECK((*runs)[1].errors == 0);
  CHECK((*runs)[1].warnings == 2);

  auto d = store->diff(1, 2);
  REQUIRE(d);
  REQUIRE(d->added.size() == 1);
  CHECK(d->added[0].rule == "zone/target-no-address");
  REQUIRE(d->fixed.size() == 1);
  CHECK(d->fixed[0].rule == "zone/cname-and-other-data");
  REQUIRE(d->still.size() == 1);
  CHECK(d->still[0].rule == "zone/ttl-mismatch");

  auto z = store->zone_history("EXAMPLE"); // any case, no final dot
  REQUIRE(z);
  CHECK(z->zone == "example.");
  CHECK(z->runs == std::vector<std::int64_t>{1, 2, 3});
  REQUIRE(z->present.size() == 2);
  CHECK(z->present[0].finding.rule == "zone/ttl-mismatch");
  CHECK(z->present[0].first_seen_run == 1);
  CHECK(z->present[0].first_seen == 1000);
  CHECK(z->present[0].consecutive == 3);
  CHECK(z->present[1].finding.rule == "zone/target-no-address");
  CHECK(z->present[1].first_seen_run == 2);
  CHECK(z->present[1].consecutive == 2);
  REQUIRE(z->fixed.size() == 1);
  CHECK(z->fixed[0].finding.rule == "zone/cname-and-other-data");
  CHECK(z->fixed[0].last_seen_run == 1);
  CHECK(z->fixed[0].fixed_run == 2);
  CHECK(z->fixed[0].fixed == 2000);

  // The latest run as a baseline: the same keys a JSON report of it gives.
  auto latest = store->baseline(std::nullopt);
  REQUIRE(latest);
  CHECK(latest->keys.size() == 2);
  auto first = history::load_history_baseline("history:" + path + "#1");
  REQUIRE(first);
  AuditResult next = run_of({cname(), target()});
  apply_baseline(*first, next);
  CHECK(next.zones[0].findings[0].suppressed == "baseline"); // cname was in run 1
  CHECK(next.zones[0].findings[1].suppressed.empty());       // target is new since run 1

  CHECK_FALSE(store->findings_of_run(9));
  CHECK(store->findings_of_run(9).error().message == path + ": no run 9");
  CHECK_FALSE(history::load_history_baseline("history:" + path + "#x"));
  CHECK_FALSE(history::load_history_baseline("history:" + path + "#9"));
  CHECK_FALSE(store->zone_history("other."));

  auto pruned = store->prune(1);
  REQUIRE(pruned);
  CHECK(*pruned == 2);
  auto left = store->runs();
  REQUIRE(left);
  REQUIRE(left->size() == 1);
  CHECK(left->front().id == 3);
  auto orphans = store->findings_of_run(1);
  CHECK_FALSE(orphans);
}

} // namespace

HISTORY_CASE("history::HistoryStore records runs and answers runs, diff, zone and baseline", records_runs)

namespace {

void stores_keys(Backend& backend) {
  const std::string path = backend.fresh("keys");
  auto store = history::HistoryStore::open(path, true);
  REQUIRE(store);
  AuditResult result = run_of({});
  ZoneResult& z = result.zones[0];
  z.servers.push_back(ServerRow{"ns1.example.", "192.0.2.1", 7u, true, "NOERROR", 1.0, "ok", "ok"});
  z.servers.push_back(ServerRow{"ns2.example.", "192.0.2.2", 6u, true, "NOERROR", 1.0, "ok", "ok"});
  ChainLink link;
  link.zone = "example.";
  link.ds.push_back({12345, 13, 2, true});
  link.keys.push_back({12345, 13, 257, true, true});
  z.chain_links.push_back(link);
  REQUIRE(store->record_run(result, meta(1, 0)));
  const std::vector<std::string> row = backend.sql(path, "SELECT soa_serials, dnskeys, ds FROM zones");
  REQUIRE(row.size() == 3);
  CHECK(row[0] == "[6,7]");
  CHECK(row[1] == R"([{"algorithm":13,"flags":257,"key_tag":12345}])");
  CHECK(row[2] == R"([{"algorithm":13,"digest_type":2,"key_tag":12345}])");
}

} // namespace

HISTORY_CASE("history::HistoryStore stores the zone's SOA serials, keys and DS when the result has them", stores_keys)

namespace {

// Two shards of one night as two runs, then a third run of one zone only: the baseline without a
// run id takes each zone from its own latest run.
void baseline_per_zone(Backend& backend) {
  const std::string path = backend.fresh("per_zone");
  auto store = history::HistoryStore::open(path, true);
  REQUIRE(store);
  const Finding other = make_finding("zone/ttl-mismatch", Severity::warning, "other.", "", "a.other.", "A");
  REQUIRE(store->record_run(run_of({cname()}), meta(1000, 1)));         // shard 0: example.
  REQUIRE(store->record_run(run_of({other}, "other."), meta(1001, 1))); // shard 1: other.
  REQUIRE(store->record_run(run_of({target()}), meta(2000, 1)));        // example. alone, later
  auto latest = store->baseline(std::nullopt);
  REQUIRE(latest);
  REQUIRE(latest->keys.size() == 2);
  CHECK(latest->keys[0] == Baseline::Key{"zone/target-no-address", "example.", "", "example.", "MX"});
  CHECK(latest->keys[1] == Baseline::Key{"zone/ttl-mismatch", "other.", "", "a.other.", "A"});
  auto run3 = store->baseline(3);
  REQUIRE(run3);
  CHECK(run3->keys.size() == 1);
}

} // namespace

HISTORY_CASE("history::the baseline of a history is each zone's latest run", baseline_per_zone)

namespace {

// More rows than one INSERT carries (db::BatchInsert: 100), in full batches and a remainder, and
// a zone given twice (its last result is the one recorded).
void many_rows(Backend& backend) {
  const std::string path = backend.fresh("many_rows");
  auto store = history::HistoryStore::open(path, true);
  REQUIRE(store);
  AuditResult result;
  result.version = "0.1.0";
  result.command = "audit";
  for (int i = 0; i < 250; ++i) {
    const std::string zone = "z" + std::to_string(i) + ".example.";
    ZoneResult z;
    z.zone = zone;
    z.chain = "secure";
    z.findings.push_back(make_finding("zone/ttl-mismatch", Severity::warning, zone, "", "a." + zone, "A"));
    if (i % 2 == 0) {
      z.findings.push_back(make_finding("zone/target-no-address", Severity::error, zone, "", zone, "MX"));
    }
    result.zones.push_back(std::move(z));
  }
  result.zones.push_back(result.zones[7]);
  result.zones.back().chain = "bogus";
  REQUIRE(store->record_run(result, meta(1000, 1)));
  auto runs = store->runs();
  REQUIRE(runs);
  REQUIRE(runs->size() == 1);
  CHECK(runs->at(0).zones == 250);
  CHECK(runs->at(0).warnings == 251); // the zone given twice: both of its results' findings
  CHECK(runs->at(0).errors == 125);
  auto z7 = store->zone_history("z7.example.");
  REQUIRE(z7);
  CHECK(z7->chain == "bogus");
  CHECK(backend.sql(path, "SELECT count(*) FROM findings WHERE zone = 'z249.example.'") ==
        std::vector<std::string>{"1"});
}

} // namespace

HISTORY_CASE("history::a run of more rows than one INSERT carries is recorded whole", many_rows)

namespace {

RolloverState state_at(std::int64_t observed, std::uint16_t zsk) {
  RolloverState s;
  s.observed = observed;
  s.keys.push_back({"00000000000000aa", 6074, 13, 257, true, false});
  s.keys.push_back({"00000000000000bb", zsk, 13, 256, false, true});
  s.dnskey_ttl = 3600;
  s.ds_known = true;
  s.ds.push_back({6074, 13, 2, "4a1b", "00000000000000aa"});
  s.ds_ttl = 86400;
  s.max_data_ttl = 7200;
  s.earliest_expiration = observed + 30 * 86400;
  s.cds = {"6074 13 2 4a1b"};
  s.cds_since = observed - 5;
  return s;
}

} // namespace

TEST_CASE("history::rollover states read back as written") {
  const RolloverState s = state_at(1764900000, 11111);
  const std::string text = audit::rollover_to_json(s);
  auto back = audit::rollover_from_json(text);
  REQUIRE(back);
  CHECK(audit::rollover_to_json(*back) == text);
  CHECK(back->keys.size() == 2);
  CHECK(back->keys[1].sole_signer);
  CHECK(back->ds[0].key == "00000000000000aa");
  CHECK(back->earliest_expiration == s.earliest_expiration);
  RolloverState none = s;
  none.earliest_expiration.reset();
  auto back_none = audit::rollover_from_json(audit::rollover_to_json(none));
  REQUIRE(back_none);
  CHECK_FALSE(back_none->earliest_expiration);
  for (const char* bad : {"", "[]", "{}", R"({"observed": "yesterday"})", "{\"observed\": 1"}) {
    CAPTURE(bad);
    auto r = audit::rollover_from_json(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.starts_with("not a zone state: "));
  }
  // A key tag beyond 16 bits is refused, not wrapped, and the message names the member.
  const auto wide = audit::rollover_from_json(
      R"({"observed": 1, "keys": [{"id": "a", "key_tag": 70000, "algorithm": 13, "flags": 257,)"
      R"( "signs_dnskey": true, "sole_signer": true}]})");
  REQUIRE_FALSE(wide);
  CHECK(wide.error().message.starts_with("not a zone state: keys[0].key_tag: "));
  const auto no_key = audit::rollover_from_json(
      R"({"observed": 1, "keys": [], "dnskey_ttl": 3600, "ds_known": true, "ds": [{"key_tag": 1}]})");
  REQUIRE_FALSE(no_key);
  CHECK(no_key.error().message.starts_with("not a zone state: ds[0]"));
}

namespace {

void keeps_states(Backend& backend) {
  const std::string path = backend.fresh("states");
  auto store = history::HistoryStore::open(path, true);
  REQUIRE(store);
  auto empty = store->rollover_states();
  REQUIRE(empty);
  CHECK(empty->empty());
  AuditResult one = run_of({}, "Example.");
  one.zones[0].rollover = state_at(1000, 11111);
  one.zones.push_back(one.zones[0]);
  one.zones[1].zone = "other.";
  one.zones[1].rollover = state_at(1000, 33333);
  REQUIRE(store->record_run(one, meta(1000, 0)));
  AuditResult two = run_of({}, "example.");
  two.zones[0].rollover = state_at(2000, 22222);
  two.zones.push_back(two.zones[0]);
  two.zones[1].zone = "other."; // judged without a history state this time (e.g. `check`)
  two.zones[1].rollover.reset();
  REQUIRE(store->record_run(two, meta(2000, 0)));
  auto states = store->rollover_states();
  REQUIRE(states);
  REQUIRE(states->size() == 2);
  CHECK(audit::rollover_to_json(states->at("example.")) == audit::rollover_to_json(state_at(2000, 22222)));
  CHECK(audit::rollover_to_json(states->at("other.")) == audit::rollover_to_json(state_at(1000, 33333)));
  // An audit of some zones (a shard) reads theirs only; a zone never recorded has none. Asked
  // twice on one connection: the same answer (the temporary table starts afresh).
  for (int round = 0; round < 2; ++round) {
    const std::vector<std::string> wanted{"EXAMPLE", "never-audited.", "example."};
    auto some = store->rollover_states(wanted);
    REQUIRE(some);
    REQUIRE(some->size() == 1);
    CHECK(audit::rollover_to_json(some->at("example.")) == audit::rollover_to_json(state_at(2000, 22222)));
  }
  const std::vector<std::string> other{"other."};
  auto just_other = store->rollover_states(other);
  REQUIRE(just_other);
  REQUIRE(just_other->size() == 1);
  CHECK(audit::rollover_to_json(just_other->at("other.")) == audit::rollover_to_json(state_at(1000, 33333)));
  auto nothing = store->rollover_states(std::vector<std::string>{});
  REQUIRE(nothing);
  CHECK(nothing->empty());
  // What a fleet's audit does with them: each handed over as stored and kept on file.
  {
    auto spool = audit::StateSpool::create();
    REQUIRE(spool);
    const std::vector<std::string> wanted{"Example.", "other.", "never-audited."};
    REQUIRE(store->each_rollover_state(
        wanted, [&spool](const std::string& zone, std::string_view state) { return (*spool)->add(zone, state); }));
    CHECK((*spool)->size() == 2);
    const std::optional<RolloverState> example = (*spool)->find("example.");
    REQUIRE(example);
    CHECK(audit::rollover_to_json(*example) == audit::rollover_to_json(state_at(2000, 22222)));
    const std::optional<RolloverState> other_state = (*spool)->find("other.");
    REQUIRE(other_state);
    CHECK(audit::rollover_to_json(*other_state) == audit::rollover_to_json(state_at(1000, 33333)));
    CHECK_FALSE((*spool)->find("never-audited."));
    CHECK_FALSE((*spool)->find("Example.")); // the engine asks in lower case, as the history keys them
  }

  SUBCASE("a damaged state is a one-line error naming run and zone") {
    backend.sql(path, "UPDATE zones SET state = '{\"observed\": 1}' WHERE run_id = 2 AND zone = 'example.'");
    auto damaged = store->rollover_states();
    REQUIRE_FALSE(damaged);
    CHECK(damaged.error().message.starts_with(path + ": run 2, zone example.: not a zone state: "));
    CHECK(damaged.error().message.find('\n') == std::string::npos);
    auto damaged_one = store->rollover_states(std::vector<std::string>{"example."});
    REQUIRE_FALSE(damaged_one);
    CHECK(damaged_one.error().message.starts_with(path + ": run 2, zone example.: not a zone state: "));
    // The other zone's state is sound: an audit of it alone is not stopped by its neighbour's.
    CHECK(store->rollover_states(std::vector<std::string>{"other."}));
    // Spooled, the same: found when it is read, before any zone is judged.
    auto spool = audit::StateSpool::create();
    REQUIRE(spool);
    const auto spooled = store->each_rollover_state(
        std::vector<std::string>{"example.", "other."},
        [&spool](const std::string& zone, std::string_view state) { return (*spool)->add(zone, state); });
    REQUIRE_FALSE(spooled);
    CHECK(spooled.error().message.starts_with(path + ": run 2, zone example.: not a zone state: "));
  }
}

} // namespace

HISTORY_CASE("history::HistoryStore keeps each zone's latest rollover state", keeps_states)

namespace {

void report_trends(Backend& backend) {
  const std::string path = backend.fresh("trends");
  auto store = history::HistoryStore::open(path, true);
  REQUIRE(store);
  REQUIRE(store->record_run(run_of({cname()}), meta(1000, 1)));
  REQUIRE(store->record_run(run_of({cname(), ttl()}), meta(2000, 1)));
  REQUIRE(store->record_run(run_of({cname(), ttl(), target()}), meta(3000, 1)));
  REQUIRE(store->record_run(run_of({}, "other."), meta(4000, 0)));
  // The run being reported: cname (since run 1), ttl (since run 2), a finding never recorded.
  Finding fresh = make_finding("zone/apex-ns-missing", Severity::error, "example.", "", "example.", "NS");
  const AuditResult now = run_of({cname(), ttl(), fresh});
  auto h = store->report_history(now, 2);
  REQUIRE(h);
  CHECK(h->first_seen.size() == 2);
  CHECK(h->first_seen.at(history::fingerprint(cname())) == 1000);
  CHECK(h->first_seen.at(history::fingerprint(ttl())) == 2000);
  CHECK_FALSE(h->first_seen.contains(history::fingerprint(fresh)));
  CHECK_FALSE(h->first_seen.contains(history::fingerprint(target()))); // not in the run reported
  REQUIRE(h->zones.size() == 1);                                       // "other." is not in the run reported
  const std::vector<ReportHistory::Run>& runs = h->zones.at("example.");
  REQUIRE(runs.size() == 2); // the latest two of three
  CHECK(runs[0].started == 2000);
  CHECK(runs[0].errors == 1);
  CHECK(runs[0].warnings == 1);
  CHECK(runs[1].started == 3000);
  CHECK(runs[1].errors == 1);
  CHECK(runs[1].warnings == 2);
  // Asked again on the same connection: the same answer (the temporary tables start afresh).
  auto again = store->report_history(run_of({}, "other."), 5);
  REQUIRE(again);
  CHECK(again->first_seen.empty());
  REQUIRE(again->zones.size() == 1);
  CHECK(again->zones.at("other.").size() == 1);
}

} // namespace

HISTORY_CASE("history::report_history: first seen per finding, each zone's latest runs", report_trends)

TEST_CASE("history::a version 1 history is migrated when opened, its runs kept") {
  TempDir dir;
  const std::string path = path_in(dir, "v1.sqlite");
  // The version 1 schema as zonewarden wrote it, with one run of one zone.
  exec(path, "CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started INTEGER NOT NULL, finished INTEGER "
             "NOT NULL, generated INTEGER NOT NULL, version TEXT NOT NULL, command TEXT NOT NULL, profile TEXT NOT "
             "NULL, exit_status INTEGER NOT NULL);"
             "CREATE TABLE zones (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, zone TEXT NOT NULL, "
             "chain TEXT NOT NULL, soa_serials TEXT, dnskeys TEXT, ds TEXT, PRIMARY KEY (run_id, zone));"
             "CREATE TABLE findings (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, fingerprint TEXT "
             "NOT NULL, rule TEXT NOT NULL, severity TEXT NOT NULL, zone TEXT NOT NULL, server TEXT NOT NULL, owner "
             "TEXT NOT NULL, type TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL, message TEXT NOT NULL, "
             "suppressed TEXT NOT NULL);"
             "CREATE INDEX findings_run ON findings(run_id); CREATE INDEX findings_zone ON findings(zone, run_id);"
             "INSERT INTO runs VALUES (1, 10, 12, 10, '0.1.0', 'audit', 'default', 0);"
             "INSERT INTO zones VALUES (1, 'example.', 'secure', '[7]', NULL, NULL);"
             "PRAGMA user_version = 1;");
  {
    auto store = history::HistoryStore::open(path, false);
    REQUIRE(store);
    auto runs = store->runs();
    REQUIRE(runs);
    REQUIRE(runs->size() == 1);
    CHECK(runs->at(0).zones == 1);
    auto states = store->rollover_states();
    REQUIRE(states);
    CHECK(states->empty());
    AuditResult next = run_of({});
    next.zones[0].rollover = state_at(2000, 22222);
    REQUIRE(store->record_run(next, meta(2000, 0)));
    REQUIRE(store->rollover_states());
    CHECK(store->rollover_states()->size() == 1);
  }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT user_version FROM pragma_user_version", -1, &s, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(s) == SQLITE_ROW);
  CHECK(sqlite3_column_int(s, 0) == history::k_schema_version);
  sqlite3_finalize(s);
  sqlite3_close(db);
  // Opened again: nothing left to migrate.
  CHECK(history::HistoryStore::open(path, false));
}

TEST_CASE("history::HistoryStore refuses what it cannot read and never keeps half a run") {
  TempDir dir;
  SUBCASE("missing file") {
    auto store = history::HistoryStore::open(path_in(dir, "none.sqlite"), false);
    REQUIRE_FALSE(store);
    CHECK(store.error().message.find("no such file") != std::string::npos);
  }
  SUBCASE("not SQLite") {
    const std::string path = dir.write("report.json", "{\"tool\": \"zonewarden\", \"zones\": []}\n");
    auto store = history::HistoryStore::open(path, true);
    REQUIRE_FALSE(store);
    CHECK(store.error().message == path + ": not an SQLite database");
  }
  SUBCASE("an SQLite file of something else") {
    const std::string path = path_in(dir, "other.sqlite");
    exec(path, "CREATE TABLE t (x)");
    auto store = history::HistoryStore::open(path, true);
    REQUIRE_FALSE(store);
    CHECK(store.error().message.find("not a zonewarden history") != std::string::npos);
  }
  SUBCASE("a newer schema") {
    const std::string path = path_in(dir, "h.sqlite");
    REQUIRE(history::HistoryStore::open(path, true));
    exec(path, "PRAGMA user_version = 3");
    auto store = history::HistoryStore::open(path, true);
    REQUIRE_FALSE(store);
    CHECK(store.error().message.find("schema version 3 is newer") != std::string::npos);
    CHECK(store.error().message.find('\n') == std::string::npos);
  }
  SUBCASE("a failing write leaves no run") {
    const std::string path = path_in(dir, "h.sqlite");
    {
      auto store = history::HistoryStore::open(path, true);
      REQUIRE(store);
      REQUIRE(store->record_run(run_of({cname()}), meta(1, 1)));
    }
    // The second finding of the next run fails: the run, its zone and its first finding go too.
    exec(path, "CREATE TRIGGER no_ttl BEFORE INSERT ON findings WHEN NEW.rule = 'zone/ttl-mismatch' "
               "BEGIN SELECT RAISE(ABORT, 'refused by test'); END");
    auto store = history::HistoryStore::open(path, true);
    REQUIRE(store);
    auto failed = store->record_run(run_of({cname(), ttl()}), meta(2, 1));
    REQUIRE_FALSE(failed);
    CHECK(failed.error().message == path + ": refused by test");
    auto runs = store->runs();
    REQUIRE(runs);
    CHECK(runs->size() == 1);
    auto findings = store->findings_of_run(1);
    REQUIRE(findings);
    CHECK(findings->size() == 1);
    CHECK_FALSE(store->findings_of_run(2));
    // And the store still works afterwards.
    REQUIRE(store->record_run(run_of({cname()}), meta(3, 1)));
  }
}

TEST_CASE("history::a PostgreSQL history refuses what it cannot read and never keeps half a run [PostgreSQL]" *
          doctest::skip(postgres_server() == nullptr)) {
  PostgresBackend backend;
  const std::string tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'";
  SUBCASE("an empty database is not read as a history, and nothing is created in it") {
    const std::string uri = backend.fresh("empty");
    auto store = history::HistoryStore::open(uri, false);
    REQUIRE_FALSE(store);
    CHECK(store.error().message == uri + ": no zonewarden history in this database");
    CHECK(backend.sql(uri, tables) == std::vector<std::string>{"0"});
  }
  SUBCASE("a database with tables of the same names, but not a history") {
    const std::string uri = backend.fresh("other");
    backend.sql(uri, "CREATE TABLE runs (x integer)");
    auto store = history::HistoryStore::open(uri, true);
    REQUIRE_FALSE(store);
    CHECK(store.error().message.find("not a zonewarden history") != std::string::npos);
    CHECK(backend.sql(uri, tables) == std::vector<std::string>{"1"});
  }
  SUBCASE("a newer schema") {
    const std::string uri = backend.fresh("newer");
    REQUIRE(history::HistoryStore::open(uri, true));
    backend.sql(uri, "UPDATE zonewarden_meta SET schema_version = 3");
    auto store = history::HistoryStore::open(uri, true);
    REQUIRE_FALSE(store);
    CHECK(store.error().message == uri + ": history schema version 3 is newer than this zonewarden's (2): upgrade "
                                         "zonewarden");
  }
  SUBCASE("a failing write leaves no run") {
    const std::string uri = backend.fresh("failing");
    {
      auto store = history::HistoryStore::open(uri, true);
      REQUIRE(store);
      REQUIRE(store->record_run(run_of({cname()}), meta(1, 1)));
    }
    backend.sql(uri, "CREATE FUNCTION refuse_ttl() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                     "IF NEW.rule = 'zone/ttl-mismatch' THEN RAISE EXCEPTION 'refused by test'; END IF; "
                     "RETURN NEW; END $$");
    backend.sql(uri, "CREATE TRIGGER no_ttl BEFORE INSERT ON findings FOR EACH ROW EXECUTE FUNCTION refuse_ttl()");
    auto store = history::HistoryStore::open(uri, true);
    REQUIRE(store);
    auto failed = store->record_run(run_of({cname(), ttl()}), meta(2, 1));
    REQUIRE_FALSE(failed);
    CHECK(failed.error().message == uri + ": refused by test");
    CHECK(backend.sql(uri, "SELECT count(*) FROM runs") == std::vector<std::string>{"1"});
    CHECK(backend.sql(uri, "SELECT count(*) FROM zones") == std::vector<std::string>{"1"});
    CHECK(backend.sql(uri, "SELECT count(*) FROM findings") == std::vector<std::string>{"1"});
    // And the connection still works afterwards.
    auto next = store->record_run(run_of({cname()}), meta(3, 1));
    REQUIRE(next);
    CHECK(*next == 3); // run ids come from a sequence: the failed run's id is not given again
  }
  SUBCASE("a server that refuses the connection: one line, no password in it") {
    auto store = history::HistoryStore::open("postgresql://zw:s3cret@127.0.0.1:1/none?connect_timeout=5", true);
    REQUIRE_FALSE(store);
    CHECK(store.error().message.starts_with("postgresql://zw:***@127.0.0.1:1/none?connect_timeout=5: connection to "
                                            "server at \"127.0.0.1\", port 1 failed: "));
    CHECK(store.error().message.find("s3cret") == std::string::npos);
    CHECK(store.error().message.find('\n') == std::string::npos);
  }
}

namespace {

// A query read a row at a time (prepare_streamed): left half-read by reset() or by its end, the
// database takes the next statement; run again after reset(), it gives its rows again.
void streamed_queries(Backend& backend) {
  auto db = history::db::open(backend.fresh("streamed"), true);
  REQUIRE(db);
  history::db::Database& d = **db;
  REQUIRE(d.exec("CREATE TABLE numbers (n INTEGER)"));
  {
    history::db::BatchInsert rows(d, "numbers (n)", 1);
    for (std::int64_t n = 1; n <= 1000; ++n) {
      REQUIRE(rows.add({n}));
    }
    REQUIRE(rows.flush());
  }
  auto q = d.prepare_streamed("SELECT n FROM numbers WHERE n > ?1 ORDER BY n");
  REQUIRE(q);
  (*q)->bind(1, std::int64_t{10});
  auto row = (*q)->next();
  REQUIRE(row);
  REQUIRE(*row);
  CHECK((*q)->integer(0) == 11);
  (*q)->reset(); // 989 rows left unread
  auto count = d.prepare("SELECT count(*) FROM numbers");
  REQUIRE(count);
  REQUIRE((*count)->next());
  CHECK((*count)->integer(0) == 1000);
  (*q)->bind(1, std::int64_t{997});
  std::vector<std::int64_t> seen;
  for (;;) {
    auto more = (*q)->next();
    REQUIRE(more);
    if (!*more) {
      break;
    }
    seen.push_back((*q)->integer(0));
  }
  CHECK(seen == std::vector<std::int64_t>{998, 999, 1000});
  auto after = (*q)->next(); // past the end: still no row, no error
  REQUIRE(after);
  CHECK_FALSE(*after);
  {
    auto abandoned = d.prepare_streamed("SELECT n FROM numbers");
    REQUIRE(abandoned);
    REQUIRE((*abandoned)->next());
  } // destroyed after one row of 1000
  REQUIRE(d.exec("DELETE FROM numbers WHERE n > 500"));
  (*count)->reset();
  REQUIRE((*count)->next());
  CHECK((*count)->integer(0) == 500);
}

} // namespace

HISTORY_CASE("history::db: a streamed query left half-read does not block the next statement", streamed_queries)

TEST_CASE("history::db: a PostgreSQL error in the middle of a streamed query is its error [PostgreSQL]" *
          doctest::skip(postgres_server() == nullptr)) {
  PostgresBackend backend;
  auto db = history::db::open(backend.fresh("stream_error"), true);
  REQUIRE(db);
  // Rows 1 and 2 come before the server fails on the third (division by zero).
  auto q = (*db)->prepare_streamed("SELECT 10 / (3 - x) FROM generate_series(1, 5) AS x");
  REQUIRE(q);
  std::vector<std::int64_t> seen;
  Result<bool> row = true;
  while ((row = (*q)->next()) && *row) {
    seen.push_back((*q)->integer(0));
  }
  CHECK(seen == std::vector<std::int64_t>{5, 10});
  REQUIRE_FALSE(row);
  CHECK(row.error().message.find("division by zero") != std::string::npos);
  // The connection takes the next statement.
  auto next = (*db)->prepare("SELECT 1 + 1");
  REQUIRE(next);
  REQUIRE((*next)->next());
  CHECK((*next)->integer(0) == 2);
}

TEST_CASE("history::db::redact_uri hides the password wherever the URI carries it") {
  using history::db::redact_uri;
  CHECK(redact_uri("postgresql://zw:s3cret@db.example:5432/zw") == "postgresql://zw:***@db.example:5432/zw");
  CHECK(redact_uri("postgres://zw:p%40ss@db/zw?sslmode=require") == "postgres://zw:***@db/zw?sslmode=require");
  CHECK(redact_uri("postgresql://zw@db:5432/zw") == "postgresql://zw@db:5432/zw");
  CHECK(redact_uri("postgresql://db:5432/zw") == "postgresql://db:5432/zw");
  CHECK(redact_uri("postgresql:///zw?host=/run/postgresql&password=s3cret&user=zw") ==
        "postgresql:///zw?host=/run/postgresql&password=***&user=zw");
  CHECK(redact_uri("postgresql://db/zw?password=s3cret") == "postgresql://db/zw?password=***");
  CHECK(redact_uri("postgresql://db/zw?xpassword=s3cret") == "postgresql://db/zw?xpassword=s3cret");
  CHECK(history::db::is_postgres_uri("postgres://db/zw"));
  CHECK(history::db::is_postgres_uri("postgresql://db/zw"));
  CHECK_FALSE(history::db::is_postgres_uri("zw.sqlite"));
  CHECK_FALSE(history::db::is_postgres_uri("./postgresql://x"));
}

} // namespace zw_test_history_store
