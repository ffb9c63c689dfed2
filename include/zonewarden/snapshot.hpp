#pragma once
// A Snapshot is everything an audit observed, per server, as plain data: no sockets, no
// verdicts. It serialises to JSON (`audit --save`) and is replayed by `audit --restore`.
// Resource records are kept in presentation format, exactly as one line of a zone file.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zonewarden/error.hpp"

namespace zw {

enum class Transport : std::uint8_t { udp, tcp };

// How one query ended.
enum class Outcome : std::uint8_t {
  answered,      // a well-formed response matching the query (any RCODE)
  timeout,       // nothing usable before the deadline, after every retry
  unreachable,   // ICMP port/host unreachable, or TCP connection refused
  network_error, // another socket error (detail says which)
  malformed,     // bytes that do not parse as a DNS message
  mismatched,    // a DNS message with the wrong ID or question (ignored, as a resolver would)
  tcp_failed,    // the TCP connection was accepted but closed or reset before an answer
  not_asked,     // never sent, or cut off before its own timeout, by the --deadline, SIGINT/SIGTERM
                 // or a bound (detail says which): unknown, never a fault of the server
};

// Exchange::detail of a query the --deadline kept from being sent (outcome not_asked; snapshots
// saved before Outcome::not_asked existed carry it with outcome timeout, read as not_asked).
inline constexpr std::string_view k_not_sent_by_deadline = "audit deadline reached before the query could be sent";

struct Exchange {
  std::string qname; // "example.com."
  std::string qtype; // "SOA"
  Transport transport = Transport::udp;
  Outcome outcome = Outcome::not_asked; // until the query was sent and ended
  std::string detail;                   // why, for failures ("connection refused", "wrong ID 4711")
  int rcode = -1;                       // RCODE of the response, -1 without one
  bool aa = false;
  bool tc = false;
  bool edns = false;   // the response carried an OPT record
  double rtt_ms = 0.0; // of the attempt that answered
  int attempts = 0;
  std::vector<std::string> answer;
  std::vector<std::string> authority;
  std::vector<std::string> additional; // without the OPT pseudo-record
  // Why the response is malformed under RFC 6891 (several OPT records, ...); empty when fine.
  std::vector<std::string> edns_faults;
};

// One authoritative server address and everything it was asked.
struct ServerProbe {
  std::string name;    // "ns1.example.com."
  std::string address; // "192.0.2.1" or "2001:db8::1"
  std::vector<Exchange> exchanges;
};

// A name server of the zone, wherever it was learnt from.
struct NameServer {
  std::string name;
  bool at_parent = false;             // in the parent's referral NS set
  bool at_child = false;              // in the zone's own apex NS set
  bool from_user = false;             // given with --server NAME=ADDR
  std::vector<std::string> glue;      // addresses in the parent's referral (additional section)
  std::vector<std::string> addresses; // addresses probed (glue, user-given, or resolved)
  std::string resolution_error;       // why no address could be found, when none was
};

// The start of NameServer::resolution_error when the lookup of the name was cut short by the
// --deadline, SIGINT/SIGTERM or a bound before every server it needed was asked: its addresses
// are unknown, which is not "no address".
inline constexpr std::string_view k_lookup_cut_short = "lookup cut short";

// The start of a ZoneSnapshot::walk_errors entry saying a bound of the audit was reached, for
// the zone or the whole run ("bound reached: --max-queries-per-zone (5000)"): what was left
// unasked is unknown, and the engine reports internal/audit-incomplete naming the bound.
inline constexpr std::string_view k_bound_reached = "bound reached: ";

// What one server of the parent zone said about the delegation.
struct ParentView {
  std::string name; // parent server name
  std::string address;
  Exchange referral; // "<zone> NS" with DO: NS, glue, DS or its denial in authority
  Exchange ds;       // "<zone> DS" with DO: the parent's signed answer
};

// One zone above the audited one (root first), as seen from one server: its DNSKEY RRset and
// the DS RRset its parent publishes for it. Used to validate the chain down to the parent.
struct AncestorZone {
  std::string zone;
  std::string server; // "name/address" the DNSKEY answer came from
  Exchange dnskey;
  Exchange ds; // from the parent of `zone`; empty (outcome not_asked, no qname) for "."
};

// What `audit --walk` did for one zone: followed the zone's NSEC chain from the apex on one
// server (RFC 4034 §4.1.1: each NSEC names the next owner) and asked every server for the
// RRsets of every owner. The exchanges themselves are with the other exchanges of each server.
enum class WalkStatus : std::uint8_t {
  complete,   // the chain led back to the apex
  incomplete, // the walk stopped early (limit, deadline, loop, no NSEC answer): `reason` says why
  skipped,    // not walked: NSEC3 (hashed owner names) or unsigned (no chain); `reason` says which
};

struct NsecWalk {
  WalkStatus status = WalkStatus::incomplete;
  std::string reason;      // why incomplete or skipped; empty when complete
  std::string server;      // "name/address" whose NSEC chain was followed; empty when none was
  std::uint64_t names = 0; // owner names of the chain walked, the apex included
};

// A walk error that starts with this says SIGINT or SIGTERM stopped the walk before the zone was
// done ("interrupted by SIGINT before the audit finished"): the audit is incomplete.
inline constexpr std::string_view k_walk_interrupted = "interrupted by";

// The zone file `audit --zone-file` compared with what the servers serve: every record of it, as
// loaded, with where it stands, so that `--restore` replays the comparison and the file's own
// validation without the file. RRs in presentation format, owners lowercased.
struct ZoneFileRecord {
  std::string rr;
  std::uint16_t file = 0; // index into ZoneFileCopy::files
  std::uint32_t line = 0; // 1-based line where the record starts
};

struct ZoneFileCopy {
  std::string path;                    // as given on the command line
  std::vector<std::string> files;      // the file and its $INCLUDEs, `path` first
  std::vector<ZoneFileRecord> records; // in the file's canonical order
  std::uint64_t rrsets = 0;            // authoritative RRsets of the file (what would be asked)
  std::uint64_t asked = 0;             // of those, asked of every server (--zone-file-limit)
};

struct ZoneSnapshot {
  std::string zone;                     // "example.com."
  std::string parent;                   // "com.", empty when the walk did not reach it
  bool undelegated = false;             // audited with --server: no parent was asked
  std::vector<AncestorZone> ancestors;  // root first, ending with the parent
  std::vector<ParentView> parent_views; // every parent server address
  std::vector<NameServer> name_servers;
  std::vector<ServerProbe> servers;                    // every (name, address) probed
  std::optional<std::vector<std::string>> expected_ds; // --ds in undelegated mode
  std::vector<std::string> walk_errors;  // why parts of the walk could not be done (k_walk_interrupted...)
  std::optional<NsecWalk> nsec_walk;     // absent unless the audit ran with --walk
  std::optional<ZoneFileCopy> zone_file; // absent unless the audit ran with --zone-file
};

struct Snapshot {
  // 2: exchanges may be "not-asked" (deadline, signal, bound). Schema 1 snapshots are read too
  // (their "not sent by the deadline" timeouts become not-asked); older builds refuse schema 2,
  // which they could not read correctly.
  static constexpr int k_schema = 2;
  static constexpr int k_oldest_schema = 1;
  std::string tool_version;
  std::int64_t started_at = 0; // unix seconds, when the walk began
  std::int64_t finished_at = 0;
  bool public_root_hints = true;         // walk started from the built-in IANA hints
  std::vector<std::string> trust_anchor; // DS/DNSKEY RRs in presentation format
  std::vector<ZoneSnapshot> zones;
};

// JSON (de)serialisation. `snapshot_from_json` validates shape and types and names the first
// offending member in its error.
std::string snapshot_to_json(const Snapshot& snapshot);
Result<Snapshot> snapshot_from_json(const std::string& text);

std::string_view to_string(Transport transport) noexcept;
std::string_view to_string(Outcome outcome) noexcept;
std::string_view to_string(WalkStatus status) noexcept;

} // namespace zw
