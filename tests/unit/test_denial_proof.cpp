#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "dns/rr.hpp"
#include "dnssec/denial_proof.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_denial_proof {

// Expectations are written by hand from the RFCs: the zones of RFC 4035 Appendix A (NSEC) and
// RFC 5155 Appendix A (NSEC3: SHA-1, salt aabbccdd, 12 iterations, every record Opt-Out), and the
// responses of their Appendix B. The NSEC3 hashes quoted in comments are those of RFC 5155
// Appendix A, cross-checked with `ldns-nsec3-hash -t 12 -s aabbccdd <name>`.

using namespace zw;
using dnssec::ProofFault;
using dnssec::ProofResult;
using dnssec::ResponseKind;

namespace {

dns::Bytes name(const std::string& text) {
  return dns::name_from_text(text).value();
}

struct Query {
  std::string qname;
  std::uint16_t qtype = dns::rrtype::a;
  ResponseKind kind = ResponseKind::nxdomain;
  unsigned wildcard_labels = 0;
  unsigned max_iterations = 150;
  std::string zone = "example.";
};

ProofResult check(const Query& q, const std::vector<std::string>& records) {
  std::vector<dns::Rr> rrs;
  for (const std::string& text : records) {
    rrs.push_back(dns::parse_rr(text).value());
  }
  const dns::Bytes qname = dns::lowercased(name(q.qname));
  const dns::Bytes zone = name(q.zone);
  ProofResult r = dnssec::check_denial_proof(qname, q.qtype, q.kind, zone, rrs, q.wildcard_labels, q.max_iterations);
  INFO(q.qname, " ", dnssec::to_string(q.kind), ": ", dnssec::to_string(r.fault), " ", r.detail);
  return r;
}

ProofFault fault(const Query& q, const std::vector<std::string>& records) {
  return check(q, records).fault;
}

// RFC 4035 Appendix A: the NSEC chain of example.
const std::string k_apex = "example. 3600 IN NSEC a.example. NS SOA MX RRSIG NSEC DNSKEY";
const std::string k_a = "a.example. 3600 IN NSEC ai.example. NS DS RRSIG NSEC";
const std::string k_b = "b.example. 3600 IN NSEC ns1.example. NS RRSIG NSEC";
const std::string k_ns1 = "ns1.example. 3600 IN NSEC ns2.example. A RRSIG NSEC";
const std::string k_ns2 = "ns2.example. 3600 IN NSEC *.w.example. A RRSIG NSEC";
const std::string k_wild = "*.w.example. 3600 IN NSEC x.w.example. MX RRSIG NSEC";
const std::string k_xw = "x.w.example. 3600 IN NSEC x.y.w.example. MX RRSIG NSEC";
const std::string k_xyw = "x.y.w.example. 3600 IN NSEC xx.example. MX RRSIG NSEC";

// RFC 5155 Appendix A: the NSEC3 chain of example (hash -> original name).
const std::string k3_apex = // example.
    "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. 3600 IN NSEC3 1 1 12 aabbccdd "
    "2t7b4g4vsa5smi47k61mv5bv1a22bojr NS SOA MX RRSIG DNSKEY NSEC3PARAM";
const std::string k3_ns1 = // ns1.example.
    "2t7b4g4vsa5smi47k61mv5bv1a22bojr.example. 3600 IN NSEC3 1 1 12 aabbccdd "
    "2vptu5timamqttgl4luu9kg21e0aor3s A RRSIG";
const std::string k3_a = // a.example. (a signed delegation)
    "35mthgpgcu1qg68fab165klnsnk3dpvl.example. 3600 IN NSEC3 1 1 12 aabbccdd "
    "b4um86eghhds6nea196smvmlo4ors995 NS DS RRSIG";
const std::string k3_xw = // x.w.example.
    "b4um86eghhds6nea196smvmlo4ors995.example. 3600 IN NSEC3 1 1 12 aabbccdd "
    "gjeqe526plbf1g8mklp59enfd789njgi MX RRSIG";
const std::string k3_yw = // y.w.example. (empty non-terminal)
    "ji6neoaepv8b5o6k4ev33abha8ht9fgc.example. 3600 IN NSEC3 1 1 12 aabbccdd "
    "k8udemvp1j2f7eg6jebps17vp3n8i58h";
const std::string k3_w = // w.example. (empty non-terminal)
    "k8udemvp1j2f7eg6jebps17vp3n8i58h.example. 3600 IN NSEC3 1 1 12 aabbccdd "
    "kohar7mbb8dc2ce8a9qvl8hon4k53uhi";
const std::string k3_ns2 = // ns2.example.
    "q04jkcevqvmu85r014c7dkba38o0ji5r.example. 3600 IN NSEC3 1 1 12 aabbccdd "
    "r53bq7cc2uvmubfu5ocmm6pers9tk9en A RRSIG";
const std::string k3_wild = // *.w.example.
    "r53bq7cc2uvmubfu5ocmm6pers9tk9en.example. 3600 IN NSEC3 1 1 12 aabbccdd "
    "t644ebqk9bibcna874givr6joj62mlhv MX RRSIG";

// `record` with its first occurrence of `from` replaced by `to`.
std::string edit(std::string record, const std::string& from, const std::string& to) {
  const std::size_t pos = record.find(from);
  REQUIRE(pos != std::string::npos);
  return record.replace(pos, from.size(), to);
}

// The NSEC3 record with Opt-Out cleared (flags 0).
std::string no_opt_out(const std::string& record) {
  return edit(record, "NSEC3 1 1 12", "NSEC3 1 0 12");
}

} // namespace

