#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "probe/walker.hpp"
#include "rules/observations.hpp"
#include "snapshot/probe_queries.hpp"
#include "test_probe_fakens.hpp"
#include "zonewarden/audit.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_probe_walker {

using namespace zw;
using namespace std::chrono_literals;

namespace {

constexpr std::uint16_t k_port = 5300; // every fake server; the namespace is private
const std::string k_key =
    "257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==";
const std::string k_ds_digest = "3490A6806D47F17A34C29E2CE80E8A999FFBE4BE3490A6806D47F17A34C29E2C";

std::string soa(const std::string& apex) {
  return apex + " 3600 IN SOA ns." + (apex == "." ? std::string() : apex) + " h.invalid. 1 7200 3600 1209600 300";
}

test::Handler garbage() {
  return [](const test::Query& q) {
    return q.tcp ? std::vector<test::Bytes>{test::Bytes{}} : std::vector<test::Bytes>{test::Bytes(30, 0xee)};
  };
}

test::Handler refused() {
  return [](const test::Query& q) {
    test::Reply r;
    r.aa = false;
    r.rcode = 5;
    return std::vector<test::Bytes>{test::make_response(q, r)};
  };
}

// A miniature hierarchy on 127.0.0.x:5300 (see the comments on each server).
struct Lab {
  std::vector<test::FakeZone> example{
      {"example.test.",
       {soa("example.test."), "example.test. 3600 IN NS ns1.example.test.",
        "example.test. 3600 IN NS ns.elsewhere.org.", "example.test. 3600 IN NS ns3.example.test.",
        "example.test. 3600 IN DNSKEY " + k_key, "ns1.example.test. 3600 IN A 127.0.0.4",
        "ns3.example.test. 3600 IN A 127.0.0.7"},
       // the denial proof every NXDOMAIN and NODATA answer carries
       {"example.test. 300 IN NSEC ns1.example.test. NS SOA RRSIG NSEC DNSKEY",
        "example.test. 300 IN RRSIG NSEC 13 2 300 20300101000000 20200101000000 "
        "12345 example.test. " +
            k_key.substr(9)}}};
  std::vector<std::unique_ptr<test::FakeServer>> servers;
  // Queries the root received for names below test. (referrals to test.), counted by its thread.
  std::shared_ptr<std::atomic<int>> root_referrals = std::make_shared<std::atomic<int>>(0);

  Lab() {
    const auto add = [this](const std::string& address, test::Handler handler) {
      servers.push_back(std::make_unique<test::FakeServer>(address, k_port, std::move(handler)));
    };
    // The root: delegates test. (one of its two servers is silent) and org.
    const test::Handler root = test::authoritative(
        {{".",
          {soa("."), ". 3600 IN NS a.root.test.", ". 3600 IN DNSKEY " + k_key, "test. 3600 IN NS ns1.nic.test.",
           "test. 3600 IN NS ns2.nic.test.", "test. 3600 IN DS 12345 13 2 " + k_ds_digest,
           "ns1.nic.test. 3600 IN A 127.0.0.2", "ns2.nic.test. 3600 IN A 127.0.0.3", "org. 3600 IN NS ns1.nic.org.",
           "ns1.nic.org. 3600 IN A 127.0.0.8"}}});
    add("127.0.0.1", [root, counter = root_referrals](const test::Query& q) {
      if (q.qname.size() > 6 && q.qname.ends_with(".test.")) {
        ++*counter;
      }
      return root(q);
    });
    add("127.0.0.2",
        test::authoritative(
            {{"test.",
              {soa("test."), "test. 3600 IN NS ns1.nic.test.", "test. 3600 IN NS ns2.nic.test.",
               "test. 3600 IN DNSKEY " + k_key, "ns1.nic.test. 3600 IN A 127.0.0.2",
               "ns2.nic.test. 3600 IN A 127.0.0.3",
               // example.test.: glue for the in-bailiwick name only
               "example.test. 3600 IN NS ns1.example.test.", "example.test. 3600 IN NS ns.elsewhere.org.",
               "example.test. 3600 IN DS 12345 13 2 " + k_ds_digest, "ns1.example.test. 3600 IN A 127.0.0.4",
               // lame.test.: its only server refuses
               "lame.test. 3600 IN NS ns.lame.test.", "ns.lame.test. 3600 IN A 127.0.0.9",
               // gone.test.: its server's name does not exist
               "gone.test. 3600 IN NS ns.nowhere.org.",
               // a.test. and b.test.: each served from a name in the other, no glue
               "a.test. 3600 IN NS ns.b.test.", "b.test. 3600 IN NS ns.a.test."}}}));
    add("127.0.0.3", test::silent());
    add("127.0.0.4", test::authoritative(example));
    add("127.0.0.5", test::authoritative(example));
    add("127.0.0.7", garbage());
    add("127.0.0.8",
        test::authoritative({{"org.",
                              {soa("org."), "org. 3600 IN NS ns1.nic.org.", "ns1.nic.org. 3600 IN A 127.0.0.8",
                               "ns.elsewhere.org. 3600 IN A 127.0.0.5"}}}));
    add("127.0.0.9", refused());
  }
};

probe::ProbeOptions lab_options() {
  probe::ProbeOptions options;
  options.root_hints = {{"a.root.test.", "127.0.0.1"}};
  options.public_hints = false;
  options.timeout = 300ms;
  options.retries = 1;
  options.deadline = 20s;
  options.port = k_port;
  return options;
}

const ZoneSnapshot& find_zone(const Snapshot& s, const std::string& name) {
  for (const ZoneSnapshot& z : s.zones) {
    if (z.zone == name) {
      return z;
    }
  }
  FAIL("zone not in snapshot: " << name);
  throw std::logic_error("unreachable");
}

const NameServer* find_ns(const ZoneSnapshot& z, const std::string& name) {
  for (const NameServer& ns : z.name_servers) {
    if (ns.name == name) {
      return &ns;
    }
  }
  return nullptr;
}

const ServerProbe* find_probe(const ZoneSnapshot& z, const std::string& address) {
  for (const ServerProbe& p : z.servers) {
    if (p.address == address) {
      return &p;
    }
  }
  return nullptr;
}

// The exchanges of `probe` for `qname` `qtype` (any transport).
std::vector<const Exchange*> exchanges_for(const ServerProbe& probe, const std::string& qname,
                                           const std::string& qtype) {
  std::vector<const Exchange*> out;
  for (const Exchange& ex : probe.exchanges) {
    if (ex.qname == qname && ex.qtype == qtype) {
      out.push_back(&ex);
    }
  }
  return out;
}

bool has_type(const std::vector<std::string>& section, const std::string& type) {
  return std::any_of(section.begin(), section.end(), [&](const std::string& line) {
    const std::vector<std::string> w = test::words_of(line);
    return w.size() > 3 && w[3] == type;
  });
}

} // namespace

