// JSON form of a Snapshot (`audit --save` / `audit --restore`). Reading validates every member
// and names the first offending one: a hand-edited or truncated file is an Error, never a crash.

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <limits>
#include <type_traits>

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "util/json_text.hpp"
#include "util/text.hpp"
#include "zonewarden/snapshot.hpp"

namespace zw {

using nlohmann::json;

std::string_view to_string(Transport transport) noexcept {
  return transport == Transport::udp ? "udp" : "tcp";
}

std::string_view to_string(Outcome outcome) noexcept {
  switch (outcome) {
  case Outcome::answered: return "answered";
  case Outcome::timeout: return "timeout";
  case Outcome::unreachable: return "unreachable";
  case Outcome::network_error: return "network-error";
  case Outcome::malformed: return "malformed";
  case Outcome::mismatched: return "mismatched";
  case Outcome::tcp_failed: return "tcp-failed";
  case Outcome::not_asked: return "not-asked";
  }
  return "unknown";
}

std::string_view to_string(WalkStatus status) noexcept {
  switch (status) {
  case WalkStatus::complete: return "complete";
  case WalkStatus::incomplete: return "incomplete";
  case WalkStatus::skipped: return "skipped";
  }
  return "unknown";
}

namespace {

constexpr WalkStatus k_walk_statuses[] = {WalkStatus::complete, WalkStatus::incomplete, WalkStatus::skipped};

constexpr Outcome k_outcomes[] = {Outcome::answered,  Outcome::timeout,    Outcome::unreachable, Outcome::network_error,
                                  Outcome::malformed, Outcome::mismatched, Outcome::tcp_failed,  Outcome::not_asked};

json to_json(const Exchange& e) {
  return json{{"qname", e.qname},
              {"qtype", e.qtype},
              {"transport", to_string(e.transport)},
              {"outcome", to_string(e.outcome)},
              {"detail", e.detail},
              {"rcode", e.rcode},
              {"aa", e.aa},
              {"tc", e.tc},
              {"edns", e.edns},
              {"rtt_ms", e.rtt_ms},
              {"attempts", e.attempts},
              {"answer", e.answer},
              {"authority", e.authority},
              {"additional", e.additional},
              {"edns_faults", e.edns_faults}};
}

json to_json(const NameServer& ns) {
  return json{{"name", ns.name},
              {"at_parent", ns.at_parent},
              {"at_child", ns.at_child},
              {"from_user", ns.from_user},
              {"glue", ns.glue},
              {"addresses", ns.addresses},
              {"resolution_error", ns.resolution_error}};
}

json to_json(const ZoneSnapshot& z) {
  json ancestors = json::array();
  for (const AncestorZone& a : z.ancestors) {
    ancestors.push_back({{"zone", a.zone}, {"server", a.server}, {"dnskey", to_json(a.dnskey)}, {"ds", to_json(a.ds)}});
  }
  json parents = json::array();
  for (const ParentView& p : z.parent_views) {
    parents.push_back(
        {{"name", p.name}, {"address", p.address}, {"referral", to_json(p.referral)}, {"ds", to_json(p.ds)}});
  }
  json nss = json::array();
  for (const NameServer& ns : z.name_servers) {
    nss.push_back(to_json(ns));
  }
  json servers = json::array();
  for (const ServerProbe& s : z.servers) {
    json exchanges = json::array();
    for (const Exchange& e : s.exchanges) {
      exchanges.push_back(to_json(e));
    }
    servers.push_back({{"name", s.name}, {"address", s.address}, {"exchanges", std::move(exchanges)}});
  }
  json out{{"zone", z.zone},         {"parent", z.parent},          {"undelegated", z.undelegated},
           {"ancestors", ancestors}, {"parent_views", parents},     {"name_servers", nss},
           {"servers", servers},     {"walk_errors", z.walk_errors}};
  out["expected_ds"] = z.expected_ds ? json(*z.expected_ds) : json(nullptr);
  if (z.nsec_walk) {
    // Written only after --walk, so that snapshots of other audits stay as they were.
    out["nsec_walk"] = {{"status", to_string(z.nsec_walk->status)},
                        {"reason", z.nsec_walk->reason},
                        {"server", z.nsec_walk->server},
                        {"names", z.nsec_walk->names}};
  }
  if (z.zone_file) {
    // Written only after --zone-file, like nsec_walk.
    json records = json::array();
    for (const ZoneFileRecord& rec : z.zone_file->records) {
      records.push_back({{"rr", rec.rr}, {"file", rec.file}, {"line", rec.line}});
    }
    out["zone_file"] = {{"path", z.zone_file->path},
                        {"files", z.zone_file->files},
                        {"records", std::move(records)},
                        {"rrsets", z.zone_file->rrsets},
                        {"asked", z.zone_file->asked}};
  }
  return out;
}

// Reader: every access goes through here so that a wrong shape becomes an Error naming the path.
class Reader {
public:
  explicit Reader(std::string path) : m_path(std::move(path)) {}

