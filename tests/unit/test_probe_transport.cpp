#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "probe/transport.hpp"
#include "test_probe_fakens.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_probe_transport {

using namespace zw;
using namespace std::chrono_literals;

namespace {

struct Timed {
  Exchange exchange;
  std::chrono::milliseconds elapsed{};
};

Timed run_on(asio::io_context& io, bool tcp, std::string address, std::uint16_t port, std::string qname,
             std::string qtype, std::chrono::milliseconds timeout = 300ms, int retries = 1) {
  Timed out;
  const auto start = std::chrono::steady_clock::now();
  probe::QueryOptions options{.timeout = timeout, .retries = retries, .edns = true, .port = port, .deadline = {}};
  options.deadline = std::chrono::steady_clock::time_point::max();
  asio::co_spawn(
      io, tcp ? probe::query_tcp(address, qname, qtype, options) : probe::query_udp(address, qname, qtype, options),
      [&out](std::exception_ptr e, Exchange ex) {
        REQUIRE_FALSE(e);
        out.exchange = std::move(ex);
      });
  io.run();
  out.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  return out;
}

Timed run(bool tcp, std::string address, std::uint16_t port, std::string qname, std::string qtype,
          std::chrono::milliseconds timeout = 300ms, int retries = 1) {
  asio::io_context io;
  return run_on(io, tcp, std::move(address), port, std::move(qname), std::move(qtype), timeout, retries);
}

test::Reply soa_reply() {
  test::Reply r;
  r.answer = {"example.com. 3600 IN SOA ns1.example.com. h.example.com. 2026010101 7200 3600 1209600 300"};
  return r;
}

} // namespace

