// Run history: what is recorded of a run and the questions asked of it, in SQL that SQLite and
// PostgreSQL both run (history/database.hpp). Every statement is prepared with bound parameters.

#include "history/history_store.hpp"
#include "history/history_internal.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <map>
#include <set>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "audit/rollover_json.hpp"
#include "history/database.hpp"
#include "report/fingerprint.hpp"
#include "util/text.hpp"

namespace zw::history {

namespace {

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

// The zone's own DNSKEY or DS records (`records` of its own chain link) as a JSON array of
// `row(record)`, for a column; nullopt when the zone has no link of its own.
template <typename Record, typename Row>
std::optional<std::string> link_records(const ZoneResult& zone, std::vector<Record> ChainLink::*records, Row row) {
  const ChainLink* link = own_link(zone);
  if (link == nullptr) {
    return std::nullopt;
  }
  nlohmann::json out = nlohmann::json::array();
  for (const Record& r : link->*records) {
    out.push_back(row(r));
  }
  return out.dump();
}

std::optional<std::string> dnskeys(const ZoneResult& zone) {
  return link_records(zone, &ChainLink::keys, [](const ChainLink::Key& k) {
    return nlohmann::json{{"key_tag", k.key_tag}, {"algorithm", k.algorithm}, {"flags", k.flags}};
  });
}

std::optional<std::string> ds_set(const ZoneResult& zone) {
  return link_records(zone, &ChainLink::ds, [](const ChainLink::Ds& d) {
    return nlohmann::json{{"key_tag", d.key_tag}, {"algorithm", d.algorithm}, {"digest_type", d.digest_type}};
  });
}

} // namespace

namespace internal {

std::string finding_columns(std::string_view table) {
  std::string out;
  for (const std::string_view column : {"run_id", "fingerprint", "rule", "severity", "zone", "server", "owner", "type",
                                        "file", "line", "message", "suppressed"}) {
    out += fmt::format("{}{}{}", out.empty() ? "" : ", ", table.empty() ? "" : fmt::format("{}.", table), column);
  }
  return out;
}

StoredFinding stored_finding(const db::Query& s) {
  // The columns in finding_columns()' order.
  return StoredFinding{.run = s.integer(0),
                       .fingerprint = s.text(1),
                       .rule = s.text(2),
                       .severity = s.text(3),
                       .zone = s.text(4),
                       .server = s.text(5),
                       .owner = s.text(6),
                       .type = s.text(7),
                       .file = s.text(8),
                       .line = s.integer(9),
                       .message = s.text(10),
                       .suppressed = s.text(11)};
}

} // namespace internal

std::string fingerprint(const Finding& finding) {
  return detail::finding_fingerprint(finding);
}

HistoryStore::HistoryStore(std::unique_ptr<db::Database> db) : m_db(std::move(db)) {}
HistoryStore::HistoryStore(HistoryStore&&) noexcept = default;
HistoryStore& HistoryStore::operator=(HistoryStore&&) noexcept = default;
HistoryStore::~HistoryStore() = default;

const std::string& HistoryStore::path() const noexcept {
  return m_db->name();
}

Result<HistoryStore> HistoryStore::open(const std::string& spec, bool create) {
  ZW_TRY_ASSIGN(std::unique_ptr<db::Database> db, db::open(spec, create));
  return HistoryStore(std::move(db));
}

Result<std::int64_t> HistoryStore::record_run(const AuditResult& result, const RunMeta& meta) {
  db::Database& db = *m_db;
  ZW_TRY(db.begin_write());
  db::Transaction tx(db);
  std::int64_t id = 0;
  {
    ZW_TRY_ASSIGN(const std::unique_ptr<db::Query> run,
                  db.prepare("INSERT INTO runs (started, finished, generated, version, command, profile, exit_status) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id"));
    run->bind(1, meta.started);
    run->bind(2, meta.finished);
    run->bind(3, result.generated);
    run->bind(4, result.version);
    run->bind(5, result.command);
    run->bind(6, result.policy);
    run->bind(7, static_cast<std::int64_t>(meta.exit_status));
    ZW_TRY_ASSIGN(const bool row, run->next());
    if (!row) {
      return fail(fmt::format("{}: the new run was given no id", db.name()));
    }
    id = run->integer(0);
    ZW_TRY(run->run());
  }
  // The same zone twice in one run (several files of one zone given to check): its last result.
  const ZoneResults all = zones_of(result);
  std::map<std::string, std::size_t> last_of;
  for (auto z = all.begin(); z != all.end(); ++z) {
    last_of[z->zone] = z.index();
  }
  db::BatchInsert zones(db, "zones (run_id, zone, chain, soa_serials, dnskeys, ds, state)", 7);
  db::BatchInsert findings(db,
                           "findings (run_id, fingerprint, rule, severity, zone, server, owner, type, file, "
                           "line, message, suppressed)",
                           12);
  const auto text_or_null = [](std::optional<std::string> v) -> db::BatchInsert::Value {
    return v ? db::BatchInsert::Value(std::move(*v)) : db::BatchInsert::Value();
  };
  for (auto zone = all.begin(); zone != all.end(); ++zone) {
    const ZoneResult& z = *zone;
    if (last_of[z.zone] == zone.index()) {
      ZW_TRY(zones.add({id, z.zone, z.chain, text_or_null(soa_serials(z)), text_or_null(dnskeys(z)),
                        text_or_null(ds_set(z)),
                        text_or_null(z.rollover ? std::optional<std::string>(audit::rollover_to_json(*z.rollover))
                                                : std::nullopt)}));
    }
    for (const Finding& f : z.findings) {
      ZW_TRY(findings.add({id, fingerprint(f), f.rule, std::string(to_string(f.severity)), f.location.zone,
                           f.location.server, f.location.owner, f.location.type, f.location.file,
                           static_cast<std::int64_t>(f.location.line), f.message, f.suppressed}));
    }
  }
  ZW_TRY(zones.flush());
  ZW_TRY(findings.flush());
  ZW_TRY(tx.commit());
  return id;
}

namespace {

// Reads each state handed over into `out`.
HistoryStore::StateVisitor into(std::map<std::string, RolloverState>& out) {
  return [&out](const std::string& zone, std::string_view text) -> Result<void> {
    ZW_TRY_ASSIGN(RolloverState state, audit::rollover_from_json(text));
    out.insert_or_assign(zone, std::move(state));
    return {};
  };
}

} // namespace

Result<std::map<std::string, RolloverState>> HistoryStore::rollover_states() {
  // Each zone's row of the largest run_id among those with a state.
  ZW_TRY_ASSIGN(
      std::unique_ptr<db::Query> s,
      m_db->prepare_streamed("SELECT z.zone, z.state, z.run_id FROM zones z JOIN "
                             "(SELECT zone, max(run_id) AS run_id FROM zones WHERE state IS NOT NULL GROUP BY zone) "
                             "latest ON latest.zone = z.zone AND latest.run_id = z.run_id"));
  return read_states(*s);
}

Result<std::map<std::string, RolloverState>> HistoryStore::rollover_states(std::span<const std::string> zones) {
  std::map<std::string, RolloverState> out;
  ZW_TRY(each_rollover_state(zones, into(out)));
  return out;
}

Result<void> HistoryStore::each_rollover_state(std::span<const std::string> zones, const StateVisitor& visit) {
  db::Database& db = *m_db;
  // The run's zones in a temporary table (this connection only), so that only their rows are
  // read: each zone's latest state is found through the index on zones(zone, run_id), whatever
  // the number of zones and runs the history holds (a shard reads its own zones, not the fleet's).
  ZW_TRY(db.exec("CREATE TEMP TABLE IF NOT EXISTS wanted_states (zone TEXT PRIMARY KEY);"
                 "DELETE FROM wanted_states;"));
  {
    db::BatchInsert wanted(db, "wanted_states (zone)", 1, "ON CONFLICT DO NOTHING", 500);
    for (const std::string& zone : zones) {
      ZW_TRY(wanted.add({normalize_zone(zone)}));
    }
    ZW_TRY(wanted.flush());
  }
  ZW_TRY_ASSIGN(
      std::unique_ptr<db::Query> s,
      db.prepare_streamed("SELECT z.zone, z.state, z.run_id FROM wanted_states w JOIN zones z ON z.zone = w.zone "
                          "WHERE z.run_id = (SELECT max(z2.run_id) FROM zones z2 WHERE z2.zone = w.zone AND "
                          "z2.state IS NOT NULL)"));
  return visit_states(*s, visit);
}

Result<void> HistoryStore::visit_states(db::Query& s, const StateVisitor& visit) {
  for (;;) {
    ZW_TRY_ASSIGN(const bool row, s.next());
    if (!row) {
      return {};
    }
    const std::string zone = s.text(0);
    if (Result<void> taken = visit(normalize_zone(zone), s.text(1)); !taken) {
      return fail(fmt::format("{}: run {}, zone {}: {}", path(), s.integer(2), zone, taken.error().message));
    }
  }
}

Result<std::map<std::string, RolloverState>> HistoryStore::read_states(db::Query& s) {
  std::map<std::string, RolloverState> out;
  ZW_TRY(visit_states(s, into(out)));
  return out;
}

Result<std::vector<RunSummary>> HistoryStore::runs() {
  ZW_TRY_ASSIGN(const std::unique_ptr<db::Query> s,
                m_db->prepare("SELECT r.id, r.started, r.finished, r.version, r.command, r.profile, r.exit_status, "
                              "(SELECT count(*) FROM zones z WHERE z.run_id = r.id), "
                              "(SELECT count(*) FROM findings f WHERE f.run_id = r.id AND f.severity = 'error'), "
                              "(SELECT count(*) FROM findings f WHERE f.run_id = r.id AND f.severity = 'warning'), "
                              "(SELECT count(*) FROM findings f WHERE f.run_id = r.id AND f.severity = 'notice') "
                              "FROM runs r ORDER BY r.id"));
  std::vector<RunSummary> out;
  for (;;) {
    ZW_TRY_ASSIGN(const bool row, s->next());
    if (!row) {
      return out;
    }
    RunSummary r;
    r.id = s->integer(0);
    r.started = s->integer(1);
    r.finished = s->integer(2);
    r.version = s->text(3);
    r.command = s->text(4);
    r.profile = s->text(5);
    r.exit_status = static_cast<int>(s->integer(6));
    r.zones = s->integer(7);
    r.errors = s->integer(8);
    r.warnings = s->integer(9);
    r.notices = s->integer(10);
    out.push_back(std::move(r));
  }
}

Result<std::int64_t> HistoryStore::latest_run() {
  ZW_TRY_ASSIGN(const std::unique_ptr<db::Query> s, m_db->prepare("SELECT coalesce(max(id), 0) FROM runs"));
  ZW_TRY_ASSIGN(const bool row, s->next());
  if (!row || s->integer(0) == 0) {
    return fail(fmt::format("{}: no run recorded yet", path()));
  }
  return s->integer(0);
}

Result<void> HistoryStore::require_run(std::int64_t id) {
  ZW_TRY_ASSIGN(const std::unique_ptr<db::Query> s, m_db->prepare("SELECT count(*) FROM runs WHERE id = ?1"));
  s->bind(1, id);
  ZW_TRY_ASSIGN(const bool row, s->next());
  if (!row || s->integer(0) == 0) {
    return fail(fmt::format("{}: no run {}", path(), id));
  }
  return {};
}

Result<std::vector<StoredFinding>> HistoryStore::findings_of_run(std::int64_t id) {
  ZW_TRY(require_run(id));
  ZW_TRY_ASSIGN(const std::unique_ptr<db::Query> s,
                m_db->prepare_streamed(fmt::format("SELECT {} FROM findings WHERE run_id = ?1 ORDER BY rowid",
                                                   internal::finding_columns(""))));
  s->bind(1, id);
  std::vector<StoredFinding> out;
  for (;;) {
    ZW_TRY_ASSIGN(const bool row, s->next());
    if (!row) {
      return out;
    }
    out.push_back(internal::stored_finding(*s));
  }
}

Result<ZoneHistory> HistoryStore::zone_history(const std::string& name) {
  ZoneHistory out;
  out.zone = normalize_zone(name);
  std::map<std::int64_t, std::int64_t> started; // run -> its start, the runs of the zone
  {
    ZW_TRY_ASSIGN(const std::unique_ptr<db::Query> s,
                  m_db->prepare("SELECT z.run_id, r.started, z.chain, z.soa_serials, z.dnskeys, z.ds FROM zones z "
                                "JOIN runs r ON r.id = z.run_id WHERE lower(z.zone) = ?1 ORDER BY z.run_id"));
    s->bind(1, out.zone);
    for (;;) {
      ZW_TRY_ASSIGN(const bool row, s->next());
      if (!row) {
        break;
      }
      started[s->integer(0)] = s->integer(1);
      out.runs.push_back(s->integer(0));
      out.chain = s->text(2);
      out.soa_serials = s->text(3);
      out.dnskeys = s->text(4);
      out.ds = s->text(5);
    }
  }
  if (out.runs.empty()) {
    return fail(fmt::format("{}: no run checked zone {}", path(), util::quote_input(out.zone)));
  }
  // Per fingerprint, the runs that had it and how it looked last.
  std::map<std::string, std::set<std::int64_t>> seen_in;
  std::map<std::string, StoredFinding> last;
  std::vector<std::string> order; // fingerprints in the order they first appeared
  {
    ZW_TRY_ASSIGN(
        const std::unique_ptr<db::Query> s,
        m_db->prepare_streamed(fmt::format("SELECT {} FROM findings WHERE lower(zone) = ?1 ORDER BY run_id, rowid",
                                           internal::finding_columns(""))));
    s->bind(1, out.zone);
    for (;;) {
      ZW_TRY_ASSIGN(const bool row, s->next());
      if (!row) {
        break;
      }
      StoredFinding f = internal::stored_finding(*s);
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
  Baseline out;
  if (id) {
    ZW_TRY_ASSIGN(const std::vector<StoredFinding> findings, findings_of_run(*id));
    for (const StoredFinding& f : findings) {
      out.keys.push_back(Baseline::Key{f.rule, f.zone, f.server, f.owner, f.type});
    }
  } else {
    ZW_TRY(latest_run()); // a history with no run is no baseline
    // Each zone's findings in its own latest run: the shards of one night are runs of their own,
    // and a `check` of one zone file between two nightly audits is a run of that zone only.
    ZW_TRY_ASSIGN(const std::unique_ptr<db::Query> s,
                  m_db->prepare_streamed("SELECT f.rule, f.zone, f.server, f.owner, f.type FROM findings f JOIN "
                                         "(SELECT zone, max(run_id) AS run_id FROM zones GROUP BY zone) latest "
                                         "ON latest.zone = f.zone AND latest.run_id = f.run_id"));
    for (;;) {
      ZW_TRY_ASSIGN(const bool row, s->next());
      if (!row) {
        break;
      }
      out.keys.push_back(Baseline::Key{s->text(0), s->text(1), s->text(2), s->text(3), s->text(4)});
    }
  }
  std::sort(out.keys.begin(), out.keys.end());
  out.keys.erase(std::unique(out.keys.begin(), out.keys.end()), out.keys.end());
  return out;
}

Result<std::int64_t> HistoryStore::prune(std::int64_t keep) {
  if (keep < 1) {
    return fail(fmt::format("--keep {}: keep at least 1 run", keep));
  }
  ZW_TRY(m_db->begin_write());
  db::Transaction tx(*m_db);
  ZW_TRY_ASSIGN(const std::unique_ptr<db::Query> s,
                m_db->prepare("DELETE FROM runs WHERE id NOT IN (SELECT id FROM runs ORDER BY id DESC LIMIT ?1) "
                              "RETURNING id"));
  s->bind(1, keep);
  std::int64_t deleted = 0;
  for (;;) {
    ZW_TRY_ASSIGN(const bool row, s->next());
    if (!row) {
      break;
    }
    ++deleted;
  }
  ZW_TRY(tx.commit());
  return deleted;
}

bool history_missing(const std::string& spec) {
  if (db::is_postgres_uri(spec)) {
    return false;
  }
  std::error_code ec;
  return !std::filesystem::exists(spec, ec);
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
