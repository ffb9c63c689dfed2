// dnssec/rrsig-expired: RRSIG expiration time is in the past.
// User documentation: docs/rules/dnssec/rrsig-expired.md
#include "rules/dnssec/sig_support.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace dnssec_support;

// RFC 4034 §3.1.5: times are compared with serial arithmetic (resolved in the analysis). One
// finding per key and expiration instant: one signing run that was not renewed.
void check_rrsig_expired(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info) {
  const auto tolerated_until = [](const Sig& sig) {
    return sig.expiration_abs + unbound_skew(sig.inception_abs, sig.expiration_abs);
  };
  report_validity_fault(
      ctx, sink, info, [](const Sig& sig) { return sig.expiration_abs; },
      [&](const Sig& sig) { return ctx.now() <= tolerated_until(sig); },
      [&](const Sig& sig, bool within_skew) {
        std::string text = fmt::format("signatures by {} expired at {} ({} ago)", key_text(sig),
                                       utc(sig.expiration_abs), duration(ctx.now() - sig.expiration_abs));
        if (within_skew) {
          text += fmt::format(" (Unbound tolerates them until {}; BIND and Knot Resolver already fail)",
                              utc(tolerated_until(sig)));
        }
        return text;
      });
}

} // namespace
extern const RuleCode rrsig_expired{.check = &check_rrsig_expired};
} // namespace zw::rules::dnssec
