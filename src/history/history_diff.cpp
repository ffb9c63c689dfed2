// `zonewarden history FILE diff`: what changed between two runs, or for each zone between its own
// latest two runs. Findings are matched by fingerprint, over the zones both sides recorded: a
// zone one side did not look at (another shard's, one audited for the first time) is reported as
// not compared, never as fixed or new.

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "history/database.hpp"
#include "history/history_internal.hpp"
#include "history/history_store.hpp"

namespace zw::history {

namespace {

// The diff of `after` against `before`, both already restricted to the zones compared.
void compare(const std::vector<StoredFinding>& before, const std::vector<StoredFinding>& after, RunDiff& out) {
  std::set<std::string> before_keys;
  for (const StoredFinding& f : before) {
    before_keys.insert(f.fingerprint);
  }
  std::set<std::string> after_keys;
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
}

} // namespace

Result<std::set<std::string>> HistoryStore::zones_of_run(std::int64_t id) {
  ZW_TRY_ASSIGN(const std::unique_ptr<db::Query> s, m_db->prepare_streamed("SELECT zone FROM zones WHERE run_id = ?1"));
  s->bind(1, id);
  std::set<std::string> out;
  for (;;) {
    ZW_TRY_ASSIGN(const bool row, s->next());
    if (!row) {
      return out;
    }
    out.insert(s->text(0));
  }
}

Result<RunDiff> HistoryStore::diff(std::int64_t from, std::int64_t to) {
  ZW_TRY_ASSIGN(const std::vector<StoredFinding> before_all, findings_of_run(from));
  ZW_TRY_ASSIGN(const std::vector<StoredFinding> after_all, findings_of_run(to));
  ZW_TRY_ASSIGN(const std::set<std::string> zones_before, zones_of_run(from));
  ZW_TRY_ASSIGN(const std::set<std::string> zones_after, zones_of_run(to));
  RunDiff out;
  out.from = from;
  out.to = to;
  for (const std::string& zone : zones_before) {
    if (zones_after.contains(zone)) {
      ++out.zones;
    } else {
      out.only_from.push_back(zone);
    }
  }
  for (const std::string& zone : zones_after) {
    if (!zones_before.contains(zone)) {
      out.only_to.push_back(zone);
    }
  }
  // A finding of a zone the other run recorded too is compared; one of a zone only its own run
  // recorded is not. (A finding whose zone neither run recorded as a zone is compared.)
  const auto compared = [&](const std::vector<StoredFinding>& all, const std::set<std::string>& own,
                            const std::set<std::string>& other) {
    std::vector<StoredFinding> kept;
    for (const StoredFinding& f : all) {
      if (!own.contains(f.zone) || other.contains(f.zone)) {
        kept.push_back(f);
      }
    }
    return kept;
  };
  compare(compared(before_all, zones_before, zones_after), compared(after_all, zones_after, zones_before), out);
  return out;
}

Result<RunDiff> HistoryStore::diff_latest() {
  // Each zone's runs, newest first: n = 1 its latest run, n = 2 the one before (window functions:
  // SQLite 3.25 and PostgreSQL alike).
  const std::string ranked = "WITH ranked AS (SELECT zone, run_id, row_number() OVER (PARTITION BY zone ORDER BY "
                             "run_id DESC) AS n FROM zones) ";
  RunDiff out;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> runs_of; // zone -> (previous, latest)
  {
    ZW_TRY_ASSIGN(const std::unique_ptr<db::Query> s,
                  m_db->prepare_streamed(ranked + "SELECT zone, run_id, n FROM ranked WHERE n <= 2"));
    for (;;) {
      ZW_TRY_ASSIGN(const bool row, s->next());
      if (!row) {
        break;
      }
      auto& [previous, latest] = runs_of[s->text(0)];
      (s->integer(2) == 1 ? latest : previous) = s->integer(1);
    }
  }
  std::set<std::pair<std::int64_t, std::int64_t>> pairs;
  for (const auto& [zone, runs] : runs_of) {
    if (runs.first == 0) {
      out.only_to.push_back(zone); // recorded once: nothing to compare it with
    } else {
      ++out.zones;
      pairs.insert(runs);
    }
  }
  if (pairs.size() == 1) {
    out.from = pairs.begin()->first;
    out.to = pairs.begin()->second;
  }
  std::vector<StoredFinding> before;
  std::vector<StoredFinding> after;
  ZW_TRY_ASSIGN(
      const std::unique_ptr<db::Query> s,
      m_db->prepare_streamed(ranked + fmt::format("SELECT {}, r.n FROM findings f JOIN ranked r ON r.zone = f.zone "
                                                  "AND r.run_id = f.run_id WHERE r.n <= 2 ORDER BY f.run_id, f.rowid",
                                                  internal::finding_columns("f"))));
  for (;;) {
    ZW_TRY_ASSIGN(const bool row, s->next());
    if (!row) {
      break;
    }
    StoredFinding f = internal::stored_finding(*s);
    const auto runs = runs_of.find(f.zone);
    if (runs == runs_of.end() || runs->second.first == 0) {
      continue; // a zone recorded once
    }
    (s->integer(12) == 1 ? after : before).push_back(std::move(f));
  }
  compare(before, after, out);
  return out;
}

} // namespace zw::history
