// Reporters: every format renders the same findings. Inputs are saved results, so nothing here
// depends on the clock; goldens under tests/report/golden/ (ZW_UPDATE_GOLDEN=1 rewrites them).
// Runs with the project root as working directory.

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/fingerprint.hpp"
#include "report/html_markdown.hpp"
#include "zonewarden/report.hpp"
#include "zonewarden/rule.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_report_formats {

namespace {

using nlohmann::json;

constexpr const char* k_lab = "tests/report/lab-audit.json";
constexpr const char* k_edge = "tests/report/edge-audit.json"; // suppressions, escaping, internal/*

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), path << ": cannot read (run from the project root)");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

zw::AuditResult load(const std::string& path) {
  zw::Result<zw::AuditResult> r = zw::read_result_json(slurp(path));
  REQUIRE_MESSAGE(r.has_value(), path << ": " << (r ? "" : r.error().message));
  return *r;
}

std::size_t finding_count(const zw::AuditResult& r) {
  std::size_t n = 0;
  for (const zw::ZoneResult& z : r.zones) {
    n += z.findings.size();
  }
  return n;
}

std::size_t count_of(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) {
    ++n;
  }
  return n;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    out.push_back(line);
  }
  return out;
}

// Findings as each format shows them.
std::size_t json_findings(const std::string& text) {
  std::size_t n = 0;
  const json doc = json::parse(text);
  for (const json& z : doc.at("zones")) {
    n += z.at("findings").size();
  }
  return n;
}
std::size_t jsonl_findings(const std::string& text) {
  std::size_t n = 0;
  for (const std::string& line : lines_of(text)) {
    CHECK(json::parse(line).is_object());
    ++n;
  }
  return n;
}
std::size_t sarif_findings(const std::string& text) {
  return json::parse(text).at("runs").at(0).at("results").size();
}
// <failure> elements plus <system-out> entries (each starts a line with "[severity] ").
std::size_t junit_findings(const std::string& text) {
  static const std::regex entry(R"(^(\s*<system-out>)?\[(error|warning|notice)\] )");
  std::size_t n = count_of(text, "<failure ");
  for (const std::string& line : lines_of(text)) {
    n += std::regex_search(line, entry) ? 1 : 0;
  }
  return n;
}
std::size_t markdown_rows(const std::string& text) {
  std::size_t n = 0;
  for (const std::string& line : lines_of(text)) {
    n += (line.rfind("| error |", 0) == 0 || line.rfind("| warning |", 0) == 0 || line.rfind("| notice |", 0) == 0);
  }
  return n;
}

std::string render(std::string_view format, const zw::AuditResult& r, zw::Severity fail_on = zw::Severity::error) {
  zw::RenderOptions options;
  options.fail_on = fail_on;
  zw::Result<std::string> out = zw::render(format, r, options);
  REQUIRE_MESSAGE(out.has_value(), format << ": " << (out ? "" : out.error().message));
  return *out;
}

// SARIF lists every registered rule, so a golden of the whole file would change whenever anyone
// adds a rule. The golden keeps the descriptors of the rules that ran and drops ruleIndex, after
// checking that each ruleIndex points at its ruleId.
std::string sarif_for_golden(const std::string& text, const zw::AuditResult& r) {
  json doc = json::parse(text);
  json& run = doc.at("runs").at(0);
  const json& rules = run.at("tool").at("driver").at("rules");
  for (json& result : run.at("results")) {
    if (result.contains("ruleIndex")) {
      CHECK(rules.at(result.at("ruleIndex").get<std::size_t>()).at("id") == result.at("ruleId"));
      result.erase("ruleIndex");
    }
  }
  json kept = json::array();
  for (const json& d : rules) {
    if (std::find(r.rules_run.begin(), r.rules_run.end(), d.at("id").get<std::string>()) != r.rules_run.end()) {
      kept.push_back(d);
    }
  }
  run.at("tool").at("driver").at("rules") = kept;
  return doc.dump(2) + "\n";
}

