#include <doctest/doctest.h>

#include "probe/nsec_walk.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_probe_nsec_walk {

using namespace zw;
using namespace zw::probe;

namespace {

Exchange answered(std::string qname, std::string qtype, std::vector<std::string> answer,
                  std::vector<std::string> authority = {}) {
  Exchange e;
  e.qname = std::move(qname);
  e.qtype = std::move(qtype);
  e.outcome = Outcome::answered;
  e.rcode = 0;
  e.aa = true;
  e.answer = std::move(answer);
  e.authority = std::move(authority);
  return e;
}

ZoneSnapshot zone_with(std::vector<Exchange> exchanges) {
  ZoneSnapshot z;
  z.zone = "example.";
  z.servers.push_back(ServerProbe{"ns1.example.", "192.0.2.1", std::move(exchanges)});
  return z;
}

} // namespace

TEST_CASE("probe::find_nsec") {
  const std::vector<std::string> section = {
      "example.\t300\tIN\tSOA\tns1.example. h.example. 1 2 3 4 5",
      "Mail.Example.\t300\tIN\tNSEC\tns1.example. mx rrsig NSEC TYPE65280",
      "mail.example.\t300\tIN\tRRSIG\tNSEC 13 2 300 20270101000000 20261201000000 1 example. AAAA",
  };
  const std::optional<NsecLink> link = find_nsec(section, "mail.example.");
  REQUIRE(link.has_value());
  CHECK(link->owner == "mail.example.");
  CHECK(link->next == "ns1.example.");
  CHECK(link->types == std::vector<std::string>{"MX", "RRSIG", "NSEC", "TYPE65280"});
  CHECK_FALSE(find_nsec(section, "example.").has_value());
  CHECK_FALSE(find_nsec({"mail.example. 300 IN NSEC"}, "mail.example.").has_value()); // no next name
  CHECK_FALSE(find_nsec({}, "mail.example.").has_value());
}

TEST_CASE("probe::next_step follows the chain forward and stops with a reason") {
  const std::set<std::string> seen{"example.", "a.example."};
  SUBCASE("on to a name after the owner") {
    CHECK(next_step("example.", "a.example.", "b.example.", seen, 10).step == WalkStep::next);
    // Canonical order (RFC 4034 §6.1): a name sorts right after its parent.
    CHECK(next_step("example.", "a.example.", "x.a.example.", seen, 10).step == WalkStep::next);
  }
  SUBCASE("back to the apex: done") {
    const WalkDecision d = next_step("example.", "a.example.", "example.", seen, 2);
    CHECK(d.step == WalkStep::done);
    CHECK(d.reason.empty());
  }
  SUBCASE("backwards: a loop") {
    const WalkDecision d = next_step("example.", "b.example.", "a.example.", seen, 10);
    CHECK(d.step == WalkStep::stop);
    CHECK(d.reason.find("canonical order") != std::string::npos);
    CHECK(next_step("example.", "b.example.", "b.example.", seen, 10).step == WalkStep::stop); // to itself
    // a.b.example. is below b.example., so before z.example.
    CHECK(next_step("example.", "z.example.", "a.b.example.", seen, 10).step == WalkStep::stop);
  }
  SUBCASE("out of the zone") {
    const WalkDecision d = next_step("example.", "a.example.", "b.example.net.", seen, 10);
    CHECK(d.step == WalkStep::stop);
    CHECK(d.reason.find("outside the zone") != std::string::npos);
  }
  SUBCASE("the limit") {
    const WalkDecision d = next_step("example.", "a.example.", "b.example.", seen, 2);
    CHECK(d.step == WalkStep::stop);
    CHECK(d.reason.find("--walk-limit 2") != std::string::npos);
    CHECK(next_step("example.", "a.example.", "b.example.", seen, 3).step == WalkStep::next);
  }
  SUBCASE("a name seen already") {
    // Only reachable when `seen` holds names after the owner (a chain read from several servers).
    const std::set<std::string> ahead{"example.", "a.example.", "c.example."};
    const WalkDecision d = next_step("example.", "a.example.", "c.example.", ahead, 10);
    CHECK(d.step == WalkStep::stop);
    CHECK(d.reason.find("walked already") != std::string::npos);
  }
  SUBCASE("the root zone") {
    CHECK(next_step(".", ".", "aaa.", {"."}, 10).step == WalkStep::next);
    CHECK(next_step(".", "zzz.", ".", {".", "zzz."}, 10).step == WalkStep::done);
  }
}

