#include <string>

#include <doctest/doctest.h>

#include "test_audit_support.hpp"
#include "util/time.hpp"
#include "zonewarden/policy.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_audit_waivers {

using namespace zw;
using zw::test::make_finding;
using zw::test::TempDir;

namespace {

const char* const k_toml = R"(
[[waiver]]
rule = "delegation/lame-*"
zone = "Example.COM"
server = "ns2.example.com"
reason = "ns2 is being retired, ticket OPS-42"
expires = "2027-01-01"

[[waiver]]
rule = "dnssec/rrsig-expiring-soon"
owner = "www.example.com."
type = "a"
reason = "re-signed weekly by hand"
expires = 2026-06-01T12:00:00Z

[[waiver]]
rule = "protocol/tcp-unsupported"
server = "192.0.2.9"
reason = "firewall change pending"
expires = "2026-03-01T00:00:00+01:00"
)";

const char* const k_yaml = R"(
waivers:
  - rule: delegation/lame-*
    zone: Example.COM
    server: ns2.example.com
    reason: ns2 is being retired, ticket OPS-42
    expires: 2027-01-01
  - rule: dnssec/rrsig-expiring-soon
    owner: www.example.com.
    type: a
    reason: re-signed weekly by hand
    expires: "2026-06-01T12:00:00Z"
  - rule: "protocol/tcp-unsupported"
    server: 192.0.2.9
    reason: firewall change pending
    expires: 2026-03-01T00:00:00+01:00
)";

std::int64_t at(const char* text) {
  return util::parse_time(text).value();
}

AuditResult two_zones() {
  AuditResult result;
  ZoneResult a;
  a.zone = "example.com.";
  a.findings = {
      make_finding("delegation/lame-refused", Severity::warning, "example.com.", "ns2.example.com./192.0.2.2",
                   "example.com.", "SOA"),
      make_finding("delegation/lame-refused", Severity::warning, "example.com.", "ns1.example.com./192.0.2.1",
                   "example.com.", "SOA"),
      make_finding("dnssec/rrsig-expiring-soon", Severity::warning, "example.com.", "", "www.example.com.", "A"),
      make_finding("dnssec/rrsig-expiring-soon", Severity::warning, "example.com.", "", "mail.example.com.", "A"),
      make_finding("protocol/tcp-unsupported", Severity::warning, "example.com.", "ns9.example.com./192.0.2.9",
                   "example.com.", "SOA"),
  };
  ZoneResult b;
  b.zone = "example.net.";
  b.findings = {make_finding("delegation/lame-refused", Severity::warning, "example.net.", "ns2.example.com./192.0.2.2",
                             "example.net.", "SOA")};
  result.zones = {a, b};
  return result;
}

void check_waiver_error(const TempDir& dir, const std::string& file, const std::string& content,
                        const std::string& key) {
  CAPTURE(content);
  const std::string path = dir.write(file, content);
  const Result<std::vector<Waiver>> waivers = load_waivers(path);
  REQUIRE_FALSE(waivers.has_value());
  CAPTURE(waivers.error().message);
  CHECK(waivers.error().message.starts_with(path + ": key " + key + ": "));
  // The same text in memory gives the same error.
  const ConfigFormat format = file.ends_with(".toml") ? ConfigFormat::toml : ConfigFormat::yaml;
  const Result<std::vector<Waiver>> parsed = parse_waivers(content, format, path);
  REQUIRE_FALSE(parsed.has_value());
  CHECK(parsed.error().message == waivers.error().message);
}

} // namespace

TEST_CASE("audit::load_waivers TOML and YAML are equivalent") {
  TempDir dir;
  const Result<std::vector<Waiver>> a = load_waivers(dir.write("waivers.toml", k_toml));
  const Result<std::vector<Waiver>> b = load_waivers(dir.write("waivers.yaml", k_yaml));
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  REQUIRE(a->size() == 3);
  REQUIRE(b->size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    const Waiver& x = (*a)[i];
    const Waiver& y = (*b)[i];
    CHECK(x.rule == y.rule);
    CHECK(x.zone == y.zone);
    CHECK(x.server == y.server);
    CHECK(x.owner == y.owner);
    CHECK(x.type == y.type);
    CHECK(x.reason == y.reason);
    CHECK(x.expires == y.expires);
  }
  CHECK((*a)[0].zone == "example.com.");
  CHECK((*a)[0].expires == at("2027-01-01"));
  CHECK((*a)[1].type == "A");
  CHECK((*a)[1].expires == at("2026-06-01T12:00:00Z"));
  CHECK((*a)[2].expires == at("2026-02-28T23:00:00Z"));
  CHECK(load_waivers(dir.write("empty.yml", "waivers: []\n")).value().empty());
  CHECK(load_waivers(dir.write("empty.toml", "")).value().empty());
}

