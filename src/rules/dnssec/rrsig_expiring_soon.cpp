// dnssec/rrsig-expiring-soon: the last working signature over an RRset expires within the window.
// User documentation: docs/rules/dnssec/rrsig-expiring-soon.md
#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/ranges.h>

#include "rules/rule_support.hpp"

namespace zw::rules::dnssec {
namespace {

void check_rrsig_expiring_soon(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info) {
  const std::int64_t window = ctx.thresholds(info).expiry_window_s;
  // One root cause, one finding: RRsets whose last usable signatures expire at the same
  // instant came from one signing run, and one re-signing fixes them all.
  std::map<std::pair<std::string, std::int64_t>, std::vector<const ::zw::dnssec::SignedRrset*>> groups;
  for (const ::zw::dnssec::SignedRrset& r : ctx.dnssec().rrsets) {
    // The RRset keeps validating until its latest usable signature expires; an RRset with no
    // usable signature at all is another rule's finding (expired, invalid, not yet valid).
    if (r.has_usable && r.best_expiration - ctx.now() <= window) {
      groups[{r.zone, r.best_expiration}].push_back(&r);
    }
  }
  for (auto& [key, group] : groups) {
    std::sort(group.begin(), group.end(), [](const auto* a, const auto* b) {
      const auto rank = [](const ::zw::dnssec::SignedRrset* r) {
        const int t = r->type == "SOA" ? 0 : r->type == "DNSKEY" ? 1 : r->type == "NS" ? 2 : 3;
        return std::tuple(r->owner == r->zone ? 0 : 1, t, r->owner, r->type);
      };
      return rank(a) < rank(b);
    });
    const ::zw::dnssec::SignedRrset& first = *group.front();
    Finding f;
    std::vector<std::string> rrsets;
    for (const ::zw::dnssec::SignedRrset* r : group) {
      rrsets.push_back(fmt::format("{} {}", r->owner, r->type));
      for (const std::string& s : r->servers) {
        if (std::find(f.servers.begin(), f.servers.end(), s) == f.servers.end()) {
          f.servers.push_back(s);
        }
      }
    }
    f.location = Location{first.zone, f.servers.size() == 1 ? f.servers.front() : "", first.owner, first.type};
    f.message =
        fmt::format("the signatures over {} RRset(s) expire at {}, in {} (window {}): {}", group.size(),
                    utc(key.second), duration(key.second - ctx.now()), duration(window), util::list_first(rrsets, 4));
    f.evidence.push_back("re-sign the zone before then, or resolvers will answer SERVFAIL (EDE 7)");
    if (rrsets.size() > 1) {
      f.evidence.push_back(fmt::format("{} RRsets affected: {}", rrsets.size(), fmt::join(rrsets, "; ")));
    }
    sink.add(std::move(f));
  }
}

} // namespace
extern const RuleCode rrsig_expiring_soon{.check = &check_rrsig_expiring_soon};
} // namespace zw::rules::dnssec
