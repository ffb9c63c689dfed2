// rules::compare_zone_file: the comparison behind consistency/zone-file, on hand-made exchanges.

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "rules/zone_file_diff.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_rules_zone_file_diff {

namespace {

using zw::Exchange;
using zw::Outcome;
using zw::ServerProbe;
using zw::ZoneSnapshot;
using zw::rules::DiffKind;
using zw::rules::FileRrset;
using zw::rules::ZoneFileView;

Exchange answer(std::string qname, std::string qtype, int rcode, std::vector<std::string> answer,
                std::vector<std::string> authority = {}) {
  Exchange e;
  e.qname = std::move(qname);
  e.qtype = std::move(qtype);
  e.outcome = Outcome::answered;
  e.rcode = rcode;
  e.aa = true;
  e.answer = std::move(answer);
  e.authority = std::move(authority);
  return e;
}

const std::string k_soa = "ex. 3600 IN SOA ns1.ex. host.ex. 10 7200 3600 1209600 300";

ZoneFileView file_view() {
  ZoneFileView v;
  v.path = "ex.zone";
  v.zone = "ex.";
  v.rrsets = {
      FileRrset{"ex.", "SOA", {k_soa}, "ex.zone:1"},
      FileRrset{"www.ex.", "A", {"www.ex. 300 IN A 192.0.2.1", "www.ex. 300 IN A 192.0.2.2"}, "ex.zone:5"},
      FileRrset{"mail.ex.", "MX", {"mail.ex. 300 IN MX 10 mx.ex."}, "ex.zone:7"},
      FileRrset{"sub.ex.", "DS", {"sub.ex. 300 IN DS 1 13 2 " + std::string(64, 'A')}, "ex.zone:9"},
  };
  v.delegations = {"sub.ex."};
  v.wildcards = {"*.wild.ex."};
  return v;
}

// A server serving exactly the file.
ServerProbe faithful(std::string name) {
  ServerProbe p{std::move(name), "192.0.2.53", {}};
  p.exchanges = {
      answer("ex.", "SOA", 0, {k_soa}),
      answer("www.ex.", "A", 0, {"www.ex. 300 IN A 192.0.2.2", "WWW.ex. 300 IN A 192.0.2.1"}),
      answer("mail.ex.", "MX", 0, {"mail.ex. 300 IN MX 10 MX.EX."}), // names in RDATA compare in canonical form
      answer("sub.ex.", "DS", 0, {"sub.ex. 300 IN DS 1 13 2 " + std::string(64, 'a')}),
  };
  return p;
}

} // namespace

