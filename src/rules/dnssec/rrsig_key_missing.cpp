// dnssec/rrsig-key-missing: an RRSIG names a key that the zone's DNSKEY RRset does not hold.
// User documentation: docs/rules/dnssec/rrsig-key-missing.md
#include "rules/dnssec/sig_support.hpp"
#include "rules/verdicts.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace dnssec_support;
using Sig = ::zw::dnssec::ObservedSignature;

class RrsigKeyMissing final : public Rule {
public:
  using Rule::Rule;
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    // One finding per missing key: a ZSK withdrawn while its signatures are still served (a
    // botched rollover), or RRSIGs whose algorithm or key tag field names no published key.
    report_grouped(
        ctx, sink, info().impact, [&](const Sig& sig) { return rule_for(sig.status) == info().id; },
        [](const Sig& sig) { return fmt::format("{}|{}|{}", sig.zone, sig.key_tag, sig.algorithm); },
        [&](const Sig& sig) {
          return fmt::format("signatures by {} name a key that the DNSKEY RRset of {} does not hold", key_text(sig),
                             sig.zone);
        });
  }
};

} // namespace
std::unique_ptr<Rule> make_rrsig_key_missing(const RuleInfo& info) {
  return make_rule<RrsigKeyMissing>(info);
}
} // namespace zw::rules::dnssec
