// What the history says of a run about to be reported (the HTML report's trends): the first run
// that had each of its findings, and each of its zones' latest runs.

#include <sqlite3.h>

#include <algorithm>

#include "history/history_store.hpp"
#include "history/sqlite.hpp"

namespace zw::history {

Result<ReportHistory> HistoryStore::report_history(const AuditResult& result, std::size_t runs_per_zone) {
  using namespace sqlite; // NOLINT(google-build-using-namespace): this file is the SQLite side
  sqlite3* db = m_db.get();
  const auto failed = [&](int rc) { return tl::unexpected<Error>(db_error(m_path, db, rc)); };
  ReportHistory out;
  // The run's fingerprints and zones in temporary tables (this connection only, gone with it), so
  // that the queries touch only their rows, whatever the history's size.
  ZW_TRY(exec(m_path, db,
              "CREATE TEMP TABLE IF NOT EXISTS wanted_findings (fingerprint TEXT PRIMARY KEY);"
              "CREATE TEMP TABLE IF NOT EXISTS wanted_zones (zone TEXT PRIMARY KEY);"
              "DELETE FROM wanted_findings; DELETE FROM wanted_zones;"));
  {
    Statement add_finding(db, "INSERT OR IGNORE INTO wanted_findings VALUES (?1)");
    Statement add_zone(db, "INSERT OR IGNORE INTO wanted_zones VALUES (?1)");
    if (!add_finding.ok() || !add_zone.ok()) {
      return failed(SQLITE_ERROR);
    }
    for (const ZoneResult& z : result.zones) {
      add_zone.reset();
      add_zone.bind(1, z.zone);
      if (const int rc = add_zone.step(); rc != SQLITE_DONE) {
        return failed(rc);
      }
      for (const Finding& f : z.findings) {
        add_finding.reset();
        add_finding.bind(1, fingerprint(f));
        if (const int rc = add_finding.step(); rc != SQLITE_DONE) {
          return failed(rc);
        }
      }
    }
  }
  Statement first(db, "SELECT f.fingerprint, min(r.started) FROM findings f JOIN runs r ON r.id = f.run_id "
                      "WHERE f.fingerprint IN (SELECT fingerprint FROM wanted_findings) GROUP BY f.fingerprint");
  if (!first.ok()) {
    return failed(SQLITE_ERROR);
  }
  int rc = 0;
  while ((rc = first.step()) == SQLITE_ROW) {
    out.first_seen.emplace(first.text(0), first.integer(1));
  }
  if (rc != SQLITE_DONE) {
    return failed(rc);
  }
  // Each wanted zone's latest runs (the index on zones(zone, run_id) finds them), counted.
  Statement trend(db, "SELECT z.zone, r.started, "
                      "(SELECT count(*) FROM findings f WHERE f.run_id = z.run_id AND f.zone = z.zone AND "
                      "f.severity = 'error'), "
                      "(SELECT count(*) FROM findings f WHERE f.run_id = z.run_id AND f.zone = z.zone AND "
                      "f.severity = 'warning') "
                      "FROM zones z JOIN runs r ON r.id = z.run_id "
                      "WHERE z.zone IN (SELECT zone FROM wanted_zones) AND z.run_id IN "
                      "(SELECT z2.run_id FROM zones z2 WHERE z2.zone = z.zone ORDER BY z2.run_id DESC LIMIT ?1) "
                      "ORDER BY z.zone, z.run_id");
  if (!trend.ok()) {
    return failed(SQLITE_ERROR);
  }
  trend.bind(1, static_cast<std::int64_t>(runs_per_zone));
  while ((rc = trend.step()) == SQLITE_ROW) {
    out.zones[trend.text(0)].push_back(ReportHistory::Run{trend.integer(1), trend.integer(2), trend.integer(3)});
  }
  if (rc != SQLITE_DONE) {
    return failed(rc);
  }
  return out;
}

} // namespace zw::history
