#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "audit/collecting_sink.hpp"
#include "crypto/verifier.hpp"
#include "dns/rr.hpp"
#include "dns/zone_store.hpp"
#include "dnssec/algorithm_registry.hpp"
#include "dnssec/keys.hpp"
#include "dnssec/zone_analysis.hpp"
#include "rules/rule_context.hpp"
#include "zonewarden/rule.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_algorithm_registry {

using namespace zw;
using dnssec::Recommendation;

TEST_CASE("dnssec::algorithm_registry is sorted, unique and names every algorithm of the brief") {
  const auto algorithms = dnssec::algorithm_registry();
  CHECK(std::is_sorted(algorithms.begin(), algorithms.end(),
                       [](const auto& a, const auto& b) { return a.number < b.number; }));
  CHECK(std::adjacent_find(algorithms.begin(), algorithms.end(),
                           [](const auto& a, const auto& b) { return a.number == b.number; }) == algorithms.end());
  for (const int n : {1, 3, 5, 6, 7, 8, 10, 12, 13, 14, 15, 16, 17, 23, 253, 254}) {
    CAPTURE(n);
    const dnssec::AlgorithmInfo* a = dnssec::find_algorithm(static_cast<std::uint8_t>(n));
    REQUIRE(a != nullptr);
    CHECK_FALSE(a->mnemonic.empty());
    // RFC 9904 gives every DNSSEC algorithm a value in all four columns.
    CHECK(a->use_signing != Recommendation::none);
    CHECK(a->use_validation != Recommendation::none);
    CHECK(a->implement_signing != Recommendation::none);
    CHECK(a->implement_validation != Recommendation::none);
    // RFC 9904 §2.2: MUST is not an allowed value of the "Use for" columns.
    CHECK(a->use_signing != Recommendation::must);
    CHECK(a->use_validation != Recommendation::must);
  }
  const auto digests = dnssec::digest_registry();
  CHECK(
      std::is_sorted(digests.begin(), digests.end(), [](const auto& a, const auto& b) { return a.number < b.number; }));
  for (int n = 0; n <= 6; ++n) {
    CHECK(dnssec::find_digest(static_cast<std::uint8_t>(n)) != nullptr);
  }
  CHECK_FALSE(dnssec::k_registry_snapshot.date.empty());
  CHECK_FALSE(dnssec::k_registry_snapshot.source.empty());
}

TEST_CASE("dnssec::algorithm_registry holds the RFC 9904 values with RFC 9905 applied") {
  const dnssec::AlgorithmInfo& rsasha256 = *dnssec::find_algorithm(8);
  CHECK(rsasha256.use_signing == Recommendation::recommended);
  CHECK(rsasha256.implement_validation == Recommendation::must);
  CHECK(dnssec::find_algorithm(13)->implement_signing == Recommendation::must);
  CHECK(dnssec::find_algorithm(15)->use_signing == Recommendation::recommended);
  CHECK(dnssec::find_algorithm(14)->use_signing == Recommendation::may);
  CHECK(dnssec::find_algorithm(16)->use_signing == Recommendation::may);
  CHECK(dnssec::find_algorithm(10)->use_signing == Recommendation::not_recommended);
  // RFC 9905 §5 changed only "Use for DNSSEC Signing" of 5 and 7.
  for (const std::uint8_t sha1 : {5, 7}) {
    const dnssec::AlgorithmInfo& a = *dnssec::find_algorithm(sha1);
    CHECK(a.use_signing == Recommendation::must_not);
    CHECK(a.use_validation == Recommendation::recommended);
    CHECK(a.implement_signing == Recommendation::not_recommended);
    CHECK(a.implement_validation == Recommendation::must);
  }
  CHECK(dnssec::find_algorithm(12)->use_validation == Recommendation::may);
  CHECK(dnssec::find_algorithm(6)->use_validation == Recommendation::must_not);

  CHECK(dnssec::find_digest(1)->use_delegation == Recommendation::must_not);
  CHECK(dnssec::find_digest(1)->implement_validation == Recommendation::must);
  CHECK(dnssec::find_digest(2)->use_delegation == Recommendation::recommended);
  CHECK(dnssec::find_digest(3)->use_delegation == Recommendation::must_not);
  CHECK(dnssec::find_digest(4)->use_delegation == Recommendation::may);
}

TEST_CASE("dnssec::signing_discouraged follows the registry") {
  for (const std::uint8_t quiet : {8, 13, 14, 15, 16, 17, 23, 253, 254}) {
    CAPTURE(static_cast<int>(quiet));
    CHECK_FALSE(dnssec::signing_discouraged(quiet));
  }
  for (const std::uint8_t loud : {0, 1, 2, 3, 5, 6, 7, 10, 12, 252}) {
    CAPTURE(static_cast<int>(loud));
    CHECK(dnssec::signing_discouraged(loud));
  }
  // Unassigned and reserved numbers: the registry says nothing (algorithm-unsupported-here does).
  for (const std::uint8_t silent : {4, 9, 11, 18, 99, 200, 255}) {
    CHECK_FALSE(dnssec::signing_discouraged(silent));
  }
}

