// dnssec/algorithm-coverage: signed RRsets lack a signature by an algorithm of the apex DNSKEYs.
// User documentation: docs/rules/dnssec/algorithm-coverage.md
#include <bitset>

#include "rules/zone_signing.hpp"

namespace zw::rules::dnssec {
namespace {

namespace zs = zone_signing;

void report(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info, const zs::ApexKeys& keys,
            std::uint8_t algorithm, const zs::RrsetGroup& group, std::size_t judged) {
  std::string others;
  for (const std::uint8_t other : keys.active_algorithms()) {
    if (other != algorithm) {
      others += (others.empty() ? "" : ", ") + zs::algorithm_text(other);
    }
  }
  Finding f;
  f.location = zs::location_of(ctx, group.telling());
  const std::string alg = zs::algorithm_text(algorithm);
  const std::string what =
      group.size() == judged
          ? fmt::format("none of the {} signed RRsets has an RRSIG by an algorithm {} key", judged, alg)
          : fmt::format("{} of {} signed RRsets have no RRSIG by an algorithm {} key", group.size(), judged, alg);
  f.message = fmt::format("{}, although the apex DNSKEY RRset has algorithm {} zone key(s) {}: {}", what, algorithm,
                          keys.active_tags_text(algorithm), group.list_text());
  // Validators accept any one valid path (RFC 6840 §5.11): only those that support this
  // algorithm and none of the others fail. They validate through the DS: when the DS RRset is
  // known and has no DS of this algorithm, no validator takes this path today.
  const ::zw::dnssec::ZoneDnssec& d = ctx.dnssec();
  const bool ds_of_algorithm = std::any_of(d.ds.begin(), d.ds.end(),
                                           [&](const ::zw::dnssec::DsRecord& ds) { return ds.algorithm == algorithm; });
  if (d.ds_known && !ds_of_algorithm) {
    grade_warning_unaffected(f);
    f.evidence.push_back(fmt::format("the DS RRset has no DS of algorithm {}, so validators reach the zone through {} "
                                     "and accept those signatures; still fix it before adding such a DS",
                                     algorithm, others));
  } else {
    f.severity = info.severity;
    f.resolver = info.impact;
    f.evidence.push_back(fmt::format("validators that support algorithm {} but not {} find no usable RRSIG over these "
                                     "RRsets: SERVFAIL (EDE 10)",
                                     alg, others));
  }
  group.add_evidence(f);
  sink.add_graded(std::move(f));
}

void check_algorithm_coverage(const RuleContext& ctx, const ZoneFileInput& file, FindingSink& sink,
                              const RuleInfo& info) {
  const dns::ZoneStore& store = *file.store;
  const zs::ApexKeys keys = zs::ApexKeys::of(store);
  const std::span<const std::uint8_t> algorithms = keys.active_algorithms();
  if (!keys.zone_is_signed() || algorithms.size() < 2) {
    return; // unsigned, or one algorithm: any signature by an active key covers it
  }
  // RFC 4035 §2.2, restated by RFC 6840 §5.11: every signed RRset carries an RRSIG by at
  // least one DNSKEY of each algorithm of the apex DNSKEY RRset. The algorithms are those of
  // the active zone keys: a revoked key (RFC 5011) only signs the DNSKEY RRset to show its
  // revocation and validators use it for nothing else, and a key without the Zone Key flag
  // cannot sign zone data (RFC 4034 §2.1.1).
  std::vector<zs::RrsetGroup> lacking(algorithms.size());
  std::size_t judged = 0;
  zs::for_each_rrset_to_sign(file, [&](const dns::NameView& name, const dns::RrsetView& rrset) {
    // An RRset with no RRSIG at all is dnssec/rrsig-missing, one with RRSIGs by unknown keys
    // only is the signature analysis' (no key): one root cause, one finding.
    std::bitset<256> present;
    zs::for_each_signature(name.rrsigs_covering(rrset.type()), [&](const ::zw::dnssec::RrsigView& sig) {
      if (keys.by_active_key(sig)) {
        present.set(sig.algorithm);
      }
    });
    if (present.none()) {
      return;
    }
    ++judged;
    for (std::size_t a = 0; a < algorithms.size(); ++a) {
      if (!present.test(algorithms[a])) {
        lacking[a].add(rrset, store.origin());
      }
    }
  });
  for (std::size_t a = 0; a < algorithms.size(); ++a) {
    if (!lacking[a].empty()) {
      report(ctx, sink, info, keys, algorithms[a], lacking[a], judged);
    }
  }
}

} // namespace
extern const RuleCode algorithm_coverage{.file = &check_algorithm_coverage};
} // namespace zw::rules::dnssec
