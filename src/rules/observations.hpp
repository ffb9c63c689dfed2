#pragma once
// What the servers of one zone did, summarised once per zone for every online rule:
// one ServerState per (name server, address), plus name servers that had no address at all.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zonewarden/snapshot.hpp"

namespace zw::rules {

enum class ServerStatus : std::uint8_t {
  ok,                // answers the SOA query authoritatively
  unreachable,       // no usable answer over UDP (timeout, ICMP, garbage, wrong ID)
  refused,           // RCODE REFUSED
  servfail,          // RCODE SERVFAIL
  not_authoritative, // answers, but without AA or without the SOA (referral, other RCODE)
  truncated_only,    // UDP answer truncated and TCP gives nothing: cannot deliver the answer
  malformed,         // answers that resolvers drop as malformed (RFC 6891 §6.1.1: several OPT, ...)
  not_asked,         // its SOA query was never sent, or cut off before its own timeout, by the
                     // --deadline, SIGINT/SIGTERM or a bound: unknown, no rule judges it
};

struct ServerState {
  const ServerProbe* probe = nullptr;
  std::string label; // "ns1.example.com./192.0.2.1"
  ServerStatus status = ServerStatus::unreachable;
  std::string detail; // one line: what was seen
  const Exchange* soa_udp = nullptr;
  const Exchange* soa_tcp = nullptr;
  bool tcp_ok = false;         // TCP SOA query answered
  bool any_truncation = false; // some UDP answer came back with TC=1
  // UDP queries that went unanswered (timeout) and were answered over TCP, by a server that
  // answered other UDP queries: probably response-rate limiting (protocol/rate-limited). The
  // TCP answer stands in for the lost one, the SOA's included.
  std::vector<const Exchange*> udp_unanswered;
  std::optional<std::uint32_t> serial;
};

struct ZoneObservations {
  std::vector<ServerState> servers;
  std::vector<const NameServer*> without_address; // NS names no address was found for
  std::vector<const NameServer*> not_resolved;    // NS names whose lookup was cut short (k_lookup_cut_short): unknown
  bool any_server_ok = false;
  bool any_server_unknown = false; // some server not_asked, or some name not_resolved
};

ZoneObservations observe(const ZoneSnapshot& zone);

// RCODE mnemonic (RFC 1035 §4.1.1, RFC 6895): "NOERROR", "REFUSED", "RCODE23".
std::string rcode_name(int rcode);
// "name/address" as used in findings.
std::string server_label(const std::string& name, const std::string& address);
// The exchange of `probe` for `qtype` over `transport`, or nullptr. For UDP prefers the answer.
const Exchange* find_exchange(const ServerProbe& probe, std::string_view qname, std::string_view qtype,
                              Transport transport);
// The authoritative NOERROR answer of `probe` to (qname, qtype) as a resolver takes it: the UDP
// answer, or the TCP one when UDP was truncated or missing; nullptr when neither is usable.
const Exchange* authoritative_answer(const ServerProbe& probe, std::string_view qname, std::string_view qtype);
// RRs of `section` whose owner is `owner` and type is `type` (presentation-format tokens).
std::vector<std::string> records_of(const std::vector<std::string>& section, std::string_view owner,
                                    std::string_view type);
// Calls `fn(label, section)` for the answer and the authority section of every authoritative
// NOERROR or NXDOMAIN response from the zone's servers, `label` the server's "name/address": the
// data a resolver would take from them (live rules that read RRsets and their RRSIGs).
template <typename Fn> void for_each_authoritative_section(const ZoneSnapshot& zone, Fn&& fn) {
  for (const ServerProbe& probe : zone.servers) {
    const std::string label = server_label(probe.name, probe.address);
    for (const Exchange& e : probe.exchanges) {
      if (e.outcome != Outcome::answered || !e.aa || (e.rcode != 0 && e.rcode != 3)) {
        continue;
      }
      fn(label, e.answer);
      fn(label, e.authority);
    }
  }
}

// Rdata part of a presentation-format RR ("a.b. 300 IN A 1.2.3.4" -> "1.2.3.4").
std::string rdata_text(const std::string& rr);
// The SERIAL of SOA RDATA in presentation format ("ns. host. 2026120401 7200 ..."), if it is one.
std::optional<std::uint32_t> serial_of_soa_rdata(const std::string& rdata);

} // namespace zw::rules