  const json& member(const json& obj, const char* key) const {
    if (!obj.is_object()) {
      throw ShapeError{fmt::format("{}: expected an object", m_path)};
    }
    const auto it = obj.find(key);
    if (it == obj.end()) {
      throw ShapeError{fmt::format("{}.{}: missing", m_path, key)};
    }
    return *it;
  }
  template <typename T> T get(const json& obj, const char* key) const {
    const json& value = member(obj, key);
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
      // get<int>() of 1e31 converts a double that does not fit: undefined behaviour, and
      // 70000 would silently wrap. Only integers, and only in range.
      if (!value.is_number_integer()) {
        throw ShapeError{fmt::format("{}.{}: wrong type", m_path, key)};
      }
      const bool fits = value.is_number_unsigned()
                            ? value.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<T>::max())
                            : value.get<std::int64_t>() >= static_cast<std::int64_t>(std::numeric_limits<T>::min()) &&
                                  value.get<std::int64_t>() <= static_cast<std::int64_t>(std::numeric_limits<T>::max());
      if (!fits) {
        throw ShapeError{fmt::format("{}.{}: out of range", m_path, key)};
      }
    }
    try {
      return value.get<T>();
    } catch (const json::exception&) {
      throw ShapeError{fmt::format("{}.{}: wrong type", m_path, key)};
    }
  }
  Reader at(const std::string& suffix) const { return Reader(m_path + suffix); }

  struct ShapeError {
    std::string message;
  };

private:
  std::string m_path;
};

Outcome outcome_from(const std::string& text) {
  for (const Outcome o : k_outcomes) {
    if (to_string(o) == text) {
      return o;
    }
  }
  throw Reader::ShapeError{fmt::format("unknown outcome \"{}\"", util::quote_input(text))};
}

Exchange exchange_from(const Reader& r, const json& j) {
  Exchange e;
  e.qname = r.get<std::string>(j, "qname");
  e.qtype = r.get<std::string>(j, "qtype");
  const std::string transport = r.get<std::string>(j, "transport");
  if (transport != "udp" && transport != "tcp") {
    throw Reader::ShapeError{fmt::format("unknown transport \"{}\"", util::quote_input(transport))};
  }
  e.transport = transport == "udp" ? Transport::udp : Transport::tcp;
  e.outcome = outcome_from(r.get<std::string>(j, "outcome"));
  e.detail = r.get<std::string>(j, "detail");
  if (e.outcome == Outcome::timeout && e.detail == k_not_sent_by_deadline) {
    e.outcome = Outcome::not_asked; // saved before Outcome::not_asked existed: the query was never sent
  }
  e.rcode = r.get<int>(j, "rcode");
  e.aa = r.get<bool>(j, "aa");
  e.tc = r.get<bool>(j, "tc");
  e.edns = r.get<bool>(j, "edns");
  e.rtt_ms = r.get<double>(j, "rtt_ms");
  e.attempts = r.get<int>(j, "attempts");
  e.answer = r.get<std::vector<std::string>>(j, "answer");
  e.authority = r.get<std::vector<std::string>>(j, "authority");
  e.additional = r.get<std::vector<std::string>>(j, "additional");
  if (j.contains("edns_faults")) { // absent in snapshots saved before it existed
    e.edns_faults = r.get<std::vector<std::string>>(j, "edns_faults");
  }
  return e;
}

const json& array_member(const Reader& r, const json& obj, const char* key) {
  const json& value = r.member(obj, key);
  if (!value.is_array()) {
    throw Reader::ShapeError{fmt::format("{}: expected an array", key)};
  }
  return value;
}