TEST_CASE("snapshot::denial_probe_label") {
  const std::string label = snapshot::denial_probe_label("example.test.", 1764806400);
  CHECK(label.size() == 15);
  CHECK(label.starts_with("zw-"));
  CHECK(std::all_of(label.begin() + 3, label.end(),
                    [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }));
  // The same zone in the same run: the same label (every server, and --restore); otherwise not.
  CHECK(snapshot::denial_probe_label("example.test.", 1764806400) == label);
  CHECK(snapshot::denial_probe_label("example.test.", 1764806401) != label);
  CHECK(snapshot::denial_probe_label("other.test.", 1764806400) != label);
  // Pinned: a saved snapshot must keep naming its probe with a later build.
  // (FNV-1a 64 of "example.test.|0", first 48 bits)
  CHECK(snapshot::denial_probe_label("example.test.", 0) == "zw-e0bcf3295aab");
  CHECK(snapshot::denial_probe_name("example.test.", 7) ==
        snapshot::denial_probe_label("example.test.", 7) + ".example.test.");
  CHECK(snapshot::denial_probe_name(".", 7) == snapshot::denial_probe_label(".", 7) + ".");
  std::string deep;
  while (deep.size() < 240) {
    deep += "abcdefghi.";
  }
  CHECK_FALSE(snapshot::denial_probe_name(deep, 7).has_value());
}

TEST_CASE("probe::plan_name_queries") {
  const std::vector<std::string> zones{"example.test.", "sub.example.test.", "other.test."};
  const auto plan =
      probe::plan_name_queries(zones, {"WWW.Example.Test", "host.sub.example.test/mx", "sub.example.test/NS",
                                       "x.other.test./TYPE65280", "x.other.test/type16", "www.example.test./A"});
  REQUIRE(plan.has_value());
  REQUIRE(plan->size() == 6); // the last one repeats the first
  const auto is = [](const probe::NameQuery& q, const char* zone, const char* qname, const char* qtype) {
    return q.zone == zone && q.qname == qname && q.qtype == qtype;
  };
  CHECK(is((*plan)[0], "example.test.", "www.example.test.", "A"));
  CHECK(is((*plan)[1], "example.test.", "www.example.test.", "AAAA"));
  // The longest audited zone the name is at or below, its apex included.
  CHECK(is((*plan)[2], "sub.example.test.", "host.sub.example.test.", "MX"));
  CHECK(is((*plan)[3], "sub.example.test.", "sub.example.test.", "NS"));
  CHECK(is((*plan)[4], "other.test.", "x.other.test.", "TYPE65280"));
  CHECK(is((*plan)[5], "other.test.", "x.other.test.", "TXT"));
  CHECK(probe::plan_name_queries(zones, {"test./SOA"}).error().message.starts_with("--name test./SOA:"));
  for (const char* bad : {"", "/A", "www..example.test", "www.example.test/", "www.example.test/BOGUS",
                          "www.example.test/TYPE0", "www.example.test/TYPE65536", "www.example.test/TYPE1x",
                          "www.example.test/AXFR", "www.example.test/OPT", "www.example.test/TSIG", "elsewhere.org"}) {
    const auto r = probe::plan_name_queries(zones, {bad});
    CHECK_MESSAGE(!r.has_value(), bad);
    if (!r.has_value()) {
      CHECK(r.error().message.starts_with("--name"));
      CHECK(r.error().message.find('\n') == std::string::npos);
    }
  }
  CHECK(probe::plan_name_queries(zones, {}).value().empty());
}

