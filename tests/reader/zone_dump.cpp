// Prints every record zonewarden's zone loader reads from a file, one per line, in the form
// `ldns-read-zone -z -U NULL` prints (owner TTL IN TYPEn \# length hex, canonical RDATA), so
// test_reader.py can compare the two readers record for record. Exit 2 with the loader's
// message when the file does not load.
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "dns/canonical_rdata.hpp"
#include "dns/rr.hpp"
#include "dns/zone_loader.hpp"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fputs("usage: zone_dump ZONE-FILE [ORIGIN]\n", stderr);
    return 2;
  }
  zw::dns::LoadOptions options;
  if (argc == 3) {
    options.origin = argv[2];
  }
  const zw::Result<zw::dns::ZoneStore> store = zw::dns::load_zone_file(argv[1], options);
  if (!store) {
    fmt::print(stderr, "zone_dump: {}\n", store.error().message);
    return 2;
  }
  zw::dns::Bytes canonical;
  for (const zw::dns::NameView name : store->names()) {
    for (const zw::dns::RrsetView rrset : name.rrsets()) {
      for (std::size_t i = 0; i < rrset.size(); ++i) {
        zw::dns::canonical_rdata(rrset.type(), rrset.rdata(i), canonical);
        std::string hex;
        for (const std::uint8_t b : canonical) {
          hex += fmt::format("{:02x}", b);
        }
        fmt::print("{}\t{}\tIN\tTYPE{}\t\\# {}{}{}\n", zw::dns::name_to_text(rrset.owner()), rrset.ttl(i), rrset.type(),
                   canonical.size(), canonical.empty() ? "" : " ", hex);
      }
    }
  }
  return 0;
}