TEST_CASE("audit::apply_waivers: an active waiver suppresses what it matches") {
  TempDir dir;
  const Result<std::vector<Waiver>> waivers = load_waivers(dir.write("waivers.toml", k_toml));
  REQUIRE(waivers.has_value());
  AuditResult result = two_zones();
  apply_waivers(*waivers, at("2026-01-15"), result);
  const auto suppressed = [&](std::size_t zone, const std::string& rule, const std::string& server,
                              const std::string& owner) {
    for (const Finding& f : result.zones[zone].findings) {
      if (f.rule == rule && f.location.server == server && f.location.owner == owner) {
        return f.suppressed;
      }
    }
    FAIL("finding not found");
    return std::string();
  };
  // glob rule + zone (any case, no final dot) + server by name alone
  CHECK(suppressed(0, "delegation/lame-refused", "ns2.example.com./192.0.2.2", "example.com.") ==
        "waived: ns2 is being retired, ticket OPS-42 (until 2027-01-01)");
  CHECK(suppressed(0, "delegation/lame-refused", "ns1.example.com./192.0.2.1", "example.com.").empty());
  CHECK(suppressed(1, "delegation/lame-refused", "ns2.example.com./192.0.2.2", "example.net.").empty());
  // owner + type (any case)
  CHECK(suppressed(0, "dnssec/rrsig-expiring-soon", "", "www.example.com.") ==
        "waived: re-signed weekly by hand (until 2026-06-01T12:00:00Z)");
  CHECK(suppressed(0, "dnssec/rrsig-expiring-soon", "", "mail.example.com.").empty());
  // server by address alone
  CHECK(suppressed(0, "protocol/tcp-unsupported", "ns9.example.com./192.0.2.9", "example.com.") ==
        "waived: firewall change pending (until 2026-02-28T23:00:00Z)");
  CHECK(result.zones[0].findings.size() == 5); // nothing removed, nothing added
  CHECK(result.zones[1].findings.size() == 1);
  CHECK(count_at_or_above(result, Severity::warning) == 3);
}

TEST_CASE("audit::apply_waivers: an expired waiver suppresses nothing and is a finding") {
  TempDir dir;
  const Result<std::vector<Waiver>> waivers = load_waivers(dir.write("waivers.yaml", k_yaml));
  REQUIRE(waivers.has_value());
  AuditResult result = two_zones();
  // After the second and third waivers expired, before the first.
  apply_waivers(*waivers, at("2026-07-01"), result);
  std::vector<std::string> expired_zone0;
  for (const Finding& f : result.zones[0].findings) {
    if (f.rule == "policy/waiver-expired") {
      CHECK(f.severity == Severity::warning);
      CHECK(f.resolver.rcode == Rcode::noerror);
      CHECK(f.resolver.ede == Ede::none);
      CHECK(f.location.zone == "example.com.");
      CHECK(f.suppressed.empty());
      expired_zone0.push_back(f.message);
    } else if (f.rule == "dnssec/rrsig-expiring-soon" || f.rule == "protocol/tcp-unsupported") {
      CHECK(f.suppressed.empty());
    }
  }
  // Neither expired waiver names a zone: each adds a finding to every zone.
  REQUIRE(expired_zone0.size() == 2);
  CHECK(expired_zone0[0].find("dnssec/rrsig-expiring-soon") != std::string::npos);
  CHECK(expired_zone0[0].find("re-signed weekly by hand") != std::string::npos);
  CHECK(expired_zone0[0].find("2026-06-01T12:00:00Z") != std::string::npos);
  CHECK(expired_zone0[1].find("protocol/tcp-unsupported") != std::string::npos);
  std::size_t expired_zone1 = 0;
  for (const Finding& f : result.zones[1].findings) {
    expired_zone1 += f.rule == "policy/waiver-expired" ? 1 : 0;
  }
  CHECK(expired_zone1 == 2);
  // Findings stay sorted: the warnings, policy/ among them by rule id.
  CHECK(count_at_or_above(result, Severity::warning) == 5 - 1 + 2 + 1 + 2);

  // Once the first expires too: it names its zone, so only that zone gets the finding.
  AuditResult later = two_zones();
  apply_waivers(*waivers, at("2027-01-01"), later);
  std::size_t zone0 = 0;
  std::size_t zone1 = 0;
  for (const Finding& f : later.zones[0].findings) {
    zone0 += f.rule == "policy/waiver-expired" ? 1 : 0;
    CHECK(f.suppressed.empty());
  }
  for (const Finding& f : later.zones[1].findings) {
    zone1 += f.rule == "policy/waiver-expired" ? 1 : 0;
  }
  CHECK(zone0 == 3);
  CHECK(zone1 == 2);
}