TEST_CASE("probe::parse_root_hints") {
  // named.root's layout with documentation addresses (RFC 5737, RFC 3849): parsing only.
  const std::string text = R"(;       This file holds the information on root name servers
; formerly NS.INTERNIC.NET
$TTL 3600000
.                        3600000      NS    A.ROOT-SERVERS.NET.
A.ROOT-SERVERS.NET.      3600000      A     192.0.2.4
A.ROOT-SERVERS.NET.      3600000      AAAA  2001:db8:ba3e::2:30
.                        3600000 IN   NS    B.ROOT-SERVERS.NET.
B.ROOT-SERVERS.NET.      IN 3600000   A     198.51.100.2
; End of file)";
  const auto hints = probe::parse_root_hints(text);
  REQUIRE(hints.has_value());
  REQUIRE(hints->size() == 3);
  CHECK((*hints)[0] == std::pair<std::string, std::string>{"a.root-servers.net.", "192.0.2.4"});
  CHECK((*hints)[1].second == "2001:db8:ba3e::2:30");
  CHECK((*hints)[2].first == "b.root-servers.net.");

  const auto bad_address = probe::parse_root_hints(". NS a.x.\na.x. A 2001:db8::1\n");
  REQUIRE_FALSE(bad_address.has_value());
  CHECK(bad_address.error().message.starts_with("line 2:"));
  const auto bad_type = probe::parse_root_hints("\n\n. 1 IN MX 10 a.x.\n");
  REQUIRE_FALSE(bad_type.has_value());
  CHECK(bad_type.error().message.starts_with("line 3:"));
  CHECK_FALSE(probe::parse_root_hints("a.x. A 192.0.2.1 extra\n").has_value());
  CHECK_FALSE(probe::parse_root_hints("; nothing\n").has_value());
}

TEST_CASE("probe::builtin_root_hints reads the embedded named.root") {
  // IANA's 13 root servers, each with one IPv4 and one IPv6 address, in the file's order. Data
  // only: no test sends a query to them.
  const auto& hints = probe::builtin_root_hints();
  REQUIRE(hints.size() == 26);
  for (std::size_t i = 0; i < hints.size(); ++i) {
    CAPTURE(i);
    CHECK(hints[i].first == std::string(1, static_cast<char>('a' + i / 2)) + ".root-servers.net.");
    CHECK((hints[i].second.find(':') != std::string::npos) == (i % 2 == 1));
  }
}

