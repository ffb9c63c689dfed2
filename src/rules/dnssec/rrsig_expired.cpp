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
    // Unbound still accepts a signature for a while after it expired (its skew tolerance); BIND
    // and Knot Resolver do not. Such a signature is still an error (resolvers fail on it), but
    // the prediction for Unbound is that it still resolves, until the skew runs out.
    const bool unbound = ctx.options().resolver_model == ResolverModel::unbound;
    const auto tolerated = [&](const Sig& sig) {
      return unbound && ctx.now() <= sig.expiration_abs + unbound_skew(sig.inception_abs, sig.expiration_abs);
    };
    for (const bool within_skew : {false, true}) {
      report_grouped(
          ctx, sink, within_skew ? ResolverImpact{Rcode::noerror, Ede::none} : k_info.impact,
          [&](const Sig& sig) { return rule_for(sig.status) == k_info.id && tolerated(sig) == within_skew; },
          [](const Sig& sig) {
            return fmt::format("{}|{}|{}|{}", sig.zone, sig.key_tag, sig.algorithm, sig.expiration_abs);
          },
          [&](const Sig& sig) {
            std::string text = fmt::format("signatures by {} expired at {} ({} ago)", key_text(sig),
                                           utc(sig.expiration_abs), duration(ctx.now() - sig.expiration_abs));
            if (within_skew) {
              text += fmt::format(" (Unbound tolerates them until {}; BIND and Knot Resolver already fail)",
                                  utc(sig.expiration_abs + unbound_skew(sig.inception_abs, sig.expiration_abs)));
            }
            return text;
          });
    }
  }

private:
  static constexpr std::string_view k_tags[] = {"dnssec", "signatures", "timing"};
  static constexpr std::string_view k_compliance[] = {"rfc9364"};
  static constexpr RuleInfo k_info{.id = "dnssec/rrsig-expired",
                                   .severity = Severity::error,
                                   .stability = Stability::stable,
                                   .summary = "RRSIG expiration time is in the past",
                                   .reference = "RFC 4035 §5.3.1",
                                   .impact = {Rcode::servfail, Ede::signature_expired},
                                   .inputs = Inputs::both,
                                   .since = "0.1.0",
                                   .tags = k_tags,
                                   .compliance = k_compliance};
};

} // namespace
std::unique_ptr<Rule> make_rrsig_expired() {
  return std::make_unique<RrsigExpired>();
}
} // namespace zw::rules::dnssec
