#pragma once
// Authenticated denial of existence in one zone FILE: the NSEC chain and its type bitmaps
// (RFC 4034 §4, RFC 4035 §2.3), the NSEC3 chain, its bitmaps and its parameters (RFC 5155 §7.1,
// RFC 9276). Computed ONCE per zone in O(n log n) with one pass over the names; the four denial
// rules only render what it found.
//
// The analysis holds views (spans, RrsetView) into the ZoneStore and ZoneLayout it was computed
// from, never copies of names: both must outlive it. It keeps every fault (rules cap what they
// report), each a small struct; only bitmap faults own two short type lists.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dns/rr.hpp"
#include "dns/zone_layout.hpp"
#include "dns/zone_store.hpp"

namespace zw::dnssec {

// Which denial records the zone holds. `mixed`: both NSEC and NSEC3 (or NSEC3PARAM) records.
enum class DenialMechanism : std::uint8_t { none, nsec, nsec3, mixed };

// Above this many additional iterations the NSEC3 chain of a zone file is not hashed: every
// validator stops earlier (RFC 9276 §3.2; RFC 5155 §10.3 allowed at most 2,500, for 4096-bit
// keys), and the cost grows with names x iterations.
inline constexpr std::uint16_t k_max_hashed_iterations = 2500;

// An NSEC3 hash (RFC 5155 §5). Only SHA-1 (hash algorithm 1, 20 octets) is defined.
using Nsec3Hash = std::array<std::uint8_t, 20>;

// The hash parameters shared by NSEC3 and NSEC3PARAM RDATA (RFC 5155 §3.2, §4.2).
struct Nsec3Params {
  std::uint8_t algorithm = 1;
  std::uint8_t flags = 0; // NSEC3: bit 0 is Opt-Out (RFC 5155 §3.1.2.1); NSEC3PARAM: must be 0
  std::uint16_t iterations = 0;
  dns::Bytes salt;