TEST_CASE("probe::audit_walk in a fake hierarchy") {
  ZW_REQUIRE_PRIVATE_NETNS();
  Lab lab;
  const auto start = std::chrono::steady_clock::now();
  const std::vector<std::string> zones{"example.test.", "lame.test.", "gone.test.", "a.test.", "nosuch.test."};
  probe::ProbeOptions options = lab_options();
  options.name_queries = probe::plan_name_queries(zones, {"www.example.test", "host.lame.test/TXT"}).value();
  const Result<Snapshot> result = probe::audit_walk(zones, options);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE(result.has_value());
  const Snapshot& s = *result;
  CHECK_FALSE(s.public_root_hints);
  CHECK(s.started_at > 0);
  CHECK(s.finished_at >= s.started_at);
  REQUIRE(s.zones.size() == 5);
  // Silent servers are waited for concurrently: a few timeouts of 2 x 300 ms at most.
  CHECK(elapsed < 4s);

  const ZoneSnapshot& z = find_zone(s, "example.test.");
  CHECK(z.parent == "test.");
  CHECK_FALSE(z.undelegated);
  CHECK(z.walk_errors.empty());
  REQUIRE(z.ancestors.size() == 2);
  CHECK(z.ancestors[0].zone == ".");
  CHECK(z.ancestors[0].dnskey.outcome == Outcome::answered);
  CHECK(z.ancestors[0].server == "a.root.test./127.0.0.1");
  CHECK(z.ancestors[0].ds.qname.empty());
  CHECK(z.ancestors[1].zone == "test.");
  CHECK(z.ancestors[1].dnskey.outcome == Outcome::answered);
  CHECK(z.ancestors[1].ds.outcome == Outcome::answered);
  CHECK(z.ancestors[1].ds.answer.size() == 1);

  REQUIRE(z.parent_views.size() == 2);
  for (const ParentView& view : z.parent_views) {
    if (view.address == "127.0.0.2") {
      CHECK(view.referral.outcome == Outcome::answered);
      CHECK(view.ds.outcome == Outcome::answered);
      CHECK(view.ds.answer.size() == 1);
    } else {
      CHECK(view.address == "127.0.0.3");
      CHECK(view.referral.outcome == Outcome::timeout);
    }
  }

  const NameServer* ns1 = find_ns(z, "ns1.example.test.");
  const NameServer* other = find_ns(z, "ns.elsewhere.org.");
  const NameServer* ns3 = find_ns(z, "ns3.example.test.");
  REQUIRE(ns1 != nullptr);
  REQUIRE(other != nullptr);
  REQUIRE(ns3 != nullptr);
  CHECK(ns1->at_parent);
  CHECK(ns1->at_child);
  CHECK(ns1->glue == std::vector<std::string>{"127.0.0.4"});
  CHECK(ns1->addresses == std::vector<std::string>{"127.0.0.4"});
  CHECK(other->at_parent);
  CHECK(other->glue.empty());
  CHECK(other->addresses == std::vector<std::string>{"127.0.0.5"});
  CHECK_FALSE(ns3->at_parent);
  CHECK(ns3->at_child);
  CHECK(ns3->addresses == std::vector<std::string>{"127.0.0.7"});

  REQUIRE(z.servers.size() == 3);
  const ServerProbe* p4 = find_probe(z, "127.0.0.4");
  REQUIRE(p4 != nullptr);
  int soa_udp = 0, soa_tcp = 0, glue_queries = 0;
  for (const Exchange& ex : p4->exchanges) {
    CHECK(ex.outcome == Outcome::answered);
    soa_udp += ex.qtype == "SOA" && ex.transport == Transport::udp;
    soa_tcp += ex.qtype == "SOA" && ex.transport == Transport::tcp;
    glue_queries += ex.qname == "ns1.example.test." && (ex.qtype == "A" || ex.qtype == "AAAA");
  }
  CHECK(soa_udp == 1);
  CHECK(soa_tcp == 1);
  CHECK(glue_queries == 2);
  // Below the apex, at every address, each asked once over UDP with its authority section kept.
  const std::string nx_name = snapshot::denial_probe_name("example.test.", s.started_at).value();
  for (const ServerProbe& p : z.servers) {
    CAPTURE(p.address);
    for (const auto& question : std::vector<std::pair<std::string, std::string>>{{nx_name, "A"},
                                                                                 {"example.test.", "NULL"},
                                                                                 {"ns1.example.test.", "NULL"},
                                                                                 {"example.test.", "CDS"},
                                                                                 {"example.test.", "CDNSKEY"},
                                                                                 {"example.test.", "NSEC3PARAM"},
                                                                                 {"www.example.test.", "A"},
                                                                                 {"www.example.test.", "AAAA"}}) {
      const std::string& qname = question.first; // not a structured binding: clang 14 cannot capture one
      const std::string& qtype = question.second;
      CAPTURE(qname);
      CAPTURE(qtype);
      const std::vector<const Exchange*> got = exchanges_for(p, qname, qtype);
      REQUIRE(got.size() == 1);
      CHECK(got[0]->transport == Transport::udp);
      if (p.address == "127.0.0.7") {
        continue; // garbage: malformed, checked below
      }
      CHECK(got[0]->outcome == Outcome::answered);
      CHECK(got[0]->aa);
      CHECK(got[0]->answer.empty());
      CHECK(got[0]->rcode == (qname == nx_name || qname == "www.example.test." ? 3 : 0));
      CHECK(has_type(got[0]->authority, "SOA"));
      CHECK(has_type(got[0]->authority, "NSEC"));
      CHECK(has_type(got[0]->authority, "RRSIG"));
    }
    CHECK(exchanges_for(p, "host.lame.test.", "TXT").empty());
  }
  CHECK(nx_name.starts_with("zw-"));
  const ServerProbe* p7 = find_probe(z, "127.0.0.7");
  REQUIRE(p7 != nullptr);
  for (const Exchange& ex : p7->exchanges) {
    CHECK(ex.outcome == (ex.transport == Transport::tcp ? Outcome::tcp_failed : Outcome::malformed));
  }

  const ZoneSnapshot& lame = find_zone(s, "lame.test.");
  CHECK(lame.parent == "test.");
  REQUIRE(lame.servers.size() == 1);
  CHECK(lame.servers[0].exchanges.front().rcode == 5);
  // --name picks the zone the name is in: only lame.test.'s server is asked host.lame.test.
  CHECK(exchanges_for(lame.servers[0], "host.lame.test.", "TXT").size() == 1);
  CHECK(exchanges_for(lame.servers[0], "www.example.test.", "A").empty());
  CHECK(exchanges_for(lame.servers[0], snapshot::denial_probe_name("lame.test.", s.started_at).value(), "A").size() ==
        1);
  // Its only name server name is in the zone and lies below the apex: the NODATA probe's name.
  CHECK(exchanges_for(lame.servers[0], "ns.lame.test.", "NULL").size() == 1);

  const ZoneSnapshot& gone = find_zone(s, "gone.test.");
  const NameServer* nowhere = find_ns(gone, "ns.nowhere.org.");
  REQUIRE(nowhere != nullptr);
  CHECK(nowhere->addresses.empty());
  CHECK(nowhere->resolution_error.find("NXDOMAIN") != std::string::npos);
  CHECK(gone.servers.empty());

  const ZoneSnapshot& loop = find_zone(s, "a.test.");
  const NameServer* loop_ns = find_ns(loop, "ns.b.test.");
  REQUIRE(loop_ns != nullptr);
  CHECK(loop_ns->addresses.empty());
  CHECK_FALSE(loop_ns->resolution_error.empty());

  // Not delegated: the parent answers authoritatively with NXDOMAIN; nothing to probe.
  const ZoneSnapshot& nosuch = find_zone(s, "nosuch.test.");
  CHECK(nosuch.parent == "test.");
  CHECK(nosuch.name_servers.empty());
  CHECK(nosuch.walk_errors.size() == 1);
}

TEST_CASE("probe::audit_walk undelegated") {
  ZW_REQUIRE_PRIVATE_NETNS();
  Lab lab;
  probe::ProbeOptions options = lab_options();
  options.servers = {{"ns1.example.test", "127.0.0.4"}, {"ns.elsewhere.org.", "127.0.0.5"}};
  options.expected_ds = std::vector<std::string>{"example.test. 3600 IN DS 12345 13 2 " + k_ds_digest};
  const Result<Snapshot> result = probe::audit_walk({"example.test."}, options);
  REQUIRE(result.has_value());
  const ZoneSnapshot& z = result->zones.at(0);
  CHECK(z.undelegated);
  CHECK(z.parent.empty());
  CHECK(z.ancestors.empty());
  CHECK(z.parent_views.empty());
  CHECK(z.expected_ds.has_value());
  REQUIRE(z.name_servers.size() == 2);
  CHECK(z.name_servers[0].from_user);
  CHECK(z.name_servers[0].at_child);
  CHECK_FALSE(z.name_servers[0].at_parent);
  CHECK(z.servers.size() == 2);
  for (const ServerProbe& p : z.servers) {
    CHECK(exchanges_for(p, "ns1.example.test.", "NULL").size() == 1);
    CHECK(exchanges_for(p, "example.test.", "NULL").size() == 1);
  }
}

