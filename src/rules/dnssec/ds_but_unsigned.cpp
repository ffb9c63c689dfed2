// dnssec/ds-but-unsigned: the parent publishes a DS but the zone serves no DNSKEY.
// User documentation: docs/rules/dnssec/ds-but-unsigned.md
#include "rules/rule_support.hpp"

namespace zw::rules::dnssec {
namespace {

void check_ds_but_unsigned(const RuleContext& ctx, FindingSink& sink, const RuleInfo& /*info*/) {
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

} // namespace
extern const RuleCode ds_but_unsigned{.check = &check_ds_but_unsigned};
} // namespace zw::rules::dnssec
