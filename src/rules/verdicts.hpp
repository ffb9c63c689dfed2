#pragma once
// Which rule reports which verdict of the validator (dnssec/validator.hpp), and what a validating
// resolver answers because of it. One exhaustive switch per question, without `default`, so a new
// SigStatus that maps to no rule does not compile (-Werror=switch).

#include <cstdint>
#include <string_view>

#include "dnssec/zone_analysis.hpp"
#include "zonewarden/finding.hpp"

namespace zw::rules {

// The id of the rule that reports a signature, or an RRset, that failed with `status`; "" for
// `valid`. `internal/crypto-disagreement` is the engine's (our trouble, not the zone's).
constexpr std::string_view rule_for(zw::dnssec::SigStatus status) noexcept {
  using zw::dnssec::SigStatus;
  switch (status) {
  case SigStatus::valid: return "";
  case SigStatus::missing: return "dnssec/rrsig-missing";
  case SigStatus::key_missing: return "dnssec/rrsig-key-missing";
  case SigStatus::key_not_zone_key:
  case SigStatus::key_unusable:
  case SigStatus::key_revoked: return "dnssec/rrsig-key-unusable";
  case SigStatus::wrong_signer:
  case SigStatus::labels_invalid:
  case SigStatus::invalid:
  case SigStatus::malformed: return "dnssec/rrsig-invalid";
  case SigStatus::not_yet_valid: return "dnssec/rrsig-not-yet-valid";
  case SigStatus::expired: return "dnssec/rrsig-expired";
  case SigStatus::disagreement: return "internal/crypto-disagreement";
  case SigStatus::unsupported_algorithm: return "dnssec/algorithm-unsupported-here";
  }
  return "dnssec/rrsig-invalid";
}

// What Unbound answers for data that is bogus because of `status` (measured in the lab:
// tests/lab/README.md; RFC 8914 §4).
constexpr ResolverImpact impact_of(zw::dnssec::SigStatus status) noexcept {
  using zw::dnssec::SigStatus;
  switch (status) {
  case SigStatus::valid: return {Rcode::noerror, Ede::none};
  case SigStatus::missing: return {Rcode::servfail, Ede::rrsigs_missing};
  case SigStatus::key_missing: return {Rcode::servfail, Ede::dnskey_missing};
  case SigStatus::key_not_zone_key: return {Rcode::servfail, Ede::no_zone_key_bit_set};
  // Unbound looks for the key in the signer's zone and finds none: "signatures from unknown keys".
  case SigStatus::wrong_signer: return {Rcode::servfail, Ede::dnskey_missing};
  case SigStatus::key_unusable:
  case SigStatus::key_revoked:
  case SigStatus::labels_invalid:
  case SigStatus::invalid:
  case SigStatus::malformed: return {Rcode::servfail, Ede::dnssec_bogus};
  case SigStatus::not_yet_valid: return {Rcode::servfail, Ede::signature_not_yet_valid};
  case SigStatus::expired: return {Rcode::servfail, Ede::signature_expired};
  case SigStatus::disagreement: return {Rcode::servfail, Ede::dnssec_bogus};
  case SigStatus::unsupported_algorithm: return {Rcode::noerror, Ede::none};
  }
  return {Rcode::servfail, Ede::dnssec_bogus};
}

// The rule that reports the RRset `r` when it is bogus. A DNSKEY RRset at the apex with no
// signature at all is the chain's fault (no key the DS names signs it), not a missing RRSIG.
// A DNSKEY RRset signed only by a revoked key is dnssec/key-revoked's (RFC 5011 §2.1).
inline std::string_view rule_for(const zw::dnssec::SignedRrset& r) noexcept {
  const bool apex_dnskey = r.type == "DNSKEY" && r.owner == r.zone;
  if (apex_dnskey && r.reason == zw::dnssec::SigStatus::missing) {
    return "dnssec/dnskey-not-signed-by-ds-key";
  }
  if (apex_dnskey && r.reason == zw::dnssec::SigStatus::key_revoked) {
    return "dnssec/key-revoked";
  }
  return rule_for(r.reason);
}

// What `model` answers for a finding of `rule` for which Unbound answers `unbound` (every rule's
// RuleInfo and grading speak Unbound's language). Measured in the lab for every scenario
// (docs/resolvers.md): BIND 9.18 sends no EDE with its SERVFAILs; Knot Resolver 5.6 sends EDE 7,
// 8 and 10 like Unbound, EDE 12 for a missing DNSKEY RRset or a broken denial, and EDE 6 for
// every other DNSSEC failure. Faults outside DNSSEC were not measured for them: Unbound's stays.
constexpr ResolverImpact impact_for_model(ResolverModel model, std::string_view rule, ResolverImpact unbound) noexcept {
  if (unbound.rcode != Rcode::servfail) {
    return unbound;
  }
  switch (model) {
  case ResolverModel::unbound: return unbound;
  case ResolverModel::bind: return {Rcode::servfail, Ede::none};
  case ResolverModel::knot_resolver:
    if (!rule.starts_with("dnssec/")) {
      return unbound;
    }
    if (rule == "dnssec/rrsig-expired" || rule == "dnssec/rrsig-not-yet-valid" || rule == "dnssec/rrsig-missing") {
      return unbound;
    }
    if (rule == "dnssec/ds-but-unsigned" || rule == "dnssec/denial-proof-invalid" ||
        rule == "dnssec/nsec-chain-broken" || rule == "dnssec/nsec3-chain-broken") {
      return {Rcode::servfail, Ede::nsec_missing};
    }
    return {Rcode::servfail, Ede::dnssec_bogus};
  }
  return unbound;
}

// Unbound's tolerance for signature times (val-sig-skew-min/-max, measured in the lab): a
// signature stays usable until this many seconds after its expiration and from this many before
// its inception: a tenth of its validity period, at least one hour, at most one day. BIND and
// Knot Resolver tolerate nothing.
constexpr std::int64_t unbound_skew(std::int64_t inception, std::int64_t expiration) noexcept {
  const std::int64_t tenth = (expiration - inception) / 10;
  return tenth < 3600 ? 3600 : tenth > 86400 ? 86400 : tenth;
}

// Rules whose finding is the root cause of every bogus RRset of a zone: the DS -> DNSKEY link.
constexpr bool is_key_set_rule(std::string_view id) noexcept {
  return id == "dnssec/ds-no-matching-dnskey" || id == "dnssec/ds-but-unsigned" ||
         id == "dnssec/dnskey-not-signed-by-ds-key" || id == "dnssec/chain-above-bogus";
}

} // namespace zw::rules
