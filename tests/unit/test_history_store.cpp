#include <sqlite3.h>

#include <string>

#include <doctest/doctest.h>

#include "history/history_store.hpp"
#include "history/rollover_json.hpp"
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

// Runs a statement with no data in it (the tests' own tampering).
void exec(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

} // namespace

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

TEST_CASE("history::HistoryStore records runs and answers runs, diff, zone and baseline") {
  TempDir dir;
  const std::string path = path_in(dir, "h.sqlite");
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

TEST_CASE("history::HistoryStore stores the zone's SOA serials, keys and DS when the result has them") {
  TempDir dir;
  const std::string path = path_in(dir, "h.sqlite");
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
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT soa_serials, dnskeys, ds FROM zones", -1, &s, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(s) == SQLITE_ROW);
  CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 0))) == "[6,7]");
  CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 1))) ==
        R"([{"algorithm":13,"flags":257,"key_tag":12345}])");
  CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 2))) ==
        R"([{"algorithm":13,"digest_type":2,"key_tag":12345}])");
  sqlite3_finalize(s);
  sqlite3_close(db);
}

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
  const std::string text = history::rollover_to_json(s);
  auto back = history::rollover_from_json(text);
  REQUIRE(back);
  CHECK(history::rollover_to_json(*back) == text);
  CHECK(back->keys.size() == 2);
  CHECK(back->keys[1].sole_signer);
  CHECK(back->ds[0].key == "00000000000000aa");
  CHECK(back->earliest_expiration == s.earliest_expiration);
  RolloverState none = s;
  none.earliest_expiration.reset();
  auto back_none = history::rollover_from_json(history::rollover_to_json(none));
  REQUIRE(back_none);
  CHECK_FALSE(back_none->earliest_expiration);
  for (const char* bad : {"", "[]", "{}", R"({"observed": "yesterday"})", "{\"observed\": 1"}) {
    CAPTURE(bad);
    auto r = history::rollover_from_json(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.starts_with("not a zone state: "));
  }
}

TEST_CASE("history::HistoryStore keeps each zone's latest rollover state") {
  TempDir dir;
  const std::string path = path_in(dir, "h.sqlite");
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
  CHECK(history::rollover_to_json(states->at("example.")) == history::rollover_to_json(state_at(2000, 22222)));
  CHECK(history::rollover_to_json(states->at("other.")) == history::rollover_to_json(state_at(1000, 33333)));

  SUBCASE("a damaged state is a one-line error naming run and zone") {
    exec(path, "UPDATE zones SET state = '{\"observed\": 1}' WHERE run_id = 2 AND zone = 'example.'");
    auto damaged = store->rollover_states();
    REQUIRE_FALSE(damaged);
    CHECK(damaged.error().message.starts_with(path + ": run 2, zone example.: not a zone state: "));
    CHECK(damaged.error().message.find('\n') == std::string::npos);
  }
}

TEST_CASE("history::report_history: first seen per finding, each zone's latest runs") {
  TempDir dir;
  const std::string path = path_in(dir, "h.sqlite");
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

} // namespace zw_test_history_store
