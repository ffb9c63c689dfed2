#include "rules/observations.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace zw::rules {

namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// Splits "owner ttl class type rdata..." into its first four tokens and the rest.
struct RrTokens {
  std::string owner, ttl, rclass, type, rdata;
};

RrTokens tokens(const std::string& rr) {
  RrTokens t;
  std::istringstream in(rr);
  in >> t.owner >> t.ttl >> t.rclass >> t.type;
  std::getline(in, t.rdata);
  const std::size_t first = t.rdata.find_first_not_of(" \t");
  t.rdata = first == std::string::npos ? std::string() : t.rdata.substr(first);
  return t;
}

std::string describe_failure(const Exchange& e) {
  std::string what{to_string(e.outcome)};
  if (!e.detail.empty()) {
    what += fmt::format(" ({})", e.detail);
  }
  return fmt::format("{} {} over {}: {}", e.qname, e.qtype, to_string(e.transport), what);
}

std::optional<std::uint32_t> soa_serial(const Exchange& e, std::string_view zone) {
  for (const std::string& rr : records_of(e.answer, zone, "SOA")) {
    if (const std::optional<std::uint32_t> value = serial_of_soa_rdata(rdata_text(rr))) {
      return value;
    }
  }
  return std::nullopt;
}

// The queries a server's state and grading rest on: SOA, NS and DNSKEY at the apex and the
// addresses of the zone's name servers. The prober also asks deeper questions (denial probes
// answered NXDOMAIN or NODATA on purpose, CDS, CDNSKEY, NSEC3PARAM, audit --name) for the
// DNSSEC analysis; their answers, truncated or not, say nothing about the server's health.
bool grades_server(const Exchange& e, const ZoneSnapshot& zone) {
  if (iequals(e.qname, zone.zone)) {
    return iequals(e.qtype, "SOA") || iequals(e.qtype, "NS") || iequals(e.qtype, "DNSKEY");
  }
  if (!iequals(e.qtype, "A") && !iequals(e.qtype, "AAAA")) {
    return false;
  }
  for (const NameServer& ns : zone.name_servers) {
    if (iequals(ns.name, e.qname)) {
      return true;
    }
  }
  return false;
}

} // namespace

std::string rcode_name(int rcode) {
  switch (rcode) {
  case 0: return "NOERROR";
  case 1: return "FORMERR";
  case 2: return "SERVFAIL";
  case 3: return "NXDOMAIN";
  case 4: return "NOTIMP";
  case 5: return "REFUSED";
  case 16: return "BADVERS";
  default: return fmt::format("RCODE{}", rcode);
  }
}

std::string server_label(const std::string& name, const std::string& address) {
  return fmt::format("{}/{}", name, address);
}

const Exchange* find_exchange(const ServerProbe& probe, std::string_view qname, std::string_view qtype,
                              Transport transport) {
  const Exchange* found = nullptr;
  for (const Exchange& e : probe.exchanges) {
    if (e.transport != transport || !iequals(e.qtype, qtype) || !iequals(e.qname, qname)) {
      continue;
    }
    if (found == nullptr || (found->outcome != Outcome::answered && e.outcome == Outcome::answered)) {
      found = &e;
    }
  }
  return found;
}

const Exchange* authoritative_answer(const ServerProbe& probe, std::string_view qname, std::string_view qtype) {
  const auto usable = [](const Exchange* e) {
    return e != nullptr && e->outcome == Outcome::answered && e->aa && e->rcode == 0 && !e->tc;
  };
  const Exchange* udp = find_exchange(probe, qname, qtype, Transport::udp);
  if (usable(udp)) {
    return udp;
  }
  const Exchange* tcp = find_exchange(probe, qname, qtype, Transport::tcp);
  return usable(tcp) ? tcp : nullptr;
}

std::vector<std::string> records_of(const std::vector<std::string>& section, std::string_view owner,
                                    std::string_view type) {
  std::vector<std::string> out;
  for (const std::string& rr : section) {
    const RrTokens t = tokens(rr);
    if (iequals(t.type, type) && iequals(t.owner, owner)) {
      out.push_back(rr);
    }
  }
  return out;
}

std::string rdata_text(const std::string& rr) {
  return tokens(rr).rdata;
}

std::optional<std::uint32_t> serial_of_soa_rdata(const std::string& rdata) {
  std::istringstream in(rdata);
  std::string mname, rname, serial;
  in >> mname >> rname >> serial;
  std::uint32_t value = 0;
  const auto [ptr, ec] = std::from_chars(serial.data(), serial.data() + serial.size(), value);
  if (ec == std::errc() && ptr == serial.data() + serial.size()) {
    return value;
  }
  return std::nullopt;
}

