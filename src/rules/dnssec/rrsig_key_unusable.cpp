// dnssec/rrsig-key-unusable: an RRSIG names a key of the zone that may not validate data.
// User documentation: docs/rules/dnssec/rrsig-key-unusable.md
#include "rules/dnssec/sig_support.hpp"
#include "rules/verdicts.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace dnssec_support;
using ::zw::dnssec::SigStatus;

// RFC 5011 §2.1: a revoked key signs the DNSKEY RRset to publish its revocation. That
// signature is expected and validates nothing; dnssec/key-revoked reports the revoked key.
bool revocation(const Sig& sig) {
  return sig.status == SigStatus::key_revoked && sig.type == "DNSKEY" && sig.owner == sig.zone;
}

std::string_view why(SigStatus status) {
  switch (status) {
  case SigStatus::key_not_zone_key: return "cannot validate: the key lacks the Zone Key flag (RFC 4034 §2.1.1)";
  case SigStatus::key_revoked: return "cannot validate: the key carries the REVOKE flag (RFC 5011 §2.1)";
  default: return "cannot validate: the key's protocol field is not 3 or its public key does not load (RFC 4034 §2.1)";
  }
}

void check_rrsig_key_unusable(const RuleContext& ctx, FindingSink& sink, const RuleInfo& /*info*/) {
  // One finding per key and reason; each reason has the resolver impact Unbound gives it.
  for (const SigStatus status : {SigStatus::key_not_zone_key, SigStatus::key_revoked, SigStatus::key_unusable}) {
    report_grouped(
        ctx, sink, impact_of(status), [&](const Sig& sig) { return sig.status == status && !revocation(sig); },
        [](const Sig& sig) { return fmt::format("{}|{}|{}", sig.zone, sig.key_tag, sig.algorithm); },
        [&](const Sig& sig) { return fmt::format("signatures by {} {}", key_text(sig), why(status)); });
  }
}

} // namespace
extern const RuleCode rrsig_key_unusable{.check = &check_rrsig_key_unusable};
} // namespace zw::rules::dnssec
