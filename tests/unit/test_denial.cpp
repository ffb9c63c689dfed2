#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "dns/zone_layout.hpp"
#include "dns/zone_store.hpp"
#include "dnssec/denial.hpp"
#include "test_temp_dir.hpp"
#include "zonewarden/audit.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_denial {

using namespace zw;
using dnssec::DenialAnalysis;
using dnssec::Nsec3FaultKind;
using dnssec::NsecFaultKind;

namespace {

dns::Bytes name(const std::string& text) {
  return dns::name_from_text(text).value();
}

std::string hash_of(const std::string& owner, const dnssec::Nsec3Params& params) {
  dnssec::Nsec3Hasher hasher(params);
  dnssec::Nsec3Hash h{};
  REQUIRE(hasher.hash(dns::lowercased(name(owner)), h));
  return dnssec::base32hex(h);
}

// A zone and its analysis; the analysis holds views into the store and layout.
struct Analysed {
  std::unique_ptr<dns::ZoneStore> store;
  std::unique_ptr<dns::ZoneLayout> layout;
  DenialAnalysis d;

  std::vector<NsecFaultKind> nsec_kinds() const {
    std::vector<NsecFaultKind> out;
    for (const auto& f : d.nsec) {
      out.push_back(f.kind);
    }
    return out;
  }
  std::vector<Nsec3FaultKind> nsec3_kinds() const {
    std::vector<Nsec3FaultKind> out;
    for (const auto& f : d.nsec3) {
      out.push_back(f.kind);
    }
    return out;
  }
};

Analysed analyse(const std::vector<std::string>& lines, const char* origin = "example.") {
  dns::ZoneStoreBuilder b;
  std::uint32_t line = 0;
  for (const std::string& text : lines) {
    const auto rr = dns::parse_rr(text);
    REQUIRE_MESSAGE(rr.has_value(), text);
    REQUIRE(b.add(*rr, 0, ++line).has_value());
  }
  Analysed a;
  a.store = std::make_unique<dns::ZoneStore>(std::move(b).finish(name(origin)));
  a.layout = std::make_unique<dns::ZoneLayout>(dns::ZoneLayout::compute(*a.store));
  a.d = dnssec::analyse_denial(*a.store, *a.layout);
  return a;
}

const char* const k_dnskey = "example. 300 IN DNSKEY 257 3 13 "
                             "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==";

// example. -> a -> b -> ns -> sub -> example.; ns.sub is glue.
std::vector<std::string> nsec_zone() {
  return {
      "example. 300 IN SOA ns.example. h.example. 1 2 3 4 300",
      "example. 300 IN NS ns.example.",
      k_dnskey,
      "example. 300 IN NSEC a.example. NS SOA RRSIG NSEC DNSKEY",
      "a.example. 300 IN A 192.0.2.1",
      "a.example. 300 IN NSEC b.example. A RRSIG NSEC",
      "b.example. 300 IN TXT \"b\"",
      "b.example. 300 IN NSEC ns.example. TXT RRSIG NSEC",
      "ns.example. 300 IN A 192.0.2.53",
      "ns.example. 300 IN NSEC sub.example. A RRSIG NSEC",
      "sub.example. 300 IN NS ns.sub.example.",
      "sub.example. 300 IN NSEC example. NS RRSIG NSEC",
      "ns.sub.example. 300 IN A 192.0.2.2",
  };
}

std::vector<std::string> without(std::vector<std::string> lines, const std::string& prefix) {
  lines.erase(std::remove_if(lines.begin(), lines.end(), [&](const std::string& l) { return l.rfind(prefix, 0) == 0; }),
              lines.end());
  return lines;
}

std::vector<std::string> replaced(std::vector<std::string> lines, const std::string& prefix, const std::string& line) {
  for (std::string& l : lines) {
    if (l.rfind(prefix, 0) == 0) {
      l = line;
    }
  }
  return lines;
}

// An NSEC3 zone over: apex, a (A), x.b (TXT; b is an empty non-terminal), ns (A), sub (an
// insecure delegation with glue ns.sub). `omit`: names whose NSEC3 is left out (the ring skips
// them); `extra`: names of no record whose NSEC3 is added (stray); `flags`: the NSEC3 flags.
struct Nsec3Zone {
  dnssec::Nsec3Params params;
  std::set<std::string> omit;
  std::set<std::string> extra;
  int flags = 0;
  bool nsec3param = true;
  std::string nsec3param_salt = "-";