TEST_CASE("audit::apply_waivers: globs and the tool's own findings") {
  std::vector<Waiver> waivers{Waiver{"*", "", "", "", "", "accept everything", at("2030-01-01")}};
  AuditResult result = two_zones();
  result.zones[0].findings.push_back(
      make_finding("internal/rule-failed", Severity::error, "example.com.", "", "example.com.", ""));
  apply_waivers(waivers, at("2026-01-01"), result);
  for (const ZoneResult& zone : result.zones) {
    for (const Finding& f : zone.findings) {
      CAPTURE(f.rule);
      CHECK(f.suppressed.empty() == (f.rule == "internal/rule-failed"));
    }
  }
  CHECK(count_at_or_above(result, Severity::notice) == 1);

  std::vector<Waiver> exact{Waiver{"dnssec/rrsig-expiring-soon", "example.com.", "", "", "", "r", at("2030-01-01")}};
  AuditResult again = two_zones();
  apply_waivers(exact, at("2026-01-01"), again);
  CHECK(count_at_or_above(again, Severity::notice) == 4);
}

TEST_CASE("audit::load_waivers errors name the file and the key") {
  TempDir dir;
  const std::string ok = "reason = \"r\"\nexpires = \"2027-01-01\"\n";
  check_waiver_error(dir, "w.toml", "[[waiver]]\n" + ok, "waiver[0].rule");
  check_waiver_error(dir, "w.toml", "[[waiver]]\nrule = \"dnssec/no-such-rule\"\n" + ok, "waiver[0].rule");
  check_waiver_error(dir, "w.toml", "[[waiver]]\nrule = \"nothing/*\"\n" + ok, "waiver[0].rule");
  check_waiver_error(dir, "w.toml", "[[waiver]]\nrule = \"dnssec/*\"\nexpires = \"2027-01-01\"\n", "waiver[0].reason");
  check_waiver_error(dir, "w.toml", "[[waiver]]\nrule = \"dnssec/*\"\nreason = \" \"\nexpires = \"2027-01-01\"\n",
                     "waiver[0].reason");
  check_waiver_error(dir, "w.toml", "[[waiver]]\nrule = \"dnssec/*\"\nreason = \"r\"\n", "waiver[0].expires");
  check_waiver_error(dir, "w.toml", "[[waiver]]\nrule = \"dnssec/*\"\nreason = \"r\"\nexpires = \"next year\"\n",
                     "waiver[0].expires");
  check_waiver_error(dir, "w.toml", "[[waiver]]\nrule = \"dnssec/*\"\nreason = \"r\"\nexpires = 2027\n",
                     "waiver[0].expires");
  check_waiver_error(dir, "w.toml", "[[waiver]]\nrule = \"dnssec/*\"\n" + ok + "zone = 3\n", "waiver[0].zone");
  check_waiver_error(dir, "w.toml", "[[waiver]]\nrule = \"dnssec/*\"\n" + ok + "ticket = \"OPS-1\"\n",
                     "waiver[0].ticket");
  check_waiver_error(dir, "w.toml", "[[waiver]]\nrule = \"dnssec/*\"\n" + ok + "[[waiver]]\n" + ok, "waiver[1].rule");
  check_waiver_error(dir, "w.toml", "[[waivers]]\nrule = \"dnssec/*\"\n" + ok, "waivers");
  check_waiver_error(dir, "w.toml", "waiver = \"dnssec/*\"\n", "waiver");
  check_waiver_error(dir, "w.yaml", "waiver:\n  - rule: dnssec/*\n", "waiver");
  check_waiver_error(dir, "w.yaml", "waivers:\n  - rule: dnssec/*\n    reason: r\n", "waivers[0].expires");
  check_waiver_error(dir, "w.yaml", "waivers:\n  - rule: dnssec/*\n    reason: r\n    expires: 2027-02-30x\n",
                     "waivers[0].expires");
  check_waiver_error(dir, "w.yaml", "waivers:\n  - dnssec/*\n", "waivers[0]");
  check_waiver_error(dir, "w.yml", "waivers:\n  rule: dnssec/*\n", "waivers");
  const std::string ini = dir.write("w.ini", "[waiver]\n");
  const Result<std::vector<Waiver>> bad = load_waivers(ini);
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message.starts_with(ini + ": "));
}

} // namespace zw_test_audit_waivers
