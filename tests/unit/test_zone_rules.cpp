// The zone structure rules (src/rules/zone/) on small zone files written to a temporary
// directory and loaded with the real loader: where each rule stops, how it grades, the helpers
// of zone_support.hpp, and the cap on findings.

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "audit/collecting_sink.hpp"
#include "dns/zone_layout.hpp"
#include "dns/zone_loader.hpp"
#include "dns/zone_store.hpp"
#include "dnssec/zone_analysis.hpp"
#include "rules/rule_context.hpp"
#include "rules/zone/zone_support.hpp"
#include "zonewarden/rule.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_zone_rules {

using namespace zw;
namespace zsup = zw::rules::zone_support;

namespace {

namespace fs = std::filesystem;

// The healthy zone of tests/check/zonekit.py (BASE_BODY), with the origin set.
const std::string k_base = R"($ORIGIN example.test.
$TTL 3600
@        SOA   ns1 hostmaster 2026112701 7200 3600 1209600 300
@        NS    ns1
@        NS    ns2
@        MX    10 mail
@        TXT   "v=spf1 -all"
ns1      A     192.0.2.1
ns1      AAAA  2001:db8::1
ns2      A     192.0.2.2
mail     A     192.0.2.25
www      A     192.0.2.80
www      AAAA  2001:db8::80
ftp      CNAME www
a.b.c    TXT   "deep name below an empty non-terminal"
*.wild   TXT   "wildcard"
sub      NS    ns.sub
sub      DS    12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF
ns.sub   A     192.0.2.53
insecure NS    ns.insecure
ns.insecure A  192.0.2.54
)";

// A loaded zone file and what `check` builds from it.
struct Loaded {
  dns::ZoneStore store;
  dns::ZoneLayout layout;
  ZoneFileInput input;
  dnssec::ZoneDnssec dnssec;
  RuleOptions options;
};

// Writes `text` to a fresh file and loads it (origin from the file name: example.test.).
std::unique_ptr<Loaded> load(const std::string& text) {
  std::string dir = (fs::temp_directory_path() / "zw-zone-rules-XXXXXX").string();
  REQUIRE(::mkdtemp(dir.data()) != nullptr);
  const std::string path = dir + "/example.test.zone";
  std::ofstream(path) << text;
  Result<dns::ZoneStore> store = dns::load_zone_file(path);
  fs::remove_all(dir);
  REQUIRE_MESSAGE(store.has_value(), (store ? std::string() : store.error().message));
  auto z = std::make_unique<Loaded>();
  z->store = std::move(*store);
  z->layout = dns::ZoneLayout::compute(z->store);
  z->input = ZoneFileInput{&z->store, &z->layout, "example.test.zone", false};
  return z;
}

std::vector<Finding> run(const std::string& rule, const Loaded& z) {
  const Rule* r = find_rule(rule);
  REQUIRE_MESSAGE(r != nullptr, rule);
  const RuleContext ctx("example.test.", z.input, z.dnssec, 1'800'000'000, z.options);
  std::vector<Finding> out;
  audit::CollectingSink sink(r->info(), "example.test.", out); // the engine's sink: it caps
  r->check(ctx, sink);
  sink.finish();
  return out;
}

std::vector<Finding> run(const std::string& rule, const std::string& text) {
  return run(rule, *load(text));
}

bool has(const std::vector<Finding>& fs, const std::string& owner, const std::string& type) {
  return std::any_of(fs.begin(), fs.end(),
                     [&](const Finding& f) { return f.location.owner == owner && f.location.type == type; });
}

std::vector<std::string> zone_rule_ids() {
  std::vector<std::string> ids;
  for (const auto& rule : all_rules()) {
    if (rule->info().id.substr(0, 5) == "zone/") {
      ids.emplace_back(rule->info().id);
    }
  }
  return ids;
}

dns::Bytes wire(const char* text) {
  return dns::name_from_text(text).value();
}

} // namespace

