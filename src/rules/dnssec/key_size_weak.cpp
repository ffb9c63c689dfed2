// dnssec/key-size-weak: an RSA zone key with a modulus below the policy minimum.
// User documentation: docs/rules/dnssec/key-size-weak.md
#include "rules/dnssec/key_support.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace key_support;
namespace reg = ::zw::dnssec;

// The RSA algorithms a zone may still use: 5, 7, 8, 10 (RFC 3110, RFC 5155, RFC 5702).
bool is_rsa(std::uint8_t algorithm) noexcept {
  return algorithm == 5 || algorithm == 7 || algorithm == 8 || algorithm == 10;
}

void check_key_size_weak(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info) {
  const unsigned minimum = ctx.thresholds(info).min_rsa_bits;
  if (minimum == 0) {
    return;
  }
  for (const ApexKey& k : apex_keys(ctx)) {
    // A revoked key signs nothing validators use (RFC 5011 §3); a non-zone key signs no zone
    // data (RFC 4034 §2.1.1). Neither weakens the zone.
    if (!k.parsed || !k.zone_key() || k.revoked() || !is_rsa(k.algorithm())) {
      continue;
    }
    const unsigned bits = reg::key_size_bits(k.algorithm(), k.fields.public_key);
    if (bits == 0 || bits >= minimum) {
      continue; // 0: malformed, the analysis notes it
    }
    Finding f = finding(info, apex(ctx));
    f.message = fmt::format("{} has a {}-bit RSA modulus, below the minimum of {} bits", describe(k), bits, minimum);
    if (!k.source.empty()) {
      f.evidence.push_back(fmt::format("DNSKEY at {}", k.source));
    }
    if (bits < 2048) {
      f.evidence.push_back("NIST SP 800-131A has disallowed RSA signatures with moduli below 2048 bits since 2014 "
                           "(RFC 6781 §3.4.2 discusses key sizes)");
    }
    sink.add_graded(std::move(f));
  }
}

} // namespace
extern const RuleCode key_size_weak{.check = &check_key_size_weak};
} // namespace zw::rules::dnssec