TEST_CASE("probe::owner_queries") {
  SUBCASE("every type but the chain's own") {
    const OwnerQueries q = owner_queries(
        "example.", NsecLink{"mail.example.", "ns1.example.", {"A", "MX", "RRSIG", "NSEC", "TXT", "TYPE65280", "MX"}});
    CHECK(q.qtypes == std::vector<std::string>{"A", "MX", "TXT", "TYPE65280"});
    CHECK(q.left_out == 0);
  }
  SUBCASE("a zone cut: only DS") {
    CHECK(owner_queries("example.", NsecLink{"sub.example.", "x.example.", {"NS", "DS", "RRSIG", "NSEC"}}).qtypes ==
          std::vector<std::string>{"DS"});
    CHECK(owner_queries("example.", NsecLink{"sub.example.", "x.example.", {"NS", "RRSIG", "NSEC"}}).qtypes ==
          std::vector<std::string>{"DS"});
  }
  SUBCASE("the apex's NS is data, not a cut") {
    const OwnerQueries q =
        owner_queries("example.", NsecLink{"example.", "a.example.", {"NS", "SOA", "RRSIG", "NSEC", "DNSKEY"}});
    CHECK(q.qtypes == std::vector<std::string>{"NS", "SOA", "DNSKEY"});
  }
  SUBCASE("meta-types are never asked, and a long bitmap is cut") {
    std::vector<std::string> types{"OPT", "TSIG", "AXFR"};
    for (int t = 1000; t < 1100; ++t) {
      types.push_back("TYPE" + std::to_string(t));
    }
    const OwnerQueries q = owner_queries("example.", NsecLink{"a.example.", "b.example.", types});
    CHECK(q.qtypes.size() == k_max_walk_types);
    CHECK(q.qtypes.front() == "TYPE1000");
    CHECK(q.left_out == 100 - k_max_walk_types);
  }
}

TEST_CASE("probe::name_after_subtree") {
  CHECK(name_after_subtree("sub.example.") == std::optional<std::string>("sub\\000.example."));
  CHECK(name_after_subtree("example.") == std::optional<std::string>("example\\000."));
  CHECK_FALSE(name_after_subtree(".").has_value());
  CHECK_FALSE(name_after_subtree(std::string(63, 'a') + ".example.").has_value());
  // It follows every name below `sub` and precedes the next sibling (RFC 4034 §6.1).
  const std::set<std::string> seen{"example.", "sub.example."};
  CHECK(next_step("example.", "deep.sub.example.", "sub\\000.example.", seen, 10).step == WalkStep::next);
  CHECK(next_step("example.", "sub\\000.example.", "sub0.example.", seen, 10).step == WalkStep::next);
}

TEST_CASE("probe::denial_of") {
  const Exchange soa = answered("example.", "SOA", {"example. 300 IN SOA ns1.example. h.example. 1 2 3 4 5"});
  CHECK(denial_of(zone_with({soa})) == ZoneDenial::unsigned_zone);
  const Exchange nsec = answered("example.", "NULL", {}, {"example. 300 IN NSEC a.example. NS SOA RRSIG NSEC DNSKEY"});
  CHECK(denial_of(zone_with({soa, nsec})) == ZoneDenial::nsec);
  const Exchange nsec3 = answered("example.", "NULL", {},
                                  {"0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. 300 IN NSEC3 1 0 0 - "
                                   "0p9mhaveqvm6t7vbl5lop2u3t2rp3ton NS SOA RRSIG DNSKEY NSEC3PARAM"});
  CHECK(denial_of(zone_with({soa, nsec3})) == ZoneDenial::nsec3);
  const Exchange param = answered("example.", "NSEC3PARAM", {"example. 0 IN NSEC3PARAM 1 0 0 -"});
  CHECK(denial_of(zone_with({soa, param})) == ZoneDenial::nsec3);
  // Signed, but no denial seen (the probes went unanswered): the walk is tried.
  const Exchange keys = answered("example.", "DNSKEY", {"example. 300 IN DNSKEY 257 3 13 AAAA"});
  CHECK(denial_of(zone_with({soa, keys})) == ZoneDenial::nsec);
  // Data outside the zone says nothing about it; neither does a non-authoritative answer.
  Exchange referral = answered("example.", "NULL", {}, {"other. 300 IN NSEC3PARAM 1 0 0 -"});
  CHECK(denial_of(zone_with({soa, referral})) == ZoneDenial::unsigned_zone);
  Exchange not_aa = nsec;
  not_aa.aa = false;
  CHECK(denial_of(zone_with({soa, not_aa})) == ZoneDenial::unsigned_zone);
}

} // namespace zw_test_probe_nsec_walk
