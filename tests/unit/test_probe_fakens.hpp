#pragma once
// Fake DNS servers for the probe tests: UDP and TCP on loopback addresses, in a thread of their
// own. They only ever bind 127.0.0.0/8 or ::1, and the tests using them first check that they
// run in a private network namespace whose only interface is `lo` (only_loopback()).

#include <algorithm>
#include <array>
#include <atomic>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <asio.hpp>
// First: <ldns/common.h> defines the macros `bool`, `false` and `true` unless stdbool.h has said
// they exist, and a standard header read after them in the same unity translation unit breaks
// (<optional>'s `bool(x) <=> false`).
#include <stdbool.h> // NOLINT(modernize-deprecated-headers)

#include <ldns/ldns.h>

#include "dns/ldns_handle.hpp"
#include "dns/rr.hpp"

namespace zw::test {

using Bytes = std::vector<std::uint8_t>;

// True when this process's network namespace has no interface but `lo`. /proc/self/net/dev is
// per namespace; /sys/class/net is not (sysfs keeps the host's view under `unshare -n`).
inline bool only_loopback() {
  std::ifstream dev("/proc/self/net/dev");
  if (!dev) {
    return false;
  }
  std::string line;
  int interfaces = 0;
  bool saw_lo = false;
  while (std::getline(dev, line)) {
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) {
      continue;
    }
    std::string name = line.substr(0, colon);
    name.erase(0, name.find_first_not_of(' '));
    ++interfaces;
    saw_lo = saw_lo || name == "lo";
  }
  return saw_lo && interfaces == 1;
}

// A test case that sends packets starts with this, and its name starts with "probe::": the
// `unit-netns` test runs only those cases inside the namespace (`unit` runs the rest outside).
#define ZW_REQUIRE_PRIVATE_NETNS()                                                                                     \
  do {                                                                                                                 \
    if (!::zw::test::only_loopback()) {                                                                                \
      MESSAGE("skipped: needs a private network namespace with only lo "                                               \
              "(unshare -n sh -c 'ip link set lo up; build/tests/unit_tests')");                                       \
      return;                                                                                                          \
    }                                                                                                                  \
  } while (false)

// A parsed query, as the fake servers see it.
struct Query {
  std::uint16_t id = 0;
  std::string qname; // lower case, final dot
  std::string qtype;
  bool edns = false;
  bool tcp = false;
};

