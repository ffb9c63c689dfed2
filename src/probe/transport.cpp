#include "probe/transport.hpp"

#include <algorithm>
#include <array>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/deferred.hpp>
#include <asio/experimental/parallel_group.hpp>
#include <fmt/format.h>

#include "dns/packet.hpp"

namespace zw::probe {

namespace {

// GCC 12's false -Wmismatched-new-delete on asio's coroutine frames (GCC PR middle-end/109224;
// see probe/walker_internal.hpp): query_udp's frame warns since it waits for readiness.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace exp = asio::experimental;
using Clock = std::chrono::steady_clock;
constexpr auto k_no_throw = asio::experimental::as_tuple(asio::use_awaitable);

// RFC 5452 §9.2: unpredictable IDs (the source port is the kernel's ephemeral choice).
std::uint16_t random_id() {
  thread_local std::mt19937 engine{std::random_device{}()};
  return static_cast<std::uint16_t>(std::uniform_int_distribution<unsigned>(0, 0xffff)(engine));
}

Clock::time_point deadline_after(std::chrono::milliseconds timeout, Clock::time_point overall) {
  const Clock::time_point now = Clock::now();
  if (overall <= now) {
    return now;
  }
  return (overall - now) < timeout ? overall : now + timeout;
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

bool is_unreachable(const std::error_code& ec) {
  return ec == asio::error::connection_refused || ec == asio::error::host_unreachable ||
         ec == asio::error::network_unreachable;
}

// Records a network failure; true when it was "unreachable".
void record_error(Exchange& ex, const std::error_code& ec, std::string_view what) {
  ex.outcome = is_unreachable(ec) ? Outcome::unreachable : Outcome::network_error;
  ex.detail = fmt::format("{}: {}", what, ec.message());
}

// A TCP stream that failed mid-exchange: closed or reset by the server is tcp_failed.
void stream_failed(Exchange& ex, const std::error_code& ec, std::string_view what) {
  if (ec == asio::error::eof || ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
      ec == asio::error::connection_aborted) {
    ex.outcome = Outcome::tcp_failed;
    ex.detail = fmt::format("{}: connection closed ({})", what, ec.message());
  } else {
    record_error(ex, ec, what);
  }
}

enum class Direction : std::uint8_t { write, read };

// Reads what is already waiting in `socket` into `buffer`, never waiting; the bytes read. Each
// read takes at least one byte or ends the loop, so it is bounded by the buffer's size.
std::size_t read_waiting(asio::ip::tcp::socket& socket, asio::mutable_buffer buffer) {
  std::error_code ec;
  socket.non_blocking(true, ec); // for this synchronous read only: Asio's own operations ignore it
  std::size_t got = 0;
  while (!ec && got < buffer.size()) {
    got += socket.read_some(buffer + got, ec); // would_block when nothing more is waiting
  }
  return got;
}

// Writes or reads all of `buffer` on `socket` unless `timer` expires first; the caller sets the
// timer, once for the query's write and both reads. True when done; otherwise `ex` says why:
// timeout with `timeout_detail`, or the stream failed during `what`.
asio::awaitable<bool> transfer_in_time(asio::ip::tcp::socket& socket, asio::steady_timer& timer, Direction direction,
                                       asio::mutable_buffer buffer, Exchange& ex, std::string timeout_detail,
                                       std::string_view what) {
  // A parallel group, not `||`: the transfer's own result and byte count are kept even when the
  // timer finished first. Not a conditional expression: GCC 12 mis-destroys the temporaries of
  // co_await inside `?:`.
  std::error_code ec;
  std::size_t moved = 0;
  if (direction == Direction::write) {
    std::tie(std::ignore, ec, moved, std::ignore) =
        co_await exp::make_parallel_group(asio::async_write(socket, buffer, exp::deferred),
                                          timer.async_wait(exp::deferred))
            .async_wait(exp::wait_for_one(), asio::use_awaitable);
  } else {
    std::tie(std::ignore, ec, moved, std::ignore) =
        co_await exp::make_parallel_group(asio::async_read(socket, buffer, exp::deferred),
                                          timer.async_wait(exp::deferred))
            .async_wait(exp::wait_for_one(), asio::use_awaitable);
  }
  if (ec == asio::error::operation_aborted) { // the timer won
    // The rest of an answer already waiting in the socket when the time is up came in time: our
    // io thread was busy (a loaded machine, a slow build), the server was not slow.
    if (direction == Direction::read && moved + read_waiting(socket, buffer + moved) == buffer.size()) {
      co_return true;
    }
    ex.outcome = Outcome::timeout;
    ex.detail = std::move(timeout_detail);
    co_return false;
  }
  if (ec) {
    stream_failed(ex, ec, what);
    co_return false;
  }
  co_return true;
}

void fill_answer(Exchange& ex, const dns::Message& m) {
  ex.outcome = Outcome::answered;
  ex.rcode = m.rcode;
  ex.aa = m.aa;
  ex.tc = m.tc;
  ex.edns = m.has_opt;
  ex.answer = m.answer;
  ex.authority = m.authority;
  ex.additional = m.additional;
  ex.edns_faults = m.edns_faults;
}

void append_detail(std::string& detail, std::string_view note) {
  if (!detail.empty()) {
    detail += "; ";
  }
  detail += note;
}

Exchange start_exchange(const std::string& qname, const std::string& qtype, Transport transport) {
  Exchange ex;
  ex.qname = qname;
  ex.qtype = qtype;
  ex.transport = transport;
  return ex;
}

// Validates the address and builds the query; on failure fills `ex` and returns nothing.
std::optional<asio::ip::address> parse_address(Exchange& ex, const std::string& address) {
  std::error_code ec;
  asio::ip::address ip = asio::ip::make_address(address, ec);
  if (ec) {
    ex.outcome = Outcome::network_error;
    ex.detail = fmt::format("{}: not an IP address", address);
    return std::nullopt;
  }
  return ip;
}

// The buffer datagrams are read into, one per thread. A query in flight holds no buffer of its
// own: it waits until its socket is readable and then reads without waiting, so a 64 KiB buffer
// per query in flight (hundreds at once, each held for up to a timeout among the walk's
// longer-lived allocations) no longer fragments the heap. Never held across a suspension.
std::span<std::uint8_t> datagram_buffer() {
  thread_local std::vector<std::uint8_t> buffer(65535);
  return buffer;
}

// The query for `ex`'s question under message ID `id`; when it cannot be built, `ex` says why
// and there is none.
std::optional<dns::Bytes> make_query(Exchange& ex, std::uint16_t id, const QueryOptions& options) {
  Result<dns::Bytes> query = dns::build_query(ex.qname, ex.qtype, id, dns::QueryFlags{.edns = options.edns});
  if (!query) {
    ex.outcome = Outcome::network_error;
    ex.detail = query.error().message;
    return std::nullopt;
  }
  return std::move(*query);
}

} // namespace

asio::awaitable<Exchange> query_udp(std::string address, std::string qname, std::string qtype, QueryOptions options) {
  Exchange ex = start_exchange(qname, qtype, Transport::udp);
  const std::optional<asio::ip::address> ip = parse_address(ex, address);
  if (!ip) {
    co_return ex;
  }
  const asio::ip::udp::endpoint endpoint(*ip, options.port);
  const asio::any_io_executor executor = co_await asio::this_coro::executor;
  bool saw_garbage = false;
  bool saw_mismatch = false;
  std::string ignored;
  // One query, one timeout: the retries are retransmissions of the same message (same socket,
  // same ID) spread evenly inside the timeout window, and an answer to any of them is accepted,
  // as resolvers do. A silent server therefore costs exactly one timeout, whatever --retries.
  const int attempts = std::max(1, options.retries + 1);
  const std::uint16_t id = random_id();
  const std::optional<dns::Bytes> query = make_query(ex, id, options);
  if (!query) {
    co_return ex;
  }
  // Connected, so that ICMP port unreachable comes back as ECONNREFUSED and datagrams from
  // other sources are dropped by the kernel.
  asio::ip::udp::socket socket(executor);
  std::error_code ec;
  socket.open(endpoint.protocol(), ec);
  if (!ec) {
    socket.connect(endpoint, ec);
  }
  if (!ec) {
    socket.non_blocking(true, ec); // reads never wait: readiness is awaited first
  }
  if (ec) {
    record_error(ex, ec, "connect");
    co_return ex;
  }
  const Clock::time_point first_sent = Clock::now();
  const Clock::time_point query_deadline = deadline_after(options.timeout, options.deadline);
  const auto interval = options.timeout / attempts;
  Clock::time_point sent = first_sent;
  // One datagram received: true when it is the answer (then `ex` holds it), else it is noted.
  const auto accept = [&](std::span<const std::uint8_t> datagram) {
    dns::Decoded decoded = dns::decode_response(datagram, id, qname, qtype);
    if (decoded.verdict == dns::Verdict::ok) {
      fill_answer(ex, decoded.message);
      // Time since the datagram that most plausibly drew the answer was sent.
      ex.rtt_ms = ms_since(sent);
      ex.detail = ignored.empty() ? std::string() : fmt::format("ignored: {}", ignored);
      return true;
    }
    (decoded.verdict == dns::Verdict::malformed ? saw_garbage : saw_mismatch) = true;
    append_detail(ignored, decoded.detail);
    return false;
  };
  // Reads the datagrams waiting in the socket (at most a bound of them), never waiting: true when
  // one is the answer. Stops at the first error other than "nothing more is waiting", left in
  // `recv_ec`. The socket's readiness is edge-triggered (asio's epoll), so it is read until empty.
  std::error_code recv_ec;
  const auto read_waiting = [&] {
    for (int waiting = 0; waiting < 64; ++waiting) {
      const std::span<std::uint8_t> buffer = datagram_buffer();
      const std::size_t size = socket.receive(asio::buffer(buffer.data(), buffer.size()), 0, recv_ec);
      if (recv_ec) {
        if (recv_ec == asio::error::would_block || recv_ec == asio::error::try_again) {
          recv_ec.clear();
        }
        return false;
      }
      if (accept(buffer.first(size))) {
        return true;
      }
    }
    return false;
  };
  asio::steady_timer timer(executor);
  for (int attempt = 1; attempt <= attempts && Clock::now() < query_deadline; ++attempt) {
    ex.attempts = attempt;
    sent = Clock::now();
    auto [send_ec, sent_bytes] = co_await socket.async_send(asio::buffer(*query), k_no_throw);
    if (send_ec) {
      record_error(ex, send_ec, "send");
      co_return ex;
    }
    const Clock::time_point listen_until =
        attempt == attempts ? query_deadline : std::min(query_deadline, first_sent + interval * attempt);
    while (Clock::now() < listen_until) {
      timer.expires_at(listen_until);
      // A parallel group, not `||`: a socket that became readable in the turn the timer fired
      // is still read.
      const auto [order, wait_ec, timer_ec] =
          co_await exp::make_parallel_group(socket.async_wait(asio::socket_base::wait_read, exp::deferred),
                                            timer.async_wait(exp::deferred))
              .async_wait(exp::wait_for_one(), asio::use_awaitable);
      if (wait_ec == asio::error::operation_aborted) {
        break; // time to retransmit, or the query's time is up
      }
      if (!wait_ec && read_waiting()) {
        co_return ex;
      }
      if (const std::error_code failed = wait_ec ? wait_ec : recv_ec; failed) {
        record_error(ex, failed, "receive");
        ex.rtt_ms = ms_since(sent);
        co_return ex;
      }
    }
  }
  // A datagram already waiting in the socket when the time is up came in time: our io thread was
  // busy (a loaded machine, a slow build), the server was not silent. Read what is there (at most
  // a few datagrams, never waiting) before calling it a timeout.
  if (read_waiting()) {
    co_return ex;
  }
  ex.outcome = saw_garbage ? Outcome::malformed : saw_mismatch ? Outcome::mismatched : Outcome::timeout;
  if (ex.outcome == Outcome::timeout) {
    ex.detail = fmt::format("no response within {} ms ({} transmission(s))", options.timeout.count(), ex.attempts);
  } else {
    ex.detail = fmt::format("ignored: {}", ignored);
  }
  co_return ex;
}

asio::awaitable<Exchange> query_tcp(std::string address, std::string qname, std::string qtype, QueryOptions options) {
  Exchange ex = start_exchange(qname, qtype, Transport::tcp);
  ex.attempts = 1;
  const std::optional<asio::ip::address> ip = parse_address(ex, address);
  if (!ip) {
    co_return ex;
  }
  const std::uint16_t id = random_id();
  const std::optional<dns::Bytes> query = make_query(ex, id, options);
  if (!query) {
    co_return ex;
  }
  const asio::any_io_executor executor = co_await asio::this_coro::executor;
  asio::ip::tcp::socket socket(executor);
  asio::steady_timer timer(executor);
  const Clock::time_point start = Clock::now();

  timer.expires_at(deadline_after(options.timeout, options.deadline));
  // A parallel group, not `||`: a connection made in the turn the timer fired is kept.
  const auto [order, connect_ec, timer_ec] =
      co_await exp::make_parallel_group(socket.async_connect(asio::ip::tcp::endpoint(*ip, options.port), exp::deferred),
                                        timer.async_wait(exp::deferred))
          .async_wait(exp::wait_for_one(), asio::use_awaitable);
  if (connect_ec == asio::error::operation_aborted) {
    ex.outcome = Outcome::timeout;
    ex.detail = fmt::format("no TCP connection within {} ms", options.timeout.count());
    co_return ex;
  }
  if (connect_ec) {
    record_error(ex, connect_ec, "connect");
    co_return ex;
  }

  // RFC 7766 §8: a two-byte length prefix; sent with the message in one write.
  std::vector<std::uint8_t> out;
  out.reserve(query->size() + 2);
  out.push_back(static_cast<std::uint8_t>(query->size() >> 8));
  out.push_back(static_cast<std::uint8_t>(query->size() & 0xff));
  out.insert(out.end(), query->begin(), query->end());

  // One deadline for the write and both reads: the answer must be complete within the timeout.
  timer.expires_at(deadline_after(options.timeout, options.deadline));
  if (!co_await transfer_in_time(socket, timer, Direction::write, asio::buffer(out), ex, "TCP write timed out",
                                 "write")) {
    co_return ex;
  }

  std::array<std::uint8_t, 2> prefix{};
  if (!co_await transfer_in_time(socket, timer, Direction::read, asio::buffer(prefix), ex,
                                 fmt::format("no TCP response within {} ms", options.timeout.count()), "read length")) {
    co_return ex;
  }
  const std::size_t length = (static_cast<std::size_t>(prefix[0]) << 8) | prefix[1];
  std::vector<std::uint8_t> message(length);
  if (!co_await transfer_in_time(socket, timer, Direction::read, asio::buffer(message), ex,
                                 fmt::format("TCP response incomplete after {} ms", options.timeout.count()),
                                 "read message")) {
    co_return ex;
  }
  ex.rtt_ms = ms_since(start);
  const dns::Decoded decoded = dns::decode_response(message, id, qname, qtype);
  if (decoded.verdict == dns::Verdict::ok) {
    fill_answer(ex, decoded.message);
  } else {
    ex.outcome = decoded.verdict == dns::Verdict::malformed ? Outcome::malformed : Outcome::mismatched;
    ex.detail = decoded.detail;
  }
  co_return ex;
}

} // namespace zw::probe