// ------------------------------------------------------------------------------------ NSEC

TEST_CASE("denial proof: NSEC name error (RFC 4035 B.2)") {
  const Query q{.qname = "ml.example.", .qtype = dns::rrtype::a, .kind = ResponseKind::nxdomain};
  // b.example -> ns1.example covers ml.example; the closest encloser is example; example ->
  // a.example covers *.example.
  const ProofResult r = check(q, {k_b, k_apex});
  CHECK(r.fault == ProofFault::none);
  CHECK_FALSE(r.opt_out);
  CHECK(r.iterations == 0);
  CHECK(r.detail.empty());

  SUBCASE("order does not matter") {
    CHECK(fault(q, {k_apex, k_b}) == ProofFault::none);
  }
  SUBCASE("without the NSEC denying *.example") {
    CHECK(fault(q, {k_b}) == ProofFault::wildcard_not_denied);
  }
  SUBCASE("the wildcard exists") {
    CHECK(fault(q, {k_b, "*.example. 3600 IN NSEC a.example. TXT RRSIG NSEC"}) == ProofFault::wildcard_not_denied);
  }
  SUBCASE("the next name shifted before the qname") {
    CHECK(fault(q, {edit(k_b, "ns1.example.", "mk.example."), k_apex}) == ProofFault::qname_not_covered);
  }
  SUBCASE("the next name equal to the qname") {
    CHECK(fault(q, {edit(k_b, "ns1.example.", "ml.example."), k_apex}) == ProofFault::qname_not_covered);
  }
  SUBCASE("only the wildcard denial") {
    CHECK(fault(q, {k_apex}) == ProofFault::qname_not_covered);
  }
  SUBCASE("an NSEC at the qname: it exists") {
    CHECK(fault(q, {"ml.example. 3600 IN NSEC ns1.example. A RRSIG NSEC", k_apex}) == ProofFault::qname_not_covered);
  }
  SUBCASE("empty authority section") {
    CHECK(fault(q, {}) == ProofFault::no_records);
  }
  SUBCASE("an NSEC3 too") {
    CHECK(fault(q, {k_b, k_apex, k3_apex}) == ProofFault::mixed);
  }
  SUBCASE("an NSEC of another zone") {
    CHECK(fault(q, {k_b, k_apex, "a.example.org. 3600 IN NSEC z.example.org. A RRSIG NSEC"}) == ProofFault::wrong_zone);
  }
  SUBCASE("the qname outside the zone") {
    CHECK(fault({.qname = "ml.example.org.", .kind = ResponseKind::nxdomain}, {k_b, k_apex}) == ProofFault::wrong_zone);
  }
  SUBCASE("RDATA that does not parse") {
    dns::Rr bad = dns::parse_rr(k_b).value();
    bad.rdata.resize(3); // a truncated next name
    std::vector<dns::Rr> rrs{bad, dns::parse_rr(k_apex).value()};
    const dns::Bytes qname = name("ml.example.");
    const dns::Bytes zone = name("example.");
    CHECK(dnssec::check_denial_proof(qname, dns::rrtype::a, ResponseKind::nxdomain, zone, rrs).fault ==
          ProofFault::malformed);
  }
}

TEST_CASE("denial proof: NSEC name error, one NSEC covers the qname and the wildcard") {
  // '*' (0x2a) sorts before '0' (0x30): example -> a.example covers 0.example and *.example.
  CHECK(fault({.qname = "0.example.", .kind = ResponseKind::nxdomain}, {k_apex}) == ProofFault::none);
  // The closest encloser of a.b.ns1.example, covered by ns1.example -> ns2.example, is
  // ns1.example: *.ns1.example is covered by the same NSEC.
  CHECK(fault({.qname = "a.b.ns1.example.", .kind = ResponseKind::nxdomain}, {k_ns1}) == ProofFault::none);
  // The closest encloser of ml.example is example, whatever the order: *.example is not
  // covered by b.example -> ns1.example.
  CHECK(fault({.qname = "ml.example.", .kind = ResponseKind::nxdomain}, {k_b, k_ns1}) ==
        ProofFault::wildcard_not_denied);
}

