// rollover/key-used-before-published: RRsets of the zone are signed only by keys that were not in
// the DNSKEY RRset of the zone's previous run, less than that RRset's TTL ago.
// User documentation: docs/rules/rollover/key-used-before-published.md
#include <map>
#include <set>

#include "rules/rollover/rollover_support.hpp"

namespace zw::rules::rollover {
namespace {

using rollover_support::keys_tagged;

void check_key_used_before_published(const RuleContext& ctx, FindingSink& sink, const RuleInfo& /*info*/) {
  const auto iv = rollover_support::interval(ctx);
  // A zone that had no DNSKEY RRset before was not validated through one; the DS side of
  // signing a zone is rollover/ds-change-too-soon's.
  if (!iv || iv->before.keys.empty() || iv->elapsed >= iv->before.dnskey_ttl) {
    return;
  }
  std::set<std::string> old_ids;
  for (const RolloverState::Key& k : iv->before.keys) {
    old_ids.insert(k.id);
  }
  // The valid signers of each RRset of the zone but its DNSKEY RRset (whose new signatures are
  // checked against the DS set, not against a cached DNSKEY RRset).
  const std::string& apex = ctx.zone_name();
  std::map<std::pair<std::string, std::string>, std::set<std::pair<std::uint16_t, std::uint8_t>>> signers;
  for (const ::zw::dnssec::ObservedSignature& sig : ctx.dnssec().signatures) {
    if (sig.zone == apex && sig.status == ::zw::dnssec::SigStatus::valid &&
        !(sig.type == "DNSKEY" && sig.owner == apex)) {
      signers[{sig.owner, sig.type}].emplace(sig.key_tag, sig.algorithm);
    }
  }
  std::vector<std::string> rrsets;
  std::vector<const RolloverState::Key*> new_keys;
  for (const auto& [rrset, tags] : signers) {
    bool only_new = true;
    std::vector<const RolloverState::Key*> used;
    for (const auto& [tag, algorithm] : tags) {
      const std::vector<const RolloverState::Key*> keys = keys_tagged(iv->now, tag, algorithm);
      // A key the old set held (or one whose tag we cannot pin down) keeps the RRset valid.
      only_new = only_new && !keys.empty() &&
                 std::none_of(keys.begin(), keys.end(), [&](const auto* k) { return old_ids.contains(k->id); });
      used.insert(used.end(), keys.begin(), keys.end());
    }
    if (!only_new) {
      continue;
    }
    rrsets.push_back(fmt::format("{} {}", rrset.first, rrset.second));
    for (const RolloverState::Key* k : used) {
      if (std::find(new_keys.begin(), new_keys.end(), k) == new_keys.end()) {
        new_keys.push_back(k);
      }
    }
  }
  if (rrsets.empty()) {
    return;
  }
  Finding f;
  f.location = at(ctx, "", apex, "DNSKEY");
  f.message = fmt::format("{} RRset{} signed only by {}, which the DNSKEY RRset did not hold {}: resolvers that "
                          "cached that DNSKEY RRset (TTL {}) fail {} until it expires from their caches",
                          rrsets.size(), rrsets.size() == 1 ? " is" : "s are", rollover_support::join_keys(new_keys),
                          iv->when_before(), duration(iv->before.dnskey_ttl), rrsets.size() == 1 ? "it" : "them");
  f.evidence.push_back(
      fmt::format("signed only by the new key{}: {}", new_keys.size() == 1 ? "" : "s", util::list_first(rrsets, 10)));
  f.evidence.push_back(iv->cached_until("the old DNSKEY RRset", iv->before.dnskey_ttl));
  f.evidence.push_back("RFC 6781 §4.1.1.1, RFC 7583 §3.2: publish a new key in the DNSKEY RRset for at least its "
                       "TTL before it signs alone, or sign with both keys meanwhile");
  sink.add(std::move(f));
}

} // namespace
extern const RuleCode key_used_before_published{.check = &check_key_used_before_published};
} // namespace zw::rules::rollover
