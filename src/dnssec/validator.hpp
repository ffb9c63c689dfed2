#pragma once
// The one signature validator of zonewarden: `check` (zone files) and `audit` (answers from the
// wire, and the chain of trust above a zone) judge every RRSIG with `judge_signature`, against
// the DNSKEYs of one zone held in a KeyRing, with the checks a validating resolver makes and in
// the order Unbound makes them (RFC 4035 §5.3.1, §5.3.3; RFC 4034 §2.1.1; RFC 5011 §2.1):
//   1. a DNSKEY of the signer's zone with the RRSIG's key tag and algorithm     -> key_missing
//   2. that key may sign zone data: Zone Key flag, protocol 3, not revoked     -> key_not_zone_key,
//                                                                                key_unusable, key_revoked
//   3. the signer is the zone apex, the Labels field fits the owner           -> wrong_signer, labels_invalid
//   4. the validity window contains `now` (serial arithmetic, RFC 4034 §3.1.5) -> not_yet_valid, expired
//   5. the cryptography (crypto::verify_dual: two libraries on every rejection) -> invalid, disagreement
// Every status is mapped to exactly one rule by an exhaustive switch in src/rules/verdicts.hpp.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/dual_verifier.hpp"
#include "crypto/verifier.hpp"
#include "dns/rr.hpp"
#include "dnssec/rrsig.hpp"

namespace zw::dnssec {

// The verdict on one RRSIG at one instant; only `valid` makes the RRset it covers usable.
enum class SigStatus : std::uint8_t {
  valid,
  missing,               // no RRSIG at all over the RRset (an RRset verdict, never a signature's)
  key_missing,           // no DNSKEY of the zone has this signer, key tag and algorithm (EDE 9)
  key_not_zone_key,      // the only such DNSKEYs lack the Zone Key flag (RFC 4034 §2.1.1, EDE 11)
  key_unusable,          // the only such DNSKEYs have protocol other than 3, or a key that does not load
  key_revoked,           // the only such DNSKEYs carry the REVOKE flag (RFC 5011 §2.1)
  wrong_signer,          // the signer name is not the apex of the zone that owns the data
  labels_invalid,        // the Labels field exceeds the owner's label count (RFC 4035 §5.3.1)
  not_yet_valid,         // inception after now (EDE 8)
  expired,               // expiration before now (EDE 7)
  invalid,               // the cryptography fails; both verifiers agree (EDE 6)
  disagreement,          // the first verifier rejects, the second accepts: our trouble, never the zone's fault
  unsupported_algorithm, // this build cannot verify the algorithm: indeterminate to us
  malformed,             // the RRSIG RDATA does not parse
};

std::string_view to_string(SigStatus status) noexcept;

// The DNSKEYs of one zone, parsed and their public keys loaded once, for any number of
// verifications from any number of threads.
class KeyRing {
public:
  struct Key {
    dns::Bytes rdata;
    std::uint16_t tag = 0;
    std::uint8_t algorithm = 0;
    std::uint16_t flags = 0;
    std::uint8_t protocol = 0;
    std::shared_ptr<const crypto::PublicKey> key; // null when the key field does not load
    std::string load_error;                       // why, in that case

    bool zone_key() const noexcept { return (flags & 0x0100) != 0; }
    bool revoked() const noexcept { return (flags & 0x0080) != 0; }
    bool sep() const noexcept { return (flags & 0x0001) != 0; }
    // A validator uses the key's signatures over zone data: Zone Key flag, protocol 3 (RFC 4034
    // §2.1.1, §2.1.2), not revoked (RFC 5011 §2.1).
    bool may_sign() const noexcept { return zone_key() && protocol == 3 && !revoked(); }
  };

  KeyRing() = default;
  // The DNSKEY RDATAs `dnskeys` of the zone whose apex is `apex` (wire, any case); duplicates are
  // kept once. A key that does not parse or load is kept with its `load_error`.
  KeyRing(std::span<const std::uint8_t> apex, std::span<const dns::Bytes> dnskeys);