TEST_CASE("probe::query_udp and query_tcp against fake servers") {
  ZW_REQUIRE_PRIVATE_NETNS();

  SUBCASE("answered over UDP and TCP, IPv4 and IPv6") {
    for (const std::string address : {"127.0.0.1", "::1"}) {
      test::FakeServer server(address, 0, [](const test::Query& q) {
        return std::vector<test::Bytes>{test::make_response(q, soa_reply())};
      });
      for (const bool tcp : {false, true}) {
        const Timed t = run(tcp, address, server.port(), "example.com.", "SOA");
        CHECK(t.exchange.outcome == Outcome::answered);
        CHECK(t.exchange.aa);
        CHECK(t.exchange.edns);
        CHECK(t.exchange.rcode == 0);
        CHECK(t.exchange.attempts == 1);
        CHECK(t.exchange.transport == (tcp ? Transport::tcp : Transport::udp));
        REQUIRE(t.exchange.answer.size() == 1);
        CHECK(t.exchange.answer[0].find("2026010101") != std::string::npos);
      }
    }
  }
  SUBCASE("silent server: timeout after every attempt") {
    test::FakeServer server("127.0.0.1", 0, test::silent(), false);
    const Timed t = run(false, "127.0.0.1", server.port(), "example.com.", "SOA", 200ms, 1);
    CHECK(t.exchange.outcome == Outcome::timeout);
    CHECK(t.exchange.attempts == 2); // retransmitted once inside the one timeout
    CHECK(t.elapsed >= 190ms);
    CHECK(t.elapsed < 1000ms);
    CHECK(server.queries() == 2);
  }
  SUBCASE("closed port: unreachable at once, no retry") {
    std::uint16_t port = 0;
    {
      asio::io_context io;
      asio::ip::udp::socket s(io, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
      port = s.local_endpoint().port();
    }
    const Timed udp = run(false, "127.0.0.1", port, "example.com.", "SOA", 1000ms, 3);
    CHECK(udp.exchange.outcome == Outcome::unreachable);
    CHECK(udp.exchange.attempts == 1);
    CHECK(udp.elapsed < 500ms);
    const Timed tcp = run(true, "127.0.0.1", port, "example.com.", "SOA", 1000ms);
    CHECK(tcp.exchange.outcome == Outcome::unreachable);
    CHECK(tcp.elapsed < 500ms);
  }
  SUBCASE("wrong ID, then garbage, then the right answer: answered") {
    test::FakeServer server("127.0.0.1", 0, [](const test::Query& q) {
      return std::vector<test::Bytes>{test::make_response(q, soa_reply(), static_cast<std::uint16_t>(q.id + 1)),
                                      test::Bytes{0xde, 0xad}, test::make_response(q, soa_reply())};
    });
    const Timed t = run(false, "127.0.0.1", server.port(), "example.com.", "SOA");
    CHECK(t.exchange.outcome == Outcome::answered);
    CHECK(t.exchange.detail.find("wrong ID") != std::string::npos);
  }
  SUBCASE("queries in flight at once share no buffer: each gets its own answer, in full") {
    // Datagrams are read into one buffer per thread once the socket is readable; answers of
    // 4 KB (past the 1,232 bytes EDNS usually brings) to 24 queries at once must each arrive
    // whole and with their own question's data.
    test::FakeServer server("127.0.0.1", 0, [](const test::Query& q) {
      test::Reply r;
      std::string txt = q.qname + " IN TXT";
      for (int i = 0; i < 16; ++i) {
        txt += " \"" + std::string(240, static_cast<char>('a' + i)) + "\"";
      }
      r.answer = {txt, q.qname + " IN TXT \"" + q.qname + "\""};
      return std::vector<test::Bytes>{test::make_response(q, r)};
    });
    asio::io_context io;
    probe::QueryOptions options{.timeout = 2000ms, .retries = 0, .edns = true, .port = server.port(), .deadline = {}};
    options.deadline = std::chrono::steady_clock::time_point::max();
    std::vector<Exchange> got(24);
    for (std::size_t i = 0; i < got.size(); ++i) {
      asio::co_spawn(io, probe::query_udp("127.0.0.1", fmt::format("q{}.example.com.", i), "TXT", options),
                     [&got, i](std::exception_ptr e, Exchange ex) {
                       REQUIRE_FALSE(e);
                       got[i] = std::move(ex);
                     });
    }
    io.run();
    for (std::size_t i = 0; i < got.size(); ++i) {
      CAPTURE(i);
      REQUIRE(got[i].outcome == Outcome::answered);
      REQUIRE(got[i].answer.size() == 2);
      CHECK(got[i].answer[0].find(std::string(240, 'p')) != std::string::npos); // the 16th string, whole
      CHECK(got[i].answer[1].find(fmt::format("\"q{}.example.com.\"", i)) != std::string::npos);
    }
  }
  SUBCASE("only wrong answers: mismatched; garbage: malformed") {
    test::FakeServer wrong("127.0.0.1", 0, [](const test::Query& q) {
      return std::vector<test::Bytes>{test::make_response(q, soa_reply(), std::nullopt, "example.net.")};
    });
    const Timed m = run(false, "127.0.0.1", wrong.port(), "example.com.", "SOA", 150ms, 1);
    CHECK(m.exchange.outcome == Outcome::mismatched);
    CHECK(m.exchange.attempts == 2);
    CHECK(m.elapsed < 1000ms);
    test::FakeServer garbage("127.0.0.1", 0, [](const test::Query& q) {
      return std::vector<test::Bytes>{test::make_response(q, soa_reply(), static_cast<std::uint16_t>(q.id ^ 1)),
                                      test::Bytes(40, 0xff)};
    });
    const Timed g = run(false, "127.0.0.1", garbage.port(), "example.com.", "SOA", 150ms, 0);
    CHECK(g.exchange.outcome == Outcome::malformed);
    const Timed gt = run(true, "127.0.0.1", garbage.port(), "example.com.", "SOA", 150ms);
    CHECK(gt.exchange.outcome == Outcome::mismatched); // the first TCP message had the wrong ID
  }
  SUBCASE("TC=1 over UDP is an answer with tc set") {
    test::FakeServer server("127.0.0.1", 0, [](const test::Query& q) {
      test::Reply r;
      r.tc = !q.tcp;
      return std::vector<test::Bytes>{test::make_response(q, r)};
    });
    const Timed t = run(false, "127.0.0.1", server.port(), "example.com.", "SOA");
    CHECK(t.exchange.outcome == Outcome::answered);
    CHECK(t.exchange.tc);
  }
  SUBCASE("TCP closed without an answer: tcp_failed") {
    test::FakeServer server("127.0.0.1", 0, [](const test::Query&) { return std::vector<test::Bytes>{test::Bytes{}}; });
    const Timed t = run(true, "127.0.0.1", server.port(), "example.com.", "SOA");
    CHECK(t.exchange.outcome == Outcome::tcp_failed);
  }
  SUBCASE("TCP accepted, never answered: timeout") {
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    const Timed t = run(true, "127.0.0.1", acceptor.local_endpoint().port(), "example.com.", "SOA", 200ms);
    CHECK(t.exchange.outcome == Outcome::timeout);
    CHECK(t.elapsed < 1000ms);
  }
  SUBCASE("an answer that arrived while our io thread was busy is an answer, not a timeout") {
    // A loaded machine (a build, a sanitizer) keeps the client's io thread busy past the query's
    // timeout: Asio's reactor sees the timer expire first, and the answer arrives before the
    // timer's handler gets to run. The server was not silent; we must not say it was. Handlers
    // posted to the client's io_context force that order, without relying on how fast either
    // thread is scheduled (Asio's scheduler runs one queue, in order, with the reactor in it):
    //   on the query, the server posts a handler that re-posts itself 50 times, so that the
    //      client's own handlers (the send's completion, the TCP write's group) run first and it
    //      is waiting for the answer with its timer set (only a stall of the whole 250 ms in
    //      those few microseconds could let the timer expire first, and fail the test);
    //   H1 then holds the io thread for 500 ms, well past the query's 250 ms timeout, and before
    //      returning posts H2, which queues behind the reactor;
    //   the reactor finds only the expired timer, and queues its handler behind H2;
    //   H2 lets the server answer, waits until the server's handler has returned (the answer is
    //      sent right after), and gives the datagram or segment 250 ms to land;
    //   the timer's handler runs with the answer waiting in the socket.
    asio::io_context io;
    std::mutex mutex;
    std::condition_variable changed;
    bool may_answer = false;
    bool answering = false;
    const auto wait_for = [&](const bool& flag) {
      std::unique_lock lock(mutex);
      changed.wait_for(lock, 10s, [&flag] { return flag; }); // bounded: a failure, never a hang
    };
    const auto set = [&](bool& flag) {
      {
        const std::lock_guard lock(mutex);
        flag = true;
      }
      changed.notify_all();
    };
    std::function<void(int)> hold = [&](int hops) {
      if (hops > 0) {
        asio::post(io, [&hold, hops] { hold(hops - 1); });
        return;
      }
      std::this_thread::sleep_for(500ms);
      asio::post(io, [&] {
        set(may_answer);
        wait_for(answering);
        std::this_thread::sleep_for(250ms);
      });
    };
    test::FakeServer server("127.0.0.1", 0, [&](const test::Query& q) {
      hold(50);
      wait_for(may_answer);
      set(answering);
      return std::vector<test::Bytes>{test::make_response(q, soa_reply())};
    });
    for (const bool tcp : {false, true}) {
      for (int round = 0; round < 3; ++round) {
        CAPTURE(tcp);
        CAPTURE(round);
        {
          const std::lock_guard lock(mutex);
          may_answer = false;
          answering = false;
        }
        io.restart();
        const Timed t = run_on(io, tcp, "127.0.0.1", server.port(), "example.com.", "SOA", 250ms, 0);
        CHECK(t.exchange.outcome == Outcome::answered);
        CHECK(t.elapsed >= 700ms);
      }
    }
  }
  SUBCASE("not an address") {
    const Timed t = run(false, "ns1.example.com", 53, "example.com.", "SOA");
    CHECK(t.exchange.outcome == Outcome::network_error);
  }
}

} // namespace zw_test_probe_transport