TEST_CASE("dnssec digest recommendations") {
  CHECK(dnssec::delegation_discouraged(0));
  CHECK(dnssec::delegation_discouraged(1));
  CHECK_FALSE(dnssec::delegation_discouraged(2));
  CHECK(dnssec::delegation_discouraged(3));
  CHECK_FALSE(dnssec::delegation_discouraged(4));
  CHECK_FALSE(dnssec::delegation_discouraged(5));
  CHECK_FALSE(dnssec::delegation_discouraged(77));
  for (const std::uint8_t ok : {1, 2, 4}) {
    CHECK(dnssec::digest_expected_in_validators(ok));
  }
  for (const std::uint8_t optional : {0, 3, 5, 6, 7, 253}) {
    CHECK_FALSE(dnssec::digest_expected_in_validators(optional));
  }
}

TEST_CASE("dnssec algorithm and digest names for messages") {
  CHECK(dnssec::algorithm_text(8) == "8 (RSASHA256)");
  CHECK(dnssec::algorithm_text(7) == "7 (RSASHA1-NSEC3-SHA1)");
  CHECK(dnssec::algorithm_text(253) == "253 (PRIVATEDNS)");
  CHECK(dnssec::algorithm_text(99) == "99 (unassigned)");
  CHECK(dnssec::algorithm_text(4) == "4 (reserved)");
  CHECK(dnssec::algorithm_text(200) == "200 (reserved)");
  CHECK(dnssec::algorithm_text(255) == "255 (reserved)");
  CHECK(dnssec::digest_text(1) == "1 (SHA-1)");
  CHECK(dnssec::digest_text(3) == "3 (GOST R 34.11-94)");
  CHECK(dnssec::digest_text(9) == "9 (unassigned)");
  CHECK(dnssec::digest_text(200) == "200 (reserved)");
  CHECK(dnssec::digest_text(254) == "254 (private use)");
  CHECK(dnssec::to_string(Recommendation::not_recommended) == "NOT RECOMMENDED");
  CHECK(dnssec::to_string(Recommendation::none).empty());
}

TEST_CASE("dnssec registry and this build's verifiers agree on what validators must implement") {
  // Every algorithm a validator MUST implement is one this build verifies, so a healthy zone is
  // never reported as dnssec/algorithm-unsupported-here.
  for (const dnssec::AlgorithmInfo& a : dnssec::algorithm_registry()) {
    if (a.implement_validation == Recommendation::must || a.implement_validation == Recommendation::recommended) {
      CAPTURE(static_cast<int>(a.number));
      CHECK(crypto::is_supported_algorithm(a.number));
    }
  }
}

// ---- the key rules on a hand-made zone: grading and the 50-finding cap ------------------------

namespace {

// A zone "example." whose apex DNSKEY RRset holds `keys` (presentation RRs), with the KeyRecords
// a zone-file analysis would make of them.
struct KeyZone {
  dns::ZoneStore store;
  dnssec::ZoneDnssec dnssec;
  ZoneFileInput input;

  explicit KeyZone(const std::vector<std::string>& keys) {
    dns::ZoneStoreBuilder builder;
    REQUIRE(builder.add(dns::parse_rr("example. 3600 IN SOA ns.example. h.example. 1 2 3 4 5").value()));
    for (const std::string& text : keys) {
      const dns::Rr rr = dns::parse_rr(text).value();
      REQUIRE(builder.add(rr));
      dnssec::KeyRecord k;
      k.text = dns::to_text(rr);
      k.key_tag = dnssec::key_tag(rr.rdata);
      k.algorithm = rr.rdata[3];
      k.flags = static_cast<std::uint16_t>((rr.rdata[0] << 8) | rr.rdata[1]);
      dnssec.keys.push_back(k);
    }
    store = std::move(builder).finish(dns::name_from_text("example.").value());
    input.store = &store; // the key rules read no layout
  }

