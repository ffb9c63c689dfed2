// dnssec/ds-no-matching-dnskey: no DS record at the parent matches a DNSKEY of the zone.
// User documentation: docs/rules/dnssec/ds-no-matching-dnskey.md
#include <fmt/ranges.h>

#include "rules/rule_support.hpp"

namespace zw::rules::dnssec {
namespace {

void check_ds_no_matching_dnskey(const RuleContext& ctx, FindingSink& sink, const RuleInfo& /*info*/) {
  const ::zw::dnssec::ZoneDnssec& d = ctx.dnssec();
  if (d.ds.empty() || d.keys.empty()) {
    return; // no DS: insecure delegation; no DNSKEY: dnssec/ds-but-unsigned
  }
  std::vector<std::string> ds_text;
  bool any_usable_ds = false;
  for (const ::zw::dnssec::DsRecord& ds : d.ds) {
    if (ds.matches_key) {
      return; // one matching DS suffices (RFC 4035 §5.2); others may be pre-published
    }
    any_usable_ds = any_usable_ds || ds.digest_supported;
    ds_text.push_back(fmt::format("{} alg {} digest {}", ds.key_tag, ds.algorithm, ds.digest_type));
  }
  if (!any_usable_ds) {
    return; // RFC 4035 §5.2: no supported digest makes the zone insecure, not bogus
  }
  std::vector<std::string> key_text;
  for (const ::zw::dnssec::KeyRecord& k : d.keys) {
    key_text.push_back(fmt::format("{} alg {} flags {}", k.key_tag, k.algorithm, k.flags));
  }
  Finding f;
  f.location = at(ctx, "", ctx.zone_name(), "DS");
  f.message = fmt::format("no DS record at the parent [{}] matches a DNSKEY of the zone [{}]", fmt::join(ds_text, "; "),
                          fmt::join(key_text, "; "));
  for (const ::zw::dnssec::DsRecord& ds : d.ds) {
    f.servers.insert(f.servers.end(), ds.parent_servers.begin(), ds.parent_servers.end());
  }
  std::sort(f.servers.begin(), f.servers.end());
  f.servers.erase(std::unique(f.servers.begin(), f.servers.end()), f.servers.end());
  f.evidence.push_back("every answer from the zone is bogus to a validating resolver");
  sink.add(std::move(f));
}

} // namespace
extern const RuleCode ds_no_matching_dnskey{.check = &check_ds_no_matching_dnskey};
} // namespace zw::rules::dnssec
