#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "test_audit_support.hpp"
#include "util/files.hpp"
#include "zonewarden/policy.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_audit_baseline {

using namespace zw;
using zw::test::make_finding;
using zw::test::TempDir;

namespace {

// The findings of a JSON report as an AuditResult: only what baselines look at, plus severity
// and message. (The report reader proper lives in src/report, above this layer.)
AuditResult result_from_report(const std::string& text) {
  const nlohmann::json report = nlohmann::json::parse(text);
  AuditResult result;
  for (const nlohmann::json& z : report.at("zones")) {
    ZoneResult zone;
    zone.zone = z.at("zone").get<std::string>();
    for (const nlohmann::json& f : z.at("findings")) {
      zone.findings.push_back(make_finding(
          f.at("rule").get<std::string>(), severity_from_string(f.at("severity").get<std::string>()).value(),
          f.at("zone").get<std::string>(), f.at("server").is_null() ? "" : f.at("server").get<std::string>(),
          f.at("owner").get<std::string>(), f.at("type").get<std::string>(), f.at("message").get<std::string>()));
    }
    result.zones.push_back(std::move(zone));
  }
  return result;
}

const char* const k_report = R"({
  "tool": "zonewarden", "version": "0.1.0", "schema": 1, "generated": "2026-11-27T03:54:03Z",
  "future_member": {"anything": [1, 2, 3]},
  "zones": [
    {"zone": "example.", "servers": [], "extra": true, "findings": [
      {"rule": "delegation/lame-refused", "severity": "warning", "zone": "example.",
       "server": "ns2.example./192.0.2.2", "owner": "example.", "type": "SOA", "message": "old wording",
       "resolver": {"rcode": "NOERROR", "ede": null}},
      {"rule": "dnssec/rrsig-expiring-soon", "severity": "warning", "zone": "example.", "server": null,
       "owner": "www.example.", "type": "A", "message": "expires in 2 days"}
    ]},
    {"zone": "other.", "findings": []}
  ]
})";

void check_baseline_error(const TempDir& dir, const std::string& content,
                          const std::string& expected_prefix_after_path) {
  CAPTURE(content);
  const std::string path = dir.write("baseline.json", content);
  const Result<Baseline> baseline = load_baseline(path);
  REQUIRE_FALSE(baseline.has_value());
  CAPTURE(baseline.error().message);
  CHECK(baseline.error().message.starts_with(path + ": " + expected_prefix_after_path));
  CHECK(baseline.error().message.find('\n') == std::string::npos);
  // The same text in memory gives the same error.
  const Result<Baseline> parsed = parse_baseline(content, path);
  REQUIRE_FALSE(parsed.has_value());
  CHECK(parsed.error().message == baseline.error().message);
}

} // namespace

TEST_CASE("audit::load_baseline reads the JSON report") {
  TempDir dir;
  const Result<Baseline> baseline = load_baseline(dir.write("previous.json", k_report));
  REQUIRE(baseline.has_value());
  REQUIRE(baseline->keys.size() == 2);
  CHECK(baseline->keys[0] ==
        Baseline::Key{"delegation/lame-refused", "example.", "ns2.example./192.0.2.2", "example.", "SOA"});
  CHECK(baseline->keys[1] == Baseline::Key{"dnssec/rrsig-expiring-soon", "example.", "", "www.example.", "A"});
}

TEST_CASE("audit::apply_baseline matches on rule, zone, server, owner and type, not on message") {
  TempDir dir;
  const Result<Baseline> baseline = load_baseline(dir.write("previous.json", k_report));
  REQUIRE(baseline.has_value());

  AuditResult result;
  ZoneResult zone;
  zone.zone = "example.";
  zone.findings = {
      // same five keys, new message: known
      make_finding("delegation/lame-refused", Severity::warning, "example.", "ns2.example./192.0.2.2", "example.",
                   "SOA", "new wording"),
      make_finding("dnssec/rrsig-expiring-soon", Severity::warning, "example.", "", "www.example.", "A", "in 1 day"),
      // one key differs each: new
      make_finding("delegation/lame-servfail", Severity::warning, "example.", "ns2.example./192.0.2.2", "example.",
                   "SOA"),
      make_finding("delegation/lame-refused", Severity::warning, "other.", "ns2.example./192.0.2.2", "example.", "SOA"),
      make_finding("delegation/lame-refused", Severity::warning, "example.", "ns1.example./192.0.2.1", "example.",
                   "SOA"),
      make_finding("dnssec/rrsig-expiring-soon", Severity::warning, "example.", "", "mail.example.", "A"),
      make_finding("dnssec/rrsig-expiring-soon", Severity::warning, "example.", "", "www.example.", "AAAA"),
      // the tool's own trouble is never hidden
      make_finding("internal/rule-failed", Severity::error, "example.", "", "example.", ""),
  };
  result.zones.push_back(zone);
  apply_baseline(*baseline, result);
  const std::vector<Finding>& f = result.zones[0].findings;
  REQUIRE(f.size() == 8); // marked, never removed
  CHECK(f[0].suppressed == "baseline");
  CHECK(f[1].suppressed == "baseline");
  for (std::size_t i = 2; i < f.size(); ++i) {
    CAPTURE(i);
    CHECK(f[i].suppressed.empty());
  }
  CHECK(count_at_or_above(result, Severity::warning) == 6);

  // A finding already waived keeps its reason.
  result.zones[0].findings[0].suppressed = "waived: known (until 2027-01-01)";
  apply_baseline(*baseline, result);
  CHECK(result.zones[0].findings[0].suppressed == "waived: known (until 2027-01-01)");
}