  std::vector<std::string> lines() const {
    std::vector<std::string> out = {
        "example. 300 IN SOA ns.example. h.example. 1 2 3 4 300",
        "example. 300 IN NS ns.example.",
        k_dnskey,
        "a.example. 300 IN A 192.0.2.1",
        "x.b.example. 300 IN TXT \"x\"",
        "ns.example. 300 IN A 192.0.2.53",
        "sub.example. 300 IN NS ns.sub.example.",
        "ns.sub.example. 300 IN A 192.0.2.2",
    };
    std::string salt = "-";
    if (!params.salt.empty()) {
      salt.clear();
      for (const std::uint8_t b : params.salt) {
        salt += "0123456789abcdef"[b >> 4];
        salt += "0123456789abcdef"[b & 15];
      }
    }
    if (nsec3param) {
      out.push_back("example. 300 IN NSEC3PARAM 1 0 " + std::to_string(params.iterations) + " " +
                    (nsec3param_salt == "-" ? salt : nsec3param_salt));
    }
    const std::map<std::string, std::string> types = {{"example.", "NS SOA RRSIG DNSKEY NSEC3PARAM"},
                                                      {"a.example.", "A RRSIG"},
                                                      {"b.example.", ""},
                                                      {"x.b.example.", "TXT RRSIG"},
                                                      {"ns.example.", "A RRSIG"},
                                                      {"sub.example.", "NS"}};
    std::map<std::string, std::string> ring; // hash -> name
    for (const auto& [owner, t] : types) {
      if (omit.count(owner) == 0) {
        ring[hash_of(owner, params)] = owner;
      }
    }
    for (const std::string& owner : extra) {
      ring[hash_of(owner, params)] = owner;
    }
    for (auto it = ring.begin(); it != ring.end(); ++it) {
      auto next = std::next(it) == ring.end() ? ring.begin() : std::next(it);
      const auto t = types.find(it->second);
      out.push_back(it->first + ".example. 300 IN NSEC3 1 " + std::to_string(flags) + " " +
                    std::to_string(params.iterations) + " " + salt + " " + next->first + " " +
                    (t == types.end() ? std::string("A RRSIG") : t->second));
    }
    return out;
  }
};

} // namespace

TEST_CASE("dnssec::Nsec3Hasher RFC 5155 Appendix A vectors (salt aabbccdd, 12 iterations)") {
  dnssec::Nsec3Params p;
  p.iterations = 12;
  p.salt = {0xaa, 0xbb, 0xcc, 0xdd};
  CHECK(hash_of("example.", p) == "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom");
  CHECK(hash_of("a.example.", p) == "35mthgpgcu1qg68fab165klnsnk3dpvl");
  CHECK(hash_of("ai.example.", p) == "gjeqe526plbf1g8mklp59enfd789njgi");
  CHECK(hash_of("ns1.example.", p) == "2t7b4g4vsa5smi47k61mv5bv1a22bojr");
  CHECK(hash_of("ns2.example.", p) == "q04jkcevqvmu85r014c7dkba38o0ji5r");
  CHECK(hash_of("w.example.", p) == "k8udemvp1j2f7eg6jebps17vp3n8i58h");
  CHECK(hash_of("*.w.example.", p) == "r53bq7cc2uvmubfu5ocmm6pers9tk9en");
  CHECK(hash_of("x.w.example.", p) == "b4um86eghhds6nea196smvmlo4ors995");
  CHECK(hash_of("y.w.example.", p) == "ji6neoaepv8b5o6k4ev33abha8ht9fgc");
  CHECK(hash_of("x.y.w.example.", p) == "2vptu5timamqttgl4luu9kg21e0aor3s");
  CHECK(hash_of("xx.example.", p) == "t644ebqk9bibcna874givr6joj62mlhv");
  // Case does not matter once lowercased; an unknown algorithm hashes nothing.
  CHECK(hash_of("EXAMPLE.", p) == "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom");
  dnssec::Nsec3Params unknown = p;
  unknown.algorithm = 2;
  dnssec::Nsec3Hasher hasher(unknown);
  dnssec::Nsec3Hash h{};
  CHECK_FALSE(hasher.hash(name("example."), h));
}

