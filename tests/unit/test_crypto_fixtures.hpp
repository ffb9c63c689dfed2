#pragma once
// Shared by the crypto and dnssec unit tests: the signed zones in tests/fixtures/crypto/, made
// once with ldns-signzone (see the README there) and checked with BIND's dnssec-verify.

#include <array>
#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "dns/rr.hpp"

namespace zw::test {

inline constexpr std::array<std::uint8_t, 8> k_fixture_algorithms{5, 7, 8, 10, 13, 14, 15, 16};

inline std::string fixture_path(const std::string& file) {
  return "tests/fixtures/crypto/" + file;
}

// Every RR of a file with one RR per line (comments, directives and blank lines skipped).
inline std::vector<dns::Rr> load_rrs(const std::string& file) {
  std::ifstream in(fixture_path(file));
  if (!in) {
    throw std::runtime_error("cannot open " + fixture_path(file));
  }
  std::vector<dns::Rr> rrs;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == ';' || line[0] == '$') {
      continue;
    }
    Result<dns::Rr> rr = dns::parse_rr(line);
    if (!rr) {
      throw std::runtime_error(fixture_path(file) + ": " + rr.error().message);
    }
    rrs.push_back(std::move(*rr));
  }
  return rrs;
}

inline std::uint16_t covered_type(const dns::Rr& rrsig) {
  return static_cast<std::uint16_t>((rrsig.rdata.at(0) << 8) | rrsig.rdata.at(1));
}

// One signed fixture zone: its RRs, its single DNSKEY and its RRSIGs.
struct SignedZone {
  std::vector<dns::Rr> rrs;
  dns::Rr dnskey;
  std::vector<dns::Rr> rrsigs;

  explicit SignedZone(std::uint8_t algorithm) : rrs(load_rrs("alg" + std::to_string(algorithm) + ".zone")) {
    for (const dns::Rr& rr : rrs) {
      if (rr.type == dns::rrtype::dnskey) {
        dnskey = rr;
      } else if (rr.type == dns::rrtype::rrsig) {
        rrsigs.push_back(rr);
      }
    }
  }

  // The RRset that `rrsig` covers.
  std::vector<dns::Rr> rrset_of(const dns::Rr& rrsig) const { return rrset(rrsig.owner, covered_type(rrsig)); }

  std::vector<dns::Rr> rrset(const dns::Bytes& owner, std::uint16_t type) const {
    std::vector<dns::Rr> out;
    for (const dns::Rr& rr : rrs) {
      if (rr.type == type && dns::names_equal(rr.owner, owner)) {
        out.push_back(rr);
      }
    }
    return out;
  }

  // The RRSIG over `owner`/`type`.
  dns::Rr rrsig(const std::string& owner, std::uint16_t type) const {
    const dns::Bytes wire = dns::name_from_text(owner).value();
    for (const dns::Rr& rr : rrsigs) {
      if (covered_type(rr) == type && dns::names_equal(rr.owner, wire)) {
        return rr;
      }
    }
    throw std::runtime_error("no RRSIG for " + owner);
  }
};

} // namespace zw::test
