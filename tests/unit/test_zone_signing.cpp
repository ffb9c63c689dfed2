// The signature-completeness helpers (src/rules/zone_signing.hpp) and the four rules that
// use them, on zones built in memory: which RRsets must be signed, the apex keys, SOA EXPIRE,
// the cap on findings, and where each rule stops.

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "dns/zone_layout.hpp"
#include "dns/zone_store.hpp"
#include "dnssec/keys.hpp"
#include "rules/rule_context.hpp"
#include "rules/zone_signing.hpp"
#include "zonewarden/rule.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_zone_signing {

using namespace zw;
namespace zs = zw::rules::zone_signing;

namespace {

constexpr std::int64_t k_now = 1'800'000'000; // 2027-01-15
constexpr std::int64_t k_day = 86400;

dns::Bytes wire(const char* text) {
  return dns::name_from_text(text).value();
}

void put16(dns::Bytes& b, std::uint32_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
void put32(dns::Bytes& b, std::uint32_t v) {
  put16(b, v >> 16);
  put16(b, v & 0xFFFF);
}

dns::Bytes dnskey_rdata(std::uint16_t flags, std::uint8_t algorithm, std::uint8_t seed) {
  dns::Bytes r;
  put16(r, flags);
  r.push_back(3);
  r.push_back(algorithm);
  for (int i = 0; i < 64; ++i) {
    r.push_back(static_cast<std::uint8_t>(seed + i * 7));
  }
  return r;
}

struct Sig {
  std::uint8_t algorithm = 13;
  std::uint16_t tag = 0;
  std::uint32_t original_ttl = 3600;
  std::int64_t inception = k_now - k_day;
  std::int64_t expiration = k_now + 30 * k_day;
};

// A zone under construction: records in presentation format or RRSIGs built field by field.
class ZoneBuilder {
public:
  explicit ZoneBuilder(const char* apex = "example.") : m_apex(wire(apex)) {}

  void rr(const std::string& text) {
    const dns::Rr r = dns::parse_rr(text).value();
    REQUIRE(m_builder.add(r, 0, ++m_line).has_value());
  }
  // Adds a DNSKEY at the apex and returns its key tag.
  std::uint16_t key(std::uint16_t flags, std::uint8_t algorithm, std::uint8_t seed) {
    const dns::Bytes r = dnskey_rdata(flags, algorithm, seed);
    REQUIRE(m_builder.add(m_apex, dns::rrtype::dnskey, 3600, r, 0, ++m_line).has_value());
    return dnssec::key_tag(r);
  }
  void sig(const char* owner, std::uint16_t covered, const Sig& s, std::uint32_t ttl = 3600) {
    const dns::Bytes o = wire(owner);
    dns::Bytes r;
    put16(r, covered);
    r.push_back(s.algorithm);
    r.push_back(static_cast<std::uint8_t>(dns::label_count(o)));
    put32(r, s.original_ttl);
    put32(r, static_cast<std::uint32_t>(s.expiration));
    put32(r, static_cast<std::uint32_t>(s.inception));
    put16(r, s.tag);
    r.insert(r.end(), m_apex.begin(), m_apex.end());
    for (int i = 0; i < 64; ++i) {
      r.push_back(static_cast<std::uint8_t>(i));
    }
    REQUIRE(m_builder.add(o, dns::rrtype::rrsig, ttl, r, 0, ++m_line).has_value());
  }
  dns::ZoneStore finish() && { return std::move(m_builder).finish(m_apex); }

private:
  dns::Bytes m_apex;
  dns::ZoneStoreBuilder m_builder;
  std::uint32_t m_line = 0;
};

class Collect final : public FindingSink {
public:
  void add(Finding finding) override { findings.push_back(std::move(finding)); }
  void add_graded(Finding finding) override {
    graded.push_back(true);
    findings.push_back(std::move(finding));
  }
  std::vector<Finding> findings;
  std::vector<bool> graded;
};

std::vector<Finding> run(const char* rule_id, const dns::ZoneStore& store, std::int64_t window = 3 * k_day,
                         const dnssec::ZoneDnssec& dnssec = {}) {
  const dns::ZoneLayout layout = dns::ZoneLayout::compute(store);
  const ZoneFileInput file{&store, &layout, "test.zone", false};
  RuleOptions options;
  options.expiry_window_s = window;
  const RuleContext ctx(dns::name_to_text(store.origin()), file, dnssec, k_now, options);
  const Rule* rule = find_rule(rule_id);
  REQUIRE(rule != nullptr);
  Collect sink;
  rule->check(ctx, sink);
  return sink.findings;
}

std::vector<std::string> where(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) {
    out.push_back(f.location.owner + " " + f.location.type);
  }
  return out;
}

// A small signed zone: apex SOA/NS/DNSKEY, www A, a delegation with DS and glue, all signed by
// the ZSK `tag` except the delegation NS and glue.
void base_zone(ZoneBuilder& z, std::uint16_t tag, const Sig& proto = {}, std::uint32_t soa_expire = 1209600) {
  z.rr("example. 3600 IN SOA ns1.example. hostmaster.example. 1 7200 3600 " + std::to_string(soa_expire) + " 300");
  z.rr("example. 3600 IN NS ns1.example.");
  z.rr("ns1.example. 3600 IN A 192.0.2.1");
  z.rr("www.example. 3600 IN A 192.0.2.80");
  z.rr("sub.example. 3600 IN NS ns.sub.example.");
  z.rr("sub.example. 3600 IN DS 12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF");
  z.rr("ns.sub.example. 3600 IN A 192.0.2.53");
  Sig s = proto;
  s.tag = tag;
  for (const auto& [owner, type] :
       std::vector<std::pair<const char*, std::uint16_t>>{{"example.", dns::rrtype::soa},
                                                          {"example.", dns::rrtype::ns},
                                                          {"example.", dns::rrtype::dnskey},
                                                          {"ns1.example.", dns::rrtype::a},
                                                          {"www.example.", dns::rrtype::a},
                                                          {"sub.example.", dns::rrtype::ds}}) {
    z.sig(owner, type, s);
  }
}

} // namespace