TEST_CASE("dnssec::base32hex round trip and rejects") {
  const dns::Bytes bytes = {0x00, 0x44, 0x32, 0x14, 0xc7, 0x42, 0x54, 0xb6, 0x35, 0xcf,
                            0x84, 0x65, 0x3a, 0x56, 0xd7, 0xc6, 0x75, 0xbe, 0x77, 0xdf};
  const std::string text = dnssec::base32hex(bytes);
  CHECK(text.size() == 32);
  dns::Bytes back;
  CHECK(dnssec::base32hex_decode(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()), back));
  CHECK(back == bytes);
  const std::string upper = "0P9MHAVEQVM6T7VBL5LOP2U3T2RP3TOM";
  CHECK(dnssec::base32hex_decode(std::span(reinterpret_cast<const std::uint8_t*>(upper.data()), upper.size()), back));
  CHECK(back.size() == 20);
  const std::string bad = "0p9mhaveqvm6t7vbl5lop2u3t2rp3tow"; // 'w' is outside the alphabet
  CHECK_FALSE(dnssec::base32hex_decode(std::span(reinterpret_cast<const std::uint8_t*>(bad.data()), bad.size()), back));
}

TEST_CASE("dnssec::parse_type_bitmap") {
  std::vector<std::uint16_t> types;
  // A (1), MX (15), RRSIG (46), NSEC (47), then TYPE1234 (window 4, bit 210).
  dns::Bytes bitmap = {0x00, 0x06, 0x40, 0x01, 0x00, 0x00, 0x00, 0x03, 0x04, 0x1b};
  bitmap.resize(bitmap.size() + 26, 0);
  bitmap.push_back(0x20); // 1234 = 4 * 256 + 26 * 8 + 2
  CHECK(dnssec::parse_type_bitmap(bitmap, types));
  CHECK(types == std::vector<std::uint16_t>{1, 15, 46, 47, 1234});
  types.clear();
  CHECK_FALSE(dnssec::parse_type_bitmap(dns::Bytes{0x00, 0x00}, types));                         // empty window
  CHECK_FALSE(dnssec::parse_type_bitmap(dns::Bytes{0x01, 0x01, 0x80, 0x00, 0x01, 0x40}, types)); // out of order
  CHECK_FALSE(dnssec::parse_type_bitmap(dns::Bytes{0x00, 0x05, 0x40}, types));                   // truncated
}

