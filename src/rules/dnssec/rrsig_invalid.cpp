// dnssec/rrsig-invalid: RRSIG does not verify with the key it names.
// User documentation: docs/rules/dnssec/rrsig-invalid.md
#include "rules/dnssec/sig_support.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace dnssec_support;

class RrsigInvalid final : public Rule {
public:
  const RuleInfo& info() const noexcept override { return k_info; }
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    // One root cause, one finding: signatures by one key that fail the same way are one fault.
    std::map<std::string, std::vector<const ::zw::dnssec::ObservedSignature*>> groups;
    for (const ::zw::dnssec::ObservedSignature& sig : ctx.dnssec().signatures) {
      if (sig.crypto == ::zw::dnssec::CryptoStatus::malformed && sig.expiration_abs == 0) {
        continue;  // unparsable: no times to judge (the analysis notes it)
      }
      // Only signatures inside their validity window: a resolver rejects the others on time first.
      if (sig.crypto != ::zw::dnssec::CryptoStatus::invalid || sig.inception_abs > ctx.now() ||
          sig.expiration_abs < ctx.now()) {
        continue;
      }
      groups[fmt::format("{}|{}|{}", sig.zone, sig.key_tag, sig.algorithm)].push_back(&sig);
    }
    for (const auto& [key, group] : groups) {
      const ::zw::dnssec::ObservedSignature& sig = *group.front();
      report_group(ctx, sink, group, k_info.impact,
                   fmt::format("signatures by {} do not verify (OpenSSL and Botan agree)", key_text(sig)));
    }
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
