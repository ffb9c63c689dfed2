// dnssec/dnskey-not-signed-by-ds-key: the key the parent's DS points to does not sign the DNSKEY RRset.
// User documentation: docs/rules/dnssec/dnskey-not-signed-by-ds-key.md
#include <fmt/ranges.h>

#include "rules/rule_support.hpp"

namespace zw::rules::dnssec {
namespace {

void check_dnskey_not_signed_by_ds_key(const RuleContext& ctx, FindingSink& sink, const RuleInfo& /*info*/) {
  const ::zw::dnssec::ZoneDnssec& d = ctx.dnssec();
  // A zone file checked without --ds: the DS the parent will publish is not known. By convention
  // (RFC 4034 §2.1.1, RFC 6781 §3.2.3) it names a Secure Entry Point key, so the SEP keys stand in
  // for the DS keys; a zone without any SEP key gives no presumption and no finding.
  const bool presumed = ctx.zone_file() != nullptr && !ctx.zone_file()->ds_given;
  if (ctx.zone_file() != nullptr && !d.any_rrsig) {
    return; // a zone file that was never signed: dnssec/rrsig-missing says so once
  }
  const auto names_key = [presumed](const ::zw::dnssec::KeyRecord& k) {
    if (!presumed) {
      return k.matched_by_ds;
    }
    constexpr std::uint16_t zone_key = 0x0100, revoke = 0x0080, sep = 0x0001;
    return (k.flags & zone_key) != 0 && (k.flags & sep) != 0 && (k.flags & revoke) == 0;
  };
  std::vector<std::string> ds_keys;
  for (const ::zw::dnssec::KeyRecord& k : d.keys) {
    if (!names_key(k)) {
      continue;
    }
    // A signature by the DS key that exists but is expired or bogus is that rule's finding
    // (one root cause, one finding): here only a missing signature counts.
    if (k.signs_dnskey) {
      return;
    }
    ds_keys.push_back(fmt::format("{} (algorithm {})", k.key_tag, k.algorithm));
  }
  if (ds_keys.empty()) {
    return; // no DS-matched key: dnssec/ds-no-matching-dnskey or an insecure delegation
  }
  std::vector<std::string> signers;
  for (const ::zw::dnssec::ObservedSignature& sig : d.signatures) {
    if (sig.type == "DNSKEY" && sig.owner == ctx.zone_name()) {
      signers.push_back(std::to_string(sig.key_tag));
    }
  }
  std::sort(signers.begin(), signers.end());
  signers.erase(std::unique(signers.begin(), signers.end()), signers.end());
  Finding f;
  f.location = at(ctx, "", ctx.zone_name(), "DNSKEY");
  if (presumed) {
    f.message = fmt::format("the DNSKEY RRset is not signed by a SEP key ({}), which the parent's DS normally "
                            "names; signed by [{}]",
                            fmt::join(ds_keys, ", "), fmt::join(signers, ", "));
    f.evidence.push_back("checked without --ds: the SEP (KSK) keys stand in for the keys a DS will name");
  } else {
    f.message = fmt::format("the DNSKEY RRset is not signed by the key the parent's DS names ({}); signed by [{}]",
                            fmt::join(ds_keys, ", "), fmt::join(signers, ", "));
  }
  f.evidence.push_back("the chain of trust stops at the DS: every answer from the zone is bogus");
  sink.add(std::move(f));
}

} // namespace
extern const RuleCode dnskey_not_signed_by_ds_key{.check = &check_dnskey_not_signed_by_ds_key};
} // namespace zw::rules::dnssec