TEST_CASE("rules::zone_signing::must_be_signed (RFC 4035 §2.2)") {
  using dns::NameRole;
  namespace t = dns::rrtype;
  CHECK(zs::must_be_signed(NameRole::apex, t::soa));
  CHECK(zs::must_be_signed(NameRole::apex, t::dnskey));
  CHECK(zs::must_be_signed(NameRole::apex, t::nsec3param));
  CHECK_FALSE(zs::must_be_signed(NameRole::apex, t::rrsig));
  CHECK(zs::must_be_signed(NameRole::authoritative, t::a));
  CHECK(zs::must_be_signed(NameRole::authoritative, t::nsec3));
  CHECK(zs::must_be_signed(NameRole::authoritative, t::dname));
  CHECK(zs::must_be_signed(NameRole::delegation, t::ds));
  CHECK(zs::must_be_signed(NameRole::delegation, t::nsec));
  CHECK(zs::must_be_signed(NameRole::delegation, t::nsec3));
  CHECK_FALSE(zs::must_be_signed(NameRole::delegation, t::ns));
  CHECK_FALSE(zs::must_be_signed(NameRole::delegation, t::a));
  CHECK_FALSE(zs::must_be_signed(NameRole::below_delegation, t::a));
  CHECK_FALSE(zs::must_be_signed(NameRole::below_dname, t::a));
  CHECK_FALSE(zs::must_be_signed(NameRole::out_of_zone, t::a));
}

TEST_CASE("rules::zone_signing::soa_expire") {
  const dns::Rr soa = dns::parse_rr("example. 3600 IN SOA ns1.example. h.example. 1 7200 3600 1209600 300").value();
  CHECK(zs::soa_expire(soa.rdata) == 1209600U);
  dns::Bytes truncated = soa.rdata;
  truncated.resize(truncated.size() - 1);
  CHECK_FALSE(zs::soa_expire(truncated).has_value());
  CHECK_FALSE(zs::soa_expire(std::span<const std::uint8_t>()).has_value());

  ZoneBuilder z;
  z.rr("example. 3600 IN SOA ns1.example. h.example. 1 7200 3600 604800 300");
  CHECK(zs::soa_expire(std::move(z).finish()) == 604800U);
  ZoneBuilder none;
  none.rr("www.example. 3600 IN A 192.0.2.1");
  CHECK_FALSE(zs::soa_expire(std::move(none).finish()).has_value());
}

