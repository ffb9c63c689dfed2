// dnssec/rrsig-key-missing: an RRSIG names a key that the zone's DNSKEY RRset does not hold.
// User documentation: docs/rules/dnssec/rrsig-key-missing.md
#include "rules/dnssec/sig_support.hpp"
#include "rules/verdicts.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace dnssec_support;

void check_rrsig_key_missing(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info) {
  // One finding per missing key: a ZSK withdrawn while its signatures are still served (a
  // botched rollover), or RRSIGs whose algorithm or key tag field names no published key.
  report_grouped(
      ctx, sink, info.impact, [&](const Sig& sig) { return rule_for(sig.status) == info.id; },
      [](const Sig& sig) { return fmt::format("{}|{}|{}", sig.zone, sig.key_tag, sig.algorithm); },
      [&](const Sig& sig) {
        return fmt::format("signatures by {} name a key that the DNSKEY RRset of {} does not hold", key_text(sig),
                           sig.zone);
      });
}

} // namespace
extern const RuleCode rrsig_key_missing{.check = &check_rrsig_key_missing};
} // namespace zw::rules::dnssec
