#pragma once
// Shared by the signature rules: where a signature was seen and how bad its fault is.

#include <algorithm>

#include "rules/rule_support.hpp"

namespace zw::rules::dnssec_support {

// Location of a signature: the one server when only one showed it, else "" with all of them
// listed in the finding (zone data is the same fault wherever it is served).
inline Location signature_location(const RuleContext& ctx, const ::zw::dnssec::ObservedSignature& sig) {
  return Location{sig.zone.empty() ? ctx.zone_name() : sig.zone, sig.servers.size() == 1 ? sig.servers.front() : "",
                  sig.owner, sig.type};
}

// Grades a failing signature by what resolvers do with it:
// - the zone (or, for the DS, the parent) is not validated by resolvers (no DS, insecure chain):
//   a warning, resolution unaffected today;
// - every server that served this signature also served another one over the same RRset that
//   validates now: a warning, resolvers use that one;
// - otherwise validation fails for resolvers that reach those servers: an error with `impact`.
inline void grade_signature_fault(const RuleContext& ctx, const ::zw::dnssec::ObservedSignature& sig,
                                  ResolverImpact impact, Finding& f) {
  const ::zw::dnssec::ZoneDnssec& d = ctx.dnssec();
  const bool validated = sig.zone == ctx.zone_name() ? d.zone_validated : d.parent_validated;
  if (!validated) {
    f.severity = Severity::warning;
    f.resolver = {Rcode::noerror, Ede::none};
    f.evidence.push_back(fmt::format("validating resolvers treat {} as insecure (no DS at its parent or an insecure "
                                     "chain above), so this breaks resolution only once a DS is published",
                                     sig.zone));
    return;
  }
  for (const ::zw::dnssec::SignedRrset& r : d.rrsets) {
    if (r.owner != sig.owner || r.type != sig.type || r.zone != sig.zone) {
      continue;
    }
    const bool covered = std::all_of(sig.servers.begin(), sig.servers.end(), [&](const std::string& s) {
      return std::find(r.usable_servers.begin(), r.usable_servers.end(), s) != r.usable_servers.end();
    });
    if (covered) {
      f.severity = Severity::warning;
      f.resolver = {Rcode::noerror, Ede::none};
      f.evidence.push_back("another signature over this RRset validates now at the same servers");
      return;
    }
  }
  f.severity = Severity::error;
  f.resolver = impact;
}

inline std::string key_text(const ::zw::dnssec::ObservedSignature& sig) {
  return fmt::format("key {} (algorithm {})", sig.key_tag, sig.algorithm);
}

} // namespace zw::rules::dnssec_support