inline std::optional<Query> parse_query(const Bytes& wire) {
  ldns_pkt* raw = nullptr;
  if (ldns_wire2pkt(&raw, wire.data(), wire.size()) != LDNS_STATUS_OK) {
    return std::nullopt;
  }
  dns::PktHandle pkt(raw);
  const ldns_rr_list* question = ldns_pkt_question(pkt.get());
  if (question == nullptr || ldns_rr_list_rr_count(question) != 1) {
    return std::nullopt;
  }
  const ldns_rr* q = ldns_rr_list_rr(question, 0);
  Query out;
  out.id = ldns_pkt_id(pkt.get());
  dns::CString name(ldns_rdf2str(ldns_rr_owner(q)));
  out.qname = name.get();
  std::transform(out.qname.begin(), out.qname.end(), out.qname.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  out.qtype = dns::type_to_text(static_cast<std::uint16_t>(ldns_rr_get_type(q)));
  out.edns = ldns_pkt_edns(pkt.get());
  return out;
}

struct Reply {
  bool aa = true;
  int rcode = 0;
  bool tc = false;
  std::vector<std::string> answer, authority, additional;
};

// Wire form of `reply` to `query` (question copied, QR set, OPT echoed when the query had one).
inline Bytes make_response(const Query& query, const Reply& reply, std::optional<std::uint16_t> id = std::nullopt,
                           std::optional<std::string> qname = std::nullopt) {
  const std::string name = qname.value_or(query.qname);
  ldns_rdf* owner = ldns_dname_new_frm_str(name.c_str());
  dns::PktHandle pkt(
      ldns_pkt_query_new(owner, static_cast<ldns_rr_type>(dns::type_from_text(query.qtype)), LDNS_RR_CLASS_IN, 0));
  ldns_pkt_set_id(pkt.get(), id.value_or(query.id));
  ldns_pkt_set_qr(pkt.get(), true);
  ldns_pkt_set_aa(pkt.get(), reply.aa);
  ldns_pkt_set_tc(pkt.get(), reply.tc);
  ldns_pkt_set_rcode(pkt.get(), static_cast<std::uint8_t>(reply.rcode & 0x0f));
  if (query.edns) {
    ldns_pkt_set_edns_udp_size(pkt.get(), 1232);
    ldns_pkt_set_edns_extended_rcode(pkt.get(), static_cast<std::uint8_t>(reply.rcode >> 4));
  }
  const auto add = [&pkt](const std::vector<std::string>& lines, ldns_pkt_section section) {
    for (const std::string& line : lines) {
      ldns_rr* rr = nullptr;
      if (ldns_rr_new_frm_str(&rr, line.c_str(), 3600, nullptr, nullptr) == LDNS_STATUS_OK) {
        ldns_pkt_push_rr(pkt.get(), section, rr);
      }
    }
  };
  add(reply.answer, LDNS_SECTION_ANSWER);
  add(reply.authority, LDNS_SECTION_AUTHORITY);
  add(reply.additional, LDNS_SECTION_ADDITIONAL);
  std::uint8_t* data = nullptr;
  std::size_t size = 0;
  ldns_pkt2wire(&data, pkt.get(), &size);
  Bytes out(data, data + size);
  std::free(data); // NOLINT: ldns mallocs
  return out;
}

// What a fake server sends back for one query: zero or more datagrams (UDP) or one message (TCP).
using Handler = std::function<std::vector<Bytes>(const Query&)>;

// UDP and TCP servers on one address and port, served by a thread until destruction.
class FakeServer {
public:
  FakeServer(const std::string& address, std::uint16_t port, Handler handler, bool tcp = true)
      : m_handler(std::move(handler)), m_udp(m_io, asio::ip::udp::endpoint(asio::ip::make_address(address), port)),
        m_tcp(m_io) {
    m_port = m_udp.local_endpoint().port();
    if (tcp) {
      const asio::ip::tcp::endpoint endpoint(asio::ip::make_address(address), m_port);
      m_tcp.open(endpoint.protocol());
      m_tcp.set_option(asio::socket_base::reuse_address(true));
      m_tcp.bind(endpoint);
      m_tcp.listen();
      accept();
    }
    receive();
    m_thread = std::thread([this] { m_io.run(); });
  }
  ~FakeServer() {
    m_io.stop();
    m_thread.join();
  }
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;
  std::uint16_t port() const { return m_port; }
  int queries() const { return m_queries.load(); }

private:
  void receive() {
    m_udp.async_receive_from(asio::buffer(m_buffer), m_peer, [this](std::error_code ec, std::size_t n) {
      if (ec) {
        return;
      }
      ++m_queries;
      const Bytes wire(m_buffer.begin(), m_buffer.begin() + static_cast<long>(n));
      if (const std::optional<Query> q = parse_query(wire)) {
        for (const Bytes& datagram : m_handler(*q)) {
          std::error_code ignored;
          m_udp.send_to(asio::buffer(datagram), m_peer, 0, ignored);
        }
      }
      receive();
    });
  }
  void accept() {
    m_tcp.async_accept([this](std::error_code ec, asio::ip::tcp::socket socket) {
      if (ec) {
        return;
      }
      ++m_queries;
      // Tests send small queries: read them synchronously in the server thread.
      std::array<std::uint8_t, 2> prefix{};
      std::error_code io_ec;
      asio::read(socket, asio::buffer(prefix), io_ec);
      Bytes wire((prefix[0] << 8) | prefix[1]);
      if (!io_ec) {
        asio::read(socket, asio::buffer(wire), io_ec);
      }
      std::optional<Query> q;
      if (!io_ec && (q = parse_query(wire))) {
        q->tcp = true;
        for (const Bytes& message : m_handler(*q)) {
          if (message.empty()) {
            break; // the handler asks us to close without answering
          }
          Bytes out{static_cast<std::uint8_t>(message.size() >> 8), static_cast<std::uint8_t>(message.size() & 0xff)};
          out.insert(out.end(), message.begin(), message.end());
          asio::write(socket, asio::buffer(out), io_ec);
        }
      }
      accept();
    });
  }

  Handler m_handler;
  asio::io_context m_io;
  asio::ip::udp::socket m_udp;
  asio::ip::tcp::acceptor m_tcp;
  asio::ip::udp::endpoint m_peer;
  std::array<std::uint8_t, 65535> m_buffer{};
  std::uint16_t m_port = 0;
  std::atomic<int> m_queries{0};
  std::thread m_thread;
};

// A minimal authoritative server over zone data in presentation format: referrals at cuts
// (NS records below an apex, with the glue found among the records), DS answered by the
// parent, NODATA and NXDOMAIN otherwise.
struct FakeZone {
  FakeZone(std::string apex_, std::vector<std::string> records_, std::vector<std::string> denial_ = {})
      : apex(std::move(apex_)), records(std::move(records_)), denial(std::move(denial_)) {}
  std::string apex;
  std::vector<std::string> records;
  std::vector<std::string> denial; // added to the authority section of every NXDOMAIN and NODATA
};

inline std::vector<std::string> words_of(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> w;
  for (std::string s; in >> s;) {
    w.push_back(s);
  }
  return w;
}

inline bool at_or_below(const std::string& name, const std::string& ancestor) {
  return ancestor == "." || name == ancestor || (name.size() > ancestor.size() && name.ends_with("." + ancestor));
}

inline Reply authoritative_reply(const std::vector<FakeZone>& zones, const Query& q) {
  const FakeZone* zone = nullptr;
  for (const FakeZone& z : zones) {
    if (at_or_below(q.qname, z.apex) && (zone == nullptr || z.apex.size() > zone->apex.size())) {
      zone = &z;
    }
  }
  Reply r;
  if (zone == nullptr) {
    r.aa = false;
    r.rcode = 5; // REFUSED
    return r;
  }
  // Delegation: the closest cut below the apex at or above qname (RFC 1034 §4.3.2 step 3b).
  std::string cut;
  for (const std::string& line : zone->records) {
    const auto w = words_of(line);
    if (w[3] == "NS" && w[0] != zone->apex && at_or_below(q.qname, w[0]) && w[0].size() > cut.size()) {
      cut = w[0];
    }
  }
  const auto records = [&](const std::string& owner, const std::string& type) {
    std::vector<std::string> out;
    for (const std::string& line : zone->records) {
      const auto w = words_of(line);
      if (w[0] == owner && (type.empty() || w[3] == type)) {
        out.push_back(line);
      }
    }
    return out;
  };
  if (!cut.empty() && !(q.qname == cut && q.qtype == "DS")) {
    r.aa = false;
    r.authority = records(cut, "NS");
    for (const std::string& ns : r.authority) {
      const std::string target = words_of(ns)[4];
      for (const char* type : {"A", "AAAA"}) {
        for (const std::string& glue : records(target, type)) {
          r.additional.push_back(glue);
        }
      }
    }
    return r;
  }
  r.answer = records(q.qname, q.qtype);
  if (r.answer.empty()) {
    r.authority = records(zone->apex, "SOA");
    r.authority.insert(r.authority.end(), zone->denial.begin(), zone->denial.end());
    r.rcode = records(q.qname, "").empty() ? 3 : 0;
  }
  return r;
}

inline Handler authoritative(std::vector<FakeZone> zones) {
  return [zones = std::move(zones)](const Query& q) {
    return std::vector<Bytes>{make_response(q, authoritative_reply(zones, q))};
  };
}

inline Handler silent() {
  return [](const Query&) { return std::vector<Bytes>{}; };
}

} // namespace zw::test
