// dnssec/rrsig-invalid: RRSIG does not verify with the key it names.
// User documentation: docs/rules/dnssec/rrsig-invalid.md
#include "rules/dnssec/sig_support.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace dnssec_support;
using Sig = ::zw::dnssec::ObservedSignature;

class RrsigInvalid final : public Rule {
public:
  const RuleInfo& info() const noexcept override { return k_info; }
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    // Only signatures inside their validity window: a resolver rejects the others on time first.
    // One finding per key: a bad key or a broken signer makes all its signatures fail.
    report_grouped(
        ctx, sink, k_info.impact,
        [&](const Sig& sig) {
          return sig.crypto == ::zw::dnssec::CryptoStatus::invalid && sig.inception_abs <= ctx.now() &&
                 sig.expiration_abs >= ctx.now();
        },
        [](const Sig& sig) { return fmt::format("{}|{}|{}", sig.zone, sig.key_tag, sig.algorithm); },
        [](const Sig& sig) {
          return fmt::format("signatures by {} do not verify (OpenSSL and Botan agree)", key_text(sig));
        });
  }

private:
  static constexpr RuleInfo k_info{
      .id = "dnssec/rrsig-invalid",
      .severity = Severity::error,
      .stability = Stability::stable,
      .summary = "RRSIG does not verify with the key it names",
      .reference = "RFC 4035 §5.3.3",
      .impact = {Rcode::servfail, Ede::dnssec_bogus},
      .inputs = Inputs::both};
};

} // namespace
std::unique_ptr<Rule> make_rrsig_invalid() { return std::make_unique<RrsigInvalid>(); }
} // namespace zw::rules::dnssec