TEST_CASE("rules::zone_signing::ApexKeys active keys and algorithms") {
  ZoneBuilder z;
  const std::uint16_t ksk = z.key(257, 13, 1);
  const std::uint16_t zsk = z.key(256, 13, 2);
  const std::uint16_t revoked = z.key(257 | 0x0080, 8, 3);
  const std::uint16_t not_zone = z.key(0, 15, 4);
  const dns::ZoneStore store = std::move(z).finish();
  const zs::ApexKeys keys = zs::ApexKeys::of(store);
  CHECK(keys.zone_is_signed());
  CHECK(keys.keys().size() == 4);
  CHECK(std::vector<std::uint8_t>(keys.active_algorithms().begin(), keys.active_algorithms().end()) ==
        std::vector<std::uint8_t>{13});
  dnssec::RrsigView sig;
  const dns::Bytes apex = wire("EXAMPLE.");
  sig.signer = apex;
  sig.algorithm = 13;
  sig.key_tag = zsk;
  CHECK(keys.by_active_key(sig));
  sig.key_tag = ksk;
  CHECK(keys.by_active_key(sig));
  sig.algorithm = 8;
  CHECK_FALSE(keys.by_active_key(sig)); // tag of a key of another algorithm
  sig.key_tag = revoked;
  CHECK_FALSE(keys.by_active_key(sig));
  sig.algorithm = 15;
  sig.key_tag = not_zone;
  CHECK_FALSE(keys.by_active_key(sig));
  const dns::Bytes other = wire("other.");
  sig.signer = other;
  sig.algorithm = 13;
  sig.key_tag = zsk;
  CHECK_FALSE(keys.by_active_key(sig));

  ZoneBuilder unsigned_zone;
  unsigned_zone.rr("example. 3600 IN SOA ns1.example. h.example. 1 7200 3600 604800 300");
  CHECK_FALSE(zs::ApexKeys::of(std::move(unsigned_zone).finish()).zone_is_signed());
}

TEST_CASE("dnssec::find_signing_key: the key an RRSIG names, as a validator looks it up (RFC 4035 §5.3.1)") {
  ZoneBuilder z;
  const std::uint16_t zsk = z.key(256, 13, 2);
  const std::uint16_t revoked = z.key(257 | 0x0080, 13, 3);
  const std::uint16_t not_zone = z.key(0, 13, 4);
  const dns::ZoneStore store = std::move(z).finish();
  std::vector<dns::Bytes> rdatas;
  const std::optional<dns::RrsetView> set = store.find(store.origin(), dns::rrtype::dnskey);
  REQUIRE(set);
  for (std::size_t i = 0; i < set->size(); ++i) {
    rdatas.emplace_back(set->rdata(i).begin(), set->rdata(i).end());
  }
  const dnssec::KeyRing ring(store.origin(), rdatas);
  dnssec::RrsigView sig;
  const dns::Bytes apex = wire("example.");
  sig.signer = apex;
  sig.algorithm = 13;
  const auto status = [&](std::uint16_t tag) {
    sig.key_tag = tag;
    return dnssec::find_signing_key(sig, ring).status;
  };
  CHECK(status(zsk) == dnssec::SigStatus::valid);
  CHECK(status(revoked) == dnssec::SigStatus::key_revoked);
  CHECK(status(not_zone) == dnssec::SigStatus::key_not_zone_key);
  CHECK(status(static_cast<std::uint16_t>(zsk + 1)) == dnssec::SigStatus::key_missing);
  const dns::Bytes other = wire("other.");
  sig.signer = other;
  CHECK(status(zsk) == dnssec::SigStatus::wrong_signer);
}

