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
  using Rule::Rule;
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
          ctx, sink, within_skew ? ResolverImpact{Rcode::noerror, Ede::none} : info().impact,
          [&](const Sig& sig) { return rule_for(sig.status) == info().id && tolerated(sig) == within_skew; },
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
};

} // namespace
std::unique_ptr<Rule> make_rrsig_expired(const RuleInfo& info) {
  return make_rule<RrsigExpired>(info);
}
} // namespace zw::rules::dnssec
