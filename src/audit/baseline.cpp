// Baselines: a previous JSON report whose findings are already known. Matching uses the five
// location keys only; messages carry counts and times that change from run to run.

#include <algorithm>
#include <optional>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "audit/finding_order.hpp"
#include "util/files.hpp"
#include "util/json_cursor.hpp"
#include "util/json_text.hpp"
#include "util/text.hpp"
#include "zonewarden/policy.hpp"

namespace zw {

namespace {

using nlohmann::json;
using Cursor = util::JsonCursor;

Baseline::Key key_of(const Finding& finding) {
  return {finding.rule, finding.location.zone, finding.location.server, finding.location.owner, finding.location.type};
}

// The location keys of the findings of one zone of the report.
void add_zone(const Cursor& zone, Baseline& baseline) {
  for (const Cursor& f : zone.member("findings").elements()) {
    Baseline::Key entry;
    entry.rule = f.member("rule").string();
    entry.zone = f.member("zone").string();
    entry.server = f.member("server").string_or_null(); // null: seen on every server alike
    entry.owner = f.member("owner").string();
    entry.type = f.member("type").string();
    baseline.keys.push_back(std::move(entry));
  }
}

// Each zone's findings are taken as soon as the parser has the zone, and its tree dropped (a
// report of 100,000 zones is never held whole as a tree); the first zone that does not read is
// reported after the report's own members have been checked. `Input`: the text, or the file as a
// stream (its text not held either).
template <typename Input> Result<Baseline> read_baseline(Input& text, const std::string& name) {
  Baseline baseline;
  std::optional<std::string> zone_error;
  auto parsed = util::read_json_elements(
      text, "zones", [&](const Cursor& zone) { add_zone(zone, baseline); }, zone_error);
  if (!parsed) {
    return fail(fmt::format("{}: not a JSON report: {}", name, parsed.error().message));
  }
  try {
    const Cursor report(*parsed, "");
    if (!report.value().is_object()) {
      return fail(fmt::format("{}: not a zonewarden JSON report (expected an object, got {})", name,
                              report.value().type_name()));
    }
    if (const std::string tool = report.member("tool").string(); tool != "zonewarden") {
      return fail(fmt::format("{}: tool: \"{}\", not a zonewarden JSON report", name, util::quote_input(tool)));
    }
    if (const std::int64_t schema = report.member("schema").as<std::int64_t>(); schema != 1) {
      return fail(fmt::format("{}: schema: version {} is not supported (this zonewarden reads 1)", name, schema));
    }
    (void)report.member("zones").elements(); // an array (read_json_elements read its elements)
  } catch (const util::JsonShapeError& e) {
    return fail(fmt::format("{}: {}", name, e.message));
  }
  if (zone_error) {
    return fail(fmt::format("{}: {}", name, *zone_error));
  }
  std::sort(baseline.keys.begin(), baseline.keys.end());
  baseline.keys.erase(std::unique(baseline.keys.begin(), baseline.keys.end()), baseline.keys.end());
  return baseline;
}

} // namespace

Result<Baseline> load_baseline(const std::string& path) {
  ZW_TRY_ASSIGN(std::ifstream in, util::open_input_file(path, util::k_max_report_bytes));
  return read_baseline(in, path);
}

Result<Baseline> parse_baseline(std::string_view text, const std::string& name) {
  return read_baseline(text, name);
}

void apply_baseline(const Baseline& baseline, ZoneResult& zone) {
  for (Finding& finding : zone.findings) {
    if (!finding.suppressed.empty() || audit::is_tool_finding(finding.rule)) {
      continue;
    }
    if (std::binary_search(baseline.keys.begin(), baseline.keys.end(), key_of(finding))) {
      finding.suppressed = "baseline";
    }
  }
}

void apply_baseline(const Baseline& baseline, AuditResult& result) {
  for (ZoneResult& zone : result.zones) {
    apply_baseline(baseline, zone);
  }
}

} // namespace zw
