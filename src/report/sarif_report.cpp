// SARIF 2.1.0 reporter (OASIS Static Analysis Results Interchange Format), for code-scanning
// dashboards and CI. One run; one reportingDescriptor per registered rule; one result per finding.
// Validated against the OASIS schema by tests/report/check_sarif.py.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/fingerprint.hpp"
#include "util/enum_names.hpp"
#include "util/time.hpp"
#include "zonewarden/report.hpp"
#include "zonewarden/rule.hpp"

namespace zw {

namespace {

using nlohmann::ordered_json;

// SARIF §3.19.6 / §3.49.12 require informationUri and helpUri to be *absolute* URIs (the
// schema says "format": "uri"), so a repository-relative docs path cannot go there. Until the
// project has a public home these point at a reserved, never-resolving name (RFC 6761 §6.4); the
// repository-relative path of each page is carried in `properties.docs` and linked from
// `help.markdown`, where relative links are allowed.
constexpr std::string_view k_home = "https://zonewarden.invalid/";
// The OASIS schema this output is validated against (tests/report/sarif-schema-2.1.0.json).
constexpr std::string_view k_schema =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

std::string docs_path(std::string_view rule_id) {
  return fmt::format("docs/rules/{}.md", rule_id);
}

using util::EnumName;

constexpr auto k_sarif_levels = util::enum_names(
    {EnumName(Severity::error, "error"), EnumName(Severity::warning, "warning"), EnumName(Severity::notice, "note")});

std::string_view level_of(Severity s) {
  return k_sarif_levels.text(s, "warning");
}

// "dnssec/rrsig-expired" -> "DnssecRrsigExpired": the area stays in, so names are unique.
std::string camel_case(std::string_view id) {
  std::string out;
  bool upper = true;
  for (const char c : id) {
    if (c == '/' || c == '-' || c == '_') {
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

ordered_json impact_json(const ResolverImpact& impact) {
  const bool has_ede = impact.ede != Ede::none;
  return ordered_json{
      {"rcode", impact.rcode == Rcode::none ? ordered_json(nullptr) : ordered_json(to_string(impact.rcode))},
      {"ede", has_ede ? ordered_json(static_cast<int>(impact.ede)) : ordered_json(nullptr)},
      {"edeText", has_ede ? ordered_json(ede_text(impact.ede)) : ordered_json(nullptr)}};
}

constexpr auto k_inputs_texts =
    util::enum_names({EnumName(Inputs::zone_file, "zone file"), EnumName(Inputs::live, "live"),
                      EnumName(Inputs::both, "zone file, live")});

std::string_view inputs_text(Inputs inputs) {
  return k_inputs_texts.text(inputs, "");
}

ordered_json descriptor(const RuleInfo& info) {
  const std::string docs = docs_path(info.id);
  const std::string impact = impact_text(info.impact);
  const std::string_view area = info.id.substr(0, info.id.find('/'));
  const std::string text = fmt::format(
      "{}\nSeverity: {}. Resolver impact: {}. Reference: {}.\nWhat it checks, why resolution breaks and how to fix "
      "it: {}",
      info.summary, to_string(info.severity), impact, info.reference, docs);
  const std::string markdown = fmt::format(
      "**{}**: {}\n\n| severity | resolver impact | reference | inputs |\n|---|---|---|---|\n| {} | {} | {} | {} "
      "|\n\nWhat it checks, why resolution breaks and how to fix it: [{}]({})",
      info.id, info.summary, to_string(info.severity), impact, info.reference, inputs_text(info.inputs), docs, docs);
  return ordered_json{
      {"id", info.id},
      {"name", camel_case(info.id)},
      {"shortDescription", {{"text", info.summary}}},
      {"fullDescription",
       {{"text", fmt::format("{} ({}). A validating resolver: {}.", info.summary, info.reference, impact)}}},
      {"helpUri", fmt::format("{}{}", k_home, docs)},
      {"help", {{"text", text}, {"markdown", markdown}}},
      {"defaultConfiguration", {{"level", level_of(info.severity)}}},
      {"properties",
       {{"resolverImpact", impact_json(info.impact)},
        {"reference", info.reference},
        {"stability", info.stability == Stability::stable ? "stable" : "preview"},
        {"inputs", inputs_text(info.inputs)},
        {"docs", docs},
        {"tags", {"dns", area}}}}};
}

// Percent-encodes all but RFC 3986 unreserved characters.
std::string uri_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += c;
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

// The RRset as an RFC 4501 DNS URI: `dns://192.0.2.1/www.example.com?type=A` (the server asked,
// the owner name, the type), or `dns:example.com?type=SOA` for data seen on every server alike.
//
// Why a physicalLocation at all: GitHub code scanning drops results without one. Why this URI
// rather than a file path: a live audit has no file to point at, and a made-up path like
// `zones/example.com.zone` would send readers to a file that need not exist. A DNS URI names
// exactly what was examined, is an absolute URI (schema: "format": "uri") and needs no
// originalUriBaseIds. The zone, server and RRset are also given as logicalLocations.
std::string dns_uri(const Location& loc) {
  std::string out = "dns:";
  if (const std::size_t slash = loc.server.rfind('/'); slash != std::string::npos && slash + 1 < loc.server.size()) {
    const std::string_view address = std::string_view(loc.server).substr(slash + 1);
    // RFC 3986 §3.2.2: an IPv6 address is written in brackets, its colons unescaped.
    const bool ipv6 = address.find_first_not_of("0123456789abcdefABCDEF:.") == std::string_view::npos &&
                      address.find(':') != std::string_view::npos;
    out += ipv6 ? fmt::format("//[{}]/", address) : fmt::format("//{}/", uri_escape(address));
  }
  std::string_view name = loc.owner.empty() ? loc.zone : loc.owner;
  if (name.size() > 1 && name.back() == '.') {
    name.remove_suffix(1); // RFC 4501 §2: names in DNS URIs are absolute, written without the final dot
  }
  out += name.empty() ? "." : uri_escape(name);
  if (!loc.type.empty()) {
    out += "?type=" + uri_escape(loc.type);
  }
  return out;
}

// A file path as a URI reference (RFC 3986): relative paths stay relative (code scanning reads
// them against the repository root), absolute ones become file:// URIs; each segment is
// percent-encoded, the slashes kept.
std::string file_uri(std::string_view path) {
  std::string out = path.starts_with('/') ? "file://" : "";
  for (std::size_t start = 0;;) {
    const std::size_t slash = path.find('/', start);
    out += uri_escape(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) {
      break;
    }
    out += '/';
    start = slash + 1;
  }
  return out;
}

ordered_json locations(const Location& loc) {
  ordered_json logical = ordered_json::array();
  // `kind` is a free string; SARIF's suggested values (function, module, ...) do not describe DNS.
  logical.push_back({{"name", loc.zone}, {"fullyQualifiedName", loc.zone}, {"kind", "zone"}});
  if (!loc.server.empty()) {
    logical.push_back({{"name", loc.server}, {"fullyQualifiedName", loc.server}, {"kind", "server"}});
  }
  if (!loc.owner.empty() || !loc.type.empty()) {
    const std::string rrset = fmt::format("{}/{}", loc.owner.empty() ? loc.zone : loc.owner, loc.type);
    logical.push_back({{"name", rrset}, {"fullyQualifiedName", rrset}, {"kind", "resourceRecordSet"}});
  }
  // A zone file's finding (check) points at its file and line, which code scanning shows
  // beside the file; a live finding at its DNS URI.
  ordered_json physical = loc.file.empty() ? ordered_json{{"artifactLocation", {{"uri", dns_uri(loc)}}}}
                                           : ordered_json{{"artifactLocation", {{"uri", file_uri(loc.file)}}},
                                                          {"region", {{"startLine", loc.line}}}};
  ordered_json location{{"physicalLocation", std::move(physical)}, {"logicalLocations", std::move(logical)}};
  return ordered_json::array({std::move(location)});
}

} // namespace

namespace detail {

std::string finding_fingerprint(const Finding& f) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  const auto mix = [&h](std::string_view part) {
    for (const char c : part) {
      h ^= static_cast<unsigned char>(c);
      h *= 0x100000001b3ULL;
    }
    h ^= '|';
    h *= 0x100000001b3ULL;
  };
  mix(f.rule);
  mix(f.location.zone);
  mix(f.location.server);
  mix(f.location.owner);
  mix(f.location.type);
  return fmt::format("{:016x}", h);
}

} // namespace detail

std::string render_sarif(const AuditResult& result) {
  const std::span<const std::unique_ptr<Rule>> rules = all_rules();
  ordered_json descriptors = ordered_json::array();
  for (const std::unique_ptr<Rule>& rule : rules) {
    descriptors.push_back(descriptor(rule->info()));
  }
  const auto rule_index = [&rules](std::string_view id) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (rules[i]->info().id == id) {
        return i;
      }
    }
    return std::nullopt;
  };

