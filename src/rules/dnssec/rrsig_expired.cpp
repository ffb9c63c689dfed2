// dnssec/rrsig-expired: RRSIG expiration time is in the past.
// User documentation: docs/rules/dnssec/rrsig-expired.md
#include "rules/dnssec/sig_support.hpp"
#include "rules/verdicts.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace dnssec_support;
using Sig = ::zw::dnssec::ObservedSignature;

class RrsigExpired final : public Rule {
public:
  const RuleInfo& info() const noexcept override { return k_info; }
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    // RFC 4034 §3.1.5: times are compared with serial arithmetic (resolved in the analysis).
    // One finding per key and expiration instant: one signing run that was not renewed.
    report_grouped(
        ctx, sink, k_info.impact, [&](const Sig& sig) { return rule_for(sig.status) == k_info.id; },
        [](const Sig& sig) { return fmt::format("{}|{}|{}|{}", sig.zone, sig.key_tag, sig.algorithm, sig.expiration_abs); },
        [&](const Sig& sig) {
          return fmt::format("signatures by {} expired at {} ({} ago)", key_text(sig), utc(sig.expiration_abs),
                             duration(ctx.now() - sig.expiration_abs));
        });
  }

private:
  static constexpr RuleInfo k_info{
      .id = "dnssec/rrsig-expired",
      .severity = Severity::error,
      .stability = Stability::stable,
      .summary = "RRSIG expiration time is in the past",
      .reference = "RFC 4035 §5.3.1",
      .impact = {Rcode::servfail, Ede::signature_expired},
      .inputs = Inputs::both};
};

} // namespace
std::unique_ptr<Rule> make_rrsig_expired() { return std::make_unique<RrsigExpired>(); }
} // namespace zw::rules::dnssec
