// The validator's statuses and the rules that report them (src/rules/verdicts.hpp): every status
// a signature or RRset can fail with is reported by a registered rule (or the engine's
// internal/crypto-disagreement), and each resolver model's predictions are what the lab measured
// (docs/resolvers.md).

#include <doctest/doctest.h>

#include "rules/verdicts.hpp"
#include "zonewarden/audit.hpp"
#include "zonewarden/rule.hpp"

namespace {

using zw::Ede;
using zw::Rcode;
using zw::ResolverImpact;
using zw::ResolverModel;
using zw::dnssec::SigStatus;

constexpr SigStatus k_all[] = {SigStatus::valid,          SigStatus::missing,      SigStatus::key_missing,
                               SigStatus::key_not_zone_key, SigStatus::key_unusable, SigStatus::key_revoked,
                               SigStatus::wrong_signer,   SigStatus::labels_invalid, SigStatus::not_yet_valid,
                               SigStatus::expired,        SigStatus::invalid,      SigStatus::disagreement,
                               SigStatus::unsupported_algorithm, SigStatus::malformed};

bool same(ResolverImpact a, ResolverImpact b) { return a.rcode == b.rcode && a.ede == b.ede; }

} // namespace

TEST_CASE("rules::rule_for names a registered rule for every failing status") {
  // The enum's last value: a status added after it and not to k_all fails here.
  static_assert(static_cast<int>(SigStatus::malformed) + 1 == std::size(k_all));
  for (const SigStatus s : k_all) {
    CAPTURE(zw::dnssec::to_string(s));
    const std::string_view rule = zw::rules::rule_for(s);
    if (s == SigStatus::valid) {
      CHECK(rule.empty());
    } else if (s == SigStatus::disagreement) {
      CHECK(rule == "internal/crypto-disagreement");
    } else {
      CHECK(zw::find_rule(rule) != nullptr);
      // A bogus signature is a SERVFAIL, except one this build cannot check (indeterminate).
      CHECK((zw::rules::impact_of(s).rcode == Rcode::servfail) == (s != SigStatus::unsupported_algorithm));
    }
  }
}

TEST_CASE("rules::rule_for of an RRset: a DNSKEY RRset's own faults belong to the chain rules") {
  zw::dnssec::SignedRrset r;
  r.zone = "example.";
  r.owner = "example.";
  r.type = "DNSKEY";
  r.reason = SigStatus::missing;
  CHECK(zw::rules::rule_for(r) == "dnssec/dnskey-not-signed-by-ds-key");
  r.reason = SigStatus::key_revoked;  // RFC 5011 §2.1: the revoked key's self-signature
  CHECK(zw::rules::rule_for(r) == "dnssec/key-revoked");
  r.type = "SOA";
  CHECK(zw::rules::rule_for(r) == "dnssec/rrsig-key-unusable");
  r.reason = SigStatus::missing;
  CHECK(zw::rules::rule_for(r) == "dnssec/rrsig-missing");
}

TEST_CASE("rules::impact_for_model follows the lab's measurements") {
  using zw::rules::impact_for_model;
  const ResolverImpact key_missing{Rcode::servfail, Ede::dnskey_missing};
  const ResolverImpact expired{Rcode::servfail, Ede::signature_expired};
  const ResolverImpact fine{Rcode::noerror, Ede::none};
  // Unbound: the rules' own predictions.
  CHECK(same(impact_for_model(ResolverModel::unbound, "dnssec/rrsig-key-missing", key_missing), key_missing));
  // BIND 9.18: SERVFAIL without EDE.
  CHECK(same(impact_for_model(ResolverModel::bind, "dnssec/rrsig-expired", expired), {Rcode::servfail, Ede::none}));
  CHECK(same(impact_for_model(ResolverModel::bind, "dnssec/ds-stale", fine), fine));
  // Knot Resolver 5.6: 7, 8 and 10 as Unbound; 12 for a missing DNSKEY RRset or a broken denial; 6 else.
  const auto kresd = [](std::string_view rule, ResolverImpact unbound) {
    return impact_for_model(ResolverModel::knot_resolver, rule, unbound);
  };
  CHECK(same(kresd("dnssec/rrsig-expired", expired), expired));
  CHECK(same(kresd("dnssec/rrsig-missing", {Rcode::servfail, Ede::rrsigs_missing}),
             {Rcode::servfail, Ede::rrsigs_missing}));
  CHECK(same(kresd("dnssec/ds-but-unsigned", key_missing), {Rcode::servfail, Ede::nsec_missing}));
  CHECK(same(kresd("dnssec/denial-proof-invalid", {Rcode::servfail, Ede::dnssec_bogus}),
             {Rcode::servfail, Ede::nsec_missing}));
  CHECK(same(kresd("dnssec/nsec-chain-broken", {Rcode::servfail, Ede::dnssec_bogus}),
             {Rcode::servfail, Ede::nsec_missing}));
  CHECK(same(kresd("dnssec/nsec3-chain-broken", {Rcode::servfail, Ede::dnssec_bogus}),
             {Rcode::servfail, Ede::nsec_missing}));
  CHECK(same(kresd("dnssec/rrsig-key-missing", key_missing), {Rcode::servfail, Ede::dnssec_bogus}));
  CHECK(same(kresd("dnssec/rrsig-key-unusable", {Rcode::servfail, Ede::no_zone_key_bit_set}),
             {Rcode::servfail, Ede::dnssec_bogus}));
  CHECK(same(kresd("dnssec/dnskey-not-signed-by-ds-key", {Rcode::servfail, Ede::rrsigs_missing}),
             {Rcode::servfail, Ede::dnssec_bogus}));
  // Not measured outside DNSSEC: Unbound's prediction stays.
  const ResolverImpact lame{Rcode::servfail, Ede::no_reachable_authority};
  CHECK(same(kresd("delegation/lame-unreachable", lame), lame));
}

TEST_CASE("rules::unbound_skew: a tenth of the validity period, one hour to one day") {
  using zw::rules::unbound_skew;
  CHECK(unbound_skew(0, 30 * 86400) == 86400);  // capped at val-sig-skew-max
  CHECK(unbound_skew(0, 5 * 3600) == 3600);     // raised to val-sig-skew-min
  CHECK(unbound_skew(0, 2 * 86400) == 17280);
}

TEST_CASE("audit: the prober's own failure is internal/probe-failed, never a fault of the zone") {
  zw::Snapshot snapshot;
  zw::ZoneSnapshot zone;
  zone.zone = "example.test.";
  zone.walk_errors = {"internal error asking example.test. for its DNSKEY RRset: boom"};
  snapshot.zones.push_back(zone);
  zw::EngineOptions options;
  options.now = 1'800'000'000;
  const zw::AuditResult result = zw::run_audit_rules(snapshot, options);
  REQUIRE(result.zones.size() == 1);
  bool internal = false;
  for (const zw::Finding& f : result.zones[0].findings) {
    CHECK_MESSAGE(f.rule.rfind("delegation/", 0) != 0, f.rule);  // no server blamed for our bug
    internal = internal || f.rule == "internal/probe-failed";
  }
  CHECK(internal);
}