  ordered_json results = ordered_json::array();
  ordered_json notifications = ordered_json::array();
  ordered_json zones = ordered_json::array();
  for (const ZoneResult& z : zones_of(result)) {
    zones.push_back({{"zone", z.zone}, {"chain", z.chain}, {"findings", z.findings.size()}});
    for (const Finding& f : z.findings) {
      ordered_json r{{"ruleId", f.rule}};
      // Findings of unregistered ids (internal/*, policy/*) still render, without an index.
      if (const std::optional<std::size_t> index = rule_index(f.rule)) {
        r["ruleIndex"] = *index;
      }
      r["level"] = level_of(f.severity);
      r["message"] = {{"text", f.message}};
      r["locations"] = locations(f.location);
      r["partialFingerprints"] = {{"zonewardenFinding/v1", detail::finding_fingerprint(f)}};
      if (!f.suppressed.empty()) {
        r["suppressions"] =
            ordered_json::array({{{"kind", "external"}, {"status", "accepted"}, {"justification", f.suppressed}}});
      }
      r["properties"] = {{"resolver", impact_json(f.resolver)}, {"servers", f.servers}, {"evidence", f.evidence}};
      results.push_back(std::move(r));
      // internal/* is the tool's own trouble (DESIGN.md): the run did not fully succeed.
      if (f.rule.rfind("internal/", 0) == 0) {
        notifications.push_back(
            {{"level", "error"}, {"message", {{"text", f.message}}}, {"descriptor", {{"id", f.rule}}}});
      }
    }
  }