TEST_CASE("rules::zone_support names") {
  const dns::Bytes www = wire("www.Example.test.");
  const dns::Bytes apex = wire("example.TEST.");
  CHECK(zsup::at_or_below(www, apex));
  CHECK(zsup::at_or_below(apex, apex));
  CHECK(zsup::below(www, apex));
  CHECK_FALSE(zsup::below(apex, apex));
  CHECK_FALSE(zsup::at_or_below(wire("wwwexample.test."), apex)); // not on a label boundary
  CHECK_FALSE(zsup::at_or_below(wire("xexample.test."), apex));
  CHECK_FALSE(zsup::at_or_below(apex, www));
  CHECK(zsup::at_or_below(www, wire(".")));
  CHECK(zsup::same_name(wire("NS1.example.test."), wire("ns1.EXAMPLE.test.")));
  CHECK(zsup::is_wildcard(wire("*.x.example.test.")));
  CHECK_FALSE(zsup::is_wildcard(wire("*x.example.test.")));

  // RDATA names: MX preference then a name; malformed ones are refused, not read past the end.
  dns::Bytes mx = {0, 10};
  mx.insert(mx.end(), www.begin(), www.end());
  REQUIRE(zsup::rdata_name(mx, 2));
  CHECK(zsup::same_name(*zsup::rdata_name(mx, 2), www));
  CHECK_FALSE(zsup::rdata_name(mx, 40));
  dns::Bytes cut(mx.begin(), mx.end() - 1); // no root label
  CHECK_FALSE(zsup::rdata_name(cut, 2));
  const dns::Bytes pointer = {0xC0, 0x0C};
  CHECK_FALSE(zsup::rdata_name(pointer, 0));
}

TEST_CASE("rules::zone rules are quiet on a healthy zone and without a zone file") {
  const auto z = load(k_base);
  for (const std::string& id : zone_rule_ids()) {
    CAPTURE(id);
    CHECK(run(id, *z).empty());
  }
  // Live audits have no zone file: every zone rule returns quietly.
  const Snapshot snapshot;
  const ZoneSnapshot zone;
  const dnssec::ZoneDnssec dnssec;
  const rules::ZoneObservations observations;
  const RuleOptions options;
  const RuleContext live(snapshot, zone, dnssec, observations, 0, options);
  for (const std::string& id : zone_rule_ids()) {
    std::vector<Finding> out;
    audit::CollectingSink sink(find_rule(id)->info(), "", out);
    find_rule(id)->check(live, sink);
    sink.finish();
    CHECK(out.empty());
  }
}

TEST_CASE("rules::zone/soa-count") {
  SUBCASE("two SOA records at the apex") {
    const auto f = run("zone/soa-count", k_base + "@ SOA ns1 hostmaster 2026112702 7200 3600 1209600 300\n");
    REQUIRE(f.size() == 1);
    CHECK(f[0].location.owner == "example.test.");
    CHECK(f[0].message.find("2026112701 and 2026112702") != std::string::npos);
    CHECK(f[0].severity == Severity::error);
  }
  SUBCASE("an SOA below the apex, and one below a cut") {
    const auto f =
        run("zone/soa-count", k_base + "x SOA ns1 hostmaster 1 2 3 4 5\nx.sub SOA ns1 hostmaster 1 2 3 4 5\n");
    CHECK(f.size() == 2);
    CHECK(has(f, "x.example.test.", "SOA"));
    CHECK(has(f, "x.sub.example.test.", "SOA"));
    // ... and the other rules leave those SOAs to this one.
    CHECK(run("zone/occluded-data", k_base + "x.sub SOA ns1 hostmaster 1 2 3 4 5\n").empty());
  }
  SUBCASE("no SOA at all") {
    std::string body = k_base;
    body.erase(body.find("@        SOA"), body.find("@        NS") - body.find("@        SOA"));
    const auto z = load(body);
    const auto f = run("zone/soa-count", *z);
    REQUIRE(f.size() == 1);
    CHECK(f[0].location.type == "SOA");
    CHECK(run("zone/apex-ns-missing", *z).empty());
  }
}

TEST_CASE("rules::zone/apex-ns-missing") {
  std::string body = k_base;
  for (const char* line : {"@        NS    ns1\n", "@        NS    ns2\n"}) {
    body.erase(body.find(line), std::string(line).size());
  }
  const auto f = run("zone/apex-ns-missing", body);
  REQUIRE(f.size() == 1);
  CHECK(f[0].location.owner == "example.test.");
  CHECK(f[0].location.type == "NS");
}