TEST_CASE("dnssec::analyse_denial NSEC chain") {
  SUBCASE("a correct chain has no fault") {
    const Analysed a = analyse(nsec_zone());
    CHECK(a.d.zone_signed);
    CHECK(a.d.mechanism == dnssec::DenialMechanism::nsec);
    CHECK(a.d.names == 5);
    CHECK(a.d.nsec.empty());
    CHECK(a.d.bitmaps.empty());
    CHECK(a.d.nsec3.empty());
    CHECK(a.d.params.empty());
  }
  SUBCASE("a dropped NSEC is one missing name, the previous pointer is right") {
    const Analysed a = analyse(without(nsec_zone(), "b.example. 300 IN NSEC"));
    REQUIRE(a.nsec_kinds() == std::vector{NsecFaultKind::missing});
    CHECK(dns::name_to_text(a.d.nsec[0].name) == "b.example.");
  }
  SUBCASE("a name added after signing is ONE gap fault naming it, not also a missing NSEC") {
    auto lines = without(nsec_zone(), "b.example. 300 IN NSEC");
    lines = replaced(lines, "a.example. 300 IN NSEC", "a.example. 300 IN NSEC ns.example. A RRSIG NSEC");
    const Analysed a = analyse(lines);
    REQUIRE(a.nsec_kinds() == std::vector{NsecFaultKind::bad_next});
    const auto& f = a.d.nsec[0];
    CHECK(dns::name_to_text(f.name) == "a.example.");
    CHECK(dns::name_to_text(f.next) == "ns.example.");
    CHECK(dns::name_to_text(f.expected) == "b.example.");
    CHECK(f.next_exists);
    CHECK(f.skipped.total == 1);
    CHECK(f.skipped_without_nsec == 1);
    CHECK(dns::name_to_text(f.skipped.names[0]) == "b.example.");
  }
  SUBCASE("a next name that does not exist") {
    const Analysed a =
        analyse(replaced(nsec_zone(), "a.example. 300 IN NSEC", "a.example. 300 IN NSEC aa.example. A RRSIG NSEC"));
    REQUIRE(a.nsec_kinds() == std::vector{NsecFaultKind::bad_next});
    CHECK_FALSE(a.d.nsec[0].next_exists);
    CHECK(a.d.nsec[0].skipped.total == 0);
  }
  SUBCASE("the chain does not close at the apex") {
    const Analysed a =
        analyse(replaced(nsec_zone(), "sub.example. 300 IN NSEC", "sub.example. 300 IN NSEC a.example. NS RRSIG NSEC"));
    REQUIRE(a.nsec_kinds() == std::vector{NsecFaultKind::not_closed});
    CHECK(a.d.nsec[0].skipped.total == 1); // the apex
  }
  SUBCASE("an NSEC at glue") {
    auto lines = nsec_zone();
    lines.push_back("ns.sub.example. 300 IN NSEC example. A RRSIG NSEC");
    const Analysed a = analyse(lines);
    REQUIRE(a.nsec_kinds() == std::vector{NsecFaultKind::unexpected});
    CHECK(a.d.nsec[0].role == dns::NameRole::below_delegation);
  }
  SUBCASE("type bitmaps: an absent type listed, a glue type listed, a present type omitted") {
    auto lines = replaced(nsec_zone(), "a.example. 300 IN NSEC", "a.example. 300 IN NSEC b.example. A AAAA RRSIG NSEC");
    lines = replaced(lines, "sub.example. 300 IN NSEC", "sub.example. 300 IN NSEC example. A NS RRSIG NSEC");
    lines = replaced(lines, "b.example. 300 IN NSEC", "b.example. 300 IN NSEC ns.example. RRSIG NSEC");
    const Analysed a = analyse(lines);
    CHECK(a.d.nsec.empty());
    REQUIRE(a.d.bitmaps.size() == 3);
    CHECK(a.d.bitmaps[0].listed_absent == std::vector<std::uint16_t>{dns::rrtype::aaaa});
    CHECK(a.d.bitmaps[1].present_unlisted == std::vector<std::uint16_t>{dns::rrtype::txt});
    CHECK(a.d.bitmaps[2].listed_absent == std::vector<std::uint16_t>{dns::rrtype::a});
    CHECK(a.d.bitmaps[2].role == dns::NameRole::delegation);
  }
  SUBCASE("signed, with no NSEC and no NSEC3") {
    auto lines = nsec_zone();
    lines.erase(std::remove_if(lines.begin(), lines.end(),
                               [](const std::string& l) { return l.find(" NSEC ") != std::string::npos; }),
                lines.end());
    const Analysed a = analyse(lines);
    CHECK(a.d.mechanism == dnssec::DenialMechanism::none);
    CHECK(a.nsec_kinds() == std::vector{NsecFaultKind::no_denial});
  }
}

