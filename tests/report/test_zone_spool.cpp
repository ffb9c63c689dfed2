// report::ZoneSpool: a live audit's judged zones kept on file (AuditResult::spooled). Whatever
// reads a result through zones_of() must see the spooled zones exactly as it sees zones held in
// memory: every format is rendered both ways from the same saved results and compared byte for
// byte. Runs with the project root as working directory.

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "audit/rollover_json.hpp"
#include "report/fingerprint.hpp"
#include "report/zone_spool.hpp"
#include "zonewarden/report.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_zone_spool {

namespace {

zw::AuditResult load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), path << ": cannot read (run from the project root)");
  std::ostringstream text;
  text << in.rdbuf();
  zw::Result<zw::AuditResult> r = zw::read_result_json(text.str());
  REQUIRE_MESSAGE(r.has_value(), path << ": " << (r ? "" : r.error().message));
  return *r;
}

// The same result with its zones moved to a spool, stored last to first (the order judging
// threads finish in is not the run's).
zw::AuditResult spooled(const zw::AuditResult& in_memory) {
  auto spool = zw::report::ZoneSpool::create(in_memory.zones.size());
  for (std::size_t i = in_memory.zones.size(); i-- > 0;) {
    spool->put(i, in_memory.zones[i]);
  }
  zw::AuditResult out = in_memory;
  out.zones.clear();
  out.spooled = spool;
  return out;
}

// A state with every member set to something other than its default.
zw::RolloverState full_state() {
  zw::RolloverState s;
  s.observed = 1795751639;
  s.keys = {{"0123456789abcdef", 12345, 13, 257, true, false}, {"fedcba9876543210", 54321, 13, 256, false, true}};
  s.dnskey_ttl = 3600;
  s.ds_known = true;
  s.ds = {{12345, 13, 2, "ab12", "0123456789abcdef"}};
  s.ds_ttl = 86400;
  s.max_data_ttl = 7200;
  s.earliest_expiration = 1796000000;
  s.cds = {"12345 13 2 AB12"};
  s.cds_since = 1795000000;
  s.signed_until = 1796100000;
  s.validity = 30 * 86400;
  s.signed_until_since = 1795500000;
  s.refresh_floor = 600000;
  s.refreshes = 3;
  return s;
}

} // namespace

TEST_CASE("report::zone spool: every format renders a spooled result byte for byte as the same in memory") {
  for (const char* path : {"tests/report/lab-audit.json", "tests/report/edge-audit.json"}) {
    CAPTURE(path);
    const zw::AuditResult memory = load(path);
    REQUIRE(memory.zones.size() > 1);
    const zw::AuditResult spool = spooled(memory);
    REQUIRE(spool.zones.empty());
    CHECK(zw::zones_of(spool).size() == memory.zones.size());
    zw::ReportHistory history; // trends and first-seen dates read the zones too
    history.zones[memory.zones[0].zone] = {{1764800000, 2, 1}};
    for (const zw::ZoneResult& z : memory.zones) {
      for (const zw::Finding& f : z.findings) {
        history.first_seen[zw::detail::finding_fingerprint(f)] = 1764900000;
      }
    }
    for (const std::string_view format : zw::report_formats()) {
      for (const zw::Severity fail_on : {zw::Severity::error, zw::Severity::notice}) {
        CAPTURE(format);
        zw::RenderOptions options;
        options.fail_on = fail_on;
        options.history = &history;
        const auto a = zw::render(format, memory, options);
        const auto b = zw::render(format, spool, options);
        REQUIRE(a.has_value());
        REQUIRE(b.has_value());
        CHECK(a->size() > 100);
        CHECK(*a == *b);
        std::string pieces;
        REQUIRE(zw::render_to(format, spool, options, [&](std::string_view piece) -> zw::Result<void> {
                  pieces += piece;
                  return {};
                }).has_value());
        CHECK(pieces == *a);
      }
    }
    CHECK(zw::count_at_or_above(spool, zw::Severity::notice) == zw::count_at_or_above(memory, zw::Severity::notice));
    CHECK(zw::count_at_or_above(spool, zw::Severity::notice) > 0);
  }
}

TEST_CASE("report::zone spool: a markdown comment of thousands of clean zones names the same ones") {
  zw::AuditResult memory = load("tests/report/lab-audit.json");
  for (int i = 0; i < 6000; ++i) {
    zw::ZoneResult z;
    z.zone = fmt::format("z{:05}.clean.example.", i);
    memory.zones.push_back(std::move(z));
  }
  const std::string a = zw::render_markdown(memory);
  CHECK(a.find(" more\n") != std::string::npos); // the list is cut: the case tests the cut
  CHECK(a == zw::render_markdown(spooled(memory)));
}

