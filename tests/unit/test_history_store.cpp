#include <sqlite3.h>

#include <string>

#include <doctest/doctest.h>

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
    exec(path, "PRAGMA user_version = 2");
    auto store = history::HistoryStore::open(path, true);
    REQUIRE_FALSE(store);
    CHECK(store.error().message.find("schema version 2 is newer") != std::string::npos);
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