TEST_CASE("denial proof: NSEC name error for an empty non-terminal is wrong") {
  // ns2.example -> *.w.example covers w.example, but its next name lies below: w.example exists.
  CHECK(fault({.qname = "w.example.", .kind = ResponseKind::nxdomain}, {k_ns2, k_apex}) ==
        ProofFault::qname_not_covered);
}

TEST_CASE("denial proof: NSEC from above a zone cut (RFC 6840 §4.1)") {
  // b.example is an unsigned delegation; its NSEC (NS, no SOA) spans b.example..ns1.example in
  // canonical order but says nothing about names below b.example.
  CHECK(fault({.qname = "mc.b.example.", .kind = ResponseKind::nxdomain}, {k_b, k_apex}) == ProofFault::wrong_zone);
  CHECK(fault({.qname = "b.example.", .qtype = dns::rrtype::a, .kind = ResponseKind::nodata}, {k_b}) ==
        ProofFault::wrong_zone);
  CHECK(fault({.qname = "b.example.", .qtype = dns::rrtype::ds, .kind = ResponseKind::nodata}, {k_b}) ==
        ProofFault::none);
  // A DNAME blocks what lies below its owner too.
  CHECK(fault({.qname = "x.d.example.", .kind = ResponseKind::nxdomain},
              {"d.example. 3600 IN NSEC ns1.example. DNAME RRSIG NSEC", k_apex}) == ProofFault::wrong_zone);
}

TEST_CASE("denial proof: NSEC no data (RFC 4035 B.3)") {
  const Query q{.qname = "ns1.example.", .qtype = dns::rrtype::mx, .kind = ResponseKind::nodata};
  CHECK(fault(q, {k_ns1}) == ProofFault::none);
  SUBCASE("the queried type in the bitmap") {
    CHECK(fault(q, {"ns1.example. 3600 IN NSEC ns2.example. A MX RRSIG NSEC"}) == ProofFault::type_present);
  }
  SUBCASE("CNAME in the bitmap (RFC 6840 §4.3)") {
    CHECK(fault(q, {"ns1.example. 3600 IN NSEC ns2.example. CNAME RRSIG NSEC"}) == ProofFault::type_present);
  }
  SUBCASE("no NSEC at the qname") {
    CHECK(fault(q, {k_ns2}) == ProofFault::no_matching_record);
  }
  SUBCASE("an NSEC covering the qname: it does not exist") {
    CHECK(fault({.qname = "ml.example.", .qtype = dns::rrtype::mx, .kind = ResponseKind::nodata}, {k_b}) ==
          ProofFault::no_matching_record);
  }
  SUBCASE("empty") {
    CHECK(fault(q, {}) == ProofFault::no_records);
  }
}

TEST_CASE("denial proof: NSEC no data at an empty non-terminal") {
  // w.example and y.w.example own no records; the NSEC before each points below it.
  CHECK(fault({.qname = "w.example.", .qtype = dns::rrtype::a, .kind = ResponseKind::nodata}, {k_ns2}) ==
        ProofFault::none);
  CHECK(fault({.qname = "y.w.example.", .qtype = dns::rrtype::a, .kind = ResponseKind::nodata}, {k_xw}) ==
        ProofFault::none);
  // x.w.example -> x.y.w.example covers xa.w.example too, but nothing lies below xa.w.example.
  CHECK(fault({.qname = "xa.w.example.", .qtype = dns::rrtype::a, .kind = ResponseKind::nodata}, {k_xw}) ==
        ProofFault::no_matching_record);
}

TEST_CASE("denial proof: NSEC referral to an unsigned zone (RFC 4035 B.5)") {
  // mc.b.example MX: referral to b.example; the NSEC at b.example has NS, no DS, no SOA.
  const Query q{.qname = "b.example.", .qtype = dns::rrtype::mx, .kind = ResponseKind::referral_no_ds};
  CHECK(fault(q, {k_b}) == ProofFault::none);
  // RFC 4035 B.4: a.example is a signed delegation, its NSEC lists DS.
  CHECK(fault({.qname = "a.example.", .kind = ResponseKind::referral_no_ds}, {k_a}) == ProofFault::type_present);
  // RFC 6840 §4.4: a name without NS is no delegation.
  CHECK(fault({.qname = "ns1.example.", .kind = ResponseKind::referral_no_ds}, {k_ns1}) ==
        ProofFault::no_matching_record);
  // The child's apex NSEC is not the parent's.
  CHECK(fault({.qname = "example.", .kind = ResponseKind::referral_no_ds}, {k_apex}) == ProofFault::wrong_zone);
  CHECK(fault(q, {k_apex}) == ProofFault::no_matching_record);
}