TEST_CASE("audit::apply_baseline with the lab report as its own baseline suppresses everything") {
  const std::string path = "tests/report/lab-audit.json";
  const Result<std::string> text = util::read_file(path);
  REQUIRE(text.has_value());
  AuditResult result = result_from_report(*text);
  const std::size_t before = count_at_or_above(result, Severity::notice);
  REQUIRE(before > 0);
  CHECK(count_at_or_above(result, Severity::error) > 0);

  const Result<Baseline> baseline = load_baseline(path);
  REQUIRE(baseline.has_value());
  CHECK_FALSE(baseline->keys.empty());
  apply_baseline(*baseline, result);
  std::size_t total = 0;
  for (const ZoneResult& zone : result.zones) {
    for (const Finding& f : zone.findings) {
      CAPTURE(f.rule);
      CHECK(f.suppressed == "baseline");
      ++total;
    }
  }
  CHECK(total == before);
  CHECK(count_at_or_above(result, Severity::notice) == 0);
}

TEST_CASE("audit::load_baseline errors") {
  TempDir dir;
  check_baseline_error(dir, "zone example. is fine", "not a JSON report: ");
  check_baseline_error(dir, "[1, 2]", "not a zonewarden JSON report");
  check_baseline_error(dir, R"({"tool": "other", "schema": 1, "zones": []})", "tool: ");
  check_baseline_error(dir, R"({"schema": 1, "zones": []})", "tool: missing");
  check_baseline_error(dir, R"({"tool": "zonewarden", "schema": 2, "zones": []})", "schema: ");
  check_baseline_error(dir, R"({"tool": "zonewarden", "schema": "1", "zones": []})", "schema: ");
  check_baseline_error(dir, R"({"tool": "zonewarden", "schema": 1})", "zones: missing");
  check_baseline_error(dir, R"({"tool": "zonewarden", "schema": 1, "zones": {}})", "zones: ");
  check_baseline_error(dir, R"({"tool": "zonewarden", "schema": 1, "zones": [{"zone": "a."}]})", "zones[0].findings: ");
  check_baseline_error(dir, R"({"tool": "zonewarden", "schema": 1, "zones": [{"findings": [
      {"zone": "a.", "server": null, "owner": "a.", "type": "SOA"}]}]})",
                       "zones[0].findings[0].rule: missing");
  check_baseline_error(dir, R"({"tool": "zonewarden", "schema": 1, "zones": [{"findings": [
      {"rule": "x/y", "zone": "a.", "server": 3, "owner": "a.", "type": "SOA"}]}]})",
                       "zones[0].findings[0].server: ");
  check_baseline_error(dir, R"({"tool": "zonewarden", "schema": 1, "zones": [{"findings": [
      {"rule": "x/y", "zone": "a.", "owner": "a.", "type": "SOA"}]}]})",
                       "zones[0].findings[0].server: missing");
  check_baseline_error(dir, R"({"tool": "zonewarden", "schema": 1, "zones": [{"findings": [
      {"rule": "x/y", "zone": "a.", "server": null, "owner": "a.", "type": null}]}]})",
                       "zones[0].findings[0].type: ");
  const Result<Baseline> missing = load_baseline("/nonexistent/baseline.json");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().message.find("/nonexistent/baseline.json") != std::string::npos);
}

TEST_CASE("audit::load_baseline names the file and the member of a number out of range") {
  TempDir dir;
  const std::string path =
      dir.write("huge.json", R"({"tool": "zonewarden", "schema": 1, "elapsed_s": 1e400, "zones": []})");
  const Result<Baseline> baseline = load_baseline(path);
  REQUIRE_FALSE(baseline.has_value());
  CHECK(baseline.error().message.rfind(path + ": ", 0) == 0);
  CHECK(baseline.error().message.find("elapsed_s: number out of range") != std::string::npos);
}

} // namespace zw_test_audit_baseline