void check_golden(const std::string& path, const std::string& actual) {
  const char* update = std::getenv("ZW_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    MESSAGE("rewrote " << path);
    return;
  }
  const std::string expected = std::filesystem::exists(path) ? slurp(path) : std::string();
  CHECK_MESSAGE(actual == expected, path << " differs from the rendered output; if the change is intended, "
                                            "rerun with ZW_UPDATE_GOLDEN=1 and review the diff");
}

} // namespace

TEST_SUITE("report") {

  TEST_CASE("report::read_result_json round trip is exact") {
    for (const std::string path : {k_lab, k_edge}) {
      CAPTURE(path);
      const zw::AuditResult r = load(path);
      const std::string once = zw::render_json(r);
      zw::Result<zw::AuditResult> again = zw::read_result_json(once);
      REQUIRE(again.has_value());
      CHECK(zw::render_json(*again) == once);
    }
    const zw::AuditResult lab = load(k_lab);
    CHECK(lab.zones.size() == 25);
    CHECK(finding_count(lab) == 29);
    CHECK(lab.generated == 1795751643); // 2026-11-27T03:54:03Z
    CHECK(lab.now == 1795751639);
    const zw::AuditResult edge = load(k_edge);
    REQUIRE(edge.zones.at(0).findings.size() == 4);
    CHECK(edge.zones[0].findings[2].suppressed == "waived: lab fault <planned> (until 2027-01-01)");
    CHECK(edge.zones[0].findings[0].resolver.ede == zw::Ede::signature_expired);
    CHECK(edge.zones[0].servers[0].soa_serial == 4294967295U);
    CHECK(!edge.zones[0].servers[1].rtt_ms.has_value());
    CHECK(edge.zones[0].chain_links.at(1).ds.at(0).key_tag == 65535);
  }

  TEST_CASE("report::read_result_json keeps the recorded expiry window; older reports read 3 days") {
    zw::AuditResult r = load(k_lab);
    CHECK(r.expiry_window_s == 3 * 86400); // the fixture predates the member
    r.expiry_window_s = 7200;
    const std::string text = zw::render_json(r);
    CHECK(text.find("\"expiry_window_s\": 7200") != std::string::npos);
    const zw::Result<zw::AuditResult> again = zw::read_result_json(text);
    REQUIRE(again.has_value());
    CHECK(again->expiry_window_s == 7200);
    std::string negative = text;
    negative.replace(negative.find("\"expiry_window_s\": 7200"), 24, "\"expiry_window_s\": -1");
    CHECK_FALSE(zw::read_result_json(negative).has_value());
  }

  TEST_CASE("report::read_result_json names the offending member") {
    const std::string good = zw::render_json(load(k_edge));
    const auto error_of = [&](const std::string& from, const std::string& to) {
      std::string text = good;
      const std::size_t pos = text.find(from);
      REQUIRE_MESSAGE(pos != std::string::npos, from);
      text.replace(pos, from.size(), to);
      zw::Result<zw::AuditResult> r = zw::read_result_json(text);
      REQUIRE_FALSE(r.has_value());
      return r.error().message;
    };
    CHECK(error_of("\"severity\": \"error\"", "\"severity\": \"fatal\"").rfind("zones[0].findings[0].severity:", 0) ==
          0);
    CHECK(error_of("\"severity\": \"error\"", "\"sev\": \"error\"") == "zones[0].findings[0].severity: missing");
    CHECK(error_of("\"key_tag\": 65535", "\"key_tag\": 65536")
              .rfind("zones[0].chain_links[1].ds[0].key_tag: out of range", 0) == 0);
    CHECK(error_of("\"ede\": 7", "\"ede\": \"7\"").rfind("zones[0].findings[0].resolver.ede: wrong type", 0) == 0);
    CHECK(error_of("\"now\": \"2026-11-27T12:00:00Z\"", "\"now\": \"yesterday\"").rfind("now:", 0) == 0);
    CHECK(error_of("\"schema\": 1", "\"schema\": 2").rfind("schema: unsupported schema 2", 0) == 0);
    CHECK(error_of("\"rtt_ms\": null", "\"rtt_ms\": \"fast\"").rfind("zones[0].servers[1].rtt_ms:", 0) == 0);
    CHECK(zw::read_result_json("{\"tool\": ").error().message.rfind("not JSON", 0) == 0);
    CHECK(zw::read_result_json("[]").error().message.rfind("(document): expected", 0) == 0);
    // A number no double holds is named like any other bad member, not an internal error.
    CHECK(error_of("\"rtt_ms\": null", "\"rtt_ms\": 1e400") == "zones[0].servers[1].rtt_ms: number out of range");
    CHECK(error_of("\"schema\": 1", "\"schema\": 1e400") == "schema: number out of range");
    // Numbers a double holds but no run has (found by the report_json fuzzer: the SARIF start
    // time overflowed): refused by the reader, naming the member.
    CHECK(error_of("\"rtt_ms\": null", "\"rtt_ms\": -1").rfind("zones[0].servers[1].rtt_ms: out of range", 0) == 0);
    const std::size_t at = good.find("\"elapsed_s\": ");
    REQUIRE(at != std::string::npos);
    const std::size_t end = good.find(',', at);
    const std::string elapsed = good.substr(at, end - at);
    CHECK(error_of(elapsed, "\"elapsed_s\": 4.334036e62").rfind("elapsed_s: out of range", 0) == 0);
    CHECK(error_of(elapsed, "\"elapsed_s\": -0.5").rfind("elapsed_s: out of range", 0) == 0);
    CHECK(zw::read_result_json(good.substr(0, at) + "\"elapsed_s\": 31000000" + good.substr(end)).has_value());
  }

  TEST_CASE("report::render dispatches every format") {
    const zw::AuditResult lab = load(k_lab);
    std::vector<std::string> names;
    for (const std::string_view f : zw::report_formats()) {
      names.emplace_back(f);
      CAPTURE(f);
      CHECK_FALSE(render(f, lab).empty());
    }
    CHECK(names == std::vector<std::string>{"text", "json", "jsonl", "sarif", "junit", "md", "html"});
    CHECK(render("json", lab) == zw::render_json(lab));
    CHECK(render("text", lab) == zw::render_text(lab, zw::TextOptions{}));
    CHECK(zw::format_extension("junit") == "junit.xml");
    CHECK(zw::format_extension("text") == "txt");
    CHECK(zw::format_extension("sarif") == "sarif");
    CHECK(zw::format_extension("md") == "md");
    zw::Result<std::string> unknown = zw::render("yaml", lab, zw::RenderOptions{});
    REQUIRE_FALSE(unknown.has_value());
    CHECK(unknown.error().message == "unknown format yaml (use text, json, jsonl, sarif, junit, md, html)");
  }

  TEST_CASE("report::render_to hands over render's text; JSON a zone at a time, as nlohmann dumps it") {
    const zw::AuditResult lab = load(k_lab);
    const auto pieces_of = [](std::string_view format, const zw::AuditResult& result) {
      std::vector<std::string> pieces;
      const zw::Result<void> done =
          zw::render_to(format, result, zw::RenderOptions{}, [&pieces](std::string_view piece) -> zw::Result<void> {
            pieces.emplace_back(piece);
            return {};
          });
      REQUIRE(done.has_value());
      return pieces;
    };
    const auto joined = [](const std::vector<std::string>& pieces) {
      std::string all;
      for (const std::string& p : pieces) {
        all += p;
      }
      return all;
    };
    for (const std::string_view f : zw::report_formats()) {
      CAPTURE(f);
      CHECK(joined(pieces_of(f, lab)) == render(f, lab));
    }
    // A fleet: 700 copies of the lab's zones (about 3.7 KB of JSON each), 2.5 MB, past the
    // megabyte of a piece, so it comes in several pieces; the text is the one nlohmann gives for
    // the whole document, members sorted. (3,000 copies took 6 s here, 45 s under ASan.)
    zw::AuditResult fleet = lab;
    fleet.zones.clear();
    for (int i = 0; i < 700; ++i) {
      zw::ZoneResult z = lab.zones.at(static_cast<std::size_t>(i) % lab.zones.size());
      z.zone = "z" + std::to_string(i) + "." + z.zone;
      fleet.zones.push_back(std::move(z));
    }
    const std::vector<std::string> pieces = pieces_of("json", fleet);
    CHECK(pieces.size() > 2);
    const std::string text = joined(pieces);
    CHECK(text == zw::render_json(fleet));
    CHECK(text == json::parse(text).dump(2) + "\n");
    CHECK(json::parse(text).at("zones").size() == 700);
    // And with no zone at all.
    fleet.zones.clear();
    const std::string empty = joined(pieces_of("json", fleet));
    CHECK(empty == json::parse(empty).dump(2) + "\n");
    CHECK(empty.find("\"zones\": []") != std::string::npos);
    // A sink that fails stops the report with its error.
    const zw::Result<void> refused = zw::render_to(
        "json", lab, zw::RenderOptions{}, [](std::string_view) -> zw::Result<void> { return zw::fail("disk full"); });
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().message == "disk full");
  }

  TEST_CASE("report::every format shows every finding") {
    for (const std::string path : {k_lab, k_edge}) {
      const zw::AuditResult r = load(path);
      const std::size_t n = finding_count(r);
      CAPTURE(path);
      CHECK(json_findings(render("json", r)) == n);
      CHECK(jsonl_findings(render("jsonl", r)) == n);
      CHECK(sarif_findings(render("sarif", r)) == n);
      CHECK(markdown_rows(render("md", r)) == n);
      for (const zw::Severity fail_on : {zw::Severity::notice, zw::Severity::warning, zw::Severity::error}) {
        CAPTURE(zw::to_string(fail_on));
        const std::string junit = render("junit", r, fail_on);
        CHECK(junit_findings(junit) == n);
        std::size_t failing = 0;
        for (const zw::ZoneResult& z : r.zones) {
          for (const zw::Finding& f : z.findings) {
            failing += f.suppressed.empty() && f.severity >= fail_on ? 1 : 0;
          }
        }
        CHECK(count_of(junit, "<failure ") == failing);
        // a test case per rule that ran, in every zone; internal/rule-failed only where it occurred
        CHECK(count_of(junit, "<testcase ") == r.zones.size() * r.rules_run.size() + (path == k_edge ? 1U : 0U));
      }
    }
  }

  TEST_CASE("report::goldens") {
    for (const std::string name : {"lab", "edge"}) {
      CAPTURE(name);
      const zw::AuditResult r = load(std::string("tests/report/") + name + "-audit.json");
      const std::string base = std::string("tests/report/golden/") + name;
      check_golden(base + ".md", render("md", r));
      check_golden(base + ".jsonl", render("jsonl", r));
      check_golden(base + ".junit.xml", render("junit", r));
      check_golden(base + ".sarif", sarif_for_golden(render("sarif", r), r));
    }
  }

  TEST_CASE("report::html shows first-seen dates and per-zone trends from the run history") {
    const zw::AuditResult r = load(k_lab);
    REQUIRE(r.zones.size() > 1);
    const auto with_findings =
        std::find_if(r.zones.begin(), r.zones.end(), [](const zw::ZoneResult& z) { return !z.findings.empty(); });
    REQUIRE(with_findings != r.zones.end());
    const zw::ZoneResult& zone = *with_findings;
    const std::string plain = zw::render_html(r);
    CHECK(count_of(plain, "<dt>First seen</dt>") == 0);
    CHECK(count_of(plain, "<svg class=\"trend\"") == 0);
    zw::ReportHistory history;
    history.first_seen[zw::detail::finding_fingerprint(zone.findings[0])] = 1764900000;
    history.first_seen["0000000000000000"] = 1; // a fingerprint of no finding here: never shown
    history.zones[zone.zone] = {{1764800000, 2, 1}, {1764900000, 0, 3}};
    const std::string html = zw::render_html(r, &history);
    const std::size_t findings = finding_count(r);
    CHECK(count_of(html, "<dt>First seen</dt>") == findings);
    CHECK(count_of(html, "2025-12-05 02:00:00 UTC</span> <span class=\"small\">(run history)") ==
          count_of(html, "(run history)"));
    CHECK(count_of(html, "(run history)") >= 1);
    CHECK(count_of(html, "<strong>new</strong> in this run") == findings - count_of(html, "(run history)"));
    CHECK(count_of(html, "<th scope=\"col\">Trend</th>") == 1);
    CHECK(count_of(html, "<svg class=\"trend\"") == r.zones.size());
    // One bar per recorded run and one for this run: two more for that zone.
    CHECK(count_of(html, "<g><title>") == r.zones.size() + 2);
    CHECK(count_of(html, " (this run): ") == r.zones.size());
    CHECK(count_of(html, "<title>2025-12-03: 2 error(s), 1 warning(s)</title>") == 1);
    CHECK(count_of(html, "<title>2025-12-05: 0 error(s), 3 warning(s)</title>") == 1);
  }

  TEST_CASE("report::sarif") {
    const zw::AuditResult edge = load(k_edge);
    const json doc = json::parse(render("sarif", edge));
    CHECK(doc.at("version") == "2.1.0");
    const json& run = doc.at("runs").at(0);
    CHECK(run.at("tool").at("driver").at("rules").size() == zw::all_rules().size());
    const json& results = run.at("results");
    REQUIRE(results.size() == 4);
    CHECK(results[0].at("level") == "error");
    CHECK(results[0].at("properties").at("resolver").at("ede") == 7);
    CHECK(results[0].at("locations")[0].at("physicalLocation").at("artifactLocation").at("uri") ==
          "dns:edge.example?type=SOA");
    CHECK(results[1].at("ruleId") == "internal/rule-failed");
    CHECK_FALSE(results[1].contains("ruleIndex"));
    CHECK(results[2].at("suppressions")[0].at("kind") == "external");
    CHECK(results[2].at("suppressions")[0].at("justification") == "waived: lab fault <planned> (until 2027-01-01)");
    CHECK(results[2].at("locations")[0].at("physicalLocation").at("artifactLocation").at("uri") ==
          "dns://[2001:db8::53]/edge.example?type=SOA");
    CHECK(results[3].at("level") == "note");
    CHECK_FALSE(results[0].contains("suppressions"));
    // an internal/* finding is the tool's own failure
    CHECK(run.at("invocations")[0].at("executionSuccessful") == false);
    CHECK(json::parse(render("sarif", load(k_lab))).at("runs")[0].at("invocations")[0].at("executionSuccessful") ==
          true);
    // fingerprints: stable and distinct per finding
    std::set<std::string> prints;
    for (const json& result : results) {
      prints.insert(result.at("partialFingerprints").at("zonewardenFinding/v1").get<std::string>());
    }
    CHECK(prints.size() == results.size());
    CHECK(render("sarif", edge) == render("sarif", edge));
  }

  TEST_CASE("report::a zone file's finding carries its file and line: JSON round trip, SARIF region") {
    zw::AuditResult r = load(k_edge);
    REQUIRE_FALSE(r.zones.at(0).findings.empty());
    zw::Finding& f = r.zones[0].findings[0];
    f.location.file = "zones/my zone.example"; // a space, percent-encoded in the URI
    f.location.line = 12;
    const std::string text = render("json", r);
    const auto back = zw::read_result_json(text);
    REQUIRE(back.has_value());
    CHECK(back->zones.at(0).findings.at(0).location.file == "zones/my zone.example");
    CHECK(back->zones.at(0).findings.at(0).location.line == 12);
    CHECK(back->zones.at(0).findings.at(1).location.file.empty()); // live findings have none
    CHECK(json::parse(text).at("zones")[0].at("findings")[1].contains("file") == false);
    const json sarif = json::parse(render("sarif", r));
    const json& physical = sarif.at("runs")[0].at("results")[0].at("locations")[0].at("physicalLocation");
    CHECK(physical.at("artifactLocation").at("uri") == "zones/my%20zone.example");
    CHECK(physical.at("region").at("startLine") == 12);
    f.location.file = "/srv/zones/a.zone";
    const json absolute = json::parse(render("sarif", r));
    CHECK(absolute.at("runs")[0]
              .at("results")[0]
              .at("locations")[0]
              .at("physicalLocation")
              .at("artifactLocation")
              .at("uri") == "file:///srv/zones/a.zone");
  }

  TEST_CASE("report::junit escapes XML") {
    const std::string junit = render("junit", load(k_edge));
    CHECK(junit.find("<script>") == std::string::npos);
    CHECK(junit.find("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;quoted&quot;") !=
          std::string::npos);
    CHECK(junit.find("a &lt; b &amp;&amp; c &gt; d") != std::string::npos);
    CHECK(junit.find('\x07') == std::string::npos);
    CHECK(junit.find("\\x07bell") != std::string::npos);
    CHECK(junit.find("münchen ✓") != std::string::npos);
    CHECK(junit.find("classname=\"pipe|tick`.example.\"") != std::string::npos);
    // a suppressed finding is shown, not failed
    CHECK(junit.find("suppressed: waived: lab fault &lt;planned&gt;") != std::string::npos);
    // bytes that are not UTF-8 never reach the XML
    zw::AuditResult bad = load(k_edge);
    bad.zones[0].findings[0].message = std::string("bad \xff\xc0\x80 bytes \xed\xa0\x80 end");
    const std::string out = render("junit", bad);
    CHECK(out.find("bad \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd bytes") != std::string::npos);
    CHECK(out.find('\xff') == std::string::npos);
    // and JSON-based formats do not throw on them either
    CHECK_NOTHROW(render("json", bad));
    CHECK_NOTHROW(render("jsonl", bad));
    CHECK_NOTHROW(render("sarif", bad));
  }

  TEST_CASE("report::markdown escapes cells and stays under GitHub's limit") {
    const std::string md = render("md", load(k_edge));
    for (const std::string& line : lines_of(md)) {
      if (line.rfind("| ", 0) == 0) {
        // six unescaped pipes: five columns
        std::size_t pipes = 0;
        for (std::size_t i = 0; i < line.size(); ++i) {
          pipes += line[i] == '|' && (i == 0 || line[i - 1] != '\\') ? 1 : 0;
        }
        CHECK_MESSAGE(pipes == 6, line);
      }
    }
    CHECK(md.find("<script>") == std::string::npos);
    CHECK(md.find("\\`ticked\\`") != std::string::npos);
    CHECK(md.find("[dnssec/rrsig-expired](docs/rules/dnssec/rrsig-expired.md)") != std::string::npos);
    CHECK(md.find("pipe\\|tick\\`.example.") != std::string::npos);
    CHECK(md.find("**FAIL**") != std::string::npos);
    CHECK(md.find('\x07') == std::string::npos);
    CHECK(md.find("\\\\x07bell") != std::string::npos);

    zw::AuditResult big = load(k_lab);
    zw::ZoneResult& noisy =
        *std::find_if(big.zones.begin(), big.zones.end(), [](const zw::ZoneResult& z) { return !z.findings.empty(); });
    const zw::Finding model = noisy.findings.at(0);
    for (int i = 0; i < 3000; ++i) {
      zw::Finding f = model;
      f.message = std::string(60, 'x') + std::to_string(i);
      noisy.findings.push_back(f);
    }
    const std::string huge = render("md", big);
    CHECK(huge.size() < 65536);
    CHECK(huge.find("not shown") != std::string::npos);
    const std::size_t total = finding_count(big);
    const std::regex note(R"(\*\*(\d+) of (\d+) finding\(s\) not shown\*\*)");
    std::smatch m;
    REQUIRE(std::regex_search(huge, m, note));
    CHECK(std::stoul(m[2]) == total);
    CHECK(markdown_rows(huge) + std::stoul(m[1]) == total);
  }

  TEST_CASE("report::jsonl is one object per finding with fixed keys") {
    const std::string out = render("jsonl", load(k_edge));
    const std::vector<std::string> lines = lines_of(out);
    REQUIRE(lines.size() == 4);
    CHECK(lines[0].rfind(
              "{\"rule\":\"dnssec/rrsig-expired\",\"severity\":\"error\",\"zone\":\"edge.example.\",\"server\":null,",
              0) == 0);
    std::vector<std::string> keys;
    const nlohmann::ordered_json third = nlohmann::ordered_json::parse(lines[2]);
    for (const auto& [key, value] : third.items()) {
      keys.push_back(key);
    }
    CHECK(keys == std::vector<std::string>{"rule", "severity", "zone", "server", "owner", "type", "message", "resolver",
                                           "suppressed"});
    CHECK(json::parse(lines[3]).at("suppressed") == "baseline");
  }

  // The rule pages' markdown in the HTML report (md4c's parser, our HTML): expectations written
  // from CommonMark 0.30 and GitHub's table extension.
  TEST_CASE("report::markdown_to_html renders the pages' markdown, escaped") {
    using zw::detail::markdown_to_html;
    const zw::detail::LinkResolver links = [](std::string_view target) {
      return target.ends_with(".md") ? "#rule-" + std::string(target.substr(0, target.size() - 3)) : std::string();
    };
    // Paragraphs: source line breaks are spaces; inline code, strong, emphasis.
    CHECK(markdown_to_html("One *two*\n**three** `a<b`.\n\nFour.", links) ==
          "<p>One <em>two</em> <strong>three</strong> <code>a&lt;b</code>.</p>\n<p>Four.</p>\n");
    // Raw HTML and entities in a page are text, never markup.
    CHECK(markdown_to_html("<script>alert(1)</script> &amp; <b>x</b>", links) ==
          "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; &lt;b&gt;x&lt;/b&gt;</p>\n");
    // Links through the resolver; a target it does not know leaves the text only.
    CHECK(markdown_to_html("[a](x.md) and [b](https://example.com/\"q)", links) ==
          "<p><a href=\"#rule-x\">a</a> and b</p>\n");
    CHECK(markdown_to_html("[a](x.md)", nullptr) == "<p>a</p>\n");
    // A tight list, with a list nested in an item: no <p> in the items.
    CHECK(markdown_to_html("- one\n- two\n  - nested\n", links) ==
          "<ul>\n<li>one</li>\n<li>two\n<ul>\n<li>nested</li>\n</ul>\n</li>\n</ul>\n");
    CHECK(markdown_to_html("3. c\n4. d\n", links) == "<ol start=\"3\">\n<li>c</li>\n<li>d</li>\n</ol>\n");
    CHECK(markdown_to_html("1. a\n", links) == "<ol>\n<li>a</li>\n</ol>\n");
    CHECK(markdown_to_html("> q\n\n---\n", links) == "<blockquote>\n<p>q</p>\n</blockquote>\n<hr>\n");
    // A loose list (blank lines between items): each item a paragraph.
    CHECK(markdown_to_html("- one\n\n- two\n", links) == "<ul>\n<li><p>one</p>\n</li>\n<li><p>two</p>\n</li>\n</ul>\n");
    // Fenced code is escaped and kept verbatim.
    CHECK(markdown_to_html("```\n<a> & b\n  c\n```\n", links) == "<pre><code>&lt;a&gt; &amp; b\n  c\n</code></pre>\n");
    // A heading inside a section is bold text, not a heading of the report's outline.
    CHECK(markdown_to_html("### Sub\ntext", links) == "<p class=\"md-h\"><strong>Sub</strong></p>\n<p>text</p>\n");
    // Tables (GitHub's extension), with the report's class and column headers.
    CHECK(markdown_to_html("| a | b |\n|---|---|\n| `x|y` | 2 |\n", links) ==
          "<table class=\"md-table\">\n<thead>\n<tr><th scope=\"col\">a</th><th scope=\"col\">b</th></tr>\n</thead>\n"
          "<tbody>\n<tr><td><code>x|y</code></td><td>2</td></tr>\n</tbody>\n</table>\n");
    // Control characters are shown, not passed to the page.
    CHECK(markdown_to_html("a\x01"
                           "b",
                           links) == "<p>a\\x01b</p>\n");
  }

} // TEST_SUITE

} // namespace zw_test_report_formats