TEST_CASE("report::zone spool: a zone reads back with its rollover state, whatever thread stored it") {
  const zw::AuditResult lab = load("tests/report/edge-audit.json");
  constexpr std::size_t k_zones = 64;
  auto spool = zw::report::ZoneSpool::create(k_zones);
  CHECK(spool->in_memory_reason().empty());
  const auto zone_at = [&](std::size_t i) {
    zw::ZoneResult z = lab.zones[i % lab.zones.size()];
    z.zone = fmt::format("z{}.{}", i, z.zone);
    if (i % 2 == 0) {
      z.rollover = full_state();
      z.rollover->refreshes = static_cast<std::uint32_t>(i);
    }
    return z;
  };
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = t; i < k_zones; i += 4) {
        spool->put(i, zone_at(i));
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  for (std::size_t i = 0; i < k_zones; ++i) {
    CAPTURE(i);
    REQUIRE(spool->has(i));
    const zw::ZoneResult want = zone_at(i);
    const zw::ZoneResult got = spool->load(i);
    zw::AuditResult a;
    a.zones = {want};
    zw::AuditResult b;
    b.zones = {got};
    CHECK(zw::render_json(a) == zw::render_json(b));
    REQUIRE(got.rollover.has_value() == want.rollover.has_value());
    if (want.rollover) {
      CHECK(zw::audit::rollover_to_json(*got.rollover) == zw::audit::rollover_to_json(*want.rollover));
      CHECK(got.rollover->refreshes == i);
    }
  }
}

TEST_CASE("report::zone spool: a zone never stored is an error, not an empty zone") {
  auto spool = zw::report::ZoneSpool::create(2);
  zw::ZoneResult one;
  one.zone = "one.";
  spool->put(1, one);
  CHECK_FALSE(spool->has(0));
  CHECK(spool->load(1).zone == "one.");
  CHECK_THROWS_AS((void)spool->load(0), zw::ZoneSourceError);
}

TEST_CASE("report::zone spool: without a writable temporary directory the zones stay in memory") {
  const char* before = std::getenv("TMPDIR");
  const std::optional<std::string> saved = before != nullptr ? std::optional<std::string>(before) : std::nullopt;
  ::setenv("TMPDIR", "/nonexistent/zonewarden-test", 1);
  auto spool = zw::report::ZoneSpool::create(1);
  if (saved) {
    ::setenv("TMPDIR", saved->c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
  CHECK(spool->in_memory_reason().find("/nonexistent/zonewarden-test") == 0);
  const zw::AuditResult lab = load("tests/report/lab-audit.json");
  zw::ZoneResult z = lab.zones.at(0);
  z.rollover = full_state();
  spool->put(0, z);
  const zw::ZoneResult got = spool->load(0);
  CHECK(got.zone == z.zone);
  CHECK(got.findings.size() == z.findings.size());
  REQUIRE(got.rollover.has_value());
  CHECK(zw::audit::rollover_to_json(*got.rollover) == zw::audit::rollover_to_json(*z.rollover));
}

TEST_CASE("report::read_result_file reads a zone at a time what read_result_json reads whole") {
  for (const char* path : {"tests/report/lab-audit.json", "tests/report/edge-audit.json"}) {
    CAPTURE(path);
    const zw::AuditResult whole = load(path);
    auto spool = zw::report::ZoneSpool::create(0);
    std::size_t handed = 0;
    auto read = zw::read_result_file(path, [&](zw::ZoneResult&& z) { spool->put(handed++, std::move(z)); });
    REQUIRE_MESSAGE(read.has_value(), (read ? "" : read.error().message));
    CHECK(read->zones.empty());
    CHECK(handed == whole.zones.size());
    read->spooled = spool;
    CHECK(zw::render_json(*read) == zw::render_json(whole));
  }
  const auto none = zw::read_result_file("tests/report/no-such-file.json", [](zw::ZoneResult&&) {});
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().message.starts_with("tests/report/no-such-file.json: "));
  const auto directory = zw::read_result_file("tests/report", [](zw::ZoneResult&&) {});
  REQUIRE_FALSE(directory.has_value());
  CHECK(directory.error().message == "tests/report: is a directory");
}

TEST_CASE("report::derived zones: another source's zones reordered and changed as they are read") {
  const zw::AuditResult lab = load("tests/report/lab-audit.json");
  REQUIRE(lab.zones.size() >= 3);
  const zw::AuditResult from = spooled(lab);
  const std::vector<std::size_t> order{2, 0, 1};
  const zw::report::DerivedZones derived(from.spooled, order, [](zw::ZoneResult& z) { z.chain = "changed"; });
  REQUIRE(derived.size() == 3);
  for (std::size_t i = 0; i < order.size(); ++i) {
    const zw::ZoneResult z = derived.load(i);
    CHECK(z.zone == lab.zones[order[i]].zone);
    CHECK(z.chain == "changed");
  }
  const zw::report::DerivedZones same(from.spooled, {}, nullptr);
  CHECK(same.size() == lab.zones.size());
  CHECK(same.load(1).zone == lab.zones[1].zone);
}

} // namespace zw_test_zone_spool
