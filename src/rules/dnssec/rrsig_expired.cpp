// dnssec/rrsig-expired: RRSIG expiration time is in the past.
// User documentation: docs/rules/dnssec/rrsig-expired.md
#include "rules/dnssec/sig_support.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace dnssec_support;

class RrsigExpired final : public Rule {
public:
  const RuleInfo& info() const noexcept override { return k_info; }
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    // One root cause, one finding: signatures by one key that fail the same way are one fault.
    std::map<std::string, std::vector<const ::zw::dnssec::ObservedSignature*>> groups;
    for (const ::zw::dnssec::ObservedSignature& sig : ctx.dnssec().signatures) {
      if (sig.crypto == ::zw::dnssec::CryptoStatus::malformed && sig.expiration_abs == 0) {
        continue;  // unparsable: no times to judge (the analysis notes it)
      }
      // RFC 4034 §3.1.5: times are compared with serial arithmetic (resolved in the analysis).
      if (sig.expiration_abs >= ctx.now()) {
        continue;
      }
      groups[fmt::format("{}|{}|{}|{}", sig.zone, sig.key_tag, sig.algorithm, sig.expiration_abs)].push_back(&sig);
    }
    for (const auto& [key, group] : groups) {
      const ::zw::dnssec::ObservedSignature& sig = *group.front();
      report_group(ctx, sink, group, k_info.impact,
                   fmt::format("signatures by {} expired at {} ({} ago)", key_text(sig), utc(sig.expiration_abs), duration(ctx.now() - sig.expiration_abs)));
    }
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
