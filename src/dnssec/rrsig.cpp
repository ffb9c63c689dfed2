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

// The RDATA of `rr`, a `what` (type `type`, or its child-side copy `copy_type`: CDNSKEY, CDS) of
// at least `minimum` octets; else why not ("{owner} {type}: DS RDATA of 3 octets is truncated").
Result<std::span<const std::uint8_t>> fixed_rdata(const dns::Rr& rr, std::uint16_t type, std::uint16_t copy_type,
                                                  std::string_view what, std::size_t minimum,
                                                  std::string_view too_short) {
  if (rr.type != type && rr.type != copy_type) {
    return fail(fmt::format("{}: not a {}", where(rr), what));
  }
  if (rr.rdata.size() < minimum) {
    return fail(fmt::format("{}: {} RDATA of {} octets {}", where(rr), what, rr.rdata.size(), too_short));
  }
  return std::span<const std::uint8_t>(rr.rdata);
}

// Why RRSIG RDATA does not parse.
enum class RrsigFault : std::uint8_t { none, truncated, bad_signer, no_signature };

// Reads RRSIG RDATA `r` into `f` (views into `r`).
RrsigFault read_rrsig(std::span<const std::uint8_t> r, RrsigView& f) noexcept {
  if (r.size() < dns::k_rrsig_fixed + 1) {
    return RrsigFault::truncated;
  }
  f.type_covered = get16(r, 0);
  f.algorithm = r[2];
  f.labels = r[3];
  f.original_ttl = get32(r, 4);
  f.expiration = get32(r, 8);
  f.inception = get32(r, 12);
  f.key_tag = get16(r, 16);
  const std::size_t signer_length = name_length(r.subspan(dns::k_rrsig_fixed));
  if (signer_length == 0) {
    return RrsigFault::bad_signer;
  }
  f.signer = r.subspan(dns::k_rrsig_fixed, signer_length);
  f.signature = r.subspan(dns::k_rrsig_fixed + signer_length);
  return f.signature.empty() ? RrsigFault::no_signature : RrsigFault::none;
}

} // namespace

std::optional<RrsigView> parse_rrsig_view(std::span<const std::uint8_t> r) noexcept {
  RrsigView f;
  if (read_rrsig(r, f) != RrsigFault::none) {
    return std::nullopt;
  }
  return f;
}

Result<RrsigFields> parse_rrsig(const dns::Rr& rr) {
  if (rr.type != dns::rrtype::rrsig) {
    return fail(fmt::format("{}: not an RRSIG", where(rr)));
  }
  RrsigView v;
  switch (read_rrsig(rr.rdata, v)) {
  case RrsigFault::none: break;
  case RrsigFault::truncated:
    return fail(fmt::format("{}: RRSIG RDATA of {} octets is truncated", where(rr), rr.rdata.size()));
  case RrsigFault::bad_signer: return fail(fmt::format("{}: RRSIG signer name is malformed", where(rr)));
  case RrsigFault::no_signature: return fail(fmt::format("{}: RRSIG has an empty signature", where(rr)));
  }
  return RrsigFields{.type_covered = v.type_covered,
                     .algorithm = v.algorithm,
                     .labels = v.labels,
                     .original_ttl = v.original_ttl,
                     .expiration = v.expiration,
                     .inception = v.inception,
                     .key_tag = v.key_tag,
                     .signer = dns::Bytes(v.signer.begin(), v.signer.end()),
                     .signature = dns::Bytes(v.signature.begin(), v.signature.end())};
}

Result<DnskeyFields> parse_dnskey(const dns::Rr& rr) {
  ZW_TRY_ASSIGN(const std::span<const std::uint8_t> r,
                fixed_rdata(rr, dns::rrtype::dnskey, dns::rrtype::cdnskey, "DNSKEY", 5, "has no public key"));
  return DnskeyFields{
      .flags = get16(r, 0), .protocol = r[2], .algorithm = r[3], .public_key = dns::Bytes(r.begin() + 4, r.end())};
}

Result<DsFields> parse_ds(const dns::Rr& rr) {
  ZW_TRY_ASSIGN(const std::span<const std::uint8_t> r,
                fixed_rdata(rr, dns::rrtype::ds, dns::rrtype::cds, "DS", 4, "is truncated"));
  return DsFields{
      .key_tag = get16(r, 0), .algorithm = r[2], .digest_type = r[3], .digest = dns::Bytes(r.begin() + 4, r.end())};
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
