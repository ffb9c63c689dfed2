// JSON reporter: DESIGN.md's contract, schema 1. Field names are a stable interface.

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/finding_json.hpp"
#include "report/pieces.hpp"
#include "report/zone_json.hpp"
#include "util/time.hpp"
#include "zonewarden/report.hpp"

namespace zw {

using nlohmann::json;

nlohmann::json detail::finding_json(const Finding& f) {
  json out = finding_identity<json>(f);
  out["servers"] = f.servers;
  out["evidence"] = f.evidence;
  // Shown, never dropped: null when the finding counts towards --fail-on, else why not.
  out["suppressed"] = null_if_empty<json>(f.suppressed);
  // Zone-file findings only (check): the line they point at first. Absent otherwise.
  if (!f.location.file.empty()) {
    out["file"] = f.location.file;
    out["line"] = f.location.line;
  }
  out["resolver"] = resolver_json<json>(f.resolver, true);
  return out;
}

namespace {

json server_json(const ServerRow& s) {
  return json{{"name", s.name},
              {"address", s.address},
              {"soa_serial", s.soa_serial ? json(*s.soa_serial) : json(nullptr)},
              {"authoritative", s.authoritative},
              {"rcode", detail::null_if_empty<json>(s.rcode)},
              {"rtt_ms", s.rtt_ms ? json(*s.rtt_ms) : json(nullptr)},
              {"udp", s.udp},
              {"tcp", s.tcp}};
}

// Messages quote what servers sent; a byte that is not UTF-8 becomes U+FFFD instead of an exception.
std::string dump(const json& value) {
  return value.dump(2, ' ', false, json::error_handler_t::replace);
}

} // namespace

nlohmann::json detail::zone_json(const ZoneResult& z) {
  json servers = json::array();
  for (const ServerRow& s : z.servers) {
    servers.push_back(server_json(s));
  }
  json findings = json::array();
  for (const Finding& f : z.findings) {
    findings.push_back(detail::finding_json(f));
  }
  json chain = json::array();
  for (const ChainLink& link : z.chain_links) {
    json ds = json::array();
    for (const ChainLink::Ds& d : link.ds) {
      ds.push_back(util::fields_to_json<json>(d, detail::k_chain_ds_fields));
    }
    json keys = json::array();
    for (const ChainLink::Key& k : link.keys) {
      keys.push_back(util::fields_to_json<json>(k, detail::k_chain_key_fields));
    }
    chain.push_back({{"zone", link.zone}, {"status", link.status}, {"ds", std::move(ds)}, {"keys", std::move(keys)}});
  }
  return json{
      {"zone", z.zone},
      {"chain_links", std::move(chain)},
      {"chain", z.chain},
      {"servers", std::move(servers)},
      {"findings", std::move(findings)},
      {"notes", z.notes},
      {"earliest_expiration", z.earliest_expiration ? json(util::format_utc(*z.earliest_expiration)) : json(nullptr)}};
}

// The document is written a zone at a time, so that only one zone's JSON tree is in memory, not
// the whole fleet's (nlohmann's tree of a 10,000-zone audit took 114 MB, its text 22 MB), and
// handed to `write` a megabyte or so at a time. The text is what dumping the whole tree gives:
// members sorted by name, so "zones" comes last, and each zone indented by two levels (a dumped
// string never holds a raw line break).
Result<void> write_json(const AuditResult& result, const TextSink& write) {
  json totals{{"error", 0}, {"warning", 0}, {"notice", 0}};
  const ZoneResults zones = zones_of(result);
  for (const ZoneResult& z : zones) {
    for (const Finding& f : z.findings) {
      totals[std::string(to_string(f.severity))] = totals[std::string(to_string(f.severity))].get<int>() + 1;
    }
  }
  const json head{{"tool", result.tool},
                  {"version", result.version},
                  {"schema", 1},
                  {"command", result.command},
                  {"generated", util::format_utc(result.generated)},
                  {"now", util::format_utc(result.now)},
                  {"elapsed_s", result.elapsed_s},
                  {"summary", totals},
                  {"policy", result.policy},
                  {"rules_run", result.rules_run},
                  {"expiry_window_s", result.expiry_window_s}};
  std::string out = dump(head);
  out.resize(out.size() - 2); // "\n}": the zones follow as the last member
  out += ",\n  \"zones\": ";
  if (zones.empty()) {
    out += "[]";
  } else {
    out += "[";
    bool first = true;
    for (const ZoneResult& z : zones) {
      const std::string zone = dump(detail::zone_json(z));
      out += first ? "\n" : ",\n";
      first = false;
      std::size_t line = 0;
      while (line < zone.size()) {
        const std::size_t end = std::min(zone.find('\n', line), zone.size());
        out.append(4, ' ').append(zone, line, end - line);
        if (end < zone.size()) {
          out += '\n';
        }
        line = end + 1;
      }
      ZW_TRY(detail::flush_if_full(out, write));
    }
    out += "\n  ]";
  }
  out += "\n}\n";
  return write(out);
}

std::string render_json(const AuditResult& result) {
  return detail::collect([&result](const TextSink& write) { return write_json(result, write); });
}

} // namespace zw
