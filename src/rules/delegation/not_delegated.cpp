// delegation/not-delegated: the parent has no delegation for the zone.
// User documentation: docs/rules/delegation/not-delegated.md
#include "rules/rule_support.hpp"

namespace zw::rules::delegation {
namespace {

void check_not_delegated(const RuleContext& ctx, FindingSink& sink, const RuleInfo& /*info*/) {
  const ZoneSnapshot& zone = ctx.live();
  if (zone.undelegated || zone.zone == "." || zone.parent_views.empty()) {
    return;
  }
  // A delegation exists when any parent server gives the zone's NS RRset (a referral, or an
  // authoritative answer from a server that also serves the child).
  bool answered = false;
  bool nxdomain = false;
  std::vector<std::string> servers;
  for (const ParentView& p : zone.parent_views) {
    const Exchange& r = p.referral;
    if (r.outcome != Outcome::answered || (r.rcode != 0 && r.rcode != 3)) {
      continue;
    }
    if (!records_of(r.authority, zone.zone, "NS").empty() || !records_of(r.answer, zone.zone, "NS").empty()) {
      return;
    }
    if (!r.aa) {
      continue; // a non-authoritative answer proves nothing; lame parents are reported elsewhere
    }
    answered = true;
    nxdomain = nxdomain || r.rcode == 3;
    servers.push_back(server_label(p.name, p.address));
  }
  if (!answered) {
    return;
  }
  Finding f;
  f.location = at(ctx, "", zone.zone, "NS");
  f.servers = servers;
  f.message = nxdomain ? fmt::format("{} does not exist: the parent {} answers NXDOMAIN", zone.zone, zone.parent)
                       : fmt::format("{} is not delegated: the parent {} has no NS records for it (it is a name "
                                     "inside {}, not a zone)",
                                     zone.zone, zone.parent, zone.parent);
  f.severity = Severity::error;
  f.resolver = nxdomain ? ResolverImpact{Rcode::nxdomain, Ede::none} : k_unaffected;
  sink.add_graded(std::move(f));
}

} // namespace
extern const RuleCode not_delegated{.check = &check_not_delegated};
} // namespace zw::rules::delegation
