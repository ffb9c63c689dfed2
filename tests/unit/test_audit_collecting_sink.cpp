// The engine's FindingSink owns the per-rule cap (include/zonewarden/rule.hpp): the first 50
// findings of a rule on a zone one by one, then ONE summary that counts the rest.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "audit/collecting_sink.hpp"
#include "zonewarden/rule.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_audit_collecting_sink {

using namespace zw;

namespace {

constexpr RuleInfo k_info{.id = "zone/test-rule",
                          .severity = Severity::warning,
                          .stability = Stability::stable,
                          .summary = "a rule for the sink's tests",
                          .reference = "RFC 1035",
                          .impact = {Rcode::noerror, Ede::none},
                          .inputs = Inputs::zone_file,
                          .overflow = {.what = "test faults", .type = "SOA"}};

Finding at(const std::string& owner) {
  Finding f;
  f.location = Location{"example.", "", owner, "A", {}, 0};
  f.message = owner + " is faulty";
  return f;
}

std::vector<Finding> run(int count) {
  std::vector<Finding> out;
  audit::CollectingSink sink(k_info, "example.", out);
  for (int i = 0; i < count; ++i) {
    sink.add(at("h" + std::to_string(i) + ".example."));
  }
  sink.finish();
  return out;
}

} // namespace

TEST_CASE("audit::CollectingSink reports the first 50 one by one and sums up the rest") {
  REQUIRE(k_max_findings_per_rule == 50);
  const std::vector<Finding> f = run(60);
  REQUIRE(f.size() == 51);
  for (std::size_t i = 0; i < 50; ++i) {
    CHECK(f[i].location.owner == "h" + std::to_string(i) + ".example.");
    CHECK(f[i].rule == "zone/test-rule");
    CHECK(f[i].severity == Severity::warning);
  }
  const Finding& summary = f.back();
  CHECK(summary.rule == "zone/test-rule");
  CHECK(summary.message == "and 10 more test faults (only the first 50 are reported one by one)");
  CHECK(summary.location.zone == "example.");
  CHECK(summary.location.owner == "example."); // the zone apex
  CHECK(summary.location.type == "SOA");       // RuleInfo::overflow
  CHECK(summary.severity == Severity::warning);
}

TEST_CASE("audit::CollectingSink adds no summary at or under the cap") {
  CHECK(run(0).empty());
  CHECK(run(1).size() == 1);
  const std::vector<Finding> f = run(50);
  REQUIRE(f.size() == 50);
  CHECK(f.back().location.owner == "h49.example.");
  CHECK(f.back().message.find("more") == std::string::npos);
}

TEST_CASE("audit::CollectingSink: room() says when a finding is worth building, and counts the ones skipped") {
  std::vector<Finding> out;
  audit::CollectingSink sink(k_info, "example.", out);
  int built = 0;
  for (int i = 0; i < 75; ++i) {
    if (!sink.room()) {
      continue; // the rule pays nothing for a finding past the cap
    }
    ++built;
    sink.add(at("h" + std::to_string(i) + ".example."));
  }
  sink.finish();
  CHECK(built == 50);
  REQUIRE(out.size() == 51);
  CHECK(out.back().message.find("and 25 more test faults") == 0);
  CHECK(sink.reported() == 50);
  CHECK(sink.held_back() == 25);
}

TEST_CASE("audit::CollectingSink grades the summary like the worst finding held back") {
  std::vector<Finding> out;
  audit::CollectingSink sink(k_info, "example.", out);
  for (int i = 0; i < 50; ++i) {
    sink.add(at("h" + std::to_string(i) + ".example."));
  }
  Finding worst = at("bad.example.");
  worst.severity = Severity::error;
  worst.resolver = {Rcode::servfail, Ede::dnssec_bogus};
  sink.add(at("late.example."));
  sink.add_graded(std::move(worst));
  CHECK_FALSE(sink.room(Severity::notice, {}));
  sink.finish();
  REQUIRE(out.size() == 51);
  CHECK(out.back().message.find("and 3 more test faults") == 0);
  CHECK(out.back().severity == Severity::error);
  CHECK(out.back().resolver.rcode == Rcode::servfail);
}

TEST_CASE("audit::CollectingSink: a rule's own grouped summary is not counted against the cap") {
  std::vector<Finding> out;
  audit::CollectingSink sink(k_info, "example.", out);
  for (int i = 0; i < 50; ++i) {
    sink.add(at("h" + std::to_string(i) + ".example."));
  }
  Finding group = at("example.");
  group.message = "and 7 more RRsets with the same fault";
  sink.add_summary(std::move(group));
  sink.finish();
  REQUIRE(out.size() == 51);
  CHECK(out.back().message == "and 7 more RRsets with the same fault");
  CHECK(out.back().rule == "zone/test-rule");
}

TEST_CASE("audit::CollectingSink: overflow() renames what the summary counts") {
  std::vector<Finding> out;
  audit::CollectingSink sink(k_info, "example.", out);
  sink.overflow({.what = "NSEC chain gaps", .type = "NSEC"});
  for (int i = 0; i < 52; ++i) {
    sink.add(at("h" + std::to_string(i) + ".example."));
  }
  sink.finish();
  REQUIRE(out.size() == 51);
  CHECK(out.back().message == "and 2 more NSEC chain gaps (only the first 50 are reported one by one)");
  CHECK(out.back().location.type == "NSEC");
}

TEST_CASE("audit::CollectingSink: with list_messages the summary gives every held-back message") {
  std::vector<Finding> out;
  audit::CollectingSink sink(k_info, "example.", out);
  sink.overflow({.what = "revoked keys", .type = "DNSKEY", .list_messages = true});
  for (int i = 0; i < 57; ++i) {
    Finding f = at("example.");
    f.message = "key " + std::to_string(i) + " is revoked";
    f.severity = i == 55 ? Severity::error : Severity::notice;
    f.resolver = i == 55 ? ResolverImpact{Rcode::servfail, Ede::dnskey_missing} : ResolverImpact{};
    sink.add_graded(std::move(f));
  }
  sink.finish();
  REQUIRE(out.size() == 51);
  const Finding& summary = out.back();
  CHECK(summary.message == "and 7 more revoked keys (only the first 50 are reported one by one)");
  CHECK(summary.location.type == "DNSKEY");
  CHECK(summary.evidence == std::vector<std::string>{"key 50 is revoked", "key 51 is revoked", "key 52 is revoked",
                                                     "key 53 is revoked", "key 54 is revoked", "key 55 is revoked",
                                                     "key 56 is revoked"});
  CHECK(summary.severity == Severity::error); // the worst held back, and its impact
  CHECK(summary.resolver.ede == Ede::dnskey_missing);
}

} // namespace zw_test_audit_collecting_sink