TEST_CASE("rules::zone_signing::RrsetGroup keeps the most telling RRset and a bounded list") {
  ZoneBuilder z;
  for (int i = 0; i < 20; ++i) {
    z.rr("h" + std::to_string(100 + i) + ".example. 3600 IN A 192.0.2.1");
  }
  z.rr("example. 3600 IN DNSKEY 256 3 13 AAAA");
  const dns::ZoneStore store = std::move(z).finish();
  zs::RrsetGroup group;
  for (const dns::RrsetView r : store.rrsets()) {
    if (r.type() == dns::rrtype::a) {
      group.add(r, store.origin());
    }
  }
  group.add(*store.find(store.origin(), dns::rrtype::dnskey), store.origin());
  CHECK(group.size() == 21);
  CHECK(zs::rrset_text(group.telling()) == "example. DNSKEY");
  CHECK(group.list_text() == "example. DNSKEY, h100.example. A, h101.example. A, h102.example. A and 17 more");
  Finding f;
  group.add_evidence(f);
  REQUIRE(f.evidence.size() == zs::RrsetGroup::k_evidence + 1);
  CHECK(f.evidence.front().find("example. DNSKEY") != std::string::npos);
  CHECK(f.evidence.back() == "and 11 more RRsets");
}

TEST_CASE("dnssec/rrsig-missing") {
  SUBCASE("one unsigned RRset; NS and glue at a cut are not signed") {
    ZoneBuilder z;
    const std::uint16_t tag = z.key(256, 13, 1);
    base_zone(z, tag);
    z.rr("mail.example. 3600 IN A 192.0.2.25");
    const std::vector<Finding> f = run("dnssec/rrsig-missing", std::move(z).finish());
    CHECK(where(f) == std::vector<std::string>{"mail.example. A"});
  }
  SUBCASE("a signature by a key the apex does not publish still counts as present") {
    ZoneBuilder z;
    const std::uint16_t tag = z.key(256, 13, 1);
    base_zone(z, tag);
    z.rr("mail.example. 3600 IN A 192.0.2.25");
    z.sig("mail.example.", dns::rrtype::a, Sig{.algorithm = 8, .tag = 4711});
    CHECK(run("dnssec/rrsig-missing", std::move(z).finish()).empty());
  }
  SUBCASE("keys but never signed: one finding at the DNSKEY RRset") {
    ZoneBuilder z;
    z.key(257, 13, 1);
    z.rr("example. 3600 IN SOA ns1.example. hostmaster.example. 1 7200 3600 1209600 300");
    for (int i = 0; i < 80; ++i) {
      z.rr("h" + std::to_string(i) + ".example. 3600 IN A 192.0.2.1");
    }
    const std::vector<Finding> f = run("dnssec/rrsig-missing", std::move(z).finish());
    CHECK(where(f) == std::vector<std::string>{"example. DNSKEY"});
  }
  SUBCASE("at most 50 findings, then one summary with the count") {
    ZoneBuilder z;
    const std::uint16_t tag = z.key(256, 13, 1);
    base_zone(z, tag);
    for (int i = 0; i < 60; ++i) {
      z.rr("h" + std::to_string(100 + i) + ".example. 3600 IN A 192.0.2.1");
    }
    const std::vector<Finding> f = run("dnssec/rrsig-missing", std::move(z).finish());
    REQUIRE(f.size() == zs::k_finding_cap + 1);
    CHECK(f.back().message.find("and 10 more") == 0);
    CHECK(f.back().location.owner == "h150.example.");
  }
  SUBCASE("unsigned zone: quiet") {
    ZoneBuilder z;
    z.rr("example. 3600 IN SOA ns1.example. hostmaster.example. 1 7200 3600 1209600 300");
    z.rr("www.example. 3600 IN A 192.0.2.80");
    CHECK(run("dnssec/rrsig-missing", std::move(z).finish()).empty());
  }
}

