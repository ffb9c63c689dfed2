// dnssec/ds-but-unsigned: the parent publishes a DS but the zone serves no DNSKEY.
// User documentation: docs/rules/dnssec/ds-but-unsigned.md
#include "rules/rule_support.hpp"

namespace zw::rules::dnssec {
namespace {

class DsButUnsigned final : public Rule {
public:
  using Rule::Rule;
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    const ::zw::dnssec::ZoneDnssec& d = ctx.dnssec();
    // Only when some server answered the DNSKEY query: a zone nobody answers for is lame.
    if (d.ds.empty() || !d.keys.empty() || !d.dnskey_answered) {
      return;
    }
    Finding f;
    f.location = at(ctx, "", ctx.zone_name(), "DNSKEY");
    f.message = fmt::format("the parent publishes {} DS record(s) for {} but the zone serves no DNSKEY{}", d.ds.size(),
                            ctx.zone_name(), d.any_rrsig ? "" : " and no signatures");
    f.evidence.push_back("the DS says the zone is signed: resolvers treat every answer as bogus");
    sink.add(std::move(f));
  }
};

} // namespace
std::unique_ptr<Rule> make_ds_but_unsigned(const RuleInfo& info) {
  return make_rule<DsButUnsigned>(info);
}
} // namespace zw::rules::dnssec
