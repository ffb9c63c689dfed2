// JSON form of a Snapshot (`audit --save` / `audit --restore`). Reading validates every member
// and names the first offending one: a hand-edited or truncated file is an Error, never a crash.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "util/enum_names.hpp"
#include "util/json_cursor.hpp"
#include "util/json_fields.hpp"
#include "util/json_text.hpp"
#include "util/text.hpp"
#include "zonewarden/snapshot.hpp"

namespace zw {

using nlohmann::json;

using util::EnumName;

constexpr auto k_transport_names = util::enum_names({EnumName(Transport::udp, "udp"), EnumName(Transport::tcp, "tcp")});

constexpr auto k_outcome_names =
    util::enum_names({EnumName(Outcome::answered, "answered"), EnumName(Outcome::timeout, "timeout"),
                      EnumName(Outcome::unreachable, "unreachable"), EnumName(Outcome::network_error, "network-error"),
                      EnumName(Outcome::malformed, "malformed"), EnumName(Outcome::mismatched, "mismatched"),
                      EnumName(Outcome::tcp_failed, "tcp-failed"), EnumName(Outcome::not_asked, "not-asked")});

constexpr auto k_walk_status_names =
    util::enum_names({EnumName(WalkStatus::complete, "complete"), EnumName(WalkStatus::incomplete, "incomplete"),
                      EnumName(WalkStatus::skipped, "skipped")});

std::string_view to_string(Transport transport) noexcept {
  return k_transport_names.text(transport);
}

std::string_view to_string(Outcome outcome) noexcept {
  return k_outcome_names.text(outcome);
}

std::string_view to_string(WalkStatus status) noexcept {
  return k_walk_status_names.text(status);
}

namespace {

using util::JsonField;

// The members of an exchange that are written and read as they are; transport, outcome, detail,
// rtt_ms and edns_faults have their own texts, ranges or defaults (to_json, exchange_from).
using X = Exchange;
constexpr std::tuple k_exchange_fields(JsonField("qname", &X::qname), JsonField("qtype", &X::qtype),
                                       JsonField("rcode", &X::rcode), JsonField("aa", &X::aa), JsonField("tc", &X::tc),
                                       JsonField("edns", &X::edns), JsonField("attempts", &X::attempts),
                                       JsonField("answer", &X::answer), JsonField("authority", &X::authority),
                                       JsonField("additional", &X::additional));

using N = NameServer;
constexpr std::tuple k_name_server_fields(JsonField("name", &N::name), JsonField("at_parent", &N::at_parent),
                                          JsonField("at_child", &N::at_child), JsonField("from_user", &N::from_user),
                                          JsonField("glue", &N::glue), JsonField("addresses", &N::addresses),
                                          JsonField("resolution_error", &N::resolution_error));

json to_json(const Exchange& e) {
  json out = util::fields_to_json<json>(e, k_exchange_fields);
  out["transport"] = to_string(e.transport);
  out["outcome"] = to_string(e.outcome);
  out["detail"] = e.detail;
  out["rtt_ms"] = e.rtt_ms;
  out["edns_faults"] = e.edns_faults;
  return out;
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
    nss.push_back(util::fields_to_json<json>(ns, k_name_server_fields));
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

using Cursor = util::JsonCursor;

// The enumerator `c` names, by `names`; `what` names the member in the refusal.
template <typename Names> auto enum_from(const Cursor& c, const Names& names, std::string_view what) {
  const std::string text = c.string();
  if (const auto value = names.value(text)) {
    return *value;
  }
  c.fail_here(fmt::format("unknown {} \"{}\"", what, util::quote_input(text)));
}

Exchange exchange_from(const Cursor& c) {
  Exchange e = util::fields_from<Exchange>(c, k_exchange_fields);
  e.transport = enum_from(c.member("transport"), k_transport_names, "transport");
  e.outcome = enum_from(c.member("outcome"), k_outcome_names, "outcome");
  e.detail = c.member("detail").string();
  if (e.outcome == Outcome::timeout && e.detail == k_not_sent_by_deadline) {
    e.outcome = Outcome::not_asked; // saved before Outcome::not_asked existed: the query was never sent
  }
  e.rtt_ms = c.member("rtt_ms").number(-std::numeric_limits<double>::max(), std::numeric_limits<double>::max());
  if (c.has("edns_faults")) { // absent in snapshots saved before it existed
    e.edns_faults = c.member("edns_faults").strings();
  }
  return e;
}

ZoneSnapshot zone_from(const Cursor& c) {
  ZoneSnapshot z;
  z.zone = c.member("zone").string();
  z.parent = c.member("parent").string();
  z.undelegated = c.member("undelegated").boolean();
  for (const Cursor& a : c.member("ancestors").elements()) {
    z.ancestors.push_back(AncestorZone{a.member("zone").string(), a.member("server").string(),
                                       exchange_from(a.member("dnskey")), exchange_from(a.member("ds"))});
  }
  for (const Cursor& p : c.member("parent_views").elements()) {
    z.parent_views.push_back(ParentView{p.member("name").string(), p.member("address").string(),
                                        exchange_from(p.member("referral")), exchange_from(p.member("ds"))});
  }
  for (const Cursor& n : c.member("name_servers").elements()) {
    z.name_servers.push_back(util::fields_from<NameServer>(n, k_name_server_fields));
  }
  for (const Cursor& s : c.member("servers").elements()) {
    ServerProbe probe{s.member("name").string(), s.member("address").string(), {}};
    for (const Cursor& e : s.member("exchanges").elements()) {
      probe.exchanges.push_back(exchange_from(e));
    }
    z.servers.push_back(std::move(probe));
  }
  if (const Cursor expected = c.member("expected_ds"); !expected.is_null()) {
    z.expected_ds = expected.strings();
  }
  z.walk_errors = c.member("walk_errors").strings();
  if (c.has("nsec_walk")) { // absent in snapshots of audits without --walk
    const Cursor w = c.member("nsec_walk");
    NsecWalk walk;
    walk.status = enum_from(w.member("status"), k_walk_status_names, "walk status");
    walk.reason = w.member("reason").string();
    walk.server = w.member("server").string();
    walk.names = w.member("names").as<std::uint64_t>();
    z.nsec_walk = std::move(walk);
  }
  if (c.has("zone_file")) { // absent in snapshots of audits without --zone-file
    const Cursor f = c.member("zone_file");
    ZoneFileCopy copy;
    copy.path = f.member("path").string();
    copy.files = f.member("files").strings();
    copy.rrsets = f.member("rrsets").as<std::uint64_t>();
    copy.asked = f.member("asked").as<std::uint64_t>();
    for (const Cursor& rec : f.member("records").elements()) {
      const Cursor file = rec.member("file");
      ZoneFileRecord record{rec.member("rr").string(), file.as<std::uint16_t>(),
                            rec.member("line").as<std::uint32_t>()};
      if (record.file >= copy.files.size()) {
        file.fail_here("no such file");
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
  // Each zone is read as soon as the parser has it and its tree dropped (a fleet's snapshot is
  // never held whole as a tree); the first zone that does not read is reported after the
  // document's own members are checked (an unsupported schema says so first).
  std::vector<ZoneSnapshot> zones;
  std::optional<std::string> zone_error;
  ZW_TRY_ASSIGN(const json doc,
                util::read_json_elements(
                    text, "zones", [&](const Cursor& zone) { zones.push_back(zone_from(zone)); }, zone_error));
  try {
    const Cursor root(doc, "");
    if (root.member("kind").string() != "zonewarden-snapshot") {
      return fail("not a zonewarden snapshot (kind)");
    }
    if (const int schema = root.member("schema").as<int>();
        schema < Snapshot::k_oldest_schema || schema > Snapshot::k_schema) {
      return fail(fmt::format("snapshot schema {} is not supported (this build reads {} to {})", schema,
                              Snapshot::k_oldest_schema, Snapshot::k_schema));
    }
    Snapshot s;
    s.tool_version = root.member("tool_version").string();
    s.started_at = root.member("started_at").as<std::int64_t>();
    s.finished_at = root.member("finished_at").as<std::int64_t>();
    s.public_root_hints = root.member("public_root_hints").boolean();
    s.trust_anchor = root.member("trust_anchor").strings();
    (void)root.member("zones").elements(); // an array (read_json_elements read its elements)
    if (zone_error) {
      return fail(*zone_error);
    }
    s.zones = std::move(zones);
    return s;
  } catch (const util::JsonShapeError& e) {
    return fail(e.message);
  }
}

} // namespace zw