TEST_CASE("dnssec/algorithm-coverage") {
  SUBCASE("two RRsets lack the RSA signature: one finding for the algorithm") {
    ZoneBuilder z;
    const std::uint16_t ec = z.key(256, 13, 1);
    const std::uint16_t rsa = z.key(256, 8, 2);
    base_zone(z, ec);
    for (const auto& [owner, type] :
         std::vector<std::pair<const char*, std::uint16_t>>{{"example.", dns::rrtype::soa},
                                                            {"example.", dns::rrtype::ns},
                                                            {"example.", dns::rrtype::dnskey},
                                                            {"sub.example.", dns::rrtype::ds}}) {
      z.sig(owner, type, Sig{.algorithm = 8, .tag = rsa});
    }
    const std::vector<Finding> f = run("dnssec/algorithm-coverage", std::move(z).finish());
    REQUIRE(where(f) == std::vector<std::string>{"ns1.example. A"});
    CHECK(f[0].message.find("2 of 6 signed RRsets") == 0);
    CHECK(f[0].severity == Severity::error);
  }
  SUBCASE("the algorithm signs nothing: located at the apex SOA") {
    ZoneBuilder z;
    const std::uint16_t ec = z.key(256, 13, 1);
    z.key(257, 8, 2);
    base_zone(z, ec);
    const std::vector<Finding> f = run("dnssec/algorithm-coverage", std::move(z).finish());
    CHECK(where(f) == std::vector<std::string>{"example. SOA"});
  }
  SUBCASE("a DS RRset without the algorithm makes it a warning") {
    ZoneBuilder z;
    const std::uint16_t ec = z.key(256, 13, 1);
    z.key(257, 8, 2);
    base_zone(z, ec);
    dnssec::ZoneDnssec d;
    d.ds_known = true;
    dnssec::DsRecord ds;
    ds.key_tag = ec;
    ds.algorithm = 13;
    d.ds.push_back(ds);
    const std::vector<Finding> f = run("dnssec/algorithm-coverage", std::move(z).finish(), 3 * k_day, d);
    REQUIRE(f.size() == 1);
    CHECK(f[0].severity == Severity::warning);
  }
  SUBCASE("a revoked key's algorithm is not required") {
    ZoneBuilder z;
    const std::uint16_t ec = z.key(256, 13, 1);
    z.key(257 | 0x0080, 8, 2);
    base_zone(z, ec);
    CHECK(run("dnssec/algorithm-coverage", std::move(z).finish()).empty());
  }
  SUBCASE("an RRset with no RRSIG is rrsig-missing's alone") {
    ZoneBuilder z;
    const std::uint16_t ec = z.key(256, 13, 1);
    const std::uint16_t rsa = z.key(256, 8, 2);
    base_zone(z, ec);
    for (const auto& [owner, type] :
         std::vector<std::pair<const char*, std::uint16_t>>{{"example.", dns::rrtype::soa},
                                                            {"example.", dns::rrtype::ns},
                                                            {"example.", dns::rrtype::dnskey},
                                                            {"ns1.example.", dns::rrtype::a},
                                                            {"www.example.", dns::rrtype::a},
                                                            {"sub.example.", dns::rrtype::ds}}) {
      z.sig(owner, type, Sig{.algorithm = 8, .tag = rsa});
    }
    z.rr("mail.example. 3600 IN A 192.0.2.25");
    CHECK(run("dnssec/algorithm-coverage", std::move(z).finish()).empty());
  }
}

TEST_CASE("dnssec/rrsig-validity-below-soa-expire") {
  const auto zone = [](std::int64_t expiration) {
    ZoneBuilder z;
    const std::uint16_t tag = z.key(256, 13, 1);
    base_zone(z, tag, Sig{.expiration = expiration});
    return std::move(z).finish();
  };
  SUBCASE("10 days left, EXPIRE 14 days: one finding for the key") {
    const std::vector<Finding> f = run("dnssec/rrsig-validity-below-soa-expire", zone(k_now + 10 * k_day));
    REQUIRE(where(f) == std::vector<std::string>{"example. SOA"});
    CHECK(f[0].message.find("over 6 RRset(s)") != std::string::npos);
  }
  SUBCASE("beyond EXPIRE, inside the expiring-soon window, or expired: quiet") {
    CHECK(run("dnssec/rrsig-validity-below-soa-expire", zone(k_now + 15 * k_day)).empty());
    CHECK(run("dnssec/rrsig-validity-below-soa-expire", zone(k_now + 2 * k_day)).empty());
    CHECK(run("dnssec/rrsig-validity-below-soa-expire", zone(k_now - 1)).empty());
  }
  SUBCASE("a later signature of the same algorithm keeps the RRset valid") {
    ZoneBuilder z;
    const std::uint16_t tag = z.key(256, 13, 1);
    const std::uint16_t next = z.key(256, 13, 2);
    base_zone(z, tag, Sig{.expiration = k_now + 10 * k_day});
    base_zone(z, next, Sig{.expiration = k_now + 20 * k_day});
    CHECK(run("dnssec/rrsig-validity-below-soa-expire", std::move(z).finish()).empty());
  }
}

