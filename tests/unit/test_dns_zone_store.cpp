#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "dns/zone_store.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_dns_zone_store {

using namespace zw::dns;

namespace {

Bytes name(const char* text) {
  return name_from_text(text).value();
}

void add(ZoneStoreBuilder& b, const char* rr_text, std::uint32_t line = 0) {
  const Rr rr = parse_rr(rr_text).value();
  REQUIRE(b.add(rr, 0, line).has_value());
}

std::vector<std::string> owners_in_order(const ZoneStore& zone) {
  std::vector<std::string> out;
  for (const NameView n : zone.names()) {
    out.push_back(name_to_text(n.owner()));
  }
  return out;
}

} // namespace

TEST_CASE("dns::ZoneStore canonical owner order (RFC 4034 §6.1 example)") {
  ZoneStoreBuilder b;
  for (const char* owner : {"z.example.", "\\200.z.example.", "zABC.a.EXAMPLE.", "*.z.example.", "example.",
                            "Z.a.example.", "yljkjljk.a.example.", "a.example.", "\\001.z.example."}) {
    add(b, (std::string(owner) + " 300 IN A 192.0.2.1").c_str());
  }
  const ZoneStore zone = std::move(b).finish(name("example."));
  CHECK(owners_in_order(zone) == std::vector<std::string>{"example.", "a.example.", "yljkjljk.a.example.",
                                                          "z.a.example.", "zabc.a.example.", "z.example.",
                                                          "\\001.z.example.", "*.z.example.", "\\200.z.example."});
  CHECK(zone.size() == 9);
  CHECK(zone.name_count() == 9);
  CHECK(name_to_text(zone.origin()) == "example.");
}

TEST_CASE("dns::ZoneStore RRset grouping, type order and RDATA order") {
  ZoneStoreBuilder b;
  add(b, "www.example. 300 IN A 192.0.2.9", 1);
  add(b, "example. 300 IN NS b.example.", 2);
  add(b, "www.example. 300 IN AAAA 2001:db8::1", 3);
  add(b, "WWW.example. 600 IN A 192.0.2.1", 4); // same owner, another case, later in the input
  add(b, "example. 300 IN NS A.example.", 5);
  add(b, "example. 300 IN SOA ns hostmaster 1 2 3 4 5", 6);
  const ZoneStore zone = std::move(b).finish(name("Example."));
  REQUIRE(zone.rrset_count() == 4);
  std::vector<std::pair<std::string, std::uint16_t>> seen;
  for (const RrsetView r : zone.rrsets()) {
    seen.emplace_back(name_to_text(r.owner()), r.type());
  }
  CHECK(seen == std::vector<std::pair<std::string, std::uint16_t>>{{"example.", rrtype::ns},
                                                                   {"example.", rrtype::soa},
                                                                   {"www.example.", rrtype::a},
                                                                   {"www.example.", rrtype::aaaa}});

  const std::optional<RrsetView> a = zone.find(name("WWW.EXAMPLE."), rrtype::a);
  REQUIRE(a.has_value());
  REQUIRE(a->size() == 2);
  CHECK(a->rdata(0)[3] == 1); // 192.0.2.1 sorts before 192.0.2.9 (§6.3)
  CHECK(a->rdata(1)[3] == 9);
  CHECK(a->ttl(0) == 600);
  CHECK(a->ttl() == 600);
  CHECK(a->ttls_differ());
  CHECK(a->location(0).line == 4);
  CHECK(a->location().line == 1); // the RR that came first in the input
  CHECK(a->rclass() == 1);

  // Names inside NS RDATA are compared in canonical (lowercased) form: A.example < b.example.
  const std::optional<RrsetView> ns = zone.find(name("example."), rrtype::ns);
  REQUIRE(ns.has_value());
  REQUIRE(ns->size() == 2);
  CHECK(ns->rdata(0)[1] == 'A'); // RDATA keeps its input case
  CHECK_FALSE(ns->ttls_differ());

  const std::vector<Rr> rrs = zone.materialize(*a);
  REQUIRE(rrs.size() == 2);
  CHECK(rrs[0].owner == name("www.example."));
  CHECK(rrs[0].type == rrtype::a);
  CHECK(rrs[0].rclass == 1);
  CHECK(rrs[1].ttl == 300);
  CHECK(rrs[1].rdata == Bytes{192, 0, 2, 9});

  CHECK_FALSE(zone.find(name("www.example."), rrtype::mx).has_value());
  CHECK_FALSE(zone.find(name("nope.example."), rrtype::a).has_value());
  CHECK_FALSE(zone.find_name(name("a.www.example.")).has_value());
  const std::optional<NameView> www = zone.find_name(name("www.example."));
  REQUIRE(www.has_value());
  CHECK(www->types() == std::vector<std::uint16_t>{rrtype::a, rrtype::aaaa});
  CHECK(www->rr_count() == 3);
}

TEST_CASE("dns::ZoneStore duplicates dropped, first one kept") {
  ZoneStoreBuilder b;
  add(b, "example. 300 IN NS ns.example.", 1);
  add(b, "example. 300 IN A 192.0.2.1", 2);
  add(b, "example. 600 IN NS NS.Example.", 3); // same RR: names compare case-insensitively
  add(b, "EXAMPLE. 300 IN A 192.0.2.1", 4);
  add(b, "example. 300 IN TXT \"a\"", 5);
  add(b, "example. 300 IN TXT \"A\"", 6); // not a duplicate: TXT data is case-sensitive
  const ZoneStore zone = std::move(b).finish(name("example."));
  CHECK(zone.size() == 4);
  CHECK(zone.duplicates_dropped() == 2);
  const std::optional<RrsetView> ns = zone.find(name("example."), rrtype::ns);
  REQUIRE(ns.has_value());
  CHECK(ns->size() == 1);
  CHECK(ns->location().line == 1);
  CHECK(ns->ttl() == 300);
  CHECK(zone.find(name("example."), rrtype::txt)->size() == 2);
}

