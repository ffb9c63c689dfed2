// Loader benchmark driver: loads one zone file with zonewarden's loader and prints what it
// holds, so that bench/load/run.sh can time it against ldns, BIND and Knot on the same input.
//   bench_load FILE [ORIGIN] [--dump]
// --dump prints every RR in canonical order (one line each), for eyeballing and diffs.

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "dns/zone_loader.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_load FILE [ORIGIN] [--dump]\n");
    return 2;
  }
  zw::dns::LoadOptions options;
  bool dump = false;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--dump") == 0) {
      dump = true;
    } else {
      options.origin = argv[i];
    }
  }
  const auto start = std::chrono::steady_clock::now();
  const zw::Result<zw::dns::ZoneStore> zone = zw::dns::load_zone_file(argv[1], options);
  const auto stop = std::chrono::steady_clock::now();
  if (!zone) {
    std::fprintf(stderr, "%s\n", zone.error().message.c_str());
    return 2;
  }
  if (dump) {
    for (const zw::dns::RrsetView& rrset : zone->rrsets()) {
      for (const zw::dns::Rr& rr : rrset.materialize()) {
        std::printf("%s\n", zw::dns::to_text(rr).c_str());
      }
    }
  }
  const zw::dns::MemoryUsage mem = zone->memory_usage();
  std::fprintf(stderr,
               "origin %s: %zu RRs, %zu RRsets, %zu names, %zu duplicates dropped; "
               "store %.1f MB (arena %.1f MB, index %.1f MB); load %.3f s\n",
               zw::dns::name_to_text(zone->origin()).c_str(), zone->size(), zone->rrset_count(), zone->name_count(),
               zone->duplicates_dropped(), static_cast<double>(mem.total()) / 1e6,
               static_cast<double>(mem.arena_bytes) / 1e6, static_cast<double>(mem.index_bytes) / 1e6,
               std::chrono::duration<double>(stop - start).count());
  return 0;
}