TEST_CASE("denial proof: NSEC DS no data from the child zone (RFC 4035 B.8)") {
  // The apex NSEC (SOA set) comes from the child side of the cut: it cannot deny the DS, which
  // lives in the parent (RFC 4035 §2.4, §3.1.4.1).
  CHECK(fault({.qname = "example.", .qtype = dns::rrtype::ds, .kind = ResponseKind::nodata}, {k_apex}) ==
        ProofFault::wrong_zone);
  // At the root there is no parent: its apex NSEC denies DS.
  CHECK(fault({.qname = ".", .qtype = dns::rrtype::ds, .kind = ResponseKind::nodata, .zone = "."},
              {". 3600 IN NSEC aaa. NS SOA RRSIG NSEC DNSKEY"}) == ProofFault::none);
}

TEST_CASE("denial proof: NSEC wildcard expansion (RFC 4035 B.6)") {
  // a.z.w.example MX from *.w.example: RRSIG Labels 2, closest encloser w.example, next closer
  // z.w.example covered by x.y.w.example -> xx.example.
  const Query q{
      .qname = "a.z.w.example.", .qtype = dns::rrtype::mx, .kind = ResponseKind::wildcard_answer, .wildcard_labels = 2};
  CHECK(fault(q, {k_xyw}) == ProofFault::none);
  SUBCASE("the next name shifted onto the next closer") {
    CHECK(fault(q, {edit(k_xyw, "xx.example.", "z.w.example.")}) == ProofFault::qname_not_covered);
  }
  SUBCASE("no NSEC") {
    CHECK(fault(q, {}) == ProofFault::no_records);
  }
  SUBCASE("an NSEC not covering") {
    CHECK(fault(q, {k_xw}) == ProofFault::qname_not_covered);
  }
  SUBCASE("Labels as many as the qname's") {
    Query bad = q;
    bad.wildcard_labels = 4;
    CHECK(fault(bad, {k_xyw}) == ProofFault::malformed);
  }
  SUBCASE("Labels above the apex") {
    Query bad = q;
    bad.wildcard_labels = 0;
    CHECK(fault(bad, {k_xyw}) == ProofFault::malformed);
  }
}

TEST_CASE("denial proof: NSEC wildcard expansion needs the next closer name denied") {
  // a.x.w.example lies between x.w.example and x.y.w.example in canonical order, but
  // x.w.example exists: *.w.example (Labels 2) cannot have been used, the next closer
  // x.w.example is matched, not covered.
  CHECK(fault({.qname = "a.x.w.example.",
               .qtype = dns::rrtype::mx,
               .kind = ResponseKind::wildcard_answer,
               .wildcard_labels = 2},
              {k_xw}) == ProofFault::qname_not_covered);
  // With Labels 3 (the wildcard *.x.w.example) the same NSEC covers the next closer a.x.w.example.
  CHECK(fault({.qname = "a.x.w.example.",
               .qtype = dns::rrtype::mx,
               .kind = ResponseKind::wildcard_answer,
               .wildcard_labels = 3},
              {k_xw}) == ProofFault::none);
}

TEST_CASE("denial proof: NSEC wildcard no data (RFC 4035 B.7)") {
  // a.z.w.example AAAA: x.y.w.example -> xx.example proves a.z.w.example absent (closest
  // encloser w.example); *.w.example exists without AAAA.
  const Query q{.qname = "a.z.w.example.", .qtype = dns::rrtype::aaaa, .kind = ResponseKind::wildcard_nodata};
  CHECK(fault(q, {k_xyw, k_wild}) == ProofFault::none);
  SUBCASE("Labels given") {
    Query with_labels = q;
    with_labels.wildcard_labels = 2;
    CHECK(fault(with_labels, {k_xyw, k_wild}) == ProofFault::none);
  }
  SUBCASE("the wildcard lists AAAA") {
    CHECK(fault(q, {k_xyw, edit(k_wild, "MX", "MX AAAA")}) == ProofFault::type_present);
  }
  SUBCASE("without the wildcard's NSEC") {
    CHECK(fault(q, {k_xyw}) == ProofFault::no_matching_record);
  }
  SUBCASE("without the covering NSEC") {
    CHECK(fault(q, {k_wild}) == ProofFault::qname_not_covered);
  }
}

// ----------------------------------------------------------------------------------- NSEC3

