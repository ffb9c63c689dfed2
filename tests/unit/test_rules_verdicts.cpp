// The validator's statuses and the rules that report them (src/rules/verdicts.hpp): every status
// a signature or RRset can fail with is reported by a registered rule (or the engine's
// internal/crypto-disagreement), and each resolver model's predictions are what the lab measured
// (docs/resolvers.md).

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "rules/verdicts.hpp"
#include "zonewarden/audit.hpp"
#include "zonewarden/rule.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_rules_verdicts {

namespace {

using zw::Ede;
using zw::Rcode;
using zw::ResolverImpact;
using zw::ResolverModel;
using zw::dnssec::SigStatus;

constexpr SigStatus k_all[] = {SigStatus::valid,
                               SigStatus::missing,
                               SigStatus::key_missing,
                               SigStatus::key_not_zone_key,
                               SigStatus::key_unusable,
                               SigStatus::key_revoked,
                               SigStatus::wrong_signer,
                               SigStatus::labels_invalid,
                               SigStatus::not_yet_valid,
                               SigStatus::expired,
                               SigStatus::invalid,
                               SigStatus::disagreement,
                               SigStatus::unsupported_algorithm,
                               SigStatus::malformed};

bool same(ResolverImpact a, ResolverImpact b) {
  return a.rcode == b.rcode && a.ede == b.ede;
}

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
  r.reason = SigStatus::key_revoked; // RFC 5011 §2.1: the revoked key's self-signature
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
  CHECK(unbound_skew(0, 30 * 86400) == 86400); // capped at val-sig-skew-max
  CHECK(unbound_skew(0, 5 * 3600) == 3600);    // raised to val-sig-skew-min
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
    CHECK_MESSAGE(f.rule.rfind("delegation/", 0) != 0, f.rule); // no server blamed for our bug
    internal = internal || f.rule == "internal/probe-failed";
  }
  CHECK(internal);
}

namespace {

zw::Exchange answered_soa(const std::string& zone) {
  zw::Exchange e;
  e.qname = zone;
  e.qtype = "SOA";
  e.outcome = zw::Outcome::answered;
  e.rcode = 0;
  e.aa = true;
  e.answer = {zone + " 300 IN SOA ns1." + zone + " h.invalid. 1 7200 3600 1209600 300"};
  return e;
}

zw::Exchange not_asked(const std::string& qname, const std::string& qtype, zw::Transport transport) {
  zw::Exchange e;
  e.qname = qname;
  e.qtype = qtype;
  e.transport = transport;
  e.detail = std::string(zw::k_not_sent_by_deadline);
  return e;
}

std::vector<std::string> rules_of(const zw::ZoneResult& z) {
  std::vector<std::string> out;
  for (const zw::Finding& f : z.findings) {
    out.push_back(f.rule);
  }
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& rule) {
  return std::find(v.begin(), v.end(), rule) != v.end();
}

} // namespace

