// dnssec/rrsig-not-yet-valid: RRSIG inception time is in the future.
// User documentation: docs/rules/dnssec/rrsig-not-yet-valid.md
#include "rules/dnssec/sig_support.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace dnssec_support;

class RrsigNotYetValid final : public Rule {
public:
  const RuleInfo& info() const noexcept override { return k_info; }
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    // One root cause, one finding: signatures by one key that fail the same way are one fault.
    std::map<std::string, std::vector<const ::zw::dnssec::ObservedSignature*>> groups;
    for (const ::zw::dnssec::ObservedSignature& sig : ctx.dnssec().signatures) {
      if (sig.crypto == ::zw::dnssec::CryptoStatus::malformed && sig.expiration_abs == 0) {
        continue;  // unparsable: no times to judge (the analysis notes it)
      }
      if (sig.inception_abs <= ctx.now() || sig.expiration_abs < ctx.now()) {
        continue;  // an expired signature is reported as expired only
      }
      groups[fmt::format("{}|{}|{}|{}", sig.zone, sig.key_tag, sig.algorithm, sig.inception_abs)].push_back(&sig);
    }
    for (const auto& [key, group] : groups) {
      const ::zw::dnssec::ObservedSignature& sig = *group.front();
      report_group(ctx, sink, group, k_info.impact,
                   fmt::format("signatures by {} are not valid before {} (in {})", key_text(sig), utc(sig.inception_abs), duration(sig.inception_abs - ctx.now())));
    }
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