TEST_CASE("probe::audit_walk asks over TCP what a server that answers other queries left unanswered over UDP") {
  // Response-rate limiting drops UDP responses (NSD, Knot and BIND RRL; TCP is never limited):
  // the server at .20 answers everything over TCP but only NS, A and AAAA over UDP; the one at
  // .3 answers nothing, and is not asked twice.
  ZW_REQUIRE_PRIVATE_NETNS();
  Lab lab;
  const test::Handler serve = test::authoritative(lab.example);
  test::FakeServer limited("127.0.0.20", k_port, [serve](const test::Query& q) {
    const bool dropped = !q.tcp && q.qtype != "NS" && q.qtype != "A" && q.qtype != "AAAA";
    return dropped ? std::vector<test::Bytes>{} : serve(q);
  });
  probe::ProbeOptions options = lab_options();
  options.servers = {{"ns1.example.test", "127.0.0.20"}, {"ns2.example.test", "127.0.0.3"}};
  const Result<Snapshot> result = probe::audit_walk({"example.test."}, options);
  REQUIRE(result.has_value());
  const ZoneSnapshot& z = result->zones.at(0);
  REQUIRE(z.servers.size() == 2);
  const ServerProbe& rrl = z.servers[0].address == "127.0.0.20" ? z.servers[0] : z.servers[1];
  const ServerProbe& dead = z.servers[0].address == "127.0.0.20" ? z.servers[1] : z.servers[0];
  for (const char* qtype : {"SOA", "DNSKEY"}) {
    CAPTURE(qtype);
    const std::vector<const Exchange*> got = exchanges_for(rrl, "example.test.", qtype);
    // SOA: UDP, the retry over TCP and the prober's own TCP question; DNSKEY: UDP, then TCP.
    REQUIRE(got.size() == (std::string_view(qtype) == "SOA" ? 3U : 2U));
    CHECK(got[0]->transport == Transport::udp);
    CHECK(got[0]->outcome == Outcome::timeout);
    CHECK(std::count_if(got.begin(), got.end(), [](const Exchange* e) {
            return e->transport == Transport::tcp && e->outcome == Outcome::answered && e->aa;
          }) == static_cast<long>(got.size()) - 1);
  }
  const std::vector<const Exchange*> ns = exchanges_for(rrl, "example.test.", "NS");
  REQUIRE(ns.size() == 1); // answered over UDP: no retry
  CHECK(ns[0]->outcome == Outcome::answered);
  // The silent server never answered anything: one UDP timeout per question, no TCP retry.
  for (const Exchange& e : dead.exchanges) {
    CAPTURE(e.qname);
    CAPTURE(e.qtype);
    CHECK((e.transport == Transport::udp || e.qtype == "SOA"));
  }
  CHECK(exchanges_for(dead, "example.test.", "DNSKEY").size() == 1);
}

TEST_CASE("probe::audit_walk finds the NODATA probe name in the zone's own NS set") {
  ZW_REQUIRE_PRIVATE_NETNS();
  Lab lab;
  probe::ProbeOptions options = lab_options();
  // The one server given is out of the zone: the in-zone names come from the apex NS answer,
  // and the smallest of them (ns1 before ns3) is asked afterwards.
  options.servers = {{"ns.elsewhere.org.", "127.0.0.5"}};
  const Result<Snapshot> result = probe::audit_walk({"example.test."}, options);
  REQUIRE(result.has_value());
  const ZoneSnapshot& z = result->zones.at(0);
  REQUIRE(z.servers.size() == 1);
  const std::vector<const Exchange*> got = exchanges_for(z.servers[0], "ns1.example.test.", "NULL");
  REQUIRE(got.size() == 1);
  CHECK(got[0]->outcome == Outcome::answered);
  CHECK(got[0]->rcode == 0);
  CHECK(has_type(got[0]->authority, "NSEC"));
  CHECK(exchanges_for(z.servers[0], "ns3.example.test.", "NULL").empty());
}

TEST_CASE("probe::audit_walk: a query the deadline cuts off is not asked, never a timeout") {
  ZW_REQUIRE_PRIVATE_NETNS();
  Lab lab;
  probe::ProbeOptions options = lab_options();
  // 127.0.0.3 drops everything: with a 5 s timeout, the 700 ms deadline cuts its queries off.
  options.timeout = 5000ms;
  options.deadline = 700ms;
  options.servers = {{"ns1.example.test", "127.0.0.4"}, {"ns2.example.test", "127.0.0.3"}};
  const Result<Snapshot> result = probe::audit_walk({"example.test."}, options);
  REQUIRE(result.has_value());
  const ZoneSnapshot& z = result->zones.at(0);
  CHECK(std::find(z.walk_errors.begin(), z.walk_errors.end(), "audit deadline reached") != z.walk_errors.end());
  for (const ServerProbe& p : z.servers) {
    for (const Exchange& e : p.exchanges) {
      CHECK_MESSAGE(e.outcome != Outcome::timeout, p.address << " " << e.qname << " " << e.qtype << ": " << e.detail);
    }
  }
  const rules::ZoneObservations obs = rules::observe(z);
  for (const rules::ServerState& s : obs.servers) {
    CHECK_MESSAGE(s.status ==
                      (s.probe->address == "127.0.0.3" ? rules::ServerStatus::not_asked : rules::ServerStatus::ok),
                  s.label << ": " << s.detail);
  }
}