TEST_CASE("audit: what the deadline left unasked is unknown, never a silent server or an insecure chain") {
  // ns1 answered over UDP and TCP; ns2 was probed but its queries were not sent or were cut off
  // by the deadline; ns3 was never probed; ns4's address lookup was cut short; the root's DNSKEY
  // query was never answered.
  const std::string apex = "example.test.";
  zw::Snapshot snapshot;
  snapshot.trust_anchor = {". 3600 IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D"};
  zw::ZoneSnapshot zone;
  zone.zone = apex;
  zone.parent = "test.";
  zone.walk_errors = {"audit deadline reached"};
  zw::ServerProbe ns1{"ns1." + apex, "192.0.2.1", {answered_soa(apex), answered_soa(apex)}};
  ns1.exchanges[1].transport = zw::Transport::tcp;
  zw::ServerProbe ns2{"ns2." + apex,
                      "192.0.2.2",
                      {not_asked(apex, "SOA", zw::Transport::udp), not_asked(apex, "SOA", zw::Transport::tcp)}};
  ns2.exchanges[1].detail = "audit deadline reached before the server answered";
  zone.servers = {ns1, ns2};
  for (const char* name : {"ns1", "ns2", "ns3", "ns4"}) {
    zw::NameServer ns;
    ns.name = std::string(name) + "." + apex;
    ns.at_parent = true;
    zone.name_servers.push_back(ns);
  }
  zone.name_servers[0].addresses = {"192.0.2.1"};
  zone.name_servers[1].addresses = {"192.0.2.2"};
  zone.name_servers[2].addresses = {"192.0.2.3"};
  zone.name_servers[3].resolution_error = std::string(zw::k_lookup_cut_short) + ": audit deadline reached";
  zw::AncestorZone root;
  root.zone = ".";
  root.dnskey = not_asked(".", "DNSKEY", zw::Transport::udp);
  zone.ancestors = {root};
  snapshot.zones.push_back(zone);
  zw::EngineOptions options;
  options.now = 1'800'000'000;
  const zw::AuditResult result = zw::run_audit_rules(snapshot, options);
  REQUIRE(result.zones.size() == 1);
  const zw::ZoneResult& z = result.zones[0];
  const std::vector<std::string> rules = rules_of(z);
  CHECK_MESSAGE(!has(rules, "delegation/lame-unreachable"), "no server blamed for the deadline");
  CHECK_MESSAGE(!has(rules, "protocol/tcp-unsupported"), "a TCP query not answered in time is no verdict");
  CHECK(has(rules, "internal/audit-incomplete"));
  CHECK(z.chain == "indeterminate");
  for (const zw::Finding& f : z.findings) {
    if (f.rule == "internal/audit-incomplete") {
      // ns2 (cut off) and ns3 (never probed): two server addresses; ns2's two questions and the
      // root's DNSKEY query; ns4's lookup.
      CHECK_MESSAGE(f.message.find("2 server address(es) and 3 question(s)") != std::string::npos, f.message);
      CHECK_MESSAGE(f.message.find("1 name-server name(s) not resolved") != std::string::npos, f.message);
    }
  }
}

TEST_CASE("audit: an ancestor's DNSKEY query without an answer is unknown, never a bogus chain") {
  // The root's DNSKEY query timed out, was refused or came back SERVFAIL from the one server the
  // walk asked: a resolver would ask the others. Nothing proves the chain above broken.
  for (const int variant : {0, 1, 2, 3}) {
    CAPTURE(variant);
    zw::Snapshot snapshot;
    snapshot.trust_anchor = {". 3600 IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D"};
    zw::ZoneSnapshot zone;
    zone.zone = "example.test.";
    zone.parent = "test.";
    zw::ServerProbe ns1{"ns1.example.test.", "192.0.2.1", {answered_soa("example.test.")}};
    zone.servers = {ns1};
    zw::NameServer ns;
    ns.name = "ns1.example.test.";
    ns.at_parent = true;
    ns.addresses = {"192.0.2.1"};
    zone.name_servers = {ns};
    zw::AncestorZone root;
    root.zone = ".";
    root.server = "a.root.test./192.0.2.53";
    root.dnskey.qname = ".";
    root.dnskey.qtype = "DNSKEY";
    switch (variant) {
    case 0: root.dnskey.outcome = zw::Outcome::timeout; break;
    case 1: root.dnskey.outcome = zw::Outcome::unreachable; break;
    case 2:
      root.dnskey.outcome = zw::Outcome::answered;
      root.dnskey.rcode = 2;
      break; // SERVFAIL
    default:
      root.dnskey.outcome = zw::Outcome::answered;
      root.dnskey.rcode = 5;
      break; // REFUSED
    }
    zone.ancestors = {root};
    snapshot.zones.push_back(zone);
    zw::EngineOptions options;
    options.now = 1'800'000'000;
    const zw::AuditResult result = zw::run_audit_rules(snapshot, options);
    REQUIRE(result.zones.size() == 1);
    const zw::ZoneResult& z = result.zones[0];
    CHECK(z.chain == "indeterminate");
    CHECK_FALSE(has(rules_of(z), "dnssec/chain-above-bogus"));
  }
}

