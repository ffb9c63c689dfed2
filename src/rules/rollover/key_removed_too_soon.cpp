// rollover/key-removed-too-soon: a key that alone signed data of the zone in its previous run is
// no longer in the DNSKEY RRset, less than the data's TTL later.
// User documentation: docs/rules/rollover/key-removed-too-soon.md
#include "rules/rollover/rollover_support.hpp"

namespace zw::rules::rollover {
namespace {

void check_key_removed_too_soon(const RuleContext& ctx, FindingSink& sink, const RuleInfo& /*info*/) {
  const auto iv = rollover_support::interval(ctx);
  if (!iv || iv->elapsed >= iv->before.max_data_ttl) {
    return;
  }
  std::vector<const RolloverState::Key*> removed;
  for (const RolloverState::Key& k : iv->before.keys) {
    if (k.sole_signer && rollover_support::find_key(iv->now, k.id) == nullptr) {
      removed.push_back(&k);
    }
  }
  if (removed.empty()) {
    return;
  }
  Finding f;
  f.location = at(ctx, "", ctx.zone_name(), "DNSKEY");
  f.message = fmt::format("{} signed data alone {} and {} no longer in the DNSKEY RRset: answers signed by {} may "
                          "stay cached for up to {} more",
                          rollover_support::join_keys(removed), iv->when_before(), removed.size() == 1 ? "is" : "are",
                          removed.size() == 1 ? "it" : "them", duration(iv->before.max_data_ttl));
  f.evidence.push_back("a resolver validates an answer when it fetches it, so Unbound, BIND and Knot Resolver keep "
                       "answering; a validator behind a non-validating cache (a forwarder, a stub) that meets such "
                       "an answer with the new DNSKEY RRset fails it (RFC 6781 §4.1.1.1)");
  f.evidence.push_back(fmt::format("largest TTL of the zone's answers seen {}: {} (the zone may hold larger ones)",
                                   iv->when_before(), duration(iv->before.max_data_ttl)));
  f.evidence.push_back("RFC 7583 §3.2: keep a retired key in the DNSKEY RRset until the signatures it made have "
                       "expired from caches (the largest TTL of the zone's data after its last use)");
  sink.add(std::move(f));
}

} // namespace
extern const RuleCode key_removed_too_soon{.check = &check_key_removed_too_soon};
} // namespace zw::rules::rollover
