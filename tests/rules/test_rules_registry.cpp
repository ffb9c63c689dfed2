// The registry's invariants (STYLE.md §3): ids well-formed and unique, the catalog sorted, every
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
#include <toml++/toml.h>

#include "report/html_compliance.hpp"
#include "zonewarden/audit.hpp"
#include "zonewarden/policy.hpp"
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

// The registry is compiled from src/rules/rules.toml by gen_catalog.py: read the catalog here with
// toml++ and check that every entry reached RuleInfo as written (an independent reading of the
// generator's input), and that each rule's source file is where the build looks for it.
TEST_CASE("rules::the registry is the catalog rules.toml") {
  const toml::table catalog = toml::parse_file("src/rules/rules.toml");
  std::size_t entries = 0;
  for (const auto& [key, node] : catalog) {
    ++entries;
    const std::string id(key.str());
    CAPTURE(id);
    const toml::table& entry = *node.as_table();
    const zw::Rule* rule = zw::find_rule(id);
    REQUIRE(rule != nullptr);
    const zw::RuleInfo& info = rule->info();
    CHECK(entry["severity"].value_or(std::string()) == zw::to_string(info.severity));
    CHECK(entry["stability"].value_or(std::string()) ==
          (info.stability == zw::Stability::stable ? "stable" : "preview"));
    CHECK(entry["summary"].value_or(std::string()) == info.summary);
    CHECK(entry["reference"].value_or(std::string()) == info.reference);
    CHECK(entry["since"].value_or(std::string()) == info.since);
    std::string rcode = entry["impact"]["rcode"].value_or(std::string());
    std::transform(rcode.begin(), rcode.end(), rcode.begin(), [](unsigned char c) { return std::toupper(c); });
    CHECK(rcode == zw::to_string(info.impact.rcode));
    CHECK((entry["impact"]["ede"].value_or(std::string()) == "none") == (info.impact.ede == zw::Ede::none));
    const std::string inputs = entry["inputs"].value_or(std::string());
    CHECK(inputs == (info.inputs == zw::Inputs::both   ? "both"
                     : info.inputs == zw::Inputs::live ? "live"
                                                       : "zone-file"));
    const auto strings = [&](std::string_view field) {
      std::vector<std::string> out;
      if (const toml::array* values = entry[field].as_array()) {
        for (const toml::node& value : *values) {
          out.push_back(value.value_or(std::string()));
        }
      }
      return out;
    };
    CHECK(strings("tags") == std::vector<std::string>(info.tags.begin(), info.tags.end()));
    CHECK(strings("compliance") == std::vector<std::string>(info.compliance.begin(), info.compliance.end()));
    CHECK(strings("options") == std::vector<std::string>(info.options.begin(), info.options.end()));
    CHECK(entry["overflow"]["what"].value_or(std::string("findings")) == info.overflow.what);
    CHECK(entry["overflow"]["type"].value_or(std::string()) == info.overflow.type);
    std::string source = id;
    std::replace(source.begin(), source.end(), '-', '_');
    CHECK(fs::exists(fmt::format("src/rules/{}.cpp", source)));
  }
  CHECK(entries == zw::all_rules().size());
  CHECK(std::is_sorted(zw::all_rules().begin(), zw::all_rules().end(),
                       [](const auto& a, const auto& b) { return a->info().id < b->info().id; }));
}

// A rule's catalog entry names the profile thresholds it reads (RuleInfo::options), which a profile
// may then set for it alone ([options."ID"]): each is a threshold profiles set, each threshold is
// read by some rule, and the rule's code reads exactly those through ctx.thresholds(info).
TEST_CASE("rules::each rule names the profile thresholds it reads") {
  const std::span<const std::string_view> known = zw::threshold_names();
  std::set<std::string_view> read;
  const std::regex reads(R"(thresholds\(info\)\.([a-z0-9_]+))");
  const std::regex bypass(
      R"(options\(\)\.(expiry_window_s|cds_patience_s|allowed_algorithms|min_rsa_bits|max_nsec3_iterations))");
  for (const auto& rule : zw::all_rules()) {
    const zw::RuleInfo& info = rule->info();
    CAPTURE(info.id);
    std::string source = std::string(info.id);
    std::replace(source.begin(), source.end(), '-', '_');
    const std::string code = slurp(fmt::format("src/rules/{}.cpp", source));
    std::set<std::string> in_code;
    for (auto m = std::sregex_iterator(code.begin(), code.end(), reads); m != std::sregex_iterator(); ++m) {
      in_code.insert((*m)[1].str());
    }
    std::set<std::string> declared;
    for (const std::string_view option : info.options) {
      CHECK(std::find(known.begin(), known.end(), option) != known.end());
      read.insert(option);
      // The field is the option's name, durations with their unit: expiry_window -> expiry_window_s.
      const bool duration = option == "expiry_window" || option == "cds_patience";
      declared.insert(duration ? std::string(option) + "_s" : std::string(option));
    }
    CHECK(in_code == declared);
    // A rule reads thresholds only through ctx.thresholds(info), which applies [options."ID"].
    CHECK_FALSE(std::regex_search(code, bypass));
  }
  CHECK(read == std::set<std::string_view>(known.begin(), known.end()));
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