TEST_CASE("dns::ZoneStore RRSIG lookup by covered type") {
  ZoneStoreBuilder b;
  add(b, "example. 300 IN SOA ns hostmaster 1 2 3 4 5");
  add(b, "example. 300 IN RRSIG SOA 13 1 300 20300101000000 20200101000000 1 example. AAAA");
  add(b, "example. 300 IN RRSIG NS 13 1 300 20300101000000 20200101000000 2 example. BBBB");
  add(b, "example. 300 IN NS ns.example.");
  add(b, "example. 300 IN RRSIG NS 13 1 300 20300101000000 20200101000000 3 example. CCCC");
  add(b, "example. 300 IN RRSIG DNSKEY 13 1 300 20300101000000 20200101000000 4 example. DDDD");
  add(b, "ns.example. 300 IN RRSIG A 13 2 300 20300101000000 20200101000000 5 example. EEEE");
  const ZoneStore zone = std::move(b).finish(name("example."));

  const RrsetView ns_sigs = zone.rrsigs_covering(name("EXAMPLE."), rrtype::ns);
  REQUIRE(ns_sigs.size() == 2);
  CHECK(ns_sigs.type() == rrtype::rrsig);
  for (std::size_t i = 0; i < ns_sigs.size(); ++i) {
    CHECK(ns_sigs.rdata(i)[1] == rrtype::ns);
  }
  CHECK(zone.rrsigs_covering(name("example."), rrtype::soa).size() == 1);
  CHECK(zone.rrsigs_covering(name("example."), rrtype::dnskey).size() == 1);
  CHECK(zone.rrsigs_covering(name("example."), rrtype::a).empty());
  CHECK(zone.rrsigs_covering(name("ns.example."), rrtype::a).size() == 1);
  CHECK(zone.rrsigs_covering(name("missing.example."), rrtype::a).empty());
  CHECK(zone.find(name("example."), rrtype::rrsig)->size() == 4);
}

TEST_CASE("dns::ZoneStore owner iteration lists each name's RRsets") {
  ZoneStoreBuilder b;
  add(b, "b.example. 300 IN A 192.0.2.1");
  add(b, "a.example. 300 IN A 192.0.2.1");
  add(b, "b.example. 300 IN TXT \"x\""); // b again, not adjacent to its first run
  add(b, "example. 300 IN NS ns.example.");
  const ZoneStore zone = std::move(b).finish(name("example."));
  std::vector<std::string> summary;
  for (const NameView n : zone.names()) {
    std::string line = name_to_text(n.owner());
    for (const RrsetView r : n.rrsets()) {
      line += " " + type_to_text(r.type());
    }
    summary.push_back(line);
  }
  CHECK(summary == std::vector<std::string>{"example. NS", "a.example. A", "b.example. A TXT"});
  CHECK(zone.name_count() == 3);
  CHECK(zone.rrset_count() == 4);
}

TEST_CASE("dns::ZoneStore memory per RR stays small") {
  ZoneStoreBuilder b;
  for (int i = 0; i < 1000; ++i) {
    add(b, ("h" + std::to_string(i) + ".example. 300 IN A 192.0.2.1").c_str());
  }
  const ZoneStore zone = std::move(b).finish(name("example."));
  const MemoryUsage mem = zone.memory_usage();
  CHECK(mem.index_bytes == 16 * 1000);
  // owner (<= 15 octets) + 10-octet header + 4 octets of RDATA
  CHECK(mem.arena_bytes <= 1000 * 29);
  CHECK(mem.total() == mem.arena_bytes + mem.index_bytes);
}

TEST_CASE("dns::ZoneStore builder rejects malformed input") {
  ZoneStoreBuilder b;
  CHECK_FALSE(b.add(Bytes{3, 'a', 'b'}, rrtype::a, 300, Bytes{1, 2, 3, 4}).has_value()); // no root label
  CHECK_FALSE(b.add(Bytes{0, 0}, rrtype::a, 300, Bytes{1, 2, 3, 4}).has_value());        // trailing octet
  CHECK_FALSE(b.add(Bytes{0}, rrtype::txt, 300, Bytes(70000, 1)).has_value());
  CHECK(b.add(Bytes{0}, rrtype::a, 300, Bytes{1, 2, 3, 4}).has_value());
  const ZoneStore zone = std::move(b).finish(Bytes{0});
  CHECK(zone.size() == 1);
  CHECK(zone.rrsets().begin() != zone.rrsets().end());
  CHECK((*zone.rrsets().begin()).location().line == 0);
}

TEST_CASE("dns::ZoneStore empty store") {
  const ZoneStore zone = ZoneStoreBuilder().finish(name("example."));
  CHECK(zone.size() == 0);
  CHECK(zone.rrsets().begin() == zone.rrsets().end());
  CHECK(zone.names().begin() == zone.names().end());
  CHECK_FALSE(zone.find(name("example."), rrtype::soa).has_value());
}

} // namespace zw_test_dns_zone_store
