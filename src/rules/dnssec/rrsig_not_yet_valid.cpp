// dnssec/rrsig-not-yet-valid: RRSIG inception time is in the future.
// User documentation: docs/rules/dnssec/rrsig-not-yet-valid.md
#include "rules/dnssec/sig_support.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace dnssec_support;

// An expired signature is reported as expired only. One finding per key and inception.
void check_rrsig_not_yet_valid(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info) {
  report_validity_fault(
      ctx, sink, info, [](const Sig& sig) { return sig.inception_abs; },
      [&](const Sig& sig) {
        return ctx.now() >= sig.inception_abs - unbound_skew(sig.inception_abs, sig.expiration_abs);
      },
      [&](const Sig& sig, bool within_skew) {
        std::string text = fmt::format("signatures by {} are not valid before {} (in {})", key_text(sig),
                                       utc(sig.inception_abs), duration(sig.inception_abs - ctx.now()));
        if (within_skew) {
          text += " (Unbound already accepts them, its skew tolerance; BIND and Knot Resolver fail)";
        }
        return text;
      });
}

} // namespace
extern const RuleCode rrsig_not_yet_valid{.check = &check_rrsig_not_yet_valid};
} // namespace zw::rules::dnssec