TEST_CASE("denial proof: NSEC3 name error (RFC 5155 B.1)") {
  // a.c.x.w.example: closest encloser x.w.example (b4um..), next closer c.x.w.example
  // (0va5bpr2ou0vk0lbqeeljri88laipsfh) covered by 0p9m.. -> 2t7b.., wildcard *.x.w.example
  // (92pqneegtaue7pjatc3l3qnk738c6v5m) covered by 35mt.. -> b4um...
  const Query q{.qname = "a.c.x.w.example.", .qtype = dns::rrtype::a, .kind = ResponseKind::nxdomain};
  const ProofResult r = check(q, {k3_apex, k3_xw, k3_a});
  CHECK(r.fault == ProofFault::none);
  CHECK(r.iterations == 12);
  // Every NSEC3 of RFC 5155 Appendix A has Opt-Out: the next closer may be an unsigned
  // delegation, so the name error is insecure (RFC 5155 §9.2).
  CHECK(r.opt_out);

  SUBCASE("without Opt-Out on the next closer's record") {
    const ProofResult secure = check(q, {no_opt_out(k3_apex), k3_xw, k3_a});
    CHECK(secure.fault == ProofFault::none);
    CHECK_FALSE(secure.opt_out);
  }
  SUBCASE("Opt-Out only on the wildcard's record does not matter") {
    CHECK_FALSE(check(q, {no_opt_out(k3_apex), no_opt_out(k3_xw), k3_a}).opt_out);
  }
  SUBCASE("without the wildcard denial") {
    CHECK(fault(q, {k3_apex, k3_xw}) == ProofFault::wildcard_not_denied);
  }
  SUBCASE("without the next closer cover") {
    CHECK(fault(q, {k3_xw, k3_a}) == ProofFault::qname_not_covered);
  }
  SUBCASE("the next hash shifted below the next closer's") {
    CHECK(fault(q, {edit(k3_apex, "2t7b4g4vsa5smi47k61mv5bv1a22bojr", "0va5bpr2ou0vk0lbqeeljri88laipsfh"), k3_xw,
                    k3_a}) == ProofFault::qname_not_covered);
  }
  SUBCASE("without the closest encloser") {
    // Then example (0p9m..) is the longest matched ancestor, and w.example (k8ud..) is not
    // covered by any record present.
    CHECK(fault(q, {k3_apex, k3_a}) == ProofFault::qname_not_covered);
    CHECK(fault(q, {k3_a}) == ProofFault::no_closest_encloser);
  }
  SUBCASE("the wildcard exists") {
    // a.z.w.example: closest encloser w.example (k8ud..), z.w.example (qlu7..) covered by
    // q04j.. -> r53b.., but r53b.. is *.w.example itself.
    CHECK(fault({.qname = "a.z.w.example.", .kind = ResponseKind::nxdomain}, {k3_w, k3_ns2, k3_wild}) ==
          ProofFault::wildcard_not_denied);
  }
  SUBCASE("the qname exists") {
    CHECK(fault({.qname = "x.w.example.", .kind = ResponseKind::nxdomain}, {k3_xw}) == ProofFault::qname_not_covered);
  }
  SUBCASE("iterations above the cap are not hashed (RFC 9276 §3.2)") {
    Query capped = q;
    capped.max_iterations = 10;
    const ProofResult t = check(capped, {k3_apex, k3_xw, k3_a});
    CHECK(t.fault == ProofFault::too_many_iterations);
    CHECK(t.iterations == 12);
    capped.max_iterations = 12;
    CHECK(fault(capped, {k3_apex, k3_xw, k3_a}) == ProofFault::none);
  }
  SUBCASE("empty") {
    CHECK(fault(q, {}) == ProofFault::no_records);
  }
  SUBCASE("an NSEC too") {
    CHECK(fault(q, {k3_apex, k3_xw, k3_a, k_apex}) == ProofFault::mixed);
  }
  SUBCASE("an unknown hash algorithm is ignored (RFC 5155 §8.1)") {
    const auto alg2 = [](const std::string& s) { return edit(s, "NSEC3 1 1 12", "NSEC3 2 1 12"); };
    CHECK(fault(q, {alg2(k3_apex), alg2(k3_xw), alg2(k3_a)}) == ProofFault::unsupported_hash);
    CHECK(fault(q, {k3_apex, k3_xw, alg2(k3_a)}) == ProofFault::wildcard_not_denied);
  }
  SUBCASE("unknown flags are ignored (RFC 5155 §8.2)") {
    CHECK(fault(q, {k3_apex, k3_xw, edit(k3_a, "NSEC3 1 1 12", "NSEC3 1 3 12")}) == ProofFault::wildcard_not_denied);
  }
  SUBCASE("different parameters (RFC 5155 §8.2)") {
    CHECK(fault(q, {k3_apex, k3_xw, edit(k3_a, "aabbccdd", "aabbccde")}) == ProofFault::inconsistent_params);
    CHECK(fault(q, {k3_apex, k3_xw, edit(k3_a, "1 1 12", "1 1 11")}) == ProofFault::inconsistent_params);
  }
  SUBCASE("an NSEC3 of another zone") {
    CHECK(fault(q, {k3_apex, k3_xw, edit(k3_a, ".example.", ".example.org.")}) == ProofFault::wrong_zone);
  }
  SUBCASE("an owner that is not a hash") {
    CHECK(fault(q,
                {k3_apex, k3_xw, edit(k3_a, "35mthgpgcu1qg68fab165klnsnk3dpvl", "35mthgpgcu1qg68fab165klnsnk3dpvz")}) ==
          ProofFault::malformed);
  }
}

