#pragma once
// DNSSEC results for one audited zone, computed ONCE from its Snapshot; rules only read them.
// Covers every RRSIG observed over the zone's RRsets (and over the zone's DS at the parent),
// the DS -> DNSKEY links, and the chain of trust from the anchor down to the parent.

#include <cstdint>
#include <string>
#include <vector>

#include "dns/rr.hpp"
#include "dnssec/validator.hpp"
#include "zonewarden/snapshot.hpp"

namespace zw::dnssec {

// One distinct RRSIG as observed, merged across every server that returned it.
struct ObservedSignature {
  std::string zone;  // zone whose data it signs (the parent for the zone's DS)
  std::string owner; // "example.com."
  std::string type;  // covered type, "SOA"
  std::uint16_t key_tag = 0;
  std::uint8_t algorithm = 0;
  std::string signer;
  std::uint32_t inception = 0; // raw RRSIG times (RFC 4034 §3.1.5)
  std::uint32_t expiration = 0;
  std::int64_t inception_abs = 0; // unix seconds, resolved against "now" with serial arithmetic
  std::int64_t expiration_abs = 0;
  SigStatus status = SigStatus::malformed; // judge_signature's verdict at "now"
  std::vector<std::string> servers;        // "name/address"
  std::string source;                      // zone files: "file:line" of the RRSIG
};

enum class ChainStatus : std::uint8_t { secure, insecure, bogus, indeterminate };

// The verdict on one RRset (owner, type) of one zone, as a validating resolver gives it: secure
// when a signature is valid now by a key of the zone; else bogus (a DS makes the zone signed),
// insecure (no DS, or an insecure chain above) or indeterminate (the chain above is unknown).
struct SignedRrset {
  std::string zone;
  std::string owner;
  std::string type;
  bool has_usable = false; // at least one signature valid now and cryptographically good
  ChainStatus security = ChainStatus::indeterminate;
  // Why no signature is usable (has_usable false): `missing` when there is none, else the status
  // of the last failing signature (the one whose reason Unbound reports).
  SigStatus reason = SigStatus::valid;
  std::string source;                      // zone files: "file:line" of the RRset
  std::int64_t best_expiration = 0;        // latest expiration among usable signatures
  std::vector<std::string> servers;        // every server that served the RRset
  std::vector<std::string> usable_servers; // those that served it with a usable signature
};

// A DS or DNSKEY record as the analysis lists it: its text and the key it names.
struct KeyedRecord {
  std::string text;
  std::uint16_t key_tag = 0;
  std::uint8_t algorithm = 0;
};

struct DsRecord : KeyedRecord {
  std::uint8_t digest_type = 0;
  bool digest_supported = true;
  bool matches_key = false;                // digest equals that of an observed DNSKEY (RFC 4034 §5.1.4)
  std::vector<std::string> parent_servers; // who published it ("--ds" in undelegated mode)
};

// The DS record `rr` as the analysis lists it: its text and fields, and whether a resolver of
// this build can use its digest type and algorithm; no parent server and no matching key yet.
DsRecord ds_record(const dns::Rr& rr);

struct KeyRecord : KeyedRecord {
  std::uint16_t flags = 0;
  bool matched_by_ds = false;
  bool signs_dnskey = false; // an RRSIG over the DNSKEY RRset by this key was observed
  std::vector<std::string> servers;
};

// One zone of the chain of trust (root first, the audited zone last): the DS its parent (or the
// trust anchor) publishes for it, its DNSKEYs, and how the link validated.
struct ChainLinkInfo {
  struct Ds {
    std::uint16_t key_tag = 0;
    std::uint8_t algorithm = 0;
    std::uint8_t digest_type = 0;
    bool matches_key = false;
  };
  struct Key {
    std::uint16_t key_tag = 0;
    std::uint8_t algorithm = 0;
    std::uint16_t flags = 0;
    bool matched_by_ds = false;
    bool signs_dnskey = false; // an RRSIG over the DNSKEY RRset by this key was observed
  };
  std::string zone;
  ChainStatus status = ChainStatus::indeterminate;
  std::vector<Ds> ds;
  std::vector<Key> keys;
};

// A denial of existence (NXDOMAIN, NODATA, or the proof behind a wildcard answer) that one or more
// servers gave and whose NSEC/NSEC3 records do not prove it (dnssec/denial_proof.hpp). The
// signatures over those records are judged like every other signature (`signatures`).
struct DenialCheck {
  std::string qname;
  std::string qtype;
  std::string kind;   // "nxdomain", "nodata", "wildcard-answer", "wildcard-nodata"
  std::string fault;  // ProofFault as text, "qname-not-covered"
  std::string detail; // which record fails to prove what
  std::vector<std::string> servers;
  // The chain gap that explains the failure, when there is one (ProofResult::gap_owner): the
  // record type ("NSEC" or "NSEC3"), the record that stops short and the name it points to,
  // which has no record of that type on `servers`.
  std::string gap_type;
  std::string gap_owner;
  std::string gap_next;
};

struct ZoneDnssec {
  std::string zone; // the apex, "example.com."
  std::vector<ObservedSignature> signatures;
  std::vector<SignedRrset> rrsets;
  std::vector<DsRecord> ds;     // union over the parent's servers (or --ds)
  bool ds_known = false;        // a parent server answered the DS query
  std::vector<KeyRecord> keys;  // union over the zone's servers
  bool dnskey_answered = false; // some server answered the DNSKEY query authoritatively
  // No server answered the DNSKEY query and some were not asked it (Outcome::not_asked: the
  // deadline, a signal or a bound): the keys are unknown, so the zone's own signatures are not
  // judged and its link is indeterminate, never bogus.
  bool dnskey_unknown = false;
  bool any_rrsig = false;                         // some server returned RRSIGs for the zone's data
  ChainStatus above = ChainStatus::indeterminate; // anchor -> ... -> parent's DS RRset
  // Whether validating resolvers check the zone's own data (a DS at the parent, or --ds, and a
  // chain above that is not insecure) and the parent's data (its DS RRset for the zone).
  bool zone_validated = false;
  bool parent_validated = false;
  std::string above_reason; // why not secure
  // Where the chain above broke when `above` is bogus: the ancestor zone whose data failed, the
  // RRset (its DNSKEY RRset, or the DS RRset it publishes for the next zone down) and the server.
  struct AboveFault {
    std::string zone;
    std::string owner;
    std::string type;
    std::string server;
  } above_fault;
  std::vector<std::string> notes;   // analysis notes (unparsable records, ...)
  std::vector<DenialCheck> denials; // denials whose proof fails (signed zones only)
  std::size_t denials_checked = 0;  // denial responses examined
  std::vector<ChainLinkInfo> chain; // root first, ending with the audited zone
};

// Computes the DNSSEC view of `zone`. `trust_anchor` holds DS/DNSKEY RRs for the root in
// presentation format; `now` is unix seconds (injected, never read from the clock here).
ZoneDnssec analyse_zone(const ZoneSnapshot& zone, const std::vector<std::string>& trust_anchor, std::int64_t now);

std::string_view to_string(ChainStatus status) noexcept;

// True when a signature with `status` names a key of the zone's DNSKEY RRset (signer, tag and
// algorithm match one), whatever else is wrong with it.
bool names_a_zone_key(SigStatus status) noexcept;

// Sets SignedRrset::security of every RRset of `d` from its signatures and whether resolvers
// validate the zone (or, for the DS RRset, its parent).
void settle_security(ZoneDnssec& d);

} // namespace zw::dnssec