TEST_CASE("rules::zone/cname-and-other-data") {
  CHECK(has(run("zone/cname-and-other-data", k_base + "ftp TXT \"x\"\n"), "ftp.example.test.", "CNAME"));
  CHECK(has(run("zone/cname-and-other-data", k_base + "ftp CNAME mail\n"), "ftp.example.test.", "CNAME"));
  const auto apex = run("zone/cname-and-other-data", k_base + "@ CNAME www\n");
  REQUIRE(apex.size() == 1);
  CHECK(apex[0].message.find("apex") != std::string::npos);
  // RRSIG and NSEC beside a CNAME are what a signed zone must have (RFC 4035 §2.5).
  CHECK(run("zone/cname-and-other-data", k_base + "ftp NSEC www A RRSIG NSEC\n").empty());
}

TEST_CASE("rules::zone/data-below-dname") {
  const auto f = run("zone/data-below-dname", k_base + "d DNAME example.net.\nx.d A 192.0.2.9\nx.d TXT \"t\"\n");
  REQUIRE(f.size() == 1); // one finding per name, not per RRset
  CHECK(f[0].location.owner == "x.d.example.test.");
  CHECK(f[0].location.type == "A");
  CHECK(f[0].message.find("d.example.test.") != std::string::npos);
  CHECK(run("zone/data-below-dname", k_base + "d DNAME example.net.\n").empty());
}

TEST_CASE("rules::zone/occluded-data") {
  SUBCASE("data below a cut and beside its NS") {
    const auto f = run("zone/occluded-data", k_base + "www.sub A 192.0.2.9\nsub TXT \"t\"\n");
    CHECK(f.size() == 2);
    CHECK(has(f, "www.sub.example.test.", "A"));
    CHECK(has(f, "sub.example.test.", "TXT"));
    // BIND, Knot DNS and NSD all load such a file and no resolver fails: never an error.
    for (const Finding& x : f) {
      CHECK(x.severity == (x.location.type == "A" ? Severity::notice : Severity::warning));
    }
  }
  SUBCASE("addresses beside other data below a cut: a warning") {
    const auto f = run("zone/occluded-data", k_base + "www.sub A 192.0.2.9\nwww.sub MX 10 mail.example.test.\n");
    REQUIRE(f.size() == 1);
    CHECK(f[0].severity == Severity::warning);
  }
  SUBCASE("sibling glue and the apex's name servers are glue") {
    CHECK(run("zone/occluded-data", k_base + "other NS ns2.sub\nns2.sub A 192.0.2.77\n").empty());
    CHECK(run("zone/occluded-data", k_base + "@ NS ns3.sub\nns3.sub A 192.0.2.78\n").empty());
    CHECK(run("zone/occluded-data", k_base + "self NS self\nself A 192.0.2.79\n").empty());
  }
  SUBCASE("a DNAME beside NS is occluded") {
    CHECK(has(run("zone/occluded-data", k_base + "sub DNAME example.net.\n"), "sub.example.test.", "DNAME"));
  }
  SUBCASE("NSEC at glue is a warning") {
    const auto f = run("zone/occluded-data", k_base + "ns.sub NSEC www.example.test. A RRSIG NSEC\n");
    REQUIRE(f.size() == 1);
    CHECK(f[0].location.type == "NSEC");
    CHECK(f[0].severity == Severity::warning);
  }
}

TEST_CASE("rules::zone/glue-missing grades by what is left") {
  SUBCASE("the only name server of a delegation has no glue: error") {
    std::string body = k_base;
    body.erase(body.find("ns.sub   A"), std::string("ns.sub   A     192.0.2.53\n").size());
    const auto f = run("zone/glue-missing", body);
    REQUIRE(f.size() == 1);
    CHECK(f[0].location.owner == "sub.example.test.");
    CHECK(f[0].severity == Severity::error);
    CHECK(f[0].resolver.rcode == Rcode::servfail);
  }
  SUBCASE("another name server remains: warning") {
    const auto f = run("zone/glue-missing", k_base + "sub NS ns2.sub\n");
    REQUIRE(f.size() == 1);
    CHECK(f[0].severity == Severity::warning);
    CHECK(f[0].message.find("ns2.sub.example.test.") != std::string::npos);
  }
  SUBCASE("an apex name server without address: error") {
    const auto f = run("zone/glue-missing", k_base + "@ NS ns3\n");
    REQUIRE(f.size() == 1);
    CHECK(f[0].location.owner == "example.test.");
    CHECK(f[0].severity == Severity::error);
  }
  SUBCASE("quiet: AAAA-only glue, sibling glue, out-of-zone and alias targets") {
    CHECK(run("zone/glue-missing", k_base + "v6 NS ns.v6\nns.v6 AAAA 2001:db8::53\n").empty());
    CHECK(run("zone/glue-missing", k_base + "other NS ns9.sub\n").empty());
    CHECK(run("zone/glue-missing", k_base + "other NS ns.example.net.\n").empty());
    CHECK(run("zone/glue-missing", k_base + "other NS ftp\n").empty());
  }
}

