// dnssec/rrsig-missing: an RRset that must be signed has no RRSIG at all.
// User documentation: docs/rules/dnssec/rrsig-missing.md
#include "rules/verdicts.hpp"
#include "rules/zone_signing.hpp"

namespace zw::rules::dnssec {
namespace {

namespace zs = zone_signing;

void check_rrsig_missing(const RuleContext& ctx, const ZoneFileInput& file, FindingSink& sink, const RuleInfo& info) {
  const dns::ZoneStore& store = *file.store;
  const std::optional<dns::RrsetView> dnskeys = store.find(store.origin(), dns::rrtype::dnskey);
  if (!dnskeys) {
    return; // an unsigned zone: nothing must be signed
  }
  // RFC 4035 §2.2: every authoritative RRset (and DS, NSEC, NSEC3 at a cut) carries an RRSIG.
  // Any RRSIG over the type counts here, even by a key the apex does not publish: such a
  // signature cannot validate, and the zone-file analysis reports it as unverifiable.
  std::size_t to_sign = 0;
  std::size_t signed_count = 0;
  std::vector<dns::RrsetView> missing;
  missing.reserve(zs::k_finding_cap);
  zs::CappedRrsets capped;
  zs::for_each_rrset_to_sign(file, [&](const dns::NameView& name, const dns::RrsetView& rrset) {
    ++to_sign;
    if (!name.rrsigs_covering(rrset.type()).empty()) {
      ++signed_count;
    } else if (capped.admit(rrset, store.origin())) {
      missing.push_back(rrset);
    }
  });
  if (missing.empty()) {
    return;
  }
  if (signed_count == 0) {
    // One root cause: keys were added but the zone was never signed (or its signatures were
    // stripped, e.g. by a tool that re-wrote the zone). One finding, not one per RRset.
    Finding f;
    f.location = zs::location_of(ctx, *dnskeys);
    f.message = fmt::format("the apex publishes {} DNSKEY record(s) but none of the {} RRsets that must be signed "
                            "has an RRSIG: the zone was never signed",
                            dnskeys->size(), to_sign);
    f.evidence.push_back(zs::source_line(*dnskeys));
    f.evidence.push_back("validating resolvers that reach this zone through a DS answer SERVFAIL for every name");
    sink.add(std::move(f));
    return;
  }
  for (const dns::RrsetView& rrset : missing) {
    Finding f;
    f.location = zs::location_of(ctx, rrset);
    f.message = fmt::format("no RRSIG covers the {} RRset at {} ({} of {} RRsets that must be signed are signed)",
                            dns::type_to_text(rrset.type()), dns::name_to_text(rrset.owner()), signed_count, to_sign);
    f.evidence.push_back(zs::source_line(rrset));
    sink.add(std::move(f));
  }
  const zs::RrsetGroup& rest = capped.overflow();
  if (!rest.empty()) {
    Finding f = finding(info, zs::location_of(ctx, rest.telling()));
    f.message = fmt::format("and {} more RRsets that must be signed have no RRSIG: {}", rest.size(), rest.list_text());
    rest.add_evidence(f);
    sink.add_summary(std::move(f));
  }
}

// A live audit: every RRset a server answered with, without an RRSIG, in a zone that publishes
// DNSKEYs (an unsigned zone with a DS is dnssec/ds-but-unsigned; an apex DNSKEY RRset without
// signatures is dnssec/dnskey-not-signed-by-ds-key).
void check_rrsig_missing_live(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info) {
  const ::zw::dnssec::ZoneDnssec& d = ctx.dnssec();
  std::size_t reported = 0;
  for (const ::zw::dnssec::SignedRrset& r : d.rrsets) {
    if (rule_for(r) != info.id || r.has_usable || (r.zone == d.zone && d.keys.empty())) {
      continue;
    }
    if (++reported > zs::k_finding_cap) {
      continue;
    }
    Finding f;
    f.location = Location{r.zone, r.servers.size() == 1 ? r.servers.front() : "", r.owner, r.type};
    f.servers = r.servers;
    f.message = fmt::format("{} {} is served without an RRSIG", r.owner, r.type);
    if (r.security == ::zw::dnssec::ChainStatus::insecure) {
      grade_warning_unaffected(f);
      f.evidence.push_back("validating resolvers treat the zone as insecure (no DS), so this breaks resolution "
                           "only once a DS is published");
    } else {
      f.severity = Severity::error;
      f.resolver = info.impact;
      f.evidence.push_back("validating resolvers answer SERVFAIL for it");
    }
    sink.add_graded(std::move(f));
  }
  if (reported > zs::k_finding_cap) {
    Finding f = finding(info, Location{d.zone, "", d.zone, "SOA"});
    f.message = fmt::format("and {} more RRsets are served without an RRSIG", reported - zs::k_finding_cap);
    sink.add_summary(std::move(f));
  }
}

} // namespace
extern const RuleCode rrsig_missing{.file = &check_rrsig_missing, .live = &check_rrsig_missing_live};
} // namespace zw::rules::dnssec
