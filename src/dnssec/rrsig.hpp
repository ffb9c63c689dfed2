#pragma once
// RRSIG, DNSKEY and DS RDATA (RFC 4034 §2, §3, §5), signature time arithmetic (§3.1.5) and the
// verification of one RRSIG over one RRset.

#include <cstdint>
#include <optional>
#include <span>

#include "crypto/verifier.hpp"
#include "dns/rr.hpp"
#include "zonewarden/error.hpp"

namespace zw::dnssec {

// The fields of an RRSIG RDATA (RFC 4034 §3.1), with the signer (the wire-format name as received,
// case kept) and the signature octets after it held as `Octets`: copies in RrsigFields, views into
// the RDATA in RrsigView (the zone-file hot path).
template <typename Octets> struct BasicRrsig {
  std::uint16_t type_covered = 0;
  std::uint8_t algorithm = 0;
  std::uint8_t labels = 0;
  std::uint32_t original_ttl = 0;
  std::uint32_t expiration = 0;
  std::uint32_t inception = 0;
  std::uint16_t key_tag = 0;
  Octets signer;
  Octets signature;
};
using RrsigFields = BasicRrsig<dns::Bytes>;
using RrsigView = BasicRrsig<std::span<const std::uint8_t>>;

// Parses RRSIG RDATA into views; nullopt under the same conditions as parse_rrsig fails.
std::optional<RrsigView> parse_rrsig_view(std::span<const std::uint8_t> rdata) noexcept;

// Parses the RDATA of `rr`, which must be an RRSIG. Errors: another type, RDATA shorter than
// the fixed fields, a signer name that is compressed, runs past the end or exceeds 255 octets,
// an empty signature.
Result<RrsigFields> parse_rrsig(const dns::Rr& rr);

// The fields of a DNSKEY RDATA (RFC 4034 §2.1).
struct DnskeyFields {
  // Zone Key flag, bit 7 (0x0100): the key may sign zone data (RFC 4034 §2.1.1).
  bool zone_key() const noexcept { return (flags & 0x0100) != 0; }
  // Secure Entry Point flag, bit 15 (0x0001).
  bool sep() const noexcept { return (flags & 0x0001) != 0; }
  // REVOKE flag, bit 8 (0x0080), RFC 5011 §3.
  bool revoked() const noexcept { return (flags & 0x0080) != 0; }

  // The RDATA, field by field in wire order.
  std::uint16_t flags = 0;
  std::uint8_t protocol = 0;
  std::uint8_t algorithm = 0;
  dns::Bytes public_key;
};

// Parses the RDATA of `rr`, which must be a DNSKEY (or CDNSKEY). Errors: another type, fewer
// than 4 octets, an empty public key. The protocol value is reported, not checked.
Result<DnskeyFields> parse_dnskey(const dns::Rr& rr);

// The fields of a DS RDATA (RFC 4034 §5.1).
struct DsFields {
  std::uint16_t key_tag = 0;
  std::uint8_t algorithm = 0;
  std::uint8_t digest_type = 0;
  dns::Bytes digest;
};

// Parses the RDATA of `rr`, which must be a DS (or CDS). Errors: another type, fewer than 4
// octets. The digest length is not checked against the digest type (that is a finding).
Result<DsFields> parse_ds(const dns::Rr& rr);

// RFC 4034 §3.1.5 / RFC 1982 serial number arithmetic: true when 32-bit time `a` is before `b`.
// When the two are exactly 2^31 apart the comparison is undefined and this returns false.
bool serial_time_before(std::uint32_t a, std::uint32_t b) noexcept;

// The absolute unix time (seconds) of the 32-bit RRSIG time `rrsig_time` that lies closest to
// `now`: the value congruent to it modulo 2^32 within [now - 2^31, now + 2^31).
std::int64_t absolute_time(std::uint32_t rrsig_time, std::int64_t now) noexcept;

// Verifies one RRSIG over `rrset` with `dnskey`, cryptography by `verifier`. Before any
// cryptography it checks what RFC 4035 §5.3.1 requires of the pair; a failure gives `invalid`:
// `rrsig` parses, the signer name equals the DNSKEY owner, key tag and algorithm match the
// DNSKEY, the DNSKEY has protocol 3 and the Zone Key flag, `rrset` is non-empty and of the
// covered type and class, and the Labels field is not above the owner's label count. A DNSKEY
// whose key cannot be loaded gives `bad_key`. Validity times are NOT checked (the caller does
// that with its own clock). `scratch` holds the signed data; reuse it to avoid allocations.
crypto::VerifyStatus verify_rrsig(const dns::Rr& rrsig, std::span<const dns::Rr> rrset, const dns::Rr& dnskey,
                                  const crypto::Verifier& verifier, dns::Bytes& scratch);

// The same with `key`, the already loaded public key of `dnskey` (load_public_key), so a key
// that verifies many RRsets is parsed once.
crypto::VerifyStatus verify_rrsig(const dns::Rr& rrsig, std::span<const dns::Rr> rrset, const dns::Rr& dnskey,
                                  const crypto::PublicKey& key, const crypto::Verifier& verifier, dns::Bytes& scratch);

} // namespace zw::dnssec