TEST_CASE("denial proof: NSEC3 from above a zone cut (RFC 5155 §8.3, RFC 6840 §4.1)") {
  // x.a.example (57f4sv1fhvka0gtgatdoh58en15okokk) is covered by 35mt.. -> b4um.., and
  // a.example matches 35mt..: but a.example is a delegation (NS, no SOA), it cannot be the
  // closest encloser of a name below it.
  CHECK(fault({.qname = "x.a.example.", .kind = ResponseKind::nxdomain}, {k3_a, k3_apex}) == ProofFault::wrong_zone);
  // mc.a.example (dbailvo8qk97mkp548hssernt7a1ji4k) is covered by b4um.. -> gjeq...
  CHECK(fault({.qname = "mc.a.example.", .kind = ResponseKind::nxdomain}, {k3_a, k3_xw}) == ProofFault::wrong_zone);
  // A DNAME at the closest encloser x.w.example redirects what lies below it.
  CHECK(fault({.qname = "a.c.x.w.example.", .kind = ResponseKind::nxdomain},
              {k3_apex, edit(k3_xw, "MX RRSIG", "DNAME RRSIG"), k3_a}) == ProofFault::wrong_zone);
  CHECK(fault({.qname = "a.example.", .qtype = dns::rrtype::a, .kind = ResponseKind::nodata}, {k3_a}) ==
        ProofFault::wrong_zone);
  CHECK(fault({.qname = "a.example.", .qtype = dns::rrtype::ds, .kind = ResponseKind::nodata}, {k3_a}) ==
        ProofFault::type_present);
}

TEST_CASE("denial proof: NSEC3 no data (RFC 5155 B.2)") {
  // ns1.example MX: 2t7b.. matches, A RRSIG only.
  const Query q{.qname = "ns1.example.", .qtype = dns::rrtype::mx, .kind = ResponseKind::nodata};
  const ProofResult r = check(q, {k3_ns1});
  CHECK(r.fault == ProofFault::none);
  CHECK_FALSE(r.opt_out);
  CHECK(r.iterations == 12);
  SUBCASE("MX in the bitmap") {
    CHECK(fault(q, {edit(k3_ns1, " A RRSIG", " A MX RRSIG")}) == ProofFault::type_present);
  }
  SUBCASE("CNAME in the bitmap") {
    CHECK(fault(q, {edit(k3_ns1, " A RRSIG", " CNAME RRSIG")}) == ProofFault::type_present);
  }
  SUBCASE("no matching NSEC3, no Opt-Out cover") {
    // ns1.example: closest encloser example, next closer ns1.example itself is covered by
    // nothing present.
    CHECK(fault(q, {k3_apex}) == ProofFault::no_matching_record);
    CHECK(fault(q, {k3_xw}) == ProofFault::no_matching_record);
  }
  SUBCASE("iterations above the cap") {
    Query capped = q;
    capped.max_iterations = 0;
    CHECK(fault(capped, {k3_ns1}) == ProofFault::too_many_iterations);
  }
}

TEST_CASE("denial proof: NSEC3 no data at an empty non-terminal (RFC 5155 B.2.1)") {
  // y.w.example A: ji6n.. matches with an empty bitmap.
  CHECK(fault({.qname = "y.w.example.", .qtype = dns::rrtype::a, .kind = ResponseKind::nodata}, {k3_yw}) ==
        ProofFault::none);
  CHECK(fault({.qname = "y.w.example.", .qtype = dns::rrtype::a, .kind = ResponseKind::nodata}, {k3_w}) ==
        ProofFault::no_matching_record);
}

TEST_CASE("denial proof: NSEC3 referral to an Opt-Out unsigned zone (RFC 5155 B.3)") {
  // mc.c.example MX: referral to c.example (4g6p9u5gvfshp30pqecj98b3maqbn1ck), which has no
  // NSEC3; closest encloser example (0p9m..), next closer c.example covered by the Opt-Out
  // 35mt.. -> b4um...
  const Query q{.qname = "c.example.", .qtype = dns::rrtype::mx, .kind = ResponseKind::referral_no_ds};
  const ProofResult r = check(q, {k3_apex, k3_a});
  CHECK(r.fault == ProofFault::none);
  CHECK(r.opt_out);
  SUBCASE("the covering record without Opt-Out") {
    CHECK(fault(q, {k3_apex, no_opt_out(k3_a)}) == ProofFault::no_matching_record);
  }
  SUBCASE("without the closest encloser") {
    CHECK(fault(q, {k3_a}) == ProofFault::no_matching_record);
  }
  SUBCASE("a DS query for c.example (RFC 5155 §8.6)") {
    const ProofResult ds =
        check({.qname = "c.example.", .qtype = dns::rrtype::ds, .kind = ResponseKind::nodata}, {k3_apex, k3_a});
    CHECK(ds.fault == ProofFault::none);
    CHECK(ds.opt_out);
    CHECK(fault({.qname = "c.example.", .qtype = dns::rrtype::ds, .kind = ResponseKind::nodata},
                {k3_apex, no_opt_out(k3_a)}) == ProofFault::no_matching_record);
  }
  SUBCASE("a signed delegation") {
    CHECK(fault({.qname = "a.example.", .kind = ResponseKind::referral_no_ds}, {k3_a}) == ProofFault::type_present);
  }
  SUBCASE("a name that is no delegation") {
    CHECK(fault({.qname = "ns1.example.", .kind = ResponseKind::referral_no_ds}, {k3_ns1}) ==
          ProofFault::no_matching_record);
  }
}