TEST_CASE("probe::audit_walk --max-queries-per-zone: past it the zone's questions are not asked") {
  ZW_REQUIRE_PRIVATE_NETNS();
  Lab lab;
  probe::ProbeOptions options = lab_options();
  options.max_queries_per_zone = 3;
  options.servers = {{"ns1.example.test", "127.0.0.4"}, {"ns.elsewhere.org", "127.0.0.5"}};
  const Result<Snapshot> result = probe::audit_walk({"example.test."}, options);
  REQUIRE(result.has_value());
  const ZoneSnapshot& z = result->zones.at(0);
  CHECK(std::find(z.walk_errors.begin(), z.walk_errors.end(), "bound reached: --max-queries-per-zone (3)") !=
        z.walk_errors.end());
  std::size_t asked = 0;
  std::size_t unasked = 0;
  for (const ServerProbe& p : z.servers) {
    for (const Exchange& e : p.exchanges) {
      CHECK(e.outcome != Outcome::timeout);
      if (e.outcome == Outcome::not_asked) {
        ++unasked;
        CHECK(e.detail.find("--max-queries-per-zone (3)") != std::string::npos);
      } else {
        ++asked;
      }
    }
  }
  CHECK(asked == 3); // no answer here is truncated: one exchange per question
  CHECK(unasked > 0);
}

TEST_CASE("probe::audit_walk asks the root once for the referral every zone below one TLD needs") {
  // A fleet under one parent: the zones' walks start together, and the first referral to test.
  // serves them all (the issue's 2,000 zones made 2,807 root queries; NSD's rate limiting then
  // dropped the identical referrals).
  ZW_REQUIRE_PRIVATE_NETNS();
  Lab lab;
  std::vector<std::string> zones{"example.test.", "lame.test.", "gone.test.", "a.test.", "b.test."};
  for (int i = 0; i < 15; ++i) {
    zones.push_back("missing" + std::to_string(i) + ".test."); // NXDOMAIN at the TLD: still one referral
  }
  const Result<Snapshot> result = probe::audit_walk(zones, lab_options());
  REQUIRE(result.has_value());
  CHECK(lab.root_referrals->load() == 1);
  const ZoneSnapshot& z = find_zone(*result, "example.test.");
  CHECK(z.parent == "test.");
  CHECK(z.walk_errors.empty());
  CHECK(find_zone(*result, "missing7.test.").parent == "test.");
}

TEST_CASE("probe::audit_walk with on_zone: each zone handed over once as it ends, at most N walked at once") {
  ZW_REQUIRE_PRIVATE_NETNS();
  Lab lab;
  std::vector<std::string> zones{"example.test.", "lame.test.", "gone.test.", "a.test.", "b.test."};
  for (int i = 0; i < 5; ++i) {
    zones.push_back("missing" + std::to_string(i) + ".test.");
  }
  probe::ProbeOptions options = lab_options();
  probe::WalkProgress progress;
  options.progress = &progress;
  options.max_zones_in_flight = 2;
  std::vector<int> handed(zones.size(), 0);
  std::size_t most_in_flight = 0;
  std::optional<ZoneSnapshot> example;
  options.on_zone = [&](std::size_t zi, ZoneSnapshot&& z) {
    REQUIRE(zi < zones.size());
    CHECK(z.zone == zones[zi]);
    ++handed[zi];
    // This zone is done: the next has not started yet.
    most_in_flight = std::max(most_in_flight, progress.zones_started.load() - progress.zones_done.load() + 1);
    if (z.zone == "example.test.") {
      example = std::move(z);
    }
  };
  const Result<Snapshot> result = probe::audit_walk(zones, options);
  REQUIRE(result.has_value());
  CHECK(progress.zones_started.load() == zones.size());
  CHECK(progress.zones_done.load() == zones.size());
  CHECK(most_in_flight == 2);
  for (std::size_t zi = 0; zi < zones.size(); ++zi) {
    CHECK_MESSAGE(handed[zi] == 1, zones[zi]);
  }
  // What was handed over is the whole zone; nothing of it stays behind.
  REQUIRE(example.has_value());
  CHECK(example->parent == "test.");
  CHECK(example->walk_errors.empty());
  CHECK_FALSE(example->servers.empty());
  CHECK(result->zones.empty());
}

TEST_CASE("probe::audit_walk with on_zone: zones the deadline left unstarted are handed over, not audited") {
  ZW_REQUIRE_PRIVATE_NETNS();
  test::FakeServer root("127.0.0.1", k_port, test::silent());
  probe::ProbeOptions options = lab_options();
  options.timeout = 2000ms;
  options.deadline = 400ms;
  options.max_zones_in_flight = 1; // the first zone's walk outlives the deadline: the others never start
  probe::WalkProgress progress;
  options.progress = &progress;
  std::vector<ZoneSnapshot> handed;
  options.on_zone = [&](std::size_t, ZoneSnapshot&& z) { handed.push_back(std::move(z)); };
  const Result<Snapshot> result = probe::audit_walk({"one.test.", "two.test.", "three.test."}, options);
  REQUIRE(result.has_value());
  CHECK(progress.zones_started.load() == 1);
  REQUIRE(handed.size() == 3);
  for (const ZoneSnapshot& z : handed) {
    CHECK_MESSAGE(
        std::find(z.walk_errors.begin(), z.walk_errors.end(), "audit deadline reached") != z.walk_errors.end(), z.zone);
    // Judged: the audit is incomplete, and nothing is said of servers nobody asked.
    const ZoneResult judged = run_audit_rules_on_zone(Snapshot{}, z, EngineOptions{});
    REQUIRE_FALSE(judged.findings.empty());
    for (const Finding& f : judged.findings) {
      CHECK_MESSAGE(f.rule == "internal/audit-incomplete", z.zone, " ", f.rule, ": ", f.message);
    }
  }
}

