// rollover/resigning-stalled: no signature was refreshed since the last run, and the margin left
// before the zone's first RRset stops validating is below every margin the zone was seen re-signed
// at: the signer has missed its own schedule.
// User documentation: docs/rules/rollover/resigning-stalled.md
#include <tuple>

#include "rules/rollover/rollover_support.hpp"

namespace zw::rules::rollover {
namespace {

// The minimum number of refreshes seen before the rule trusts what it learned of the signer.
constexpr std::uint32_t k_min_refreshes = 2;

void check_resigning_stalled(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info) {
  const auto interval = rollover_support::interval(ctx);
  if (!interval) {
    return;
  }
  const RolloverState& now = interval->now;
  if (!now.signed_until || interval->before.signed_until != now.signed_until || now.refreshes < k_min_refreshes ||
      now.refresh_floor <= 0) {
    return;
  }
  const std::int64_t margin = *now.signed_until - now.observed;
  // Within the expiry window dnssec/rrsig-expiring-soon reports the same root cause.
  if (margin >= now.refresh_floor || margin <= ctx.thresholds(info).expiry_window_s) {
    return;
  }
  // The RRset that stops validating first (its latest usable signature is the earliest); of
  // several, the apex's SOA, DNSKEY, NS first, as dnssec/rrsig-expiring-soon names them.
  const ::zw::dnssec::SignedRrset* first = nullptr;
  const auto rank = [&](const ::zw::dnssec::SignedRrset& r) {
    const int t = r.type == "SOA" ? 0 : r.type == "DNSKEY" ? 1 : r.type == "NS" ? 2 : 3;
    return std::tuple(r.owner == ctx.zone_name() ? 0 : 1, t, r.owner, r.type);
  };
  for (const ::zw::dnssec::SignedRrset& r : ctx.dnssec().rrsets) {
    if (r.zone == ctx.zone_name() && r.has_usable && r.best_expiration == *now.signed_until &&
        (first == nullptr || rank(r) < rank(*first))) {
      first = &r;
    }
  }
  const std::string owner = first != nullptr ? first->owner : ctx.zone_name();
  const std::string type = first != nullptr ? first->type : "SOA";
  const std::vector<std::string> servers = first != nullptr ? first->usable_servers : std::vector<std::string>{};
  Finding f;
  f.location = at(ctx, servers.size() == 1 ? servers.front() : "", owner, type);
  f.message = fmt::format("no signature of the zone has been refreshed since {} ({} ago): {} {} stops validating "
                          "at {}, in {}, and in {} refreshes seen the signer always re-signed with more than {} left",
                          utc(now.signed_until_since), duration(now.observed - now.signed_until_since), owner, type,
                          utc(*now.signed_until), duration(margin), now.refreshes, duration(now.refresh_floor));
  f.evidence.push_back(fmt::format("signatures made for {}; the run before, {}, saw the same expiration",
                                   duration(now.validity), interval->when_before()));
  f.evidence.push_back("the margin the signer re-signs at is learned from the history: at each refresh, the margin "
                       "of the run before it less the time between the two runs (docs/rules/rollover/"
                       "resigning-stalled.md)");
  f.evidence.push_back(fmt::format("RFC 6781 §4.4.2: unless re-signed before {}, resolvers answer SERVFAIL (EDE 7) "
                                   "for it; check that the signer runs (BIND `rndc zonestatus`, Knot `knotc "
                                   "zone-status`, OpenDNSSEC `ods-enforcer zone list`) and that the primary's "
                                   "secondaries receive its transfers",
                                   utc(*now.signed_until)));
  sink.add(std::move(f));
}

} // namespace
extern const RuleCode resigning_stalled{.check = &check_resigning_stalled};
} // namespace zw::rules::rollover
