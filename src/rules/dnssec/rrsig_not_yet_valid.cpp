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
  using Rule::Rule;
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    // An expired signature is reported as expired only. One finding per key and inception.
    // Unbound accepts a signature a while before its inception (its skew tolerance); BIND and
    // Knot Resolver do not: see dnssec/rrsig-expired.
    const bool unbound = ctx.options().resolver_model == ResolverModel::unbound;
    const auto tolerated = [&](const Sig& sig) {
      return unbound && ctx.now() >= sig.inception_abs - unbound_skew(sig.inception_abs, sig.expiration_abs);
    };
    for (const bool within_skew : {false, true}) {
      report_grouped(
          ctx, sink, within_skew ? ResolverImpact{Rcode::noerror, Ede::none} : info().impact,
          [&](const Sig& sig) { return rule_for(sig.status) == info().id && tolerated(sig) == within_skew; },
          [](const Sig& sig) {
            return fmt::format("{}|{}|{}|{}", sig.zone, sig.key_tag, sig.algorithm, sig.inception_abs);
          },
          [&](const Sig& sig) {
            std::string text = fmt::format("signatures by {} are not valid before {} (in {})", key_text(sig),
                                           utc(sig.inception_abs), duration(sig.inception_abs - ctx.now()));
            if (within_skew) {
              text += " (Unbound already accepts them, its skew tolerance; BIND and Knot Resolver fail)";
            }
            return text;
          });
    }
  }
};

} // namespace
std::unique_ptr<Rule> make_rrsig_not_yet_valid(const RuleInfo& info) {
  return make_rule<RrsigNotYetValid>(info);
}
} // namespace zw::rules::dnssec
