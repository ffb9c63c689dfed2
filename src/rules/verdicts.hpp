#pragma once
// Which rule reports which verdict of the validator (dnssec/validator.hpp), and what a validating
// resolver answers because of it. One exhaustive switch per question, without `default`, so a new
// SigStatus that maps to no rule does not compile (-Werror=switch).

#include <string_view>

#include "dnssec/zone_analysis.hpp"
#include "zonewarden/finding.hpp"

namespace zw::rules {

// The id of the rule that reports a signature, or an RRset, that failed with `status`; "" for
// `valid`. `internal/crypto-disagreement` is the engine's (our trouble, not the zone's).
constexpr std::string_view rule_for(dnssec::SigStatus status) noexcept {
  using dnssec::SigStatus;
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
constexpr ResolverImpact impact_of(dnssec::SigStatus status) noexcept {
  using dnssec::SigStatus;
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
inline std::string_view rule_for(const dnssec::SignedRrset& r) noexcept {
  const bool apex_dnskey = r.type == "DNSKEY" && r.owner == r.zone;
  if (apex_dnskey && r.reason == dnssec::SigStatus::missing) {
    return "dnssec/dnskey-not-signed-by-ds-key";
  }
  if (apex_dnskey && r.reason == dnssec::SigStatus::key_revoked) {
    return "dnssec/key-revoked";
  }
  return rule_for(r.reason);
}

// Rules whose finding is the root cause of every bogus RRset of a zone: the DS -> DNSKEY link.
constexpr bool is_key_set_rule(std::string_view id) noexcept {
  return id == "dnssec/ds-no-matching-dnskey" || id == "dnssec/ds-but-unsigned" ||
         id == "dnssec/dnskey-not-signed-by-ds-key";
}

} // namespace zw::rules