  std::vector<Finding> run(std::string_view id, const RuleOptions& options = {}) const {
    const Rule* rule = find_rule(id);
    REQUIRE(rule != nullptr);
    std::vector<Finding> out;
    audit::CollectingSink sink(rule->info(), "example.", out); // the engine's sink, with its cap
    const RuleContext ctx("example.", input, dnssec, 1'800'000'000, options);
    rule->check(ctx, sink);
    sink.finish();
    return out;
  }
};

// An ECDSAP256SHA256 DNSKEY of "example." with made-up key material (the rules never verify it).
std::string ecdsa_key(int flags, int seed) {
  dns::Rr rr;
  rr.owner = dns::name_from_text("example.").value();
  rr.type = dns::rrtype::dnskey;
  rr.ttl = 3600;
  rr.rdata = {static_cast<std::uint8_t>(flags >> 8), static_cast<std::uint8_t>(flags & 0xFF), 3, 13};
  std::uint64_t x = static_cast<std::uint64_t>(seed) + 1;
  for (int i = 0; i < 64; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL; // PCG's LCG step
    rr.rdata.push_back(static_cast<std::uint8_t>(x >> 56));
  }
  return dns::to_text(rr);
}

} // namespace

TEST_CASE("rules dnssec/key-revoked grades by who else signs the DNSKEY RRset") {
  KeyZone zone({ecdsa_key(385, 1), ecdsa_key(257, 2), ecdsa_key(256, 3)});
  REQUIRE(zone.run("dnssec/key-revoked").size() == 1);
  CHECK(zone.run("dnssec/key-revoked")[0].severity == Severity::warning);

  // Only the revoked key signs the DNSKEY RRset: validators ignore that signature.
  zone.dnssec.keys[0].signs_dnskey = true;
  std::vector<Finding> f = zone.run("dnssec/key-revoked");
  REQUIRE(f.size() == 1);
  CHECK(f[0].severity == Severity::error);
  CHECK(f[0].resolver.ede == Ede::dnssec_bogus);

  // Another live key of the algorithm signs it too: a rollover in progress.
  zone.dnssec.keys[1].signs_dnskey = true;
  CHECK(zone.run("dnssec/key-revoked")[0].severity == Severity::warning);

  // --ds names only the revoked key.
  zone.input.ds_given = true;
  zone.dnssec.keys[0].matched_by_ds = true;
  f = zone.run("dnssec/key-revoked");
  CHECK(f[0].severity == Severity::error);
  CHECK(f[0].resolver.ede == Ede::dnskey_missing);
  zone.dnssec.keys[1].matched_by_ds = true; // and the new KSK as well
  CHECK(zone.run("dnssec/key-revoked")[0].severity == Severity::warning);
}

TEST_CASE("rules dnssec/key-revoked reports at most 50 keys, then one summary") {
  std::vector<std::string> keys;
  for (int i = 0; i < 60; ++i) {
    keys.push_back(ecdsa_key(385, 10 + i));
  }
  const KeyZone zone(keys);
  const std::vector<Finding> f = zone.run("dnssec/key-revoked");
  REQUIRE(f.size() == 51);
  CHECK(f.back().message == "and 10 more revoked keys (only the first 50 are reported one by one)");
  CHECK(f.back().location.type == "DNSKEY");
  // Every held-back key by its message: they all sit at the DNSKEY RRset.
  REQUIRE(f.back().evidence.size() == 10);
  std::set<std::string> messages;
  for (std::size_t i = 0; i < 50; ++i) {
    messages.insert(f[i].message);
  }
  for (const std::string& line : f.back().evidence) {
    CHECK(line.find("has the REVOKE flag") != std::string::npos);
    CHECK(messages.insert(line).second); // a key of its own, not one reported above
  }
  CHECK(f.back().severity == Severity::warning);
}

TEST_CASE("rules dnssec/algorithm-deprecated: registry by default, the policy when it lists algorithms") {
  const KeyZone zone({ecdsa_key(257, 1), ecdsa_key(256, 2)});
  CHECK(zone.run("dnssec/algorithm-deprecated").empty());
  RuleOptions rsa_only;
  rsa_only.allowed_algorithms = {8};
  const std::vector<Finding> f = zone.run("dnssec/algorithm-deprecated", rsa_only);
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("not allowed by policy") != std::string::npos);
  CHECK(f[0].location.type == "DNSKEY");
  RuleOptions ecdsa_ok;
  ecdsa_ok.allowed_algorithms = {8, 13};
  CHECK(zone.run("dnssec/algorithm-deprecated", ecdsa_ok).empty());
}

TEST_CASE("rules dnssec/key-tag-collision counts a revoked key with its post-revocation tag") {
  // Find two seeds whose keys collide once one of them is revoked: tag(revoked a) == tag(b).
  const auto tag_of = [](const std::string& text) { return dnssec::key_tag(dns::parse_rr(text).value().rdata); };
  int a = -1;
  int b = -1;
  std::map<std::uint16_t, int> live;
  for (int seed = 0; seed < 5000 && a < 0; ++seed) {
    live.emplace(tag_of(ecdsa_key(257, seed)), seed);
    const auto it = live.find(tag_of(ecdsa_key(385, seed)));
    if (it != live.end() && it->second != seed) {
      a = seed;
      b = it->second;
    }
  }
  REQUIRE(a >= 0);
  const KeyZone zone({ecdsa_key(385, a), ecdsa_key(257, b)});
  const std::vector<Finding> f = zone.run("dnssec/key-tag-collision");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("2 DNSKEYs share key tag") == 0);
  // Unrevoked, the same two keys have different tags.
  CHECK(KeyZone({ecdsa_key(257, a), ecdsa_key(257, b)}).run("dnssec/key-tag-collision").empty());
}

} // namespace zw_test_algorithm_registry