  // Same hash algorithm, iterations and salt (the flags are not compared).
  bool same_hash(const Nsec3Params& other) const noexcept {
    return algorithm == other.algorithm && iterations == other.iterations && salt == other.salt;
  }
};

// "SHA-1, 10 iterations, salt aabbccdd" / "SHA-1, 0 iterations, no salt".
std::string to_text(const Nsec3Params& params);

// An NSEC3 RDATA, parsed (views into the RDATA).
struct Nsec3Rdata {
  Nsec3Params params;
  std::span<const std::uint8_t> next_hashed; // Next Hashed Owner Name, raw octets
  std::span<const std::uint8_t> bitmap;      // Type Bit Maps field
};

// Parses NSEC3PARAM / NSEC3 RDATA; nullopt when truncated or with trailing octets (NSEC3PARAM).
std::optional<Nsec3Params> parse_nsec3param(std::span<const std::uint8_t> rdata);
std::optional<Nsec3Rdata> parse_nsec3(std::span<const std::uint8_t> rdata);

// Appends the types of an NSEC/NSEC3 Type Bit Maps field (RFC 4034 §4.1.2) to `out`, ascending.
// False (with `out` partly filled) when the field is malformed: window blocks out of order,
// a bitmap length of 0 or above 32, or a truncated block.
bool parse_type_bitmap(std::span<const std::uint8_t> bitmap, std::vector<std::uint16_t>& out);

// Base32 with the extended hex alphabet, lower case, no padding (RFC 4648 §7, RFC 5155 §3.3).
std::string base32hex(std::span<const std::uint8_t> bytes);
// Decodes `text` (either case) into `out`; false on a character outside the alphabet or
// non-zero trailing bits.
bool base32hex_decode(std::span<const std::uint8_t> text, dns::Bytes& out);

// RFC 5155 §5 hashing with one digest buffer reused across names: no allocation per name.
class Nsec3Hasher {
public:
  explicit Nsec3Hasher(const Nsec3Params& params);
  // IH(salt, `name`, iterations) for the lowercased wire name `name` (the caller lowercases).
  // False when the hash algorithm is not SHA-1 or the digest is unavailable.
  bool hash(std::span<const std::uint8_t> name, Nsec3Hash& out);

private:
  dns::Bytes m_salt;
  std::uint16_t m_iterations = 0;
  bool m_supported = false;
  dns::Bytes m_a;
  dns::Bytes m_b;
};

// Up to three example names and how many there are in all: what a chain pointer jumped over.
struct NameSample {
  std::array<std::span<const std::uint8_t>, 3> names{};
  std::size_t shown = 0;
  std::size_t total = 0;
};

enum class NsecFaultKind : std::uint8_t {
  no_denial,  // the zone is signed but has no NSEC and no NSEC3 record at all
  missing,    // `name` owns authoritative data (or is a delegation) but has no NSEC, and no
              // bad_next fault already names it as skipped
  bad_next,   // the NSEC at `name` points to `next`; the next name in canonical order is
              // `expected`; `skipped` are existing names between (cyclically)
  not_closed, // bad_next at the last name of the zone: `next` is not the apex
  unexpected, // an NSEC at a name that must not have one (glue, occluded, outside the zone): `role`
  duplicate,  // more than one NSEC RR at `name`
  malformed,  // NSEC RDATA that does not parse
  leftover,   // `count` NSEC records in a zone whose denial uses NSEC3 (`record`: the first)
};

struct NsecFault {
  NsecFaultKind kind = NsecFaultKind::missing;
  std::span<const std::uint8_t> name;                     // the owner the fault is about (empty for no_denial)
  dns::RrsetView record;                                  // the NSEC RRset concerned, empty for missing/no_denial
  dns::RrsetView data;                                    // missing: the first RRset at `name`, for its location
  std::span<const std::uint8_t> next;                     // bad_next/not_closed: the Next Domain Name as written
  std::span<const std::uint8_t> expected;                 // bad_next/not_closed: what it should be
  bool next_exists = false;                               // the next name owns records in the zone
  dns::NameRole next_role = dns::NameRole::authoritative; // its role when it exists
  dns::NameRole role = dns::NameRole::authoritative;      // unexpected: role of `name`
  NameSample skipped;                                     // bad_next: names jumped over
  std::size_t skipped_without_nsec = 0;                   // of those, how many have no NSEC of their own
  std::size_t count = 0;                                  // leftover/duplicate: number of records
};

enum class Nsec3FaultKind : std::uint8_t {
  no_records,     // NSEC3PARAM at the apex but no NSEC3 record (`record`: the NSEC3PARAM)
  missing,        // `name` needs an NSEC3 at owner `hash` and has none (and no bad_next names it);
                  // `optional`: an insecure delegation (or an empty non-terminal above only
                  // such) whose covering NSEC3 has no Opt-Out flag
  bad_next,       // the NSEC3 `record` (for `name`) points to `next`; expected `expected`
  stray,          // an NSEC3 whose hash is that of no name of the zone
  foreign_params, // `count` NSEC3 records (first: `record`) with `params` unlike the chain's
  bad_owner,      // an NSEC3 whose owner is not <32 base32hex digits>.<apex>
  unknown_flags,  // flags other than Opt-Out set: validators ignore the record (RFC 5155 §8.2)
  duplicate,      // more than one NSEC3 RR at one owner
  malformed,      // NSEC3 RDATA that does not parse, or a next hash that is not 20 octets
  leftover,       // `count` NSEC3 records in a zone whose denial uses NSEC
};

struct Nsec3Fault {
  Nsec3FaultKind kind = Nsec3FaultKind::missing;
  dns::RrsetView record;                       // the NSEC3 (or NSEC3PARAM) RRset, empty for missing
  std::span<const std::uint8_t> name;          // the original name the hash belongs to, if known
  dns::RrsetView data;                         // missing: the first RRset at `name` (empty for an ENT)
  Nsec3Hash hash{};                            // missing/bad_next/stray: the owner hash
  Nsec3Hash next{};                            // bad_next: the Next Hashed Owner Name
  Nsec3Hash expected{};                        // bad_next: the next hash of the chain
  std::span<const std::uint8_t> next_name;     // bad_next: the name `next` is the hash of, if any
  std::span<const std::uint8_t> expected_name; // bad_next: the name of `expected`, if any
  bool next_has_record = false;                // bad_next: an NSEC3 exists at `next`
  bool optional = false;                       // missing: see above
  bool ent = false;                            // missing/bad_next: `name` is an empty non-terminal
  NameSample skipped;                          // bad_next: names (or stray NSEC3 owners) jumped over
  std::size_t skipped_missing = 0;             // of those, names with no NSEC3 of their own
  std::size_t skipped_optional = 0;            // of those, insecure delegations (or ENTs above only such)
                                               // that need one because this record has no Opt-Out flag
  std::size_t count = 0;                       // foreign_params/leftover/duplicate
  Nsec3Params params;                          // foreign_params
};

// A type bitmap that does not describe its name (RFC 4034 §4.1.2, RFC 5155 §3.2.1).
struct BitmapFault {
  bool nsec3 = false;
  dns::RrsetView record;              // the NSEC or NSEC3 RRset
  std::span<const std::uint8_t> name; // the name it describes (the original name for NSEC3)
  dns::NameRole role = dns::NameRole::authoritative;
  bool ent = false;                            // NSEC3 of an empty non-terminal
  bool malformed = false;                      // the bitmap field does not parse
  std::vector<std::uint16_t> listed_absent;    // listed but not there (or glue / not authoritative)
  std::vector<std::uint16_t> present_unlisted; // there but not listed
};

enum class Nsec3ParamFaultKind : std::uint8_t {
  missing,           // NSEC3 records but no NSEC3PARAM at the apex
  multiple,          // `count` NSEC3PARAM records at the apex
  flags_nonzero,     // an NSEC3PARAM with flags other than 0, ignored by servers (RFC 5155 §4.1.2);
                     // `count`: NSEC3PARAMs with flags 0
  mismatch,          // an NSEC3PARAM (flags 0) whose parameters no NSEC3 record uses
  unknown_algorithm, // the chain's hash algorithm is not SHA-1 (1)
  malformed,         // NSEC3PARAM RDATA that does not parse
  opt_out_unneeded,  // Opt-Out set but the zone has no insecure delegation
  opt_out_mixed,     // `count` of the chain's NSEC3 records have Opt-Out, the others not
};

struct Nsec3ParamFault {
  Nsec3ParamFaultKind kind = Nsec3ParamFaultKind::missing;
  dns::RrsetView record; // the NSEC3PARAM RRset (or the first NSEC3 for missing/opt-out faults)
  Nsec3Params params;    // the NSEC3PARAM's parameters (mismatch, flags_nonzero)
  std::size_t count = 0;
};

struct DenialAnalysis {
  bool zone_signed = false; // the apex owns a DNSKEY RRset
  DenialMechanism mechanism = DenialMechanism::none;
  bool nsec_checked = false;  // the NSEC chain was examined
  bool nsec3_checked = false; // the NSEC3 chain was examined (its parameters are known)
  std::size_t nsec_records = 0;
  std::size_t nsec3_records = 0;
  std::size_t names = 0;                // names that need NSEC / a hashed NSEC3 (no ENTs)
  std::size_t insecure_delegations = 0; // delegations without DS
  // Parameters of the NSEC3 chain examined: the NSEC3PARAM's when records use them, else those
  // most NSEC3 records use, else the NSEC3PARAM's. nullopt when there is no NSEC3 at all.
  std::optional<Nsec3Params> chain;
  std::size_t chain_records = 0;      // NSEC3 records with the chain's parameters
  std::uint16_t nsec3_not_hashed = 0; // the chain's iterations when above k_max_hashed_iterations
  std::size_t opt_out_records = 0;    // of those, with the Opt-Out flag
  dns::RrsetView nsec3param;          // the apex NSEC3PARAM RRset (empty when none)
  dns::RrsetView first_nsec3;         // the first NSEC3 RRset in canonical order (empty when none)

  std::vector<NsecFault> nsec;
  std::vector<Nsec3Fault> nsec3;
  std::vector<BitmapFault> bitmaps;
  std::vector<Nsec3ParamFault> params;
};

// Analyses the denial records of `store`, whose names `layout` classifies (computed from the
// same store). Never fails: what does not parse is a fault.
DenialAnalysis analyse_denial(const dns::ZoneStore& store, const dns::ZoneLayout& layout);

} // namespace zw::dnssec