TEST_CASE("denial proof: NSEC3 wildcard expansion (RFC 5155 B.4)") {
  // a.z.w.example MX from *.w.example, RRSIG Labels 2: next closer z.w.example
  // (qlu7gtfaeh0ek0c05ksfhdpbcgglbe03) covered by q04j.. -> r53b...
  const Query q{
      .qname = "a.z.w.example.", .qtype = dns::rrtype::mx, .kind = ResponseKind::wildcard_answer, .wildcard_labels = 2};
  const ProofResult r = check(q, {k3_ns2});
  CHECK(r.fault == ProofFault::none);
  CHECK(r.opt_out); // q04j.. has Opt-Out, as every record of RFC 5155 Appendix A
  CHECK_FALSE(check(q, {no_opt_out(k3_ns2)}).opt_out);
  SUBCASE("the next closer not covered") {
    CHECK(fault(q, {k3_wild}) == ProofFault::qname_not_covered);
  }
  SUBCASE("the next hash shifted onto the next closer's") {
    CHECK(fault(q, {edit(k3_ns2, "r53bq7cc2uvmubfu5ocmm6pers9tk9en", "qlu7gtfaeh0ek0c05ksfhdpbcgglbe03")}) ==
          ProofFault::qname_not_covered);
  }
  SUBCASE("impossible Labels") {
    Query bad = q;
    bad.wildcard_labels = 4;
    CHECK(fault(bad, {k3_ns2}) == ProofFault::malformed);
  }
  SUBCASE("iterations above the cap") {
    Query capped = q;
    capped.max_iterations = 11;
    CHECK(fault(capped, {k3_ns2}) == ProofFault::too_many_iterations);
  }
}

TEST_CASE("denial proof: NSEC3 wildcard expansion needs the next closer name denied") {
  // a.x.w.example with Labels 2: the next closer x.w.example exists (b4um.. matches it), no
  // NSEC3 covers it.
  CHECK(fault({.qname = "a.x.w.example.",
               .qtype = dns::rrtype::mx,
               .kind = ResponseKind::wildcard_answer,
               .wildcard_labels = 2},
              {k3_xw, k3_ns2}) == ProofFault::qname_not_covered);
}

TEST_CASE("denial proof: NSEC3 no data through Opt-Out for a type other than DS (RFC 5155 erratum 3441)") {
  // No NSEC3 matches c.example; the closest encloser proof's next closer c.example is covered by
  // the Opt-Out 35mt..: an unsigned delegation may be there, the answer is insecure.
  const ProofResult r =
      check({.qname = "c.example.", .qtype = dns::rrtype::a, .kind = ResponseKind::nodata}, {k3_apex, k3_a});
  CHECK(r.fault == ProofFault::none);
  CHECK(r.opt_out);
}

TEST_CASE("denial proof: the qname's case does not matter") {
  // Names compare case-insensitively and NSEC3 hashes the lower-case form (RFC 5155 §5).
  const dns::Bytes zone = name("example.");
  const auto run = [&](const std::string& qname, ResponseKind kind, const std::vector<std::string>& records) {
    std::vector<dns::Rr> rrs;
    for (const std::string& text : records) {
      rrs.push_back(dns::parse_rr(text).value());
    }
    return dnssec::check_denial_proof(name(qname), dns::rrtype::a, kind, zone, rrs).fault;
  };
  CHECK(run("A.C.X.W.Example.", ResponseKind::nxdomain, {k3_apex, k3_xw, k3_a}) == ProofFault::none);
  CHECK(run("ML.Example.", ResponseKind::nxdomain, {k_b, k_apex}) == ProofFault::none);
  CHECK(run("Y.W.EXAMPLE.", ResponseKind::nodata, {k3_yw}) == ProofFault::none);
}