ZoneSnapshot zone_from(const Reader& r, const json& j) {
  ZoneSnapshot z;
  z.zone = r.get<std::string>(j, "zone");
  z.parent = r.get<std::string>(j, "parent");
  z.undelegated = r.get<bool>(j, "undelegated");
  std::size_t i = 0;
  for (const json& a : array_member(r, j, "ancestors")) {
    const Reader ra = r.at(fmt::format(".ancestors[{}]", i++));
    z.ancestors.push_back(AncestorZone{ra.get<std::string>(a, "zone"), ra.get<std::string>(a, "server"),
                                       exchange_from(ra.at(".dnskey"), ra.member(a, "dnskey")),
                                       exchange_from(ra.at(".ds"), ra.member(a, "ds"))});
  }
  i = 0;
  for (const json& p : array_member(r, j, "parent_views")) {
    const Reader rp = r.at(fmt::format(".parent_views[{}]", i++));
    z.parent_views.push_back(ParentView{rp.get<std::string>(p, "name"), rp.get<std::string>(p, "address"),
                                        exchange_from(rp.at(".referral"), rp.member(p, "referral")),
                                        exchange_from(rp.at(".ds"), rp.member(p, "ds"))});
  }
  i = 0;
  for (const json& n : array_member(r, j, "name_servers")) {
    const Reader rn = r.at(fmt::format(".name_servers[{}]", i++));
    NameServer ns;
    ns.name = rn.get<std::string>(n, "name");
    ns.at_parent = rn.get<bool>(n, "at_parent");
    ns.at_child = rn.get<bool>(n, "at_child");
    ns.from_user = rn.get<bool>(n, "from_user");
    ns.glue = rn.get<std::vector<std::string>>(n, "glue");
    ns.addresses = rn.get<std::vector<std::string>>(n, "addresses");
    ns.resolution_error = rn.get<std::string>(n, "resolution_error");
    z.name_servers.push_back(std::move(ns));
  }
  i = 0;
  for (const json& s : array_member(r, j, "servers")) {
    const Reader rs = r.at(fmt::format(".servers[{}]", i++));
    ServerProbe probe{rs.get<std::string>(s, "name"), rs.get<std::string>(s, "address"), {}};
    std::size_t k = 0;
    for (const json& e : array_member(rs, s, "exchanges")) {
      probe.exchanges.push_back(exchange_from(rs.at(fmt::format(".exchanges[{}]", k++)), e));
    }
    z.servers.push_back(std::move(probe));
  }
  const json& expected = r.member(j, "expected_ds");
  if (!expected.is_null()) {
    z.expected_ds = r.get<std::vector<std::string>>(j, "expected_ds");
  }
  z.walk_errors = r.get<std::vector<std::string>>(j, "walk_errors");
  if (j.contains("nsec_walk")) { // absent in snapshots of audits without --walk
    const Reader rw = r.at(".nsec_walk");
    const json& w = r.member(j, "nsec_walk");
    NsecWalk walk;
    const std::string status = rw.get<std::string>(w, "status");
    const auto* known = std::find_if(std::begin(k_walk_statuses), std::end(k_walk_statuses),
                                     [&](WalkStatus s) { return to_string(s) == status; });
    if (known == std::end(k_walk_statuses)) {
      throw Reader::ShapeError{fmt::format("unknown walk status \"{}\"", util::quote_input(status))};
    }
    walk.status = *known;
    walk.reason = rw.get<std::string>(w, "reason");
    walk.server = rw.get<std::string>(w, "server");
    walk.names = rw.get<std::uint64_t>(w, "names");
    z.nsec_walk = std::move(walk);
  }
  if (j.contains("zone_file")) { // absent in snapshots of audits without --zone-file
    const Reader rf = r.at(".zone_file");
    const json& f = r.member(j, "zone_file");
    ZoneFileCopy copy;
    copy.path = rf.get<std::string>(f, "path");
    copy.files = rf.get<std::vector<std::string>>(f, "files");
    copy.rrsets = rf.get<std::uint64_t>(f, "rrsets");
    copy.asked = rf.get<std::uint64_t>(f, "asked");
    std::size_t k = 0;
    for (const json& rec : array_member(rf, f, "records")) {
      const Reader rr = rf.at(fmt::format(".records[{}]", k++));
      ZoneFileRecord record{rr.get<std::string>(rec, "rr"), rr.get<std::uint16_t>(rec, "file"),
                            rr.get<std::uint32_t>(rec, "line")};
      if (record.file >= copy.files.size()) {
        throw Reader::ShapeError{fmt::format("zone_file.records[{}].file: no such file", k - 1)};
      }
      copy.records.push_back(std::move(record));
    }
    z.zone_file = std::move(copy);
  }
  return z;
}

} // namespace

std::string snapshot_to_json(const Snapshot& snapshot) {
  json zones = json::array();
  for (const ZoneSnapshot& z : snapshot.zones) {
    zones.push_back(to_json(z));
  }
  const json out{{"kind", "zonewarden-snapshot"},         {"schema", Snapshot::k_schema},
                 {"tool_version", snapshot.tool_version}, {"started_at", snapshot.started_at},
                 {"finished_at", snapshot.finished_at},   {"public_root_hints", snapshot.public_root_hints},
                 {"trust_anchor", snapshot.trust_anchor}, {"zones", std::move(zones)}};
  return out.dump(1) + "\n";
}

Result<Snapshot> snapshot_from_json(const std::string& text) {
  ZW_TRY_ASSIGN(const json doc, util::parse_json(text));
  try {
    const Reader r("snapshot");
    if (r.get<std::string>(doc, "kind") != "zonewarden-snapshot") {
      return fail("not a zonewarden snapshot (kind)");
    }
    if (const int schema = r.get<int>(doc, "schema");
        schema < Snapshot::k_oldest_schema || schema > Snapshot::k_schema) {
      return fail(fmt::format("snapshot schema {} is not supported (this build reads {} to {})", schema,
                              Snapshot::k_oldest_schema, Snapshot::k_schema));
    }
    Snapshot s;
    s.tool_version = r.get<std::string>(doc, "tool_version");
    s.started_at = r.get<std::int64_t>(doc, "started_at");
    s.finished_at = r.get<std::int64_t>(doc, "finished_at");
    s.public_root_hints = r.get<bool>(doc, "public_root_hints");
    s.trust_anchor = r.get<std::vector<std::string>>(doc, "trust_anchor");
    std::size_t i = 0;
    for (const json& z : array_member(r, doc, "zones")) {
      s.zones.push_back(zone_from(r.at(fmt::format(".zones[{}]", i++)), z));
    }
    return s;
  } catch (const Reader::ShapeError& e) {
    return fail(e.message);
  }
}

} // namespace zw
