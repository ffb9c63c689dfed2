// dnssec/chain-above-bogus: the chain of trust breaks in a zone above the audited one.
// User documentation: docs/rules/dnssec/chain-above-bogus.md
#include "rules/rule_support.hpp"

namespace zw::rules::dnssec {
namespace {

class ChainAboveBogus final : public Rule {
public:
  const RuleInfo& info() const noexcept override { return k_info; }
  void check(const RuleContext& ctx, FindingSink& sink) const override {
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

private:
  static constexpr std::string_view k_tags[] = {"dnssec", "chain"};
  static constexpr RuleInfo k_info{
      .id = "dnssec/chain-above-bogus",
      .severity = Severity::error,
      .stability = Stability::stable,
      .summary = "The chain of trust breaks in a zone above the audited one (an ancestor's DNSKEY or DS)",
      .reference = "RFC 4035 §5",
      .impact = {Rcode::servfail, Ede::dnssec_bogus},
      .inputs = Inputs::live,
      .since = "0.1.0",
      .tags = k_tags};
};

} // namespace
std::unique_ptr<Rule> make_chain_above_bogus() {
  return std::make_unique<ChainAboveBogus>();
}
} // namespace zw::rules::dnssec
