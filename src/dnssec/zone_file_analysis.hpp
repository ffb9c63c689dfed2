#pragma once
// DNSSEC results for one zone FILE (`zonewarden check`), in the same ZoneDnssec form the live
// audit produces, so the signature and DS rules judge both alike. Every RRSIG of the zone is
// verified, on all cores; only the signatures a rule may report are kept as ObservedSignature
// (a zone of millions of signatures costs counters, not strings).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "dns/zone_layout.hpp"
#include "dns/zone_store.hpp"
#include "dnssec/zone_analysis.hpp"
#include "dnssec/zonemd.hpp"

namespace zw::dnssec {

struct ZoneFileOptions {
  std::int64_t now = 0; // unix seconds: signature times are judged at this instant
  // Signatures that expire before now + this are kept (for rrsig-expiring-soon and
  // rrsig-validity-below-soa-expire); the analysis adds the SOA EXPIRE to it.
  std::int64_t keep_window_s = std::int64_t{3} * 86400;
  // DS records for the zone in presentation format (`--ds`), and whether any were given.
  std::vector<std::string> ds_records;
  bool ds_given = false;
  unsigned jobs = 0; // verification threads; 0: every core
  // Optional: names verified so far, added to as the threads go (a progress line reads it).
  std::atomic<std::size_t>* names_verified = nullptr;
};

// Counters over every RRSIG of the zone, kept or not.
struct ZoneFileStats {
  std::size_t rrsigs = 0;  // RRSIG RRs verified (those over data the zone serves)
  std::size_t valid = 0;   // usable now: every check of judge_signature passed
  std::size_t invalid = 0; // bad cryptography, signer or Labels field
  std::size_t disagreements = 0;
  std::size_t no_key = 0;        // the key it names is absent from the DNSKEY RRset or may not sign data
  std::size_t out_of_window = 0; // expired or not yet valid (the cryptography is not checked then)
  std::size_t unsupported = 0;
  std::size_t malformed = 0;
  std::size_t skipped = 0;              // RRSIGs over data no server answers with (glue, occluded)
  std::size_t names_not_verified = 0;   // names left when SIGINT/SIGTERM stopped the verification
  std::int64_t earliest_expiration = 0; // 0 when the zone has no RRSIG
  unsigned threads = 0;
};

struct ZoneFileDnssec {
  ZoneDnssec dnssec;
  ZoneFileStats stats;
  // ZONEMD (RFC 8976): the apex records and their verification. The digest is computed only
  // when the apex holds a ZONEMD record with the SIMPLE scheme and a supported hash.
  ZonemdCheck zonemd;
};

// Verifies every RRSIG of `store` and, when the apex has ZONEMD records, the zone digest (one
// more thread of the same pass walks the store in canonical order). The zone's DNSKEYs are its apex DNSKEY RRset; the
// chain above is not known from a file, so the zone counts as validated (a pre-deploy check assumes the zone will be,
// or is, signed-and-delegated) and its ChainLinkInfo shows the --ds link when given.
ZoneFileDnssec analyse_zone_file(const dns::ZoneStore& store, const dns::ZoneLayout& layout,
                                 const ZoneFileOptions& options);

} // namespace zw::dnssec