TEST_CASE("dnssec::analyse_denial NSEC3 chain") {
  SUBCASE("a correct chain has no fault") {
    const Nsec3Zone z;
    const Analysed a = analyse(z.lines());
    CHECK(a.d.mechanism == dnssec::DenialMechanism::nsec3);
    CHECK(a.d.nsec3_checked);
    CHECK(a.d.chain_records == 6); // 5 names and the empty non-terminal b
    CHECK(a.d.nsec3.empty());
    CHECK(a.d.bitmaps.empty());
    CHECK(a.d.params.empty());
    CHECK(a.d.nsec.empty());
  }
  SUBCASE("salted and iterated chains hash with their parameters") {
    Nsec3Zone z;
    z.params.iterations = 10;
    z.params.salt = {0xaa, 0xbb, 0xcc, 0xdd};
    const Analysed a = analyse(z.lines());
    CHECK(a.d.nsec3.empty());
    REQUIRE(a.d.chain);
    CHECK(a.d.chain->iterations == 10);
    CHECK(dnssec::to_text(*a.d.chain) == "SHA-1, 10 iterations, salt aabbccdd");
  }
  SUBCASE("above k_max_hashed_iterations the chain is not hashed: bounded work, no chain verdict") {
    // 65,535 iterations for every name of a large zone would take hours; RFC 9276 §3.2 lets
    // validators stop far earlier. The records still describe a chain (its parameters are
    // known, so dnssec/nsec3-parameters reports them), but no name is hashed.
    Nsec3Zone z;
    z.params.iterations = 65535;
    const Analysed a = analyse(z.lines());
    REQUIRE(a.d.chain);
    CHECK(a.d.chain->iterations == 65535);
    CHECK(a.d.nsec3_not_hashed == 65535);
    CHECK_FALSE(a.d.nsec3_checked);
    CHECK(a.d.nsec3.empty());
  }
  SUBCASE("at k_max_hashed_iterations the chain is still hashed") {
    Nsec3Zone z;
    z.params.iterations = dnssec::k_max_hashed_iterations;
    const Analysed a = analyse(z.lines());
    CHECK(a.d.nsec3_not_hashed == 0);
    CHECK(a.d.nsec3_checked);
    CHECK(a.d.nsec3.empty());
  }
  SUBCASE("a record dropped with the ring left pointing at it: one missing name") {
    Nsec3Zone z;
    auto lines = z.lines();
    lines = without(lines, hash_of("a.example.", z.params) + ".example.");
    const Analysed a = analyse(lines);
    REQUIRE(a.nsec3_kinds() == std::vector{Nsec3FaultKind::missing});
    CHECK(dns::name_to_text(a.d.nsec3[0].name) == "a.example.");
    CHECK_FALSE(a.d.nsec3[0].optional);
  }
  SUBCASE("a name left out of the ring: one gap naming it") {
    Nsec3Zone z;
    z.omit = {"x.b.example."};
    const Analysed a = analyse(z.lines());
    REQUIRE(a.nsec3_kinds() == std::vector{Nsec3FaultKind::bad_next});
    CHECK(a.d.nsec3[0].skipped.total == 1);
    CHECK(a.d.nsec3[0].skipped_missing == 1);
    CHECK(dns::name_to_text(a.d.nsec3[0].skipped.names[0]) == "x.b.example.");
  }
  SUBCASE("an empty non-terminal left out") {
    Nsec3Zone z;
    z.omit = {"b.example."};
    const Analysed a = analyse(z.lines());
    REQUIRE(a.nsec3_kinds() == std::vector{Nsec3FaultKind::bad_next});
    CHECK(dns::name_to_text(a.d.nsec3[0].skipped.names[0]) == "b.example.");
  }
  SUBCASE("Opt-Out lets an insecure delegation go without a record") {
    Nsec3Zone z;
    z.flags = 1;
    z.omit = {"sub.example."};
    const Analysed a = analyse(z.lines());
    CHECK(a.d.nsec3.empty());
    CHECK(a.d.params.empty());
    CHECK(a.d.opt_out_records == 5);
  }
  SUBCASE("without Opt-Out an insecure delegation needs its record") {
    Nsec3Zone z;
    z.omit = {"sub.example."};
    const Analysed a = analyse(z.lines());
    // The ring closes over the delegation's hash: one gap that names it.
    REQUIRE(a.nsec3_kinds() == std::vector{Nsec3FaultKind::bad_next});
    CHECK(dns::name_to_text(a.d.nsec3[0].skipped.names[0]) == "sub.example.");
  }
  SUBCASE("a stray record linked into the ring: one stray fault") {
    Nsec3Zone z;
    z.extra = {"gone.example."};
    const Analysed a = analyse(z.lines());
    CHECK(a.nsec3_kinds() == std::vector{Nsec3FaultKind::stray});
  }
  SUBCASE("a stray record not linked into the ring: still one stray fault") {
    Nsec3Zone z;
    auto lines = z.lines();
    const std::string stray = hash_of("gone.example.", z.params);
    lines.push_back(stray + ".example. 300 IN NSEC3 1 0 0 - " + hash_of("a.example.", z.params) + " A RRSIG");
    const Analysed a = analyse(lines);
    CHECK(a.nsec3_kinds() == std::vector{Nsec3FaultKind::stray});
  }
  SUBCASE("NSEC3PARAM missing, or with another salt than the chain") {
    Nsec3Zone z;
    z.nsec3param = false;
    Analysed a = analyse(z.lines());
    CHECK(a.d.nsec3.empty());
    REQUIRE(a.d.params.size() == 1);
    CHECK(a.d.params[0].kind == dnssec::Nsec3ParamFaultKind::missing);
    CHECK(a.d.bitmaps.empty()); // the apex NSEC3 still lists NSEC3PARAM: the same root cause
    z.nsec3param = true;
    z.nsec3param_salt = "aabbccdd";
    a = analyse(z.lines());
    CHECK(a.d.nsec3.empty()); // the chain is judged with its own parameters
    REQUIRE(a.d.params.size() == 1);
    CHECK(a.d.params[0].kind == dnssec::Nsec3ParamFaultKind::mismatch);
  }
  SUBCASE("a second NSEC3PARAM of no chain: one mismatch, not also 'more than one'") {
    Nsec3Zone z;
    auto lines = z.lines();
    lines.push_back("example. 300 IN NSEC3PARAM 1 0 5 beef");
    const Analysed a = analyse(lines);
    CHECK(a.d.nsec3.empty());
    REQUIRE(a.d.params.size() == 1);
    CHECK(a.d.params[0].kind == dnssec::Nsec3ParamFaultKind::mismatch);
    CHECK(a.d.params[0].params.iterations == 5);
  }
  SUBCASE("an NSEC3 bitmap of an empty non-terminal lists a type") {
    Nsec3Zone z;
    auto lines = z.lines();
    const std::string ent = hash_of("b.example.", z.params) + ".example.";
    for (std::string& l : lines) {
      if (l.rfind(ent, 0) == 0) {
        l += " TXT";
      }
    }
    const Analysed a = analyse(lines);
    CHECK(a.d.nsec3.empty());
    REQUIRE(a.d.bitmaps.size() == 1);
    CHECK(a.d.bitmaps[0].nsec3);
    CHECK(a.d.bitmaps[0].ent);
    CHECK(a.d.bitmaps[0].listed_absent == std::vector<std::uint16_t>{dns::rrtype::txt});
  }
}

