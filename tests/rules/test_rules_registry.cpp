// The registry's invariants (STYLE.md §3): ids well-formed and unique, rules.def sorted, every
// rule has its source file, documentation page (matching RuleInfo) and fires/quiet fixtures.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "report/html_compliance.hpp"
#include "zonewarden/audit.hpp"
#include "zonewarden/rule.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_rules_registry {

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string inputs_text(zw::Inputs inputs) {
  if (inputs == zw::Inputs::both) {
    return "zone file, live";
  }
  return inputs == zw::Inputs::live ? "live" : "zone file";
}

std::string page_impact_text(const zw::ResolverImpact& impact) {
  if (impact.ede == zw::Ede::none) {
    return std::string(zw::to_string(impact.rcode));
  }
  return fmt::format("{}, EDE {} ({})", zw::to_string(impact.rcode), static_cast<int>(impact.ede),
                     zw::ede_text(impact.ede));
}

} // namespace

TEST_CASE("rules::registry") {
  const std::regex id_form("^[a-z]+/[a-z0-9]+(-[a-z0-9]+)*$");
  std::set<std::string> ids;
  for (const auto& rule : zw::all_rules()) {
    const zw::RuleInfo& info = rule->info();
    const std::string id(info.id);
    CAPTURE(id);
    CHECK(std::regex_match(id, id_form));
    CHECK(ids.insert(id).second);
    CHECK_FALSE(info.summary.empty());
    CHECK_FALSE(info.reference.empty());
    CHECK(zw::find_rule(id) == rule.get());
  }
  CHECK(zw::find_rule("no/such-rule") == nullptr);
}

TEST_CASE("rules::RuleInfo metadata: a since version, tags, and compliance ids the report knows") {
  const std::regex version_form("^[0-9]+\\.[0-9]+\\.[0-9]+$");
  const std::regex tag_form("^[a-z0-9]+(-[a-z0-9]+)*$");
  std::set<std::string_view> requirements;
  for (const zw::report::Requirement& r : zw::report::compliance_requirements()) {
    CHECK(requirements.insert(r.id).second);
  }
  std::set<std::string_view> served;
  for (const auto& rule : zw::all_rules()) {
    const zw::RuleInfo& info = rule->info();
    CAPTURE(info.id);
    CHECK(std::regex_match(std::string(info.since), version_form));
    CHECK_FALSE(info.tags.empty());
    std::set<std::string_view> tags;
    for (const std::string_view tag : info.tags) {
      CAPTURE(tag);
      CHECK(std::regex_match(std::string(tag), tag_form));
      CHECK(tags.insert(tag).second);
    }
    // The area is always one of the tags.
    CHECK(tags.contains(info.id.substr(0, info.id.find('/'))));
    for (const std::string_view id : info.compliance) {
      CAPTURE(id);
      CHECK(requirements.contains(id));
      served.insert(id);
    }
    CHECK_FALSE(info.overflow.what.empty());
  }
  // Every requirement of the HTML report's compliance section is served by some rule.
  CHECK(served == requirements);
}

TEST_CASE("rules::rules.def is sorted, unique and matches the ids") {
  std::ifstream def("src/rules/rules.def");
  REQUIRE(def.good());
  std::vector<std::string> lines;
  const std::regex line_form(R"(^ZW_RULE\(([a-z]+), ([a-z0-9_]+)\)$)");
  for (std::string line; std::getline(def, line);) {
    if (line.empty() || line.rfind("//", 0) == 0) {
      continue;
    }
    std::smatch m;
    REQUIRE_MESSAGE(std::regex_match(line, m, line_form), line);
    lines.push_back(line);
    const std::string area = m[1];
    std::string name = m[2];
    std::replace(name.begin(), name.end(), '_', '-');
    CHECK_MESSAGE(zw::find_rule(area + "/" + name) != nullptr, line);
    CHECK_MESSAGE(fs::exists(fmt::format("src/rules/{}/{}.cpp", area, std::string(m[2]))), line);
  }
  CHECK(std::is_sorted(lines.begin(), lines.end()));
  CHECK(std::adjacent_find(lines.begin(), lines.end()) == lines.end());
  CHECK(lines.size() == zw::all_rules().size());
}

TEST_CASE("rules::documentation pages agree with RuleInfo") {
  const std::vector<std::string> sections = {
      "## What it checks", "## Why resolution breaks", "## How to fix", "## Example",
      "## Options",        "## Not flagged",           "## See also"};
  for (const auto& rule : zw::all_rules()) {
    const zw::RuleInfo& info = rule->info();
    const fs::path page = fmt::format("docs/rules/{}.md", info.id);
    CAPTURE(page.string());
    REQUIRE(fs::exists(page));
    const std::string text = slurp(page);
    CHECK(text.rfind(fmt::format("# {}\n", info.id), 0) == 0);
    const std::string row = fmt::format("| {} | {} | {} | {} | {} |", zw::to_string(info.severity),
                                        page_impact_text(info.impact), info.reference, inputs_text(info.inputs),
                                        info.stability == zw::Stability::stable ? "stable" : "preview");
    CHECK_MESSAGE(text.find(row) != std::string::npos, "expected row: " << row);
    std::size_t pos = 0;
    for (const std::string& section : sections) {
      const std::size_t at = text.find("\n" + section + "\n", pos);
      CHECK_MESSAGE(at != std::string::npos, "missing or out of order: " << section);
      if (at != std::string::npos) {
        pos = at;
      }
    }
  }
}

TEST_CASE("rules::the rules that compare with an earlier run are listed as run only with a history") {
  const auto rollover = [](const zw::AuditResult& r) {
    return std::count_if(r.rules_run.begin(), r.rules_run.end(),
                         [](const std::string& id) { return id.rfind("rollover/", 0) == 0; });
  };
  zw::EngineOptions options;
  CHECK(rollover(zw::start_audit_result(options)) == 0);
  const zw::PreviousStateMap none; // a history with no earlier run yet
  options.previous = &none;
  const zw::AuditResult with_history = zw::start_audit_result(options);
  CHECK(rollover(with_history) == 5);
  CHECK(with_history.rules_run.size() == zw::rules_reading(zw::Inputs::live).size());
}

// Rules that read live snapshots have recorded snapshot fixtures here; rules that read zone files
// have cases signed at test start in tests/check/cases_*.py, whose runner checks their coverage.
TEST_CASE("rules::every live rule has fires and quiet snapshot fixtures") {
  for (const auto& rule : zw::all_rules()) {
    const zw::RuleInfo& info = rule->info();
    if (!zw::has_input(info.inputs, zw::Inputs::live)) {
      continue;
    }
    const fs::path dir = fmt::format("tests/fixtures/rules/{}", info.id);
    CAPTURE(dir.string());
    bool fires = false;
    bool quiet = false;
    if (fs::is_directory(dir)) {
      for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        fires = fires || name.rfind("fires-", 0) == 0;
        quiet = quiet || name.rfind("quiet-", 0) == 0;
      }
    }
    CHECK(fires);
    CHECK(quiet);
  }
}

} // namespace zw_test_rules_registry
