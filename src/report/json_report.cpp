// JSON reporter: DESIGN.md's contract, schema 1. Field names are a stable interface.

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/finding_json.hpp"
#include "util/time.hpp"
#include "zonewarden/report.hpp"

namespace zw {

using nlohmann::json;

nlohmann::json detail::finding_json(const Finding& f) {
  json out{{"rule", f.rule},
           {"severity", to_string(f.severity)},
           {"zone", f.location.zone},
           {"server", f.location.server.empty() ? json(nullptr) : json(f.location.server)},
           {"owner", f.location.owner},
           {"type", f.location.type},
           {"message", f.message},
           {"servers", f.servers},
           {"evidence", f.evidence},
           // Shown, never dropped: null when the finding counts towards --fail-on, else why not.
           {"suppressed", f.suppressed.empty() ? json(nullptr) : json(f.suppressed)}};
  // Zone-file findings only (check): the line they point at first. Absent otherwise.
  if (!f.location.file.empty()) {
    out["file"] = f.location.file;
    out["line"] = f.location.line;
  }
  out["resolver"] = {{"rcode", to_string(f.resolver.rcode)},
                     {"ede", f.resolver.ede == Ede::none ? json(nullptr) : json(static_cast<int>(f.resolver.ede))},
                     {"ede_text", f.resolver.ede == Ede::none ? json(nullptr) : json(ede_text(f.resolver.ede))}};
  return out;
}

namespace {

json server_json(const ServerRow& s) {
  return json{{"name", s.name},
              {"address", s.address},
              {"soa_serial", s.soa_serial ? json(*s.soa_serial) : json(nullptr)},
              {"authoritative", s.authoritative},
              {"rcode", s.rcode.empty() ? json(nullptr) : json(s.rcode)},
              {"rtt_ms", s.rtt_ms ? json(*s.rtt_ms) : json(nullptr)},
              {"udp", s.udp},
              {"tcp", s.tcp}};
}

} // namespace

std::string render_json(const AuditResult& result) {
  json zones = json::array();
  json totals{{"error", 0}, {"warning", 0}, {"notice", 0}};
  for (const ZoneResult& z : result.zones) {
    json servers = json::array();
    for (const ServerRow& s : z.servers) {
      servers.push_back(server_json(s));
    }
    json findings = json::array();
    for (const Finding& f : z.findings) {
      findings.push_back(detail::finding_json(f));
      totals[std::string(to_string(f.severity))] = totals[std::string(to_string(f.severity))].get<int>() + 1;
    }
    json chain = json::array();
    for (const ChainLink& link : z.chain_links) {
      json ds = json::array();
      for (const ChainLink::Ds& d : link.ds) {
        ds.push_back({{"key_tag", d.key_tag},
                      {"algorithm", d.algorithm},
                      {"digest_type", d.digest_type},
                      {"matches_key", d.matches_key}});
      }
      json keys = json::array();
      for (const ChainLink::Key& k : link.keys) {
        keys.push_back({{"key_tag", k.key_tag},
                        {"algorithm", k.algorithm},
                        {"flags", k.flags},
                        {"matched_by_ds", k.matched_by_ds},
                        {"signs_dnskey", k.signs_dnskey}});
      }
      chain.push_back({{"zone", link.zone}, {"status", link.status}, {"ds", std::move(ds)}, {"keys", std::move(keys)}});
    }
    zones.push_back({{"zone", z.zone},
                     {"chain_links", std::move(chain)},
                     {"chain", z.chain},
                     {"servers", std::move(servers)},
                     {"findings", std::move(findings)},
                     {"notes", z.notes},
                     {"earliest_expiration",
                      z.earliest_expiration ? json(util::format_utc(*z.earliest_expiration)) : json(nullptr)}});
  }
  const json out{{"tool", result.tool},
                 {"version", result.version},
                 {"schema", 1},
                 {"command", result.command},
                 {"generated", util::format_utc(result.generated)},
                 {"now", util::format_utc(result.now)},
                 {"elapsed_s", result.elapsed_s},
                 {"summary", totals},
                 {"policy", result.policy},
                 {"rules_run", result.rules_run},
                 {"zones", std::move(zones)}};
  // Messages quote what servers sent; a byte that is not UTF-8 becomes U+FFFD instead of an exception.
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

} // namespace zw
