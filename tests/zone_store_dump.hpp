#pragma once
// Every fact of a ZoneStore as text, for tests that two loads gave the same zone: origin,
// files, counts, and per RR its owner, type, TTL, RDATA and where it was read (file and line).
// Shared by the unit tests and the zone_file fuzz target. `same_store` compares the same facts
// without formatting them (the fuzz target's per-input check; dump_store words a difference).

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "dns/zone_store.hpp"

namespace zw::test {

inline std::string dump_store(const dns::ZoneStore& store) {
  std::string out =
      fmt::format("origin {:02x}\nrrs {} rrsets {} names {} duplicates {}\n", fmt::join(store.origin(), ""),
                  store.size(), store.rrset_count(), store.name_count(), store.duplicates_dropped());
  for (const std::string& file : store.files()) {
    out += fmt::format("file {}\n", file);
  }
  for (const dns::RrsetView& rrset : store.rrsets()) {
    for (std::size_t i = 0; i < rrset.size(); ++i) {
      const dns::SourceLocation where = rrset.location(i);
      out += fmt::format("{:02x} {} {} {:02x} {}:{}\n", fmt::join(rrset.owner(), ""), rrset.type(), rrset.ttl(i),
                         fmt::join(rrset.rdata(i), ""), where.file, where.line);
    }
  }
  return out;
}

inline bool same_store(const dns::ZoneStore& a, const dns::ZoneStore& b) {
  const auto same_bytes = [](std::span<const std::uint8_t> x, std::span<const std::uint8_t> y) {
    return std::equal(x.begin(), x.end(), y.begin(), y.end());
  };
  if (!same_bytes(a.origin(), b.origin()) || a.size() != b.size() || a.rrset_count() != b.rrset_count() ||
      a.name_count() != b.name_count() || a.duplicates_dropped() != b.duplicates_dropped() || a.files() != b.files()) {
    return false;
  }
  const dns::RrsetRange ra = a.rrsets();
  const dns::RrsetRange rb = b.rrsets();
  auto ib = rb.begin();
  for (auto ia = ra.begin(); ia != ra.end(); ++ia, ++ib) {
    if (ib == rb.end()) {
      return false;
    }
    const dns::RrsetView x = *ia;
    const dns::RrsetView y = *ib;
    if (x.size() != y.size() || x.type() != y.type() || !same_bytes(x.owner(), y.owner())) {
      return false;
    }
    for (std::size_t i = 0; i < x.size(); ++i) {
      const dns::SourceLocation wx = x.location(i);
      const dns::SourceLocation wy = y.location(i);
      if (x.ttl(i) != y.ttl(i) || !same_bytes(x.rdata(i), y.rdata(i)) || wx.file != wy.file || wx.line != wy.line) {
        return false;
      }
    }
  }
  return ib == rb.end();
}

} // namespace zw::test