  // The reader bounds elapsed_s; a result built in memory is ours. Clamped all the same, so no
  // value can overflow the subtraction.
  const double elapsed = std::isfinite(result.elapsed_s) ? std::clamp(result.elapsed_s, 0.0, 366.0 * 86400.0) : 0.0;
  const std::int64_t start = result.generated - static_cast<std::int64_t>(std::llround(elapsed));
  ordered_json invocation{{"executionSuccessful", notifications.empty()},
                          {"startTimeUtc", util::format_utc(start)},
                          {"endTimeUtc", util::format_utc(result.generated)}};
  if (!notifications.empty()) {
    invocation["toolExecutionNotifications"] = std::move(notifications);
  }
  invocation["properties"] = {{"command", result.command},
                              {"now", util::format_utc(result.now)},
                              {"elapsedSeconds", result.elapsed_s},
                              {"policy", result.policy},
                              {"rulesRun", result.rules_run}};

  ordered_json driver{{"name", result.tool.empty() ? "zonewarden" : result.tool},
                      {"version", result.version},
                      {"informationUri", k_home},
                      {"rules", std::move(descriptors)}};
  ordered_json run{{"tool", {{"driver", std::move(driver)}}},
                   {"invocations", ordered_json::array({std::move(invocation)})},
                   {"results", std::move(results)},
                   {"properties", {{"zones", std::move(zones)}}}};
  const ordered_json out{{"$schema", k_schema}, {"version", "2.1.0"}, {"runs", ordered_json::array({std::move(run)})}};
  return out.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

} // namespace zw
