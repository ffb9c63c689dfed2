// What the history says of a run about to be reported (the HTML report's trends): the first run
// that had each of its findings, and each of its zones' latest runs.

#include <algorithm>

#include "history/database.hpp"
#include "history/history_store.hpp"

namespace zw::history {

Result<ReportHistory> HistoryStore::report_history(const AuditResult& result, std::size_t runs_per_zone) {
  db::Database& db = *m_db;
  ReportHistory out;
  // The run's fingerprints and zones in temporary tables (this connection only, gone with it), so
  // that the queries touch only their rows, whatever the history's size.
  ZW_TRY(db.exec("CREATE TEMP TABLE IF NOT EXISTS wanted_findings (fingerprint TEXT PRIMARY KEY);"
                 "CREATE TEMP TABLE IF NOT EXISTS wanted_zones (zone TEXT PRIMARY KEY);"
                 "DELETE FROM wanted_findings; DELETE FROM wanted_zones;"));
  {
    db::BatchInsert findings(db, "wanted_findings (fingerprint)", 1, "ON CONFLICT DO NOTHING", 500);
    db::BatchInsert zones(db, "wanted_zones (zone)", 1, "ON CONFLICT DO NOTHING", 500);
    for (const ZoneResult& z : zones_of(result)) {
      ZW_TRY(zones.add({z.zone}));
      for (const Finding& f : z.findings) {
        ZW_TRY(findings.add({fingerprint(f)}));
      }
    }
    ZW_TRY(zones.flush());
    ZW_TRY(findings.flush());
  }
  ZW_TRY_ASSIGN(
      const std::unique_ptr<db::Query> first,
      db.prepare_streamed("SELECT f.fingerprint, min(r.started) FROM findings f JOIN runs r ON r.id = f.run_id "
                          "WHERE f.fingerprint IN (SELECT fingerprint FROM wanted_findings) GROUP BY f.fingerprint"));
  for (;;) {
    ZW_TRY_ASSIGN(const bool row, first->next());
    if (!row) {
      break;
    }
    out.first_seen.emplace(first->text(0), first->integer(1));
  }
  // Each wanted zone's latest runs, numbered newest first in one pass over the wanted zones'
  // rows (a window function: SQLite 3.25 and PostgreSQL alike), then counted through the index on
  // findings(zone, run_id).
  ZW_TRY_ASSIGN(
      const std::unique_ptr<db::Query> trend,
      db.prepare_streamed("WITH ranked AS (SELECT z.zone, z.run_id, row_number() OVER (PARTITION BY z.zone "
                          "ORDER BY z.run_id DESC) AS n FROM zones z JOIN wanted_zones w ON w.zone = z.zone) "
                          "SELECT k.zone, r.started, "
                          "(SELECT count(*) FROM findings f WHERE f.run_id = k.run_id AND f.zone = k.zone AND "
                          "f.severity = 'error'), "
                          "(SELECT count(*) FROM findings f WHERE f.run_id = k.run_id AND f.zone = k.zone AND "
                          "f.severity = 'warning') "
                          "FROM ranked k JOIN runs r ON r.id = k.run_id WHERE k.n <= ?1 ORDER BY k.zone, k.run_id"));
  trend->bind(1, static_cast<std::int64_t>(runs_per_zone));
  for (;;) {
    ZW_TRY_ASSIGN(const bool row, trend->next());
    if (!row) {
      return out;
    }
    out.zones[trend->text(0)].push_back(ReportHistory::Run{trend->integer(1), trend->integer(2), trend->integer(3)});
  }
}

} // namespace zw::history
