#pragma once
// ZONEMD (RFC 8976): the apex ZONEMD RRset of a zone file, the SIMPLE-scheme digest of the zone
// computed over the in-memory store, and each record's verification outcome (§4). Computed once
// per zone by analyse_zone_file, in the same pass as signature verification; read by the
// zone/zonemd-* rules.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "crypto/streaming_digest.hpp"
#include "dns/zone_layout.hpp"
#include "dns/zone_store.hpp"

namespace zw::dnssec {

inline constexpr std::uint16_t k_zonemd_type = 63;
inline constexpr std::uint8_t k_zonemd_simple = 1; // §2.2.2, Scheme SIMPLE
inline constexpr std::uint8_t k_zonemd_sha384 = 1; // §2.2.3
inline constexpr std::uint8_t k_zonemd_sha512 = 2;
inline constexpr std::size_t k_zonemd_min_digest = 12; // §2.2.4

// The outcome of one apex ZONEMD RR, the first step of RFC 8976 §4 that fails.
enum class ZonemdStatus : std::uint8_t {
  verified,           // §4 step 5f: the digest matches
  malformed,          // RDATA under 6 octets, digest under 12 octets (§2.2.4), or a SHA-384/
                      // SHA-512 digest of the wrong length (§2.2.3, step 5d)
  duplicate,          // another RR has the same Scheme and Hash Algorithm (step 4)
  serial_mismatch,    // Serial differs from the SOA serial (step 5a)
  unsupported_scheme, // Scheme other than SIMPLE (step 5b): reserved 0, private 240-254, unassigned
  unsupported_hash,   // Hash Algorithm other than SHA-384 and SHA-512 (step 5c)
  digest_mismatch,    // computed and published digests differ (step 5f)
};

// One apex ZONEMD RR.
struct ZonemdRecord {
  std::uint32_t serial = 0;
  std::uint8_t scheme = 0;
  std::uint8_t hash = 0;
  dns::Bytes digest;   // as published
  dns::Bytes computed; // the zone's SIMPLE digest with `hash`; empty when not computed
  std::string source;  // "file:line"
  ZonemdStatus status = ZonemdStatus::malformed;
};

struct ZonemdCheck {
  std::vector<ZonemdRecord> records; // the apex ZONEMD RRset, canonical order; empty: none
  bool soa_present = false;
  std::uint32_t soa_serial = 0;
  std::string soa_source;   // "file:line" of the apex SOA
  bool need_sha384 = false; // digests to compute (some apex RR names SIMPLE with that hash)
  bool need_sha512 = false;

  // True when some apex RR verifies (§4: one match with a supported scheme and hash suffices).
  bool verified() const noexcept;
  bool needs_digest() const noexcept { return need_sha384 || need_sha512; }
};

// Reads the apex ZONEMD RRset and the SOA serial of `store`; decides which digests are needed.
// Two lookups, no hashing: a zone without apex ZONEMD costs nothing more.
ZonemdCheck plan_zonemd(const dns::ZoneStore& store);

// Feeds the names of a zone, in canonical order, into the SIMPLE-scheme digests (RFC 8976
// §3.3.1): every RR in canonical form and order, duplicates once (the store has dropped them),
// glue and occluded data included, out-of-zone data excluded, the apex ZONEMD RRset and the apex
// RRSIGs covering ZONEMD excluded. Allocates nothing per RR once its scratch buffer has grown.
class ZonemdDigester {
public:
  ZonemdDigester(bool sha384, bool sha512);
  // Adds the RRs of `name`, whose role is `role`.
  void add(const dns::NameView& name, dns::NameRole role);
  // The digests; empty when not requested or unavailable.
  dns::Bytes finish_sha384();
  dns::Bytes finish_sha512();

private:
  void feed(std::span<const std::uint8_t> data) noexcept;
  std::optional<crypto::StreamingDigest> m_sha384;
  std::optional<crypto::StreamingDigest> m_sha512;
  dns::Bytes m_scratch;
};

// The requested SIMPLE digests of every name of `store` (`roles`: the layout's, by name index),
// through a ZonemdDigester; single-threaded, one sequential stream.
struct ZonemdDigests {
  dns::Bytes sha384;
  dns::Bytes sha512;
};
ZonemdDigests digest_zone(const dns::ZoneStore& store, std::span<const dns::NameRole> roles, bool sha384, bool sha512);

// Sets the status of every apex record of `check` from the digests computed over the zone
// (`sha384`, `sha512`: empty when not computed), following RFC 8976 §4 steps 4 and 5.
void settle_zonemd(ZonemdCheck& check, const dns::Bytes& sha384, const dns::Bytes& sha512);

// Plans, digests (single-threaded) and settles: the whole of the above for one store.
ZonemdCheck check_zonemd(const dns::ZoneStore& store, std::span<const dns::NameRole> roles);

} // namespace zw::dnssec
