#include "dnssec/validator.hpp"

#include <algorithm>
#include <string>

#include "dnssec/keys.hpp"
#include "util/enum_names.hpp"
#include "util/recent_answers.hpp"

namespace zw::dnssec {

using util::EnumName;

constexpr auto k_sig_status_names = util::enum_names(
    {EnumName(SigStatus::valid, "valid"), EnumName(SigStatus::missing, "missing"),
     EnumName(SigStatus::key_missing, "key-missing"), EnumName(SigStatus::key_not_zone_key, "key-not-zone-key"),
     EnumName(SigStatus::key_unusable, "key-unusable"), EnumName(SigStatus::key_revoked, "key-revoked"),
     EnumName(SigStatus::wrong_signer, "wrong-signer"), EnumName(SigStatus::labels_invalid, "labels-invalid"),
     EnumName(SigStatus::not_yet_valid, "not-yet-valid"), EnumName(SigStatus::expired, "expired"),
     EnumName(SigStatus::invalid, "invalid"), EnumName(SigStatus::disagreement, "disagreement"),
     EnumName(SigStatus::unsupported_algorithm, "unsupported-algorithm"), EnumName(SigStatus::malformed, "malformed")});

std::string_view to_string(SigStatus status) noexcept {
  return k_sig_status_names.text(status, "malformed");
}

namespace {

// Keys loaded lately, one memory per thread. An audit of a fleet loads the root's and each
// TLD's keys again for every zone below them (each zone's chain above it), and loading a key
// (its parameters into an EVP_PKEY, its verification contexts) costs about as much as a
// verification. A loaded key is immutable and may be shared (crypto/verifier.hpp), and the
// result, key or error, is a pure function of algorithm and key field.
Result<std::shared_ptr<const crypto::PublicKey>> load_key(std::uint8_t algorithm, std::span<const std::uint8_t> field) {
  thread_local util::RecentAnswers<Result<std::shared_ptr<const crypto::PublicKey>>> loaded(256);
  std::string id(1, static_cast<char>(algorithm));
  id.append(field.begin(), field.end());
  if (const auto* known = loaded.find(id)) {
    return *known;
  }
  Result<std::shared_ptr<const crypto::PublicKey>> key = crypto::load_public_key(algorithm, field);
  loaded.keep(std::move(id), key);
  return key;
}

} // namespace

KeyRing::KeyRing(std::span<const std::uint8_t> apex, std::span<const dns::Bytes> dnskeys)
    : m_apex(dns::lowercased(apex)) {
  for (const dns::Bytes& rdata : dnskeys) {
    if (std::any_of(m_keys.begin(), m_keys.end(), [&](const Key& k) { return k.rdata == rdata; })) {
      continue;
    }
    Key k;
    k.rdata = rdata;
    k.tag = key_tag(rdata);
    if (rdata.size() < 4) {
      k.load_error = "DNSKEY RDATA shorter than 4 octets";
    } else {
      k.flags = static_cast<std::uint16_t>((rdata[0] << 8) | rdata[1]);
      k.protocol = rdata[2];
      k.algorithm = rdata[3];
      const std::span<const std::uint8_t> field = std::span<const std::uint8_t>(rdata).subspan(4);
      if (field.empty()) {
        k.load_error = "empty public key";
      } else if (auto loaded = load_key(k.algorithm, field)) {
        k.key = std::move(*loaded);
      } else {
        k.load_error = loaded.error().message;
      }
    }
    m_keys.push_back(std::move(k));
  }
}

namespace detail {

SigStatus more_telling(SigStatus a, SigStatus b) noexcept {
  const auto rank = [](SigStatus s) {
    switch (s) {
    case SigStatus::disagreement: return 4;
    case SigStatus::invalid: return 3;
    case SigStatus::unsupported_algorithm: return 2;
    default: return 1;
    }
  };
  return rank(b) > rank(a) ? b : a;
}

} // namespace detail

KeyLookup find_signing_key(const RrsigView& sig, const KeyRing& ring) noexcept {
  KeyLookup out;
  // RFC 4035 §5.3.1: the signer is the zone that holds the RRset; its DNSKEY RRset is the only
  // place a validator looks for the key.
  if (!dns::names_equal(sig.signer, ring.apex())) {
    out.status = SigStatus::wrong_signer;
    return out;
  }
  const std::span<const KeyRing::Key> keys = ring.keys();
  int first_candidate = -1;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const KeyRing::Key& k = keys[i];
    if (k.tag != sig.key_tag || k.algorithm != sig.algorithm) {
      continue;
    }
    if (first_candidate < 0) {
      first_candidate = static_cast<int>(i);
    }
    if (k.may_sign()) {
      out.status = SigStatus::valid;
      out.key = static_cast<int>(i);
      return out;
    }
  }
  if (first_candidate < 0) {
    out.status = SigStatus::key_missing;
    return out;
  }
  out.key = first_candidate;
  const KeyRing::Key& k = keys[static_cast<std::size_t>(first_candidate)];
  out.status = !k.zone_key() ? SigStatus::key_not_zone_key
               : k.revoked() ? SigStatus::key_revoked
                             : SigStatus::key_unusable; // protocol other than 3 (RFC 4034 §2.1.2)
  return out;
}

namespace detail {

SignatureJudgement judge_before_crypto(const RrsigView& sig, std::span<const std::uint8_t> owner, const KeyRing& ring,
                                       std::int64_t now) noexcept {
  SignatureJudgement j;
  j.inception_abs = absolute_time(sig.inception, now);
  j.expiration_abs = absolute_time(sig.expiration, now);
  const KeyLookup lookup = find_signing_key(sig, ring);
  j.key = lookup.key;
  if (lookup.status != SigStatus::valid) {
    j.status = lookup.status;
    return j;
  }
  if (sig.labels > dns::label_count(owner)) {
    j.status = SigStatus::labels_invalid;
    return j;
  }
  if (j.inception_abs > now) {
    j.status = SigStatus::not_yet_valid;
    return j;
  }
  if (j.expiration_abs < now) {
    j.status = SigStatus::expired;
    return j;
  }
  j.status = SigStatus::valid;
  return j;
}

SigStatus judge_crypto(const RrsigView& sig, const KeyRing::Key& k, std::span<const std::uint8_t> data) {
  if (!crypto::is_supported_algorithm(sig.algorithm)) {
    return SigStatus::unsupported_algorithm;
  }
  if (!k.key) {
    return SigStatus::key_unusable;
  }
  const crypto::DualResult r = crypto::verify_dual(sig.algorithm, *k.key, data, sig.signature);
  if (r.disagreement) {
    return SigStatus::disagreement;
  }
  switch (r.status) {
  case crypto::VerifyStatus::valid: return SigStatus::valid;
  case crypto::VerifyStatus::invalid: return SigStatus::invalid;
  case crypto::VerifyStatus::unsupported_algorithm: return SigStatus::unsupported_algorithm;
  case crypto::VerifyStatus::bad_key: return SigStatus::key_unusable;
  }
  return SigStatus::invalid;
}

} // namespace detail

} // namespace zw::dnssec