  std::span<const std::uint8_t> apex() const noexcept { return m_apex; }
  std::span<const Key> keys() const noexcept { return m_keys; }
  bool empty() const noexcept { return m_keys.empty(); }

private:
  dns::Bytes m_apex; // lowercased
  std::vector<Key> m_keys;
};

// The key an RRSIG names, looked up as a validator does (RFC 4035 §5.3.1): the first step of
// judge_signature, and the one definition of "signed by a key of the zone" for every rule.
struct KeyLookup {
  // valid: a key of the ring with the RRSIG's tag and algorithm may sign (KeyRing::Key::may_sign);
  // else wrong_signer (the signer is not the ring's apex), key_missing (no key with that tag and
  // algorithm), key_not_zone_key, key_revoked or key_unusable (protocol other than 3).
  SigStatus status = SigStatus::key_missing;
  int key = -1; // index in KeyRing::keys(): the usable key, else the first candidate; -1 if none
};
KeyLookup find_signing_key(const RrsigView& sig, const KeyRing& ring) noexcept;

// What judge_signature concluded about one RRSIG.
struct SignatureJudgement {
  SigStatus status = SigStatus::malformed;
  std::int64_t inception_abs = 0; // unix seconds, resolved against `now` (RFC 4034 §3.1.5)
  std::int64_t expiration_abs = 0;
  // Index in KeyRing::keys() of the key the signature names (the one that validated it, when
  // valid); -1 when there is none (key_missing, wrong_signer).
  int key = -1;
};

// Judges the RRSIG `sig` over an RRset whose (lowercased or not) owner is `owner`, for the zone
// of `ring`, at unix time `now`. `signed_data(dns::Bytes& out)` must replace `out` with the data
// the RRSIG signs (dnssec::signed_data); it is called at most once per candidate key, and only
// when every check before the cryptography passed. Never throws on bad input.
template <typename SignedData>
SignatureJudgement judge_signature(const RrsigView& sig, std::span<const std::uint8_t> owner, const KeyRing& ring,
                                   std::int64_t now, dns::Bytes& scratch, SignedData&& signed_data);

// The same for an RRSIG whose RDATA did not parse: `malformed`.
inline SignatureJudgement malformed_signature() noexcept {
  return {};
}

namespace detail {

// Steps 1 to 4 of the file comment (step 1 is find_signing_key); `valid` when the cryptography
// must decide (then `key` is the index of the first key that may sign).
SignatureJudgement judge_before_crypto(const RrsigView& sig, std::span<const std::uint8_t> owner, const KeyRing& ring,
                                       std::int64_t now) noexcept;
// Step 5 with key `k` over `data`: valid, invalid, disagreement, unsupported_algorithm or
// key_unusable.
SigStatus judge_crypto(const RrsigView& sig, const KeyRing::Key& k, std::span<const std::uint8_t> data);
// True when key `k` is a candidate for `sig` that may sign zone data.
inline bool usable_candidate(const RrsigView& sig, const KeyRing::Key& k) noexcept {
  return k.tag == sig.key_tag && k.algorithm == sig.algorithm && k.may_sign();
}
// Of two crypto failures, the one to report: disagreement, then invalid, then
// unsupported_algorithm, then key_unusable.
SigStatus more_telling(SigStatus a, SigStatus b) noexcept;

} // namespace detail

template <typename SignedData>
SignatureJudgement judge_signature(const RrsigView& sig, std::span<const std::uint8_t> owner, const KeyRing& ring,
                                   std::int64_t now, dns::Bytes& scratch, SignedData&& signed_data) {
  SignatureJudgement j = detail::judge_before_crypto(sig, owner, ring, now);
  if (j.status != SigStatus::valid) {
    return j;
  }
  // Several keys may share a tag and algorithm (RFC 4034 App. B): any one that verifies wins;
  // otherwise the most telling failure is kept (detail::more_telling).
  SigStatus failure = SigStatus::key_unusable;
  bool built = false;
  const std::span<const KeyRing::Key> keys = ring.keys();
  for (std::size_t i = static_cast<std::size_t>(j.key); i < keys.size(); ++i) {
    if (!detail::usable_candidate(sig, keys[i])) {
      continue;
    }
    if (!built) {
      signed_data(scratch);
      built = true;
    }
    const SigStatus s = detail::judge_crypto(sig, keys[i], scratch);
    if (s == SigStatus::valid) {
      j.status = s;
      j.key = static_cast<int>(i);
      return j;
    }
    failure = detail::more_telling(failure, s);
  }
  j.status = failure;
  return j;
}

} // namespace zw::dnssec