TEST_CASE("dnssec/rrsig-ttl-mismatch") {
  SUBCASE("RRset TTL differs from the Original TTL") {
    ZoneBuilder z;
    const std::uint16_t tag = z.key(256, 13, 1);
    base_zone(z, tag);
    z.rr("mail.example. 7200 IN A 192.0.2.25");
    z.sig("mail.example.", dns::rrtype::a, Sig{.tag = tag, .original_ttl = 3600}, 7200);
    const std::vector<Finding> f = run("dnssec/rrsig-ttl-mismatch", std::move(z).finish());
    REQUIRE(where(f) == std::vector<std::string>{"mail.example. A"});
    CHECK(f[0].message.find("Original TTL 3600") != std::string::npos);
  }
  SUBCASE("an RRSIG TTL lowered by the signer to the validity period is not compared") {
    ZoneBuilder z;
    const std::uint16_t tag = z.key(256, 13, 1);
    base_zone(z, tag);
    z.rr("mail.example. 3600 IN A 192.0.2.25");
    z.sig("mail.example.", dns::rrtype::a, Sig{.tag = tag}, 60);
    CHECK(run("dnssec/rrsig-ttl-mismatch", std::move(z).finish()).empty());
  }
  SUBCASE("RRs of one RRset with different TTLs are zone/ttl-mismatch's") {
    ZoneBuilder z;
    const std::uint16_t tag = z.key(256, 13, 1);
    base_zone(z, tag);
    z.rr("mail.example. 3600 IN A 192.0.2.25");
    z.rr("mail.example. 7200 IN A 192.0.2.26");
    z.sig("mail.example.", dns::rrtype::a, Sig{.tag = tag});
    CHECK(run("dnssec/rrsig-ttl-mismatch", std::move(z).finish()).empty());
  }
  SUBCASE("TTL outlives the signature: grouped per key, outside the expiring-soon window only") {
    ZoneBuilder z;
    const std::uint16_t tag = z.key(256, 13, 1);
    base_zone(z, tag, Sig{.expiration = k_now + 1800}, 600); // TTLs 3600, SOA EXPIRE 600
    const dns::ZoneStore store = std::move(z).finish();
    const std::vector<Finding> f = run("dnssec/rrsig-ttl-mismatch", store, 300);
    CHECK(where(f) == std::vector<std::string>{"example. SOA"});
    CHECK(run("dnssec/rrsig-ttl-mismatch", store, 3 * k_day).empty());
  }
  SUBCASE("TTL outlives a signature that also ends before SOA EXPIRE: that rule's finding alone") {
    ZoneBuilder z;
    const std::uint16_t tag = z.key(256, 13, 1);
    base_zone(z, tag, Sig{.expiration = k_now + 1800});
    const dns::ZoneStore store = std::move(z).finish();
    CHECK(run("dnssec/rrsig-ttl-mismatch", store, 300).empty());
    const std::vector<Finding> f = run("dnssec/rrsig-validity-below-soa-expire", store, 300);
    REQUIRE(f.size() == 1);
    CHECK(std::any_of(f[0].evidence.begin(), f[0].evidence.end(),
                      [](const std::string& e) { return e.find("6 of these RRsets have a TTL") == 0; }));
  }
  SUBCASE("healthy: quiet") {
    ZoneBuilder z;
    const std::uint16_t tag = z.key(256, 13, 1);
    base_zone(z, tag);
    CHECK(run("dnssec/rrsig-ttl-mismatch", std::move(z).finish()).empty());
  }
}

} // namespace zw_test_zone_signing
