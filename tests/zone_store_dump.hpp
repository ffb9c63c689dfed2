#pragma once
// Every fact of a ZoneStore as text, for tests that two loads gave the same zone: origin,
// files, counts, and per RR its owner, type, TTL, RDATA and where it was read (file and line).
// Shared by the unit tests and the zone_file fuzz target.

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

} // namespace zw::test
