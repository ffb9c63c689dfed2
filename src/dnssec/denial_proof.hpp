#pragma once
// The LOGIC of an authenticated denial of existence in one response, as a validating resolver
// checks it (RFC 4035 §3.1.3, §5.4; RFC 5155 §8; RFC 6840 §4.1, §4.3, §4.4; RFC 9276 §3.2):
// do the NSEC or NSEC3 records of the authority section prove what the response claims?
// Signatures are NOT checked here: the caller verifies the NSEC/NSEC3 RRsets elsewhere and
// passes only the records it trusts (or wants judged).
//
// Pure: no I/O, no clock, no state. Cost is bounded: NSEC3 records whose iterations exceed the
// cap are never hashed, and one call hashes at most (labels of qname - labels of zone) + 3 names
// with one Nsec3Hasher.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "dns/rr.hpp"

namespace zw::dnssec {

// What the response claims.
enum class ResponseKind : std::uint8_t {
  nxdomain,        // RCODE 3: the qname does not exist (RFC 4035 §3.1.3.2, RFC 5155 §8.4)
  nodata,          // NOERROR, empty answer: the qname exists without the qtype (RFC 4035 §3.1.3.1,
                   // RFC 5155 §8.5, §8.6)
  wildcard_answer, // an answer synthesised from a wildcard (RFC 4035 §3.1.3.3, RFC 5155 §8.8)
  wildcard_nodata, // the qname matched a wildcard that lacks the qtype (RFC 4035 §3.1.3.4,
                   // RFC 5155 §8.7)
  referral_no_ds,  // a referral to an unsigned zone: no DS at the cut (RFC 4035 §5.2,
                   // RFC 5155 §8.9, RFC 6840 §4.4)
};

// Why the records do not prove the claim; `none` when they do.
enum class ProofFault : std::uint8_t {
  none,
  no_records,          // no usable NSEC/NSEC3 record at all
  qname_not_covered,   // NSEC: no NSEC covers the qname (or the next closer name of a wildcard
                       // answer); NSEC3: the next closer name is not covered; or a record shows
                       // that the qname exists
  no_closest_encloser, // NSEC3: no NSEC3 matches any ancestor of the qname (RFC 5155 §8.3)
  wildcard_not_denied, // the source of synthesis *.<closest encloser> is not proven absent
  type_present,        // the matching bitmap lists the qtype or CNAME (NODATA), or DS (referral)
  no_matching_record,  // no NSEC/NSEC3 matches the qname (NODATA, referral) or the wildcard
                       // (wildcard NODATA), and no empty non-terminal or Opt-Out case applies
                       // (NSEC3: the Opt-Out closest encloser proof is absent or incomplete)
  wrong_zone,          // a record from another zone, from the child apex for a DS question, or
                       // from above a zone cut (NS without SOA, or DNAME) used to deny below it
                       // (RFC 6840 §4.1)
  malformed,           // RDATA or an NSEC3 owner that does not parse, or an impossible
                       // `wildcard_labels`
  unsupported_hash,    // every NSEC3 uses a hash algorithm other than SHA-1 (RFC 5155 §8.1)
  too_many_iterations, // NSEC3 iterations above `max_iterations` (RFC 9276 §3.2): not hashed
  inconsistent_params, // NSEC3 records with different algorithm, iterations or salt
                       // (RFC 5155 §8.2: a validator MAY treat the response as bogus)
  mixed,               // NSEC and NSEC3 records both present
};

struct ProofResult {
  ProofFault fault = ProofFault::none;
  // The proof holds only through an Opt-Out NSEC3 covering the next closer name: an unsigned
  // delegation may exist there, so the answer is insecure (RFC 5155 §9.2), not bogus.
  bool opt_out = false;
  std::uint16_t iterations = 0; // NSEC3 iterations seen (0 for NSEC)
  std::string detail;           // one line for people: which record, which name; empty when fine
  // Set when a name is not covered because the record that precedes it (the returned record
  // with the greatest owner, or owner hash, before it) stops short: its next name lies strictly
  // between its owner and the name, without wrapping. A server answers with the record that
  // precedes the name in its chain, so that next name has no NSEC (NSEC3) record on the
  // server: its chain is broken there (RFC 4035 §2.3, RFC 5155 §7.1).
  std::string gap_owner; // the record that stops short, presentation form
  std::string gap_next;  // its next name; NSEC3: "<next hashed owner>.<zone>"

  bool ok() const noexcept { return fault == ProofFault::none; }
};

// Checks that `records` prove the denial `kind` for (`qname`, `qtype`).
// - `qname`: wire name (any case). For `referral_no_ds` it is the delegation point (the owner of
//   the NS RRset in the authority section), not the original question.
// - `zone`: the apex of the zone that answered; every record must belong to it.
// - `records`: the NSEC/NSEC3 RRs of the authority section; other types are ignored.
// - `wildcard_labels`: for `wildcard_answer` (and optionally `wildcard_nodata`), the Labels field
//   of the answer's RRSIG: the closest encloser is `qname` cut to that many labels
//   (RFC 4035 §5.3.4). 0 for `wildcard_nodata` derives the closest encloser from the records.
// - `max_iterations`: NSEC3 records above it are not hashed (fault too_many_iterations).
// Never fails: what does not parse is a fault.
ProofResult check_denial_proof(std::span<const std::uint8_t> qname, std::uint16_t qtype, ResponseKind kind,
                               std::span<const std::uint8_t> zone, std::span<const dns::Rr> records,
                               unsigned wildcard_labels = 0, unsigned max_iterations = 150);

// "wildcard-not-denied"; stable identifiers for JSON output and tests.
std::string_view to_string(ProofFault fault) noexcept;
// "nxdomain", "wildcard-answer".
std::string_view to_string(ResponseKind kind) noexcept;

} // namespace zw::dnssec
