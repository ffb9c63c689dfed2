// dnssec/chain-above-bogus: the chain of trust breaks in a zone above the audited one.
// User documentation: docs/rules/dnssec/chain-above-bogus.md
#include "rules/rule_support.hpp"

namespace zw::rules::dnssec {
namespace {

void check_chain_above_bogus(const RuleContext& ctx, FindingSink& sink, const RuleInfo& /*info*/) {
  const ::zw::dnssec::ZoneDnssec& d = ctx.dnssec();
  if (d.above != ::zw::dnssec::ChainStatus::bogus) {
    return;
  }
  // One root cause above the zone: reported where it is (the ancestor's RRset), once per
  // audited zone below it; the zone's own rules still judge its own data.
  Finding f;
  f.location = Location{d.above_fault.zone, d.above_fault.server, d.above_fault.owner, d.above_fault.type};
  if (!d.above_fault.server.empty()) {
    f.servers.push_back(d.above_fault.server);
  }
  f.message = fmt::format("the chain of trust to {} breaks above it: {}", ctx.zone_name(), d.above_reason);
  f.evidence.push_back(fmt::format("every answer from {} and from every zone below {} is bogus to validating "
                                   "resolvers, whatever {} itself serves",
                                   d.above_fault.zone, d.above_fault.zone, ctx.zone_name()));
  f.evidence.push_back(fmt::format("audit {} itself for the exact fault", d.above_fault.zone));
  sink.add(std::move(f));
}

} // namespace
extern const RuleCode chain_above_bogus{.check = &check_chain_above_bogus};
} // namespace zw::rules::dnssec