TEST_CASE("dnssec::analyse_denial hashes many names, one root cause stays one fault") {
  // 200k names with 0 iterations, and one NSEC3 (the apex's) pointing to itself: every name is
  // hashed, and the lone record's pointer skipping all of them is ONE fault, not 200k. Also a
  // smoke test of scale: quadratic work would take minutes here.
  dnssec::Nsec3Params params;
  const std::string apex_hash = hash_of("example.", params);
  dns::ZoneStoreBuilder b;
  for (const std::string& text :
       {std::string("example. 300 IN SOA ns.example. h.example. 1 2 3 4 300"), std::string(k_dnskey),
        std::string("example. 300 IN NSEC3PARAM 1 0 0 -"),
        apex_hash + ".example. 300 IN NSEC3 1 0 0 - " + apex_hash + " SOA RRSIG DNSKEY NSEC3PARAM"}) {
    REQUIRE(b.add(dns::parse_rr(text).value()).has_value());
  }
  const dns::Bytes rdata = {192, 0, 2, 1};
  for (int i = 0; i < 200000; ++i) {
    const dns::Bytes owner = name("n" + std::to_string(i) + ".example.");
    REQUIRE(b.add(owner, dns::rrtype::a, 300, rdata).has_value());
  }
  const dns::ZoneStore store = std::move(b).finish(name("example."));
  const dns::ZoneLayout layout = dns::ZoneLayout::compute(store);
  const DenialAnalysis d = dnssec::analyse_denial(store, layout);
  REQUIRE(d.nsec3.size() == 1);
  CHECK(d.nsec3[0].kind == Nsec3FaultKind::bad_next);
  CHECK(d.nsec3[0].skipped.total == 200000);
  CHECK(d.nsec3[0].skipped_missing == 200000);
  CHECK(d.bitmaps.empty());
}