TEST_CASE("rules::compare_zone_file") {
  ZoneSnapshot zone;
  zone.zone = "ex.";

  SUBCASE("the same data: no difference") {
    zone.servers = {faithful("ns1.ex.")};
    CHECK(zw::rules::compare_zone_file(file_view(), zone).empty());
  }

  SUBCASE("TTL alone is no difference, but is kept as evidence of another") {
    ServerProbe p = faithful("ns1.ex.");
    p.exchanges[1] = answer("www.ex.", "A", 0, {"www.ex. 60 IN A 192.0.2.1", "www.ex. 60 IN A 192.0.2.2"});
    zone.servers = {p};
    CHECK(zw::rules::compare_zone_file(file_view(), zone).empty());
  }

  SUBCASE("missing: NODATA and NXDOMAIN, only where the server was asked") {
    ServerProbe p = faithful("ns1.ex.");
    p.exchanges[1] = answer("www.ex.", "A", 3, {}, {k_soa});
    p.exchanges[2] = answer("mail.ex.", "MX", 0, {}, {k_soa});
    p.exchanges.pop_back(); // sub.ex. DS never asked: nothing is said about it
    zone.servers = {p};
    const auto diffs = zw::rules::compare_zone_file(file_view(), zone);
    REQUIRE(diffs.size() == 2);
    CHECK(diffs[0].owner == "mail.ex.");
    CHECK(diffs[0].type == "MX");
    CHECK(diffs[0].location == "ex.zone:7");
    REQUIRE(diffs[0].differences.size() == 1);
    CHECK(diffs[0].differences[0].kind == DiffKind::missing);
    CHECK(diffs[0].differences[0].denial == "NODATA");
    CHECK(diffs[1].owner == "www.ex.");
    CHECK(diffs[1].differences[0].denial == "NXDOMAIN");
    CHECK(diffs[1].differences[0].only_file.size() == 2);
  }

  SUBCASE("different: the records on each side only, servers that differ alike grouped") {
    ServerProbe a = faithful("ns1.ex.");
    a.exchanges[1] = answer("www.ex.", "A", 0, {"www.ex. 300 IN A 192.0.2.1", "www.ex. 300 IN A 192.0.2.9"});
    ServerProbe b = a;
    b.name = "ns2.ex.";
    ServerProbe c = faithful("ns3.ex.");
    zone.servers = {a, b, c};
    const auto diffs = zw::rules::compare_zone_file(file_view(), zone);
    REQUIRE(diffs.size() == 1);
    CHECK(diffs[0].owner == "www.ex.");
    REQUIRE(diffs[0].differences.size() == 1);
    const auto& d = diffs[0].differences[0];
    CHECK(d.kind == DiffKind::different);
    CHECK(d.servers == std::vector<std::string>{"ns1.ex./192.0.2.53", "ns2.ex./192.0.2.53"});
    CHECK(d.only_file == std::vector<std::string>{"192.0.2.2"});
    CHECK(d.only_server == std::vector<std::string>{"192.0.2.9"});
  }

  SUBCASE("a stale SOA is a difference") {
    ServerProbe p = faithful("ns1.ex.");
    p.exchanges[0] = answer("ex.", "SOA", 0, {"ex. 3600 IN SOA ns1.ex. host.ex. 9 7200 3600 1209600 300"});
    zone.servers = {p};
    const auto diffs = zw::rules::compare_zone_file(file_view(), zone);
    REQUIRE(diffs.size() == 1);
    CHECK(diffs[0].type == "SOA");
    CHECK(diffs[0].differences[0].kind == DiffKind::different);
  }

  SUBCASE("extra: data the file lacks, from any answer; not below a cut, not a wildcard's, not RRSIG, not the "
          "apex DS") {
    ServerProbe p = faithful("ns1.ex.");
    p.exchanges.push_back(answer("old.ex.", "TXT", 0, {"old.ex. 300 IN TXT \"left over\""}));
    p.exchanges.push_back(
        answer("www.ex.", "AAAA", 0,
               {"www.ex. 300 IN AAAA 2001:db8::1", "www.ex. 300 IN RRSIG AAAA 13 2 300 20270101000000 "
                                                   "20260101000000 1 ex. AAAA"}));
    p.exchanges.push_back(answer("host.sub.ex.", "A", 0, {"host.sub.ex. 300 IN A 192.0.2.7"}));
    p.exchanges.push_back(answer("x.wild.ex.", "A", 0, {"x.wild.ex. 300 IN A 192.0.2.8"}));
    p.exchanges.push_back(answer("other.", "A", 0, {"other. 300 IN A 192.0.2.8"}));
    // The apex DS is the parent's, answered by a server that serves the parent too.
    p.exchanges.push_back(answer("ex.", "DS", 0, {"ex. 300 IN DS 2 13 2 " + std::string(64, 'B')}));
    zone.servers = {p};
    const auto diffs = zw::rules::compare_zone_file(file_view(), zone);
    REQUIRE(diffs.size() == 2);
    CHECK(diffs[0].owner == "old.ex.");
    CHECK(diffs[0].location.empty());
    CHECK(diffs[0].differences[0].kind == DiffKind::extra);
    CHECK(diffs[0].differences[0].only_server == std::vector<std::string>{"\"left over\""});
    CHECK(diffs[1].owner == "www.ex.");
    CHECK(diffs[1].type == "AAAA");
  }

  SUBCASE("a non-authoritative or failed answer says nothing") {
    ServerProbe p{"ns1.ex.", "192.0.2.53", {}};
    Exchange referral = answer("www.ex.", "A", 0, {});
    referral.aa = false;
    Exchange silent;
    silent.qname = "mail.ex.";
    silent.qtype = "MX";
    p.exchanges = {referral, silent};
    zone.servers = {p};
    CHECK(zw::rules::compare_zone_file(file_view(), zone).empty());
  }
}

TEST_CASE("rules::zone_file_questions") {
  ZoneFileView v = file_view();
  v.rrsets.push_back(FileRrset{"sub.ex.", "NSEC", {"sub.ex. 300 IN NSEC www.ex. NS DS RRSIG NSEC"}, "ex.zone:10"});
  const auto questions = zw::rules::zone_file_questions(v);
  CHECK(questions.size() == 4); // the NSEC at the cut is not asked: a referral answers it
  CHECK(std::find(questions.begin(), questions.end(), std::pair<std::string, std::string>{"sub.ex.", "DS"}) !=
        questions.end());
}

} // namespace zw_test_rules_zone_file_diff
