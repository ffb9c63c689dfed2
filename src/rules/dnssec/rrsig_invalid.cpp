// dnssec/rrsig-invalid: RRSIG does not verify with the key it names.
// User documentation: docs/rules/dnssec/rrsig-invalid.md
#include "rules/dnssec/sig_support.hpp"
#include "rules/verdicts.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace dnssec_support;

void check_rrsig_invalid(const RuleContext& ctx, FindingSink& sink, const RuleInfo& /*info*/) {
  // Only signatures inside their validity window: a resolver rejects the others on time first.
  // One finding per key: a bad key or a broken signer makes all its signatures fail.
  for (const ::zw::dnssec::SigStatus status :
       {::zw::dnssec::SigStatus::invalid, ::zw::dnssec::SigStatus::wrong_signer,
        ::zw::dnssec::SigStatus::labels_invalid, ::zw::dnssec::SigStatus::malformed}) {
    report_grouped(
        ctx, sink, impact_of(status), [&](const Sig& sig) { return sig.status == status; },
        [](const Sig& sig) { return fmt::format("{}|{}|{}", sig.zone, sig.key_tag, sig.algorithm); },
        [](const Sig& sig) {
          switch (sig.status) {
          case ::zw::dnssec::SigStatus::wrong_signer:
            return fmt::format("signatures by {} name signer {}, not the zone {} that holds the data", key_text(sig),
                               sig.signer, sig.zone);
          case ::zw::dnssec::SigStatus::labels_invalid:
            return fmt::format("signatures by {} claim more labels than their owner has", key_text(sig));
          case ::zw::dnssec::SigStatus::malformed: return std::string("RRSIG records that do not parse");
          default:
            return fmt::format("signatures by {} do not verify (two independent libraries agree)", key_text(sig));
          }
        });
  }
}

} // namespace
extern const RuleCode rrsig_invalid{.check = &check_rrsig_invalid};
} // namespace zw::rules::dnssec
