#pragma once
// Shared by the signature rules: where a signature was seen and how bad its fault is.

#include "rules/rule_support.hpp"

namespace zw::rules::dnssec_support {

// Location of a signature: the one server when only one showed it, else "" with all of them
// listed in the finding (zone data is the same fault wherever it is served).
inline Location signature_location(const RuleContext& ctx, const ::zw::dnssec::ObservedSignature& sig) {
  return Location{sig.zone.empty() ? ctx.zone_name() : sig.zone, sig.servers.size() == 1 ? sig.servers.front() : "",
                  sig.owner, sig.type};
}

// Does the RRset this signature covers still have a signature that works now? Then this one
// failing is a warning (resolvers use the other); otherwise validation fails: an error.
inline bool rrset_has_usable_signature(const RuleContext& ctx, const ::zw::dnssec::ObservedSignature& sig) {
  for (const ::zw::dnssec::SignedRrset& r : ctx.dnssec().rrsets) {
    if (r.owner == sig.owner && r.type == sig.type && r.zone == sig.zone) {
      return r.has_usable;
    }
  }
  return false;
}

inline std::string key_text(const ::zw::dnssec::ObservedSignature& sig) {
  return fmt::format("key {} (algorithm {})", sig.key_tag, sig.algorithm);
}

} // namespace zw::rules::dnssec_support
