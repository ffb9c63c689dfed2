// dnssec/key-revoked: a DNSKEY at the apex has the REVOKE flag (RFC 5011 §3).
// User documentation: docs/rules/dnssec/key-revoked.md
#include "rules/dnssec/key_support.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace key_support;
namespace reg = ::zw::dnssec;

// The key tag of the same key without the REVOKE flag (RFC 4034 App. B over the flags as they
// were), so that its operator recognises it; 0 when the key does not parse.
std::uint16_t tag_before_revocation(const ApexKey& k) {
  if (k.rr.rdata.size() < 4) {
    return 0;
  }
  dns::Bytes rdata = k.rr.rdata;
  rdata[1] = static_cast<std::uint8_t>(rdata[1] & ~0x80);
  return reg::key_tag(rdata);
}

void check_key_revoked(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info) {
  const std::vector<ApexKey> keys = apex_keys(ctx);
  // RFC 5011 §3: a validator uses a revoked key for nothing but checking the revocation itself,
  // so a DS that matches only revoked keys leads nowhere.
  const bool ds_given = ds_known(ctx);
  const bool ds_reaches_live_key =
      std::any_of(keys.begin(), keys.end(), [](const ApexKey& k) { return k.record->matched_by_ds && !k.revoked(); });
  for (const ApexKey& k : keys) {
    if (!k.revoked()) {
      continue;
    }
    Finding f = finding(info, apex(ctx));
    const std::uint16_t before = tag_before_revocation(k);
    f.message = fmt::format("{} has the REVOKE flag{}: validators ignore its signatures", describe(k),
                            before != 0 ? fmt::format(" (it was key {} before revocation)", before) : "");
    if (!k.source.empty()) {
      f.evidence.push_back(fmt::format("DNSKEY at {}", k.source));
    }
    // Another key of the same algorithm must sign the DNSKEY RRset for validators to use it.
    const bool other_signer = std::any_of(keys.begin(), keys.end(), [&](const ApexKey& o) {
      return &o != &k && o.algorithm() == k.algorithm() && !o.revoked() && o.zone_key() && o.record->signs_dnskey;
    });
    if (k.record->signs_dnskey && !other_signer) {
      f.severity = Severity::error;
      f.resolver = {Rcode::servfail, Ede::dnssec_bogus};
      f.evidence.push_back(fmt::format("no other key of algorithm {} signs the DNSKEY RRset: validators find no "
                                       "usable signature of that algorithm over it",
                                       reg::algorithm_text(k.algorithm())));
    }
    if (ds_given && k.record->matched_by_ds && !ds_reaches_live_key) {
      f.severity = Severity::error;
      f.resolver = {Rcode::servfail, Ede::dnskey_missing};
      f.evidence.push_back("the --ds set matches only revoked keys: validators find no usable DNSKEY for the "
                           "parent's DS, and the zone is bogus");
    }
    if (f.severity != Severity::error) {
      f.evidence.push_back("harmless while other keys sign; remove it once RFC 5011 resolvers have seen the "
                           "revocation (the 30-day RFC 5011 hold-down time plus the DNSKEY TTL)");
    }
    if (!k.record->signs_dnskey) {
      f.evidence.push_back("it does not sign the DNSKEY RRset, so RFC 5011 resolvers cannot authenticate the "
                           "revocation (RFC 5011 §2.1)");
    }
    sink.add_graded(std::move(f));
  }
}

} // namespace
extern const RuleCode key_revoked{.check = &check_key_revoked};
} // namespace zw::rules::dnssec
