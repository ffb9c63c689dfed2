// dnssec/ds-stale: a DS record matches no DNSKEY while another DS record does.
// User documentation: docs/rules/dnssec/ds-stale.md
#include "rules/rule_support.hpp"

namespace zw::rules::dnssec {
namespace {

void check_ds_stale(const RuleContext& ctx, FindingSink& sink, const RuleInfo& /*info*/) {
  const ::zw::dnssec::ZoneDnssec& d = ctx.dnssec();
  // When no DS matches, the zone is bogus and dnssec/ds-no-matching-dnskey says so (one root
  // cause); a stale DS is one left over beside a working one.
  const bool link_works = std::any_of(d.ds.begin(), d.ds.end(), [](const auto& ds) { return ds.matches_key; });
  if (!link_works) {
    return;
  }
  for (const ::zw::dnssec::DsRecord& ds : d.ds) {
    if (ds.matches_key) {
      continue;
    }
    const bool algorithm_used = std::any_of(
        d.keys.begin(), d.keys.end(), [&](const ::zw::dnssec::KeyRecord& k) { return k.algorithm == ds.algorithm; });
    Finding f;
    f.location = at(ctx, "", ctx.zone_name(), "DS");
    f.servers = ds.parent_servers;
    f.message =
        fmt::format("DS {} (algorithm {}, digest type {}) matches no DNSKEY of the zone{}", ds.key_tag, ds.algorithm,
                    ds.digest_type,
                    algorithm_used ? "" : fmt::format(", and no DNSKEY of the zone has algorithm {}", ds.algorithm));
    f.evidence.push_back(fmt::format("DS record: {}", ds.text));
    f.evidence.push_back("another DS matches a DNSKEY, so validation still succeeds through that one (RFC 4035 §5.2)");
    if (!algorithm_used) {
      f.evidence.push_back("resolvers that harden against algorithm downgrade (RFC 6840 §5.11; Unbound "
                           "harden-algo-downgrade: yes) require signatures of every DS algorithm and fail");
    } else {
      f.evidence.push_back("left behind by a KSK rollover: remove it at the parent once the old key is gone");
    }
    sink.add(std::move(f));
  }
}

} // namespace
extern const RuleCode ds_stale{.check = &check_ds_stale};
} // namespace zw::rules::dnssec
