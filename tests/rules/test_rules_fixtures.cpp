// Walks every rule fixture: one SUBCASE per file, named <id>/<file>. A snapshot fixture
// (`*.snapshot.json`, recorded from the lab with tests/lab/record_fixtures.py) is replayed
// through the engine exactly as `audit --restore` does; its sibling `*.expect` lists one
// "OWNER TYPE" per finding the rule under test must report, and the rule may report nothing
// else; no other rule may report anything but the "also: RULE OWNER TYPE" lines of the expect
// file. `quiet-*` fixtures have an empty expect file. A sibling `*.previous.json` is the zone's
// state as an earlier run recorded it in the history, for the rollover rules. "now" is the snapshot's own time, or a
// `now: <UTC>` line in the expect file; a `severity: <level>` line says what every finding of
// the rule under test must be graded.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "audit/rollover_json.hpp"
#include "util/time.hpp"
#include "zonewarden/audit.hpp"
#include "zonewarden/rule.hpp"
#include "zonewarden/snapshot.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_rules_fixtures {

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Expectation {
  std::vector<std::string> findings; // "owner type" of the rule under test
  std::vector<std::string> also;     // "rule owner type" of findings other rules must report
  std::optional<std::int64_t> now;
  std::optional<zw::Severity> severity;
};

Expectation read_expect(const fs::path& p) {
  Expectation e;
  std::istringstream in(slurp(p));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    if (line.rfind("also:", 0) == 0) {
      e.also.push_back(line.substr(line.find_first_not_of(' ', 5)));
      continue;
    }
    if (line.rfind("now:", 0) == 0) {
      const std::string value = line.substr(line.find_first_not_of(' ', 4));
      e.now = zw::util::parse_time(value).value();
      continue;
    }
    if (line.rfind("severity:", 0) == 0) {
      e.severity = zw::severity_from_string(line.substr(line.find_first_not_of(' ', 9))).value();
      continue;
    }
    e.findings.push_back(line);
  }
  std::sort(e.findings.begin(), e.findings.end());
  return e;
}

} // namespace

TEST_CASE("rules::fixtures") {
  const fs::path root = "tests/fixtures/rules";
  REQUIRE(fs::is_directory(root));
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.size() > 14 && name.ends_with(".snapshot.json")) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  REQUIRE_FALSE(files.empty());
  for (const fs::path& file : files) {
    const std::string id = fs::relative(file.parent_path(), root).string();
    const std::string name = file.filename().string();
    SUBCASE((id + "/" + name).c_str()) {
      REQUIRE_MESSAGE(zw::find_rule(id) != nullptr, "fixture for unknown rule " << id);
      const auto snapshot = zw::snapshot_from_json(slurp(file));
      REQUIRE_MESSAGE(snapshot.has_value(), (snapshot ? "" : snapshot.error().message));
      const fs::path expect_path = file.parent_path() / (name.substr(0, name.size() - 14) + ".expect");
      REQUIRE_MESSAGE(fs::exists(expect_path), "missing " << expect_path.string());
      const Expectation expect = read_expect(expect_path);
      const bool quiet = name.rfind("quiet-", 0) == 0;
      CHECK_MESSAGE(quiet == expect.findings.empty(), "quiet fixtures expect nothing, fires fixtures something");
      zw::EngineOptions options;
      options.now = expect.now.value_or(snapshot->started_at);
      // The rollover rules' earlier run: `<name>.previous.json`, the zone's state as the history
      // stores it (docs/history.md), for every zone of the snapshot.
      std::map<std::string, zw::RolloverState> states;
      zw::PreviousStateMap previous;
      const fs::path previous_path = file.parent_path() / (name.substr(0, name.size() - 14) + ".previous.json");
      if (fs::exists(previous_path)) {
        const auto state = zw::audit::rollover_from_json(slurp(previous_path));
        REQUIRE_MESSAGE(state.has_value(), (state ? "" : state.error().message));
        for (const zw::ZoneSnapshot& z : snapshot->zones) {
          states.emplace(z.zone, *state);
        }
        previous = zw::PreviousStateMap(std::move(states));
        options.previous = &previous;
      }
      const zw::AuditResult result = zw::run_audit_rules(*snapshot, options);
      std::vector<std::string> got;
      std::vector<std::string> others; // what every other rule reported: must be exactly `also`
      for (const zw::ZoneResult& z : result.zones) {
        for (const zw::Finding& f : z.findings) {
          CHECK_MESSAGE(f.rule.rfind("internal/", 0) != 0, f.message);
          if (f.rule == id) {
            got.push_back(fmt::format("{} {}", f.location.owner, f.location.type));
            if (expect.severity) {
              CHECK_MESSAGE(f.severity == *expect.severity, f.message);
            }
          } else {
            others.push_back(fmt::format("{} {} {}", f.rule, f.location.owner, f.location.type));
          }
        }
      }
      std::sort(others.begin(), others.end());
      others.erase(std::unique(others.begin(), others.end()), others.end());
      std::vector<std::string> also = expect.also;
      std::sort(also.begin(), also.end());
      CHECK_MESSAGE(others == also,
                    fmt::format("other rules: want [{}] got [{}]", fmt::join(also, "; "), fmt::join(others, "; ")));
      std::sort(got.begin(), got.end());
      got.erase(std::unique(got.begin(), got.end()), got.end());
      std::vector<std::string> want = expect.findings;
      want.erase(std::unique(want.begin(), want.end()), want.end());
      CHECK_MESSAGE(got == want, fmt::format("want [{}] got [{}]", fmt::join(want, "; "), fmt::join(got, "; ")));
    }
  }
}

} // namespace zw_test_rules_fixtures
