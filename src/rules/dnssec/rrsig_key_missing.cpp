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
  const RuleInfo& info() const noexcept override { return k_info; }
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    // One finding per missing key: a ZSK withdrawn while its signatures are still served (a
    // botched rollover), or RRSIGs whose algorithm or key tag field names no published key.
    report_grouped(
        ctx, sink, k_info.impact, [&](const Sig& sig) { return rule_for(sig.status) == k_info.id; },
        [](const Sig& sig) { return fmt::format("{}|{}|{}", sig.zone, sig.key_tag, sig.algorithm); },
        [&](const Sig& sig) {
          return fmt::format("signatures by {} name a key that the DNSKEY RRset of {} does not hold", key_text(sig),
                             sig.zone);
        });
  }

private:
  static constexpr std::string_view k_tags[] = {"dnssec", "signatures", "keys"};
  static constexpr std::string_view k_compliance[] = {"rfc9364"};
  static constexpr RuleInfo k_info{.id = "dnssec/rrsig-key-missing",
                                   .severity = Severity::error,
                                   .stability = Stability::stable,
                                   .summary =
                                       "RRSIG names a key (tag, algorithm) that the zone's DNSKEY RRset does not hold",
                                   .reference = "RFC 4035 §5.3.1",
                                   .impact = {Rcode::servfail, Ede::dnskey_missing},
                                   .inputs = Inputs::both,
                                   .since = "0.1.0",
                                   .tags = k_tags,
                                   .compliance = k_compliance};
};

} // namespace
std::unique_ptr<Rule> make_rrsig_key_missing() {
  return std::make_unique<RrsigKeyMissing>();
}
} // namespace zw::rules::dnssec
