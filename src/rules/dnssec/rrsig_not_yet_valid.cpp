// dnssec/rrsig-not-yet-valid: RRSIG inception time is in the future.
// User documentation: docs/rules/dnssec/rrsig-not-yet-valid.md
#include "rules/dnssec/sig_support.hpp"
#include "rules/verdicts.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace dnssec_support;
using Sig = ::zw::dnssec::ObservedSignature;

class RrsigNotYetValid final : public Rule {
public:
  const RuleInfo& info() const noexcept override { return k_info; }
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    // An expired signature is reported as expired only. One finding per key and inception.
    report_grouped(
        ctx, sink, k_info.impact,
        [&](const Sig& sig) { return rule_for(sig.status) == k_info.id; },
        [](const Sig& sig) { return fmt::format("{}|{}|{}|{}", sig.zone, sig.key_tag, sig.algorithm, sig.inception_abs); },
        [&](const Sig& sig) {
          return fmt::format("signatures by {} are not valid before {} (in {})", key_text(sig), utc(sig.inception_abs),
                             duration(sig.inception_abs - ctx.now()));
        });
  }

private:
  static constexpr RuleInfo k_info{
      .id = "dnssec/rrsig-not-yet-valid",
      .severity = Severity::error,
      .stability = Stability::stable,
      .summary = "RRSIG inception time is in the future",
      .reference = "RFC 4035 §5.3.1",
      .impact = {Rcode::servfail, Ede::signature_not_yet_valid},
      .inputs = Inputs::both};
};

} // namespace
std::unique_ptr<Rule> make_rrsig_not_yet_valid() { return std::make_unique<RrsigNotYetValid>(); }
} // namespace zw::rules::dnssec