TEST_CASE("consistency/soa-serial: the newest serial never depends on the order; none is one finding") {
  // Three servers of an unsigned zone. Serials {1, 2, 3}: the two behind are reported. Serials
  // 0, 2^32/3, 2 * 2^32/3: each newer than the one before (RFC 1982), cyclically: no newest.
  const auto run = [](const std::vector<std::uint32_t>& serials) {
    zw::Snapshot snapshot;
    zw::ZoneSnapshot zone;
    zone.zone = "example.test.";
    zone.parent = "test.";
    for (std::size_t i = 0; i < serials.size(); ++i) {
      const std::string name = fmt::format("ns{}.example.test.", i + 1);
      const std::string address = fmt::format("192.0.2.{}", i + 1);
      zw::Exchange soa = answered_soa("example.test.");
      soa.answer = {
          fmt::format("example.test. 300 IN SOA ns1.example.test. h.invalid. {} 7200 3600 1209600 300", serials[i])};
      zw::Exchange tcp = soa;
      tcp.transport = zw::Transport::tcp;
      zone.servers.push_back(zw::ServerProbe{name, address, {soa, tcp}});
      zw::NameServer ns;
      ns.name = name;
      ns.at_parent = true;
      ns.at_child = true;
      ns.addresses = {address};
      zone.name_servers.push_back(ns);
    }
    snapshot.zones.push_back(zone);
    zw::EngineOptions options;
    options.now = 1'800'000'000;
    std::vector<zw::Finding> found;
    const zw::AuditResult result = zw::run_audit_rules(snapshot, options);
    for (const zw::Finding& f : result.zones.at(0).findings) {
      if (f.rule == "consistency/soa-serial") {
        found.push_back(f);
      }
    }
    return found;
  };
  for (const auto& order : std::vector<std::vector<std::uint32_t>>{{1, 2, 3}, {3, 1, 2}, {2, 3, 1}}) {
    const std::vector<zw::Finding> lagging = run(order);
    REQUIRE(lagging.size() == 2);
    for (const zw::Finding& f : lagging) {
      CHECK_MESSAGE(f.message.find("while the newest is 3") != std::string::npos, f.message);
    }
  }
  for (const auto& order : std::vector<std::vector<std::uint32_t>>{
           {0, 0x55555555, 0xAAAAAAAA}, {0xAAAAAAAA, 0, 0x55555555}, {0x55555555, 0xAAAAAAAA, 0}}) {
    const std::vector<zw::Finding> cyclic = run(order);
    REQUIRE(cyclic.size() == 1);
    CHECK(cyclic[0].message.find("cannot be ordered") != std::string::npos);
    CHECK(cyclic[0].servers.size() == 3);
  }
}

TEST_CASE("audit: a bound reached is internal/audit-incomplete naming the bound, once per bound") {
  zw::Snapshot snapshot;
  zw::ZoneSnapshot zone;
  zone.zone = "example.test.";
  zone.undelegated = true;
  zone.walk_errors = {std::string(zw::k_bound_reached) + "--max-queries-per-zone (3)",
                      std::string(zw::k_bound_reached) + "--max-queries (20000000)"};
  zw::ServerProbe ns1{"ns1.example.test.", "192.0.2.1", {answered_soa("example.test.")}};
  zw::Exchange cut = not_asked("example.test.", "SOA", zw::Transport::tcp);
  cut.detail = "the bound --max-queries-per-zone (3) was reached";
  ns1.exchanges.push_back(cut);
  zone.servers = {ns1};
  snapshot.zones.push_back(zone);
  zw::EngineOptions options;
  options.now = 1'800'000'000;
  const zw::AuditResult result = zw::run_audit_rules(snapshot, options);
  std::vector<std::string> bounds;
  for (const zw::Finding& f : result.zones.at(0).findings) {
    CHECK_MESSAGE(f.rule != "protocol/tcp-unsupported", f.message);
    if (f.rule == "internal/audit-incomplete") {
      CHECK(f.severity == zw::Severity::error);
      bounds.push_back(f.message);
    }
  }
  REQUIRE(bounds.size() == 2);
  CHECK(std::any_of(bounds.begin(), bounds.end(),
                    [](const std::string& m) { return m.find("--max-queries-per-zone (3)") != std::string::npos; }));
  CHECK(std::any_of(bounds.begin(), bounds.end(),
                    [](const std::string& m) { return m.find("--max-queries (20000000)") != std::string::npos; }));
}

} // namespace zw_test_rules_verdicts