TEST_CASE("rules::zone/ttl-mismatch") {
  const auto f = run("zone/ttl-mismatch", k_base + "www 300 A 192.0.2.81\n");
  REQUIRE(f.size() == 1);
  CHECK(f[0].location.owner == "www.example.test.");
  CHECK(f[0].location.type == "A");
  CHECK(f[0].message.find("300 and 3600") != std::string::npos);
  CHECK(f[0].evidence.front().find("TTL 300 (1 record): ") == 0);
  CHECK(f[0].evidence.front().find("example.test.zone:") != std::string::npos);
  // RRSIGs of one owner cover different types with different TTLs: never a mismatch.
  CHECK(run("zone/ttl-mismatch", k_base +
                                     "www 300 RRSIG A 13 3 300 20300101000000 20200101000000 1 example.test. AAAA\n"
                                     "www 600 RRSIG AAAA 13 3 600 20300101000000 20200101000000 1 example.test. AAAA\n")
            .empty());
}

TEST_CASE("rules::zone/target-cname") {
  const auto mx = run("zone/target-cname", k_base + "@ MX 20 ftp\n");
  REQUIRE(mx.size() == 1);
  CHECK(mx[0].location.type == "MX");
  CHECK(mx[0].severity == Severity::warning);
  const auto ns = run("zone/target-cname", k_base + "@ NS ftp\n");
  REQUIRE(ns.size() == 1);
  CHECK(ns[0].severity == Severity::error); // BIND refuses the zone
  CHECK(has(run("zone/target-cname", k_base + "_sip._tcp SRV 0 0 5060 ftp\n"), "_sip._tcp.example.test.", "SRV"));
  CHECK(has(run("zone/target-cname", k_base + "d DNAME example.net.\n@ MX 30 mx.d\n"), "example.test.", "MX"));
  CHECK(run("zone/target-cname", k_base + "@ MX 20 www\n").empty());
}

TEST_CASE("rules::zone/target-no-address") {
  const auto f = run("zone/target-no-address", k_base + "@ MX 20 mial\n");
  REQUIRE(f.size() == 1);
  CHECK(f[0].resolver.rcode == Rcode::nxdomain);
  CHECK(
      has(run("zone/target-no-address", k_base + "_sip._tcp SRV 0 0 5060 a.b.c\n"), "_sip._tcp.example.test.", "SRV"));
  // Null MX (RFC 7505), targets in child zones and out of the zone are not ours to judge.
  CHECK(run("zone/target-no-address", k_base + "nomail MX 0 .\n@ MX 30 mx.sub\n@ MX 40 mx.example.net.\n").empty());
}

TEST_CASE("rules::zone/wildcard-ns and zone/out-of-zone-data") {
  CHECK(has(run("zone/wildcard-ns", k_base + "*.w NS ns1\n"), "*.w.example.test.", "NS"));
  CHECK(run("zone/wildcard-ns", k_base + "w NS ns1\n").empty());
  const auto f = run("zone/out-of-zone-data", k_base + "other.test. A 192.0.2.1\n");
  REQUIRE(f.size() == 1);
  CHECK(f[0].location.owner == "other.test.");
}

TEST_CASE("rules::zone findings are capped at 50 plus one summary") {
  std::string body = k_base;
  for (int i = 0; i < 60; ++i) {
    body += "h" + std::to_string(i) + ".other.test. A 192.0.2.1\n";
  }
  const auto f = run("zone/out-of-zone-data", body);
  REQUIRE(f.size() == k_max_findings_per_rule + 1);
  CHECK(f.back().message.find("and 10 more") != std::string::npos);
  CHECK(f.back().severity == Severity::error); // NSD refuses the zone
}

} // namespace zw_test_zone_rules