TEST_CASE("probe::audit_walk --max-queries: the run's bound, said by every zone it cut short") {
  ZW_REQUIRE_PRIVATE_NETNS();
  Lab lab;
  probe::ProbeOptions options = lab_options();
  options.max_queries = 2;
  probe::WalkProgress progress;
  options.progress = &progress;
  const Result<Snapshot> result = probe::audit_walk({"example.test.", "lame.test."}, options);
  REQUIRE(result.has_value());
  // The progress line's counters: the queries actually sent, every zone once finished.
  CHECK(progress.queries.load() == 2);
  CHECK(progress.zones_total.load() == 2);
  CHECK(progress.zones_done.load() == 2);
  for (const ZoneSnapshot& z : result->zones) {
    CHECK_MESSAGE(std::find(z.walk_errors.begin(), z.walk_errors.end(), "bound reached: --max-queries (2)") !=
                      z.walk_errors.end(),
                  z.zone);
  }
}

TEST_CASE("probe::audit_walk respects the overall deadline") {
  ZW_REQUIRE_PRIVATE_NETNS();
  test::FakeServer root("127.0.0.1", k_port, test::silent());
  probe::ProbeOptions options = lab_options();
  options.timeout = 2000ms;
  options.deadline = 400ms;
  const auto start = std::chrono::steady_clock::now();
  probe::WalkProgress progress;
  options.progress = &progress;
  const Result<Snapshot> result = probe::audit_walk({"example.test.", "other.test."}, options);
  CHECK(std::chrono::steady_clock::now() - start < 1500ms);
  REQUIRE(result.has_value());
  CHECK(progress.zones_total.load() == 2);
  CHECK(progress.queries.load() > 0); // the root was asked (and never answered)
  for (const ZoneSnapshot& z : result->zones) {
    CHECK_FALSE(z.walk_errors.empty());
  }
}

namespace {

// walk.test.: apex -> a -> cut (a secure delegation) -> ns1 -> apex. Like NSD and Knot, the fake
// server refers `cut.walk.test. NSEC` to the child; the cut's NSEC comes with every NXDOMAIN.
// loop.test.: apex -> b -> a: the chain goes backwards.
std::vector<test::FakeZone> walk_zones() {
  const std::string nsec_apex = "walk.test. 300 IN NSEC a.walk.test. NS SOA RRSIG NSEC DNSKEY";
  const std::string nsec_cut = "cut.walk.test. 300 IN NSEC ns1.walk.test. NS DS RRSIG NSEC";
  return {{"walk.test.",
           {soa("walk.test."), "walk.test. 300 IN NS ns1.walk.test.", "walk.test. 300 IN DNSKEY " + k_key, nsec_apex,
            "ns1.walk.test. 300 IN A 127.0.0.20", "ns1.walk.test. 300 IN NSEC walk.test. A RRSIG NSEC",
            "a.walk.test. 300 IN TXT \"deep\"", "a.walk.test. 300 IN NSEC cut.walk.test. TXT RRSIG NSEC",
            "cut.walk.test. 300 IN NS ns.elsewhere.org.", "cut.walk.test. 300 IN DS 12345 13 2 " + k_ds_digest},
           {nsec_apex, nsec_cut}},
          {"loop.test.",
           {soa("loop.test."), "loop.test. 300 IN NS ns1.loop.test.", "loop.test. 300 IN DNSKEY " + k_key,
            "loop.test. 300 IN NSEC b.loop.test. NS SOA RRSIG NSEC DNSKEY",
            "b.loop.test. 300 IN NSEC a.loop.test. TXT RRSIG NSEC", "b.loop.test. 300 IN TXT \"b\""},
           {"loop.test. 300 IN NSEC b.loop.test. NS SOA RRSIG NSEC DNSKEY"}}};
}

} // namespace

