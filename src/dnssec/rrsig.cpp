#include "dnssec/rrsig.hpp"

#include <fmt/format.h>

#include "dns/canonical_rdata.hpp"
#include "dnssec/canonical.hpp"
#include "dnssec/keys.hpp"

namespace zw::dnssec {

namespace {

constexpr std::uint8_t k_dnssec_protocol = 3; // RFC 4034 §2.1.2

std::uint16_t get16(std::span<const std::uint8_t> r, std::size_t pos) noexcept {
  return static_cast<std::uint16_t>((r[pos] << 8) | r[pos + 1]);
}

std::uint32_t get32(std::span<const std::uint8_t> r, std::size_t pos) noexcept {
  return (static_cast<std::uint32_t>(get16(r, pos)) << 16) | get16(r, pos + 2);
}

// Length of the uncompressed name at the start of `r`, or 0 when it is malformed.
std::size_t name_length(std::span<const std::uint8_t> r) noexcept {
  std::size_t pos = 0;
  while (pos < r.size() && pos < 255) {
    const std::uint8_t len = r[pos];
    if (len == 0) {
      return pos + 1;
    }
    if ((len & 0xC0) != 0) {
      return 0;
    }
    pos += 1 + len;
  }
  return 0;
}

std::string where(const dns::Rr& rr) {
  return fmt::format("{} {}", dns::name_to_text(rr.owner), dns::type_to_text(rr.type));
}

} // namespace

std::optional<RrsigView> parse_rrsig_view(std::span<const std::uint8_t> r) noexcept {
  if (r.size() < dns::k_rrsig_fixed + 1) {
    return std::nullopt;
  }
  RrsigView f;
  f.type_covered = get16(r, 0);
  f.algorithm = r[2];
  f.labels = r[3];
  f.original_ttl = get32(r, 4);
  f.expiration = get32(r, 8);
  f.inception = get32(r, 12);
  f.key_tag = get16(r, 16);
  const std::size_t signer_length = name_length(r.subspan(dns::k_rrsig_fixed));
  if (signer_length == 0) {
    return std::nullopt;
  }
  f.signer = r.subspan(dns::k_rrsig_fixed, signer_length);
  f.signature = r.subspan(dns::k_rrsig_fixed + signer_length);
  if (f.signature.empty()) {
    return std::nullopt;
  }
  return f;
}

Result<RrsigFields> parse_rrsig(const dns::Rr& rr) {
  if (rr.type != dns::rrtype::rrsig) {
    return fail(fmt::format("{}: not an RRSIG", where(rr)));
  }
  const std::span<const std::uint8_t> r = rr.rdata;
  if (r.size() < dns::k_rrsig_fixed + 1) {
    return fail(fmt::format("{}: RRSIG RDATA of {} octets is truncated", where(rr), r.size()));
  }
  RrsigFields f;
  f.type_covered = get16(r, 0);
  f.algorithm = r[2];
  f.labels = r[3];
  f.original_ttl = get32(r, 4);
  f.expiration = get32(r, 8);
  f.inception = get32(r, 12);
  f.key_tag = get16(r, 16);
  const std::size_t signer_length = name_length(r.subspan(dns::k_rrsig_fixed));
  if (signer_length == 0) {
    return fail(fmt::format("{}: RRSIG signer name is malformed", where(rr)));
  }
  const std::span<const std::uint8_t> signer = r.subspan(dns::k_rrsig_fixed, signer_length);
  const std::span<const std::uint8_t> signature = r.subspan(dns::k_rrsig_fixed + signer_length);
  if (signature.empty()) {
    return fail(fmt::format("{}: RRSIG has an empty signature", where(rr)));
  }
  f.signer.assign(signer.begin(), signer.end());
  f.signature.assign(signature.begin(), signature.end());
  return f;
}

Result<DnskeyFields> parse_dnskey(const dns::Rr& rr) {
  if (rr.type != dns::rrtype::dnskey && rr.type != dns::rrtype::cdnskey) {
    return fail(fmt::format("{}: not a DNSKEY", where(rr)));
  }
  const std::span<const std::uint8_t> r = rr.rdata;
  if (r.size() < 5) {
    return fail(fmt::format("{}: DNSKEY RDATA of {} octets has no public key", where(rr), r.size()));
  }
  DnskeyFields f;
  f.flags = get16(r, 0);
  f.protocol = r[2];
  f.algorithm = r[3];
  f.public_key.assign(r.begin() + 4, r.end());
  return f;
}

Result<DsFields> parse_ds(const dns::Rr& rr) {
  if (rr.type != dns::rrtype::ds && rr.type != dns::rrtype::cds) {
    return fail(fmt::format("{}: not a DS", where(rr)));
  }
  const std::span<const std::uint8_t> r = rr.rdata;
  if (r.size() < 4) {
    return fail(fmt::format("{}: DS RDATA of {} octets is truncated", where(rr), r.size()));
  }
  DsFields f;
  f.key_tag = get16(r, 0);
  f.algorithm = r[2];
  f.digest_type = r[3];
  f.digest.assign(r.begin() + 4, r.end());
  return f;
}

bool serial_time_before(std::uint32_t a, std::uint32_t b) noexcept {
  // RFC 1982 §3.2: a < b when the forward distance from a to b is in (0, 2^31).
  const std::uint32_t distance = b - a;
  return distance != 0 && distance < 0x80000000U;
}

std::int64_t absolute_time(std::uint32_t rrsig_time, std::int64_t now) noexcept {
  // The signed 32-bit difference (modular since C++20) is the offset from `now` of the
  // representative in [now - 2^31, now + 2^31).
  const auto offset = static_cast<std::int32_t>(rrsig_time - static_cast<std::uint32_t>(now));
  return now + offset;
}

crypto::VerifyStatus verify_rrsig(const dns::Rr& rrsig, std::span<const dns::Rr> rrset, const dns::Rr& dnskey,
                                  const crypto::PublicKey& key, const crypto::Verifier& verifier, dns::Bytes& scratch) {
  const Result<RrsigFields> sig = parse_rrsig(rrsig);
  const Result<DnskeyFields> fields = parse_dnskey(dnskey);
  if (!sig || !fields || rrset.empty()) {
    return crypto::VerifyStatus::invalid;
  }
  // RFC 4035 §5.3.1: the RRSIG must match the RRset and the DNSKEY before any cryptography.
  const dns::Rr& first = rrset.front();
  const bool matches = sig->type_covered == first.type && rrsig.rclass == first.rclass &&
                       dns::names_equal(rrsig.owner, first.owner) && sig->labels <= dns::label_count(first.owner) &&
                       dns::names_equal(sig->signer, dnskey.owner) && sig->algorithm == fields->algorithm &&
                       sig->key_tag == key_tag(dnskey.rdata) && fields->protocol == k_dnssec_protocol &&
                       fields->zone_key() && key.algorithm() == fields->algorithm;
  if (!matches) {
    return crypto::VerifyStatus::invalid;
  }
  signed_data(*sig, rrset, rrsig, scratch);
  return verifier.verify(sig->algorithm, key, scratch, sig->signature);
}

crypto::VerifyStatus verify_rrsig(const dns::Rr& rrsig, std::span<const dns::Rr> rrset, const dns::Rr& dnskey,
                                  const crypto::Verifier& verifier, dns::Bytes& scratch) {
  const Result<DnskeyFields> fields = parse_dnskey(dnskey);
  if (!fields) {
    return crypto::VerifyStatus::invalid;
  }
  // Keys of algorithms we cannot verify load too; the verifier then reports them unsupported.
  const Result<std::shared_ptr<const crypto::PublicKey>> key =
      crypto::load_public_key(fields->algorithm, fields->public_key);
  if (!key) {
    return crypto::VerifyStatus::bad_key;
  }
  return verify_rrsig(rrsig, rrset, dnskey, **key, verifier, scratch);
}

} // namespace zw::dnssec