ZoneObservations observe(const ZoneSnapshot& zone) {
  ZoneObservations out;
  for (const NameServer& ns : zone.name_servers) {
    if (ns.addresses.empty()) {
      // A lookup cut short says nothing about the name: its addresses are unknown.
      (ns.resolution_error.starts_with(k_lookup_cut_short) ? out.not_resolved : out.without_address).push_back(&ns);
    }
  }
  out.any_server_unknown = !out.not_resolved.empty();
  for (const ServerProbe& probe : zone.servers) {
    ServerState s;
    s.probe = &probe;
    s.label = server_label(probe.name, probe.address);
    s.soa_udp = find_exchange(probe, zone.zone, "SOA", Transport::udp);
    s.soa_tcp = find_exchange(probe, zone.zone, "SOA", Transport::tcp);
    s.tcp_ok = s.soa_tcp != nullptr && s.soa_tcp->outcome == Outcome::answered;
    for (const Exchange& e : probe.exchanges) {
      if (grades_server(e, zone)) {
        s.any_truncation =
            s.any_truncation || (e.transport == Transport::udp && e.outcome == Outcome::answered && e.tc);
      }
    }
    const bool answers_udp = std::any_of(probe.exchanges.begin(), probe.exchanges.end(), [](const Exchange& e) {
      return e.transport == Transport::udp && e.outcome == Outcome::answered;
    });
    for (const Exchange& e : probe.exchanges) {
      if (answers_udp && e.transport == Transport::udp && e.outcome == Outcome::timeout) {
        const Exchange* tcp = find_exchange(probe, e.qname, e.qtype, Transport::tcp);
        if (tcp != nullptr && tcp->outcome == Outcome::answered) {
          s.udp_unanswered.push_back(&e);
        }
      }
    }
    // The UDP answer decides, as it does for a resolver; TCP stands in only after truncation,
    // or for an answer a server that answers other queries let go (rate limiting, above).
    const Exchange* answer = s.soa_udp;
    if (answer != nullptr &&
        std::find(s.udp_unanswered.begin(), s.udp_unanswered.end(), answer) != s.udp_unanswered.end()) {
      answer = s.soa_tcp;
    }
    if (answer != nullptr && answer->outcome == Outcome::answered && answer->tc) {
      // TCP delivers, or whether it does is unknown (not_asked below).
      if (s.tcp_ok || s.soa_tcp == nullptr || s.soa_tcp->outcome == Outcome::not_asked) {
        answer = s.soa_tcp;
      } else {
        s.status = ServerStatus::truncated_only;
        s.detail = fmt::format("UDP answer truncated (TC=1) and TCP failed: {}",
                               s.soa_tcp ? describe_failure(*s.soa_tcp) : "not asked");
        out.servers.push_back(std::move(s));
        continue;
      }
    }
    if (answer == nullptr || answer->outcome == Outcome::not_asked) {
      // Never "unreachable": the deadline, a signal or a bound ended the audit before the SOA
      // query was sent or answered (a question never asked is unknown, never no).
      s.status = ServerStatus::not_asked;
      s.detail = answer == nullptr ? std::string("the SOA query was not made before the audit ended")
                                   : describe_failure(*answer);
      out.any_server_unknown = true;
    } else if (answer->outcome != Outcome::answered) {
      s.status = ServerStatus::unreachable;
      s.detail = describe_failure(*answer);
    } else if (!answer->edns_faults.empty()) {
      // Before the RCODE: a bogus OPT record carries bogus extended RCODE bits too.
      s.status = ServerStatus::malformed;
      s.detail = fmt::format("{} SOA: {}", zone.zone, fmt::join(answer->edns_faults, "; "));
    } else if (answer->rcode == 5) {
      s.status = ServerStatus::refused;
      s.detail = fmt::format("{} SOA: REFUSED", zone.zone);
    } else if (answer->rcode == 2) {
      s.status = ServerStatus::servfail;
      s.detail = fmt::format("{} SOA: SERVFAIL", zone.zone);
    } else if (answer->rcode != 0) {
      s.status = ServerStatus::not_authoritative;
      s.detail = fmt::format("{} SOA: {}", zone.zone, rcode_name(answer->rcode));
    } else if (!answer->aa) {
      s.status = ServerStatus::not_authoritative;
      s.detail = fmt::format("{} SOA: answer without the AA bit{}", zone.zone,
                             answer->answer.empty() ? " (a referral or an empty answer)" : "");
    } else if (records_of(answer->answer, zone.zone, "SOA").empty()) {
      s.status = ServerStatus::not_authoritative;
      s.detail = fmt::format("{} SOA: authoritative answer without the zone's SOA", zone.zone);
    } else {
      s.status = ServerStatus::ok;
      s.serial = soa_serial(*answer, zone.zone);
      out.any_server_ok = true;
    }
    out.servers.push_back(std::move(s));
  }
  return out;
}

} // namespace zw::rules