TEST_CASE("probe::audit_walk --walk follows the NSEC chain and asks every server") {
  ZW_REQUIRE_PRIVATE_NETNS();
  test::FakeServer ns1("127.0.0.20", k_port, test::authoritative(walk_zones()));
  test::FakeServer ns2("127.0.0.21", k_port, test::authoritative(walk_zones()));
  probe::ProbeOptions options = lab_options();
  options.servers = {{"ns1.walk.test.", "127.0.0.20"}, {"ns2.walk.test.", "127.0.0.21"}};
  options.walk = true;

  SUBCASE("to the end, through a zone cut") {
    const Result<Snapshot> result = probe::audit_walk({"walk.test."}, options);
    REQUIRE(result.has_value());
    const ZoneSnapshot& z = result->zones.at(0);
    REQUIRE(z.nsec_walk.has_value());
    CHECK(z.nsec_walk->status == WalkStatus::complete);
    CHECK(z.nsec_walk->reason.empty());
    CHECK(z.nsec_walk->names == 4);
    CHECK(z.nsec_walk->server == "ns1.walk.test./127.0.0.20");
    REQUIRE(z.servers.size() == 2);
    for (const ServerProbe& p : z.servers) {
      for (const char* owner : {"walk.test.", "a.walk.test.", "cut.walk.test.", "ns1.walk.test."}) {
        CHECK_MESSAGE(exchanges_for(p, owner, "NSEC").size() == 1, p.address << " " << owner);
      }
      CHECK(exchanges_for(p, "a.walk.test.", "TXT").size() == 1);
      CHECK(exchanges_for(p, "cut.walk.test.", "DS").size() == 1);
      CHECK(exchanges_for(p, "cut.walk.test.", "NS").empty());    // a referral, not the zone's data
      CHECK(exchanges_for(p, "ns1.walk.test.", "A").size() == 1); // asked once, by the glue probes
      CHECK(exchanges_for(p, "walk.test.", "SOA").size() == 2);   // UDP and TCP, as before
    }
    // The cut's NSEC came from the NXDOMAIN for the first name after it, asked of the chain's server.
    CHECK(exchanges_for(z.servers[0], "cut\\000.walk.test.", "A").size() == 1);
    CHECK(exchanges_for(z.servers[1], "cut\\000.walk.test.", "A").empty());
  }
  SUBCASE("the limit") {
    options.walk_limit = 2;
    const Result<Snapshot> result = probe::audit_walk({"walk.test."}, options);
    REQUIRE(result.has_value());
    const ZoneSnapshot& z = result->zones.at(0);
    REQUIRE(z.nsec_walk.has_value());
    CHECK(z.nsec_walk->status == WalkStatus::incomplete);
    CHECK(z.nsec_walk->names == 2);
    CHECK(z.nsec_walk->reason.find("--walk-limit 2") != std::string::npos);
    CHECK(exchanges_for(z.servers[0], "a.walk.test.", "TXT").size() == 1); // the last name's RRsets are asked
    CHECK(exchanges_for(z.servers[0], "cut.walk.test.", "NSEC").empty());
  }
  SUBCASE("a chain that goes backwards stops") {
    const Result<Snapshot> result = probe::audit_walk({"loop.test."}, options);
    REQUIRE(result.has_value());
    const ZoneSnapshot& z = result->zones.at(0);
    REQUIRE(z.nsec_walk.has_value());
    CHECK(z.nsec_walk->status == WalkStatus::incomplete);
    CHECK(z.nsec_walk->names == 2);
    CHECK(z.nsec_walk->reason.find("canonical order") != std::string::npos);
    CHECK(exchanges_for(z.servers[0], "b.loop.test.", "TXT").size() == 1);
    CHECK(exchanges_for(z.servers[0], "a.loop.test.", "NSEC").empty());
  }
  SUBCASE("without --walk nothing of it") {
    options.walk = false;
    const Result<Snapshot> result = probe::audit_walk({"walk.test."}, options);
    REQUIRE(result.has_value());
    CHECK_FALSE(result->zones.at(0).nsec_walk.has_value());
    CHECK(exchanges_for(result->zones.at(0).servers[0], "a.walk.test.", "NSEC").empty());
  }
}

TEST_CASE("probe::audit_walk --max-qps-per-server spaces the queries to one address") {
  ZW_REQUIRE_PRIVATE_NETNS();
  Lab lab;
  // A server of example.test. that notes when each query arrives (the fake servers answer in a
  // thread of their own).
  auto arrivals = std::make_shared<std::vector<std::chrono::steady_clock::time_point>>();
  auto mutex = std::make_shared<std::mutex>();
  const test::Handler example = test::authoritative(lab.example);
  test::FakeServer timed("127.0.0.20", k_port, [=](const test::Query& q) {
    {
      const std::lock_guard lock(*mutex);
      arrivals->push_back(std::chrono::steady_clock::now());
    }
    return example(q);
  });
  probe::ProbeOptions options = lab_options();
  options.servers = {{"ns1.example.test", "127.0.0.20"}};
  SUBCASE("20 per second: at least 50 ms between two queries, every question still answered") {
    options.max_qps_per_server = 20;
    const Result<Snapshot> result = probe::audit_walk({"example.test."}, options);
    REQUIRE(result.has_value());
    const std::lock_guard lock(*mutex);
    REQUIRE(arrivals->size() >= 5);
    // The sends are scheduled 50 ms apart and a timer never fires early, but the arrivals are
    // noted by a thread of the fake server: on a loaded machine (CI runs two tests at once,
    // under ASan) that thread can be held off for tens of milliseconds and then take two queued
    // datagrams at once, so one gap says nothing. Their median and the whole span do: without
    // pacing every gap is microseconds and the span a few milliseconds.
    std::vector<std::chrono::steady_clock::duration> gaps;
    for (std::size_t i = 1; i < arrivals->size(); ++i) {
      gaps.push_back((*arrivals)[i] - (*arrivals)[i - 1]);
    }
    std::nth_element(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() / 2), gaps.end());
    CHECK(gaps[gaps.size() / 2] >= 40ms);
    CHECK(arrivals->back() - arrivals->front() >= 25ms * static_cast<int>(arrivals->size() - 1));
    for (const ServerProbe& p : result->zones.at(0).servers) {
      for (const Exchange& e : p.exchanges) {
        CHECK_MESSAGE(e.outcome == Outcome::answered, e.qname << " " << e.qtype << ": " << e.detail);
      }
    }
  }
  SUBCASE("a turn past the deadline: not asked, never a timeout of the server") {
    options.max_qps_per_server = 2;
    options.deadline = 1200ms;
    const Result<Snapshot> result = probe::audit_walk({"example.test."}, options);
    REQUIRE(result.has_value());
    std::size_t answered = 0;
    std::size_t not_asked = 0;
    for (const ServerProbe& p : result->zones.at(0).servers) {
      for (const Exchange& e : p.exchanges) {
        CHECK(e.outcome != Outcome::timeout);
        answered += e.outcome == Outcome::answered ? 1 : 0;
        not_asked += e.outcome == Outcome::not_asked ? 1 : 0;
      }
    }
    const std::lock_guard lock(*mutex);
    CHECK(answered == arrivals->size());
    CHECK(answered <= 3); // at 0, 0.5 and 1.0 s
    CHECK(not_asked > 0);
  }
}

} // namespace zw_test_probe_walker
