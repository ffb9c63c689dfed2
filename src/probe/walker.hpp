#pragma once
// The delegation walker and prober: follows referrals from the root hints (or starts at servers
// the user names) down to each audited zone, records what the parent and every ancestor say,
// then asks every name server of the zone at every address. Produces a Snapshot: plain data,
// no verdicts. All zones are audited concurrently on one io_context in the calling thread.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "zonewarden/error.hpp"
#include "zonewarden/snapshot.hpp"

namespace zw::probe {

// A name server given with --server NAME=ADDR.
struct UserServer {
  std::string name;
  std::string address;
};

// A query asked of every server address of one audited zone beyond the built-in ones
// (`audit --name`). Built by plan_name_queries.
struct NameQuery {
  std::string zone;  // the audited zone whose servers are asked, normalised
  std::string qname; // normalised
  std::string qtype; // mnemonic ("AAAA"), or "TYPEnnn" for a type without one
};

// What a running audit_walk has done so far, for a progress line: written by the walk, read by
// another thread (hence atomics, relaxed: a progress line needs no ordering).
struct WalkProgress {
  std::atomic<std::size_t> zones_total{0};
  std::atomic<std::size_t> zones_started{0};
  std::atomic<std::size_t> zones_done{0}; // finished, whatever their outcome
  std::atomic<std::uint64_t> queries{0};  // sent, every zone and ancestor together
};

struct ProbeOptions {
  // (name, address) of the root servers to start from; empty means builtin_root_hints().
  std::vector<std::pair<std::string, std::string>> root_hints;
  bool public_hints = true;                            // the hints are the built-in IANA ones
  std::chrono::milliseconds timeout{2000};             // per query: a silent server costs one timeout
  int retries = 1;                                     // UDP retransmissions inside the timeout
  std::chrono::milliseconds deadline{60000};           // the whole invocation
  std::vector<UserServer> servers;                     // undelegated mode: applies to every zone
  std::optional<std::vector<std::string>> expected_ds; // --ds RRs for undelegated mode
  std::uint16_t port = 53;                             // destination port of every query (tests)
  int max_in_flight = 200;                             // queries in flight at once, all zones together
  // --max-qps-per-server: queries per second sent to one server address at most (async.hpp's
  // Pacer); 0: no limit.
  int max_qps_per_server = 0;
  std::vector<NameQuery> name_queries; // --name: extra queries, each to one zone's servers
  bool walk = false;                   // --walk: follow each NSEC zone's chain (nsec_walk.hpp)
  std::uint64_t walk_limit = 10000;    // --walk-limit: owner names walked per zone
  // --max-queries-per-zone: questions asked of one zone's servers, not counting those of --name,
  // --zone-file and --walk (bounded by their own lists and limits); TCP after TC=1 is part of
  // the question. Past it, the zone's further questions are not asked (Outcome::not_asked).
  std::uint64_t max_queries_per_zone = 10000;
  // --max-queries: queries sent in the whole run, every zone and every ancestor together.
  std::uint64_t max_queries = 20'000'000;
  // Non-null: kept up to date while the walk runs (audit's progress line). Must outlive the walk.
  WalkProgress* progress = nullptr;
  // --max-zones-in-flight: zones walked at once at most; each one that ends starts the next, so
  // memory and waiting lists follow the work in flight, not the fleet. 0: every zone at once.
  std::size_t max_zones_in_flight = 0;
  // Set: each zone is handed over (its index in `zones`, its snapshot) as soon as its walk ends,
  // on the walking thread, and nothing of it stays: the returned Snapshot has no zones. Zones the
  // deadline or a signal ended are handed over at the end. Unset: every zone is in the Snapshot.
  std::function<void(std::size_t, ZoneSnapshot&&)> on_zone;
};

// Bounds of the walker that are not options, as named in `k_bound_reached` walk errors.
inline constexpr int k_max_referrals = 30;       // referrals followed in one descent from a known cut
inline constexpr int k_max_resolution_depth = 6; // name-server address lookups nested in one another
                                                 // (the servers of the servers..., CNAMEs included)

// Turns `audit --name` values ("NAME" or "NAME/TYPE") into queries for the servers of `zones`
// (normalised): NAME is normalised and belongs to the longest zone it is at or below; TYPE is a
// mnemonic or TYPEnnn (case-insensitive, 1..65535, no meta-type such as OPT, AXFR or TSIG);
// without a type, A and AAAA are asked. Duplicates are dropped. The error is one line naming
// the offending value.
Result<std::vector<NameQuery>> plan_name_queries(const std::vector<std::string>& zones,
                                                 const std::vector<std::string>& specs);

// Parses a root hints file in named.root format (RFC 1035 master-file lines: NS records for
// "." and A/AAAA records of those names; comments and $-directives are skipped). Returns
// (name, address) pairs, names normalised, in file order. The error names the line.
Result<std::vector<std::pair<std::string, std::string>>> parse_root_hints(std::string_view named_root_text);

// The IANA root servers a..m.root-servers.net, IPv4 and IPv6. Data only: tests never use it.
const std::vector<std::pair<std::string, std::string>>& builtin_root_hints();

// Walks to and probes every zone of `zones` (normalised names) and returns what was observed.
// Every server address of a zone is asked, with DO=1 over UDP (TCP after TC=1): SOA, NS and
// DNSKEY at the apex (and SOA over TCP), A and AAAA of the in-zone name server names, CDS,
// CDNSKEY and NSEC3PARAM at the apex, three denial probes (snapshot/probe_queries.hpp: the
// non-existent `denial_probe_name` type A, the apex type NULL, and the first in-zone name
// server name below the apex type NULL) and the `options.name_queries` of that zone. With
// `options.walk`, then follows the zone's NSEC chain on the first server that answers the apex
// SOA authoritatively and asks every server each owner's NSEC and RRsets (nsec_walk.hpp), at
// most `options.walk_limit` names; what the walk did is in ZoneSnapshot::nsec_walk.
// Fills everything but `trust_anchor` and `tool_version`. Faults of the zones and the network
// are recorded in the snapshot (exchanges, walk_errors); an Error means the walk could not
// start (bad arguments). Never throws; returns within `options.deadline` plus clean-up.
Result<Snapshot> audit_walk(const std::vector<std::string>& zones, const ProbeOptions& options);

// Where a name lives: the closest enclosing zone cut of a name, as a resolver finds it.
struct ZoneOfName {
  std::string zone;   // the apex of the zone that holds the name, normalised
  std::string server; // "name/address" of the server whose answer decided it
  Exchange answer;    // that server's answer to (qname, qtype)
  std::string
      unanswered; // non-empty: no server of `zone` answered usefully; why (then `answer` is the most telling failure)
};

// Follows referrals from the root hints towards `qname` (normalised) of type `qtype` (a
// mnemonic) until a server answers authoritatively (RFC 1034 §5.3.3), or, in undelegated mode
// (`options.servers`), asks those servers. The zone is the owner of the SOA in the answer (qname
// is an apex) or in the authority section (a denial, RFC 2308 §3), else the signer of the RRSIGs
// over the answer, else the zone whose servers answered; never above the latter. When the servers of a zone on the
// way do not answer, that zone is returned with `unanswered` set. An Error (one line) when the
// root servers do not answer, or the referrals went astray. Never throws; returns within
// `options.deadline`.
Result<ZoneOfName> find_zone(const std::string& qname, const std::string& qtype, const ProbeOptions& options);

} // namespace zw::probe
