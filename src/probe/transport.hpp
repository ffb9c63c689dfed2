#pragma once
// One DNS exchange with one server address over UDP or TCP, as an Asio coroutine. The only
// place (with the walker) that owns sockets. Every wait has a deadline; nothing throws for
// network trouble: the outcome is recorded in the returned Exchange.

#include <chrono>
#include <cstdint>
#include <string>

#include <asio.hpp>

#include "zonewarden/snapshot.hpp"

namespace zw::probe {

struct QueryOptions {
  std::chrono::milliseconds timeout{2000}; // per query (UDP) or per phase (TCP connect, answer)
  int retries = 1;                         // UDP: retransmissions spread inside `timeout`
  bool edns = true;                        // EDNS0 OPT with DO=1 and UDP size 1232
  std::uint16_t port = 53;
  // No wait ever extends past this point (the whole invocation's deadline).
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

// Asks `address` (IPv4 or IPv6 literal) `qname` `qtype` over UDP with a connected socket.
// The retries are retransmissions of the same message inside the one timeout. Datagrams that are not the response
// (wrong ID or question, garbage) are ignored and noted in `detail`, as a resolver would. Outcome: answered when a
// matching response arrives; unreachable at once on ICMP port/host unreachable (no retry); otherwise, after every
// attempt, malformed if garbage came, mismatched if only wrong responses came, else timeout.
asio::awaitable<Exchange> query_udp(std::string address, std::string qname, std::string qtype, QueryOptions options);

// The same over TCP (RFC 7766 two-byte length prefix), one attempt: refused → unreachable,
// no connection in time → timeout, closed or reset before a full answer → tcp_failed.
asio::awaitable<Exchange> query_tcp(std::string address, std::string qname, std::string qtype, QueryOptions options);

} // namespace zw::probe
