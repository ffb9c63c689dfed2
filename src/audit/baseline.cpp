// Baselines: a previous JSON report whose findings are already known. Matching uses the five
// location keys only; messages carry counts and times that change from run to run.

#include <algorithm>
#include <optional>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "audit/finding_order.hpp"
#include "util/files.hpp"
#include "util/json_text.hpp"
#include "util/text.hpp"
#include "zonewarden/policy.hpp"

namespace zw {

namespace {

using nlohmann::json;

// A member the baseline needs, with the JSON type it must have. `key` is the member's path in
// the report ("zones[3].findings[0].rule").
Result<const json*> member(const json& object, const char* name, json::value_t type, std::string_view file,
                           const std::string& key) {
  const auto it = object.find(name);
  if (it == object.end()) {
    return fail(fmt::format("{}: key {}: missing (not a zonewarden JSON report?)", file, key));
  }
  if (it->type() != type && !(type == json::value_t::number_integer && it->is_number_integer())) {
    return fail(fmt::format("{}: key {}: expected {}, got {}", file, key, json(type).type_name(), it->type_name()));
  }
  return &*it;
}

Result<std::string> string_member(const json& object, const char* name, std::string_view file, const std::string& key) {
  ZW_TRY_ASSIGN(const json* value, member(object, name, json::value_t::string, file, key));
  return value->get<std::string>();
}

Baseline::Key key_of(const Finding& finding) {
  return {finding.rule, finding.location.zone, finding.location.server, finding.location.owner, finding.location.type};
}

} // namespace

Result<Baseline> load_baseline(const std::string& path) {
  ZW_TRY_ASSIGN(const std::string text, util::read_file(path, util::k_max_report_bytes));
  return parse_baseline(text, path);
}

namespace {

// The location keys of the findings of zones[z] of the report `name`.
Result<void> add_zone(const json& zone, std::size_t z, const std::string& name, Baseline& baseline) {
  const std::string zone_key = fmt::format("zones[{}]", z);
  if (!zone.is_object()) {
    return fail(fmt::format("{}: key {}: expected object, got {}", name, zone_key, zone.type_name()));
  }
  ZW_TRY_ASSIGN(const json* findings, member(zone, "findings", json::value_t::array, name, zone_key + ".findings"));
  for (std::size_t i = 0; i < findings->size(); ++i) {
    const json& f = (*findings)[i];
    const std::string key = fmt::format("{}.findings[{}]", zone_key, i);
    if (!f.is_object()) {
      return fail(fmt::format("{}: key {}: expected object, got {}", name, key, f.type_name()));
    }
    Baseline::Key entry;
    ZW_TRY_ASSIGN(entry.rule, string_member(f, "rule", name, key + ".rule"));
    ZW_TRY_ASSIGN(entry.zone, string_member(f, "zone", name, key + ".zone"));
    // render_json writes a finding seen on every server alike with "server": null.
    const auto server = f.find("server");
    if (server == f.end()) {
      return fail(fmt::format("{}: key {}.server: missing (not a zonewarden JSON report?)", name, key));
    }
    if (server->is_string()) {
      entry.server = server->get<std::string>();
    } else if (!server->is_null()) {
      return fail(fmt::format("{}: key {}.server: expected string or null, got {}", name, key, server->type_name()));
    }
    ZW_TRY_ASSIGN(entry.owner, string_member(f, "owner", name, key + ".owner"));
    ZW_TRY_ASSIGN(entry.type, string_member(f, "type", name, key + ".type"));
    baseline.keys.push_back(std::move(entry));
  }
  return {};
}

} // namespace

Result<Baseline> parse_baseline(std::string_view text, const std::string& name) {
  // Each zone's findings are taken as soon as the parser has the zone, and its tree dropped (a
  // report of 100,000 zones is never held whole as a tree); the first zone that does not read is
  // reported after the report's own members have been checked.
  Baseline baseline;
  std::optional<Error> zone_error;
  const util::JsonElementSink on_zone = [&](json&& zone, std::size_t index) -> Result<void> {
    if (!zone_error) {
      if (Result<void> added = add_zone(zone, index, name, baseline); !added) {
        zone_error = std::move(added).error();
      }
    }
    return {};
  };
  auto parsed = util::parse_json_each(text, "zones", on_zone);
  if (!parsed) {
    return fail(fmt::format("{}: not a JSON report: {}", name, parsed.error().message));
  }
  const json report = std::move(*parsed);
  if (!report.is_object()) {
    return fail(fmt::format("{}: not a zonewarden JSON report (expected an object, got {})", name, report.type_name()));
  }
  ZW_TRY_ASSIGN(const std::string tool, string_member(report, "tool", name, "tool"));
  if (tool != "zonewarden") {
    return fail(fmt::format("{}: key tool: \"{}\", not a zonewarden JSON report", name, util::quote_input(tool)));
  }
  ZW_TRY_ASSIGN(const json* schema, member(report, "schema", json::value_t::number_integer, name, "schema"));
  if (schema->get<std::int64_t>() != 1) {
    return fail(fmt::format("{}: key schema: version {} is not supported (this zonewarden reads 1)", name,
                            schema->get<std::int64_t>()));
  }
  ZW_TRY(member(report, "zones", json::value_t::array, name, "zones"));
  if (zone_error) {
    return tl::unexpected<Error>(std::move(*zone_error));
  }
  std::sort(baseline.keys.begin(), baseline.keys.end());
  baseline.keys.erase(std::unique(baseline.keys.begin(), baseline.keys.end()), baseline.keys.end());
  return baseline;
}

void apply_baseline(const Baseline& baseline, AuditResult& result) {
  for (ZoneResult& zone : result.zones) {
    for (Finding& finding : zone.findings) {
      if (!finding.suppressed.empty() || audit::is_tool_finding(finding.rule)) {
        continue;
      }
      if (std::binary_search(baseline.keys.begin(), baseline.keys.end(), key_of(finding))) {
        finding.suppressed = "baseline";
      }
    }
  }
}

} // namespace zw