TEST_CASE("check: the NSEC3 iterations bound reached is internal/audit-incomplete naming it") {
  // The bound is ours (bounded work): the report must say that the chain was not verified, and
  // what validators do with that many iterations, never pass in silence.
  Nsec3Zone z;
  z.params.iterations = dnssec::k_max_hashed_iterations + 1;
  std::string text;
  for (const std::string& line : z.lines()) {
    text += line + "\n";
  }
  const test::TempDir dir;
  const std::string path = dir.file("example.zone", text);
  EngineOptions options;
  options.now = 1'800'000'000;
  const Result<ZoneResult> result = check_zone_file(path, CheckOptions{}, options);
  REQUIRE(result.has_value());
  std::vector<const Finding*> bound;
  for (const Finding& f : result->findings) {
    if (f.rule == "internal/audit-incomplete") {
      bound.push_back(&f);
    }
  }
  REQUIRE(bound.size() == 1);
  CHECK(bound[0]->severity == Severity::error);
  CHECK(bound[0]->message.find("NSEC3 iterations hashed (2500)") != std::string::npos);
  CHECK(std::any_of(bound[0]->evidence.begin(), bound[0]->evidence.end(),
                    [](const std::string& e) { return e.find("Knot Resolver") != std::string::npos; }));
  // The count itself is the zone's fault, reported with what validators do with it.
  CHECK(std::any_of(result->findings.begin(), result->findings.end(),
                    [](const Finding& f) { return f.rule == "dnssec/nsec3-parameters"; }));

  z.params.iterations = dnssec::k_max_hashed_iterations; // at the bound: hashed, no such finding
  text.clear();
  for (const std::string& line : z.lines()) {
    text += line + "\n";
  }
  const Result<ZoneResult> at = check_zone_file(dir.file("at.zone", text), CheckOptions{}, options);
  REQUIRE(at.has_value());
  CHECK(std::none_of(at->findings.begin(), at->findings.end(),
                     [](const Finding& f) { return f.rule == "internal/audit-incomplete"; }));
}

} // namespace zw_test_denial
