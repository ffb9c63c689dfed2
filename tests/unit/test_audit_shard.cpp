// audit --shard K/N and report --merge: the partition is fixed and complete, the merge refuses
// what is not the shards of one audit.

#include <set>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "zonewarden/audit.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_audit_shard {

using namespace zw;

namespace {

AuditResult shard_result(std::vector<std::string> zones) {
  AuditResult r;
  r.version = "1.0";
  r.command = "audit";
  r.rules_run = {"delegation/lame-unreachable", "dnssec/rrsig-expired"};
  r.now = 1000;
  r.generated = 1100;
  r.elapsed_s = 2.0;
  for (std::string& z : zones) {
    ZoneResult zone;
    zone.zone = std::move(z);
    r.zones.push_back(std::move(zone));
  }
  return r;
}

} // namespace

TEST_CASE("shard_of: FNV-1a 64 of the lower-case name with its dot, modulo N") {
  // Expected values computed by hand-written Python from the FNV-1a definition (offset basis
  // 14695981039346656037, prime 1099511628211), not by this code.
  CHECK(shard_of("example.com.", 1'000'000'007) == 12485247818667689528ULL % 1'000'000'007);
  CHECK(shard_of("test.", 1'000'000'007) == 2271348341461558193ULL % 1'000'000'007);
  CHECK(shard_of("z000001.fleet.", 7) == 4790283195184519074ULL % 7);
  // The case and the final dot of the name given change nothing.
  CHECK(shard_of("Example.COM", 97) == shard_of("example.com.", 97));
  CHECK(shard_of("anything.example.", 1) == 0);
}

TEST_CASE("shard_of: N shards split a fleet into N disjoint parts that cover it, none empty") {
  std::vector<std::size_t> count(8, 0);
  for (int i = 0; i < 8000; ++i) {
    const std::size_t k = shard_of("z" + std::to_string(i) + ".fleet.", 8);
    REQUIRE(k < 8);
    ++count[k];
  }
  for (const std::size_t c : count) {
    CHECK(c > 800); // a fair hash: about 1000 each
    CHECK(c < 1200);
  }
}

TEST_CASE("merge_results: the shards' zones in canonical order, the earliest now, the longest run") {
  std::vector<std::pair<std::string, AuditResult>> parts;
  parts.emplace_back("a.json", shard_result({"b.test.", "z.example."}));
  parts.emplace_back("b.json", shard_result({"a.test.", "example."}));
  parts.emplace_back("c.json", shard_result({})); // a shard the hash gave no zone
  parts[1].second.now = 900;
  parts[1].second.generated = 1200;
  parts[1].second.elapsed_s = 5.0;
  const Result<AuditResult> merged = merge_results(std::move(parts));
  REQUIRE(merged.has_value());
  std::vector<std::string> zones;
  for (const ZoneResult& z : merged->zones) {
    zones.push_back(z.zone);
  }
  // RFC 4034 §6.1: by the labels from the right.
  CHECK(zones == std::vector<std::string>{"example.", "z.example.", "a.test.", "b.test."});
  CHECK(merged->now == 900);
  CHECK(merged->generated == 1200);
  CHECK(merged->elapsed_s == 5.0);
  CHECK(merged->rules_run.size() == 2);
}

TEST_CASE("merge_results: refuses results that are not the shards of one audit") {
  SUBCASE("a zone in two shards") {
    std::vector<std::pair<std::string, AuditResult>> parts;
    parts.emplace_back("a.json", shard_result({"a.test."}));
    parts.emplace_back("b.json", shard_result({"a.test."}));
    const auto merged = merge_results(std::move(parts));
    REQUIRE_FALSE(merged.has_value());
    CHECK(merged.error().message.find("a.test. is in both a.json and b.json") != std::string::npos);
  }
  SUBCASE("other rules ran") {
    std::vector<std::pair<std::string, AuditResult>> parts;
    parts.emplace_back("a.json", shard_result({"a.test."}));
    parts.emplace_back("b.json", shard_result({"b.test."}));
    parts[1].second.rules_run.pop_back();
    const auto merged = merge_results(std::move(parts));
    REQUIRE_FALSE(merged.has_value());
    CHECK(merged.error().message.find("the rules that ran") != std::string::npos);
  }
  SUBCASE("another expiry window") {
    std::vector<std::pair<std::string, AuditResult>> parts;
    parts.emplace_back("a.json", shard_result({"a.test."}));
    parts.emplace_back("b.json", shard_result({"b.test."}));
    parts[1].second.expiry_window_s = 7 * 86400; // the first shard keeps the default 3 days
    const auto merged = merge_results(std::move(parts));
    REQUIRE_FALSE(merged.has_value());
    CHECK(merged.error().message ==
          "--merge: a.json and b.json differ in expiry window (3d 0h and 7d 0h): they are not shards of one audit");
  }
  SUBCASE("a check among audits") {
    std::vector<std::pair<std::string, AuditResult>> parts;
    parts.emplace_back("a.json", shard_result({"a.test."}));
    parts.emplace_back("b.json", shard_result({"b.test."}));
    parts[1].second.command = "check";
    CHECK_FALSE(merge_results(std::move(parts)).has_value());
  }
  SUBCASE("nothing to merge") {
    CHECK_FALSE(merge_results({}).has_value());
  }
}

} // namespace zw_test_audit_shard