TEST_CASE("denial proof: NSEC3 wildcard no data (RFC 5155 B.5)") {
  // a.z.w.example AAAA: closest encloser w.example (k8ud..), next closer z.w.example covered by
  // q04j.., the wildcard *.w.example (r53b..) matched, MX RRSIG only.
  const Query q{.qname = "a.z.w.example.", .qtype = dns::rrtype::aaaa, .kind = ResponseKind::wildcard_nodata};
  const ProofResult r = check(q, {k3_w, k3_ns2, k3_wild});
  CHECK(r.fault == ProofFault::none);
  CHECK(r.opt_out);
  SUBCASE("Labels given and consistent") {
    Query with_labels = q;
    with_labels.wildcard_labels = 2;
    CHECK(fault(with_labels, {k3_w, k3_ns2, k3_wild}) == ProofFault::none);
    with_labels.wildcard_labels = 1;
    CHECK(fault(with_labels, {k3_w, k3_ns2, k3_wild}) == ProofFault::qname_not_covered);
  }
  SUBCASE("the wildcard lists AAAA") {
    CHECK(fault(q, {k3_w, k3_ns2, edit(k3_wild, "MX RRSIG", "MX AAAA RRSIG")}) == ProofFault::type_present);
  }
  SUBCASE("without the wildcard's NSEC3") {
    CHECK(fault(q, {k3_w, k3_ns2}) == ProofFault::no_matching_record);
  }
  SUBCASE("without the next closer cover") {
    CHECK(fault(q, {k3_w, k3_wild}) == ProofFault::qname_not_covered);
  }
  SUBCASE("without the closest encloser") {
    CHECK(fault(q, {k3_ns2, k3_wild}) == ProofFault::no_closest_encloser);
  }
}

TEST_CASE("denial proof: NSEC3 DS no data from the child zone (RFC 5155 B.6)") {
  // example DS answered by the example zone itself: the apex NSEC3 (SOA set) is the child's.
  CHECK(fault({.qname = "example.", .qtype = dns::rrtype::ds, .kind = ResponseKind::nodata}, {k3_apex}) ==
        ProofFault::wrong_zone);
}

TEST_CASE("denial proof: fault names") {
  CHECK(dnssec::to_string(ProofFault::none) == "none");
  CHECK(dnssec::to_string(ProofFault::wildcard_not_denied) == "wildcard-not-denied");
  CHECK(dnssec::to_string(ProofFault::too_many_iterations) == "too-many-iterations");
  CHECK(dnssec::to_string(ResponseKind::referral_no_ds) == "referral-no-ds");
}

TEST_CASE("denial proof: a record that stops short of the name shows a chain gap") {
  const Query q{.qname = "ml.example.", .kind = ResponseKind::nxdomain};
  SUBCASE("NSEC: the record before the qname points to a name before it") {
    // b.example -> mk.example is the record closest before ml.example, and mk.example < ml.example:
    // the server holds no NSEC at mk.example.
    const ProofResult r = check(q, {edit(k_b, "ns1.example.", "mk.example."), k_apex});
    CHECK(r.fault == ProofFault::qname_not_covered);
    CHECK(r.gap_owner == "b.example.");
    CHECK(r.gap_next == "mk.example.");
  }
  SUBCASE("NSEC: the closest record is the one that counts, not the wildcard's") {
    // example -> a.example (the wildcard denial) precedes ml.example too, but b.example is closer.
    const ProofResult r = check(q, {edit(k_b, "ns1.example.", "mk.example."), k_apex});
    CHECK(r.gap_owner != "example.");
  }
  SUBCASE("NSEC: a next name equal to the qname says it exists, not a gap") {
    const ProofResult r = check(q, {edit(k_b, "ns1.example.", "ml.example."), k_apex});
    CHECK(r.fault == ProofFault::qname_not_covered);
    CHECK(r.gap_next.empty());
  }
  SUBCASE("NSEC: a proof that holds has no gap") {
    CHECK(check(q, {k_b, k_apex}).gap_next.empty());
  }
  const Query q3{.qname = "a.c.x.w.example.", .kind = ResponseKind::nxdomain};
  SUBCASE("NSEC3: the record before the next closer's hash (0va5..) points below it") {
    const ProofResult r =
        check(q3, {edit(k3_apex, "2t7b4g4vsa5smi47k61mv5bv1a22bojr", "0qaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), k3_xw, k3_a});
    CHECK(r.fault == ProofFault::qname_not_covered);
    CHECK(r.gap_owner == "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example.");
    CHECK(r.gap_next == "0qaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.");
  }
  SUBCASE("NSEC3: the last record of the ring wraps to a hash below the name's") {
    // No record below 0va5..: the closest before it is the last of the ring, *.w.example's
    // r53b.. here, pointing past the end to 0p9m.. (the apex, whose record is absent), which is
    // below 0va5..: the server holds no NSEC3 at 0p9m...
    const ProofResult r =
        check(q3, {edit(k3_wild, "t644ebqk9bibcna874givr6joj62mlhv", "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom"), k3_xw, k3_a});
    CHECK(r.fault == ProofFault::qname_not_covered);
    CHECK(r.gap_owner == "r53bq7cc2uvmubfu5ocmm6pers9tk9en.example.");
    CHECK(r.gap_next == "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example.");
  }
  SUBCASE("NSEC3: a next hash equal to the name's is no gap") {
    const ProofResult r =
        check(q3, {edit(k3_apex, "2t7b4g4vsa5smi47k61mv5bv1a22bojr", "0va5bpr2ou0vk0lbqeeljri88laipsfh"), k3_xw, k3_a});
    CHECK(r.fault == ProofFault::qname_not_covered);
    CHECK(r.gap_next.empty());
  }
}

} // namespace zw_test_denial_proof
