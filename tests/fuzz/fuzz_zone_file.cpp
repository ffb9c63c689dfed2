// Fuzz target: the zone file loader (dns::load_zone_text, the core of dns::load_zone_file;
// libzscanner underneath), fed the text in memory as a file named example.com.zone in a private
// directory. $INCLUDE of other paths is allowed, as for users.
// Differential: the text is loaded once on one thread and once split in two halves read at
// once (LoadOptions::threads, at any size); both must give the same zone or the same error.
#include <cstddef>
#include <cstdint>

#include "../zone_store_dump.hpp"
#include "dns/zone_loader.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string name = (zw::fuzz::scratch_dir() / "example.com.zone").string();
  // $GENERATE 0-2000000 ... is legal and slow to expand, not a bug: a smaller bound than the
  // CLI's keeps the fuzzer on parsing (its error path is the same; a few hundred records
  // already exercise sorting, duplicates and the split read's joining).
  zw::dns::LoadOptions options;
  options.max_generated = 256;
  const std::string_view text = zw::fuzz::as_text(data, size);
  const zw::Result<zw::dns::ZoneStore> zone = zw::dns::load_zone_text(text, name, options);
  if (!zone) {
    const std::string& message = zone.error().message;
    if (message.empty() || message.find('\n') != std::string::npos) {
      zw::fuzz::invariant_failed("error is not one line", message);
    }
  }
  options.threads = 2;
  options.split_min_bytes = 0;
  const zw::Result<zw::dns::ZoneStore> split = zw::dns::load_zone_text(text, name, options);
  if (split.has_value() != zone.has_value()) {
    zw::fuzz::invariant_failed("a split read and a serial read disagree on success",
                               zone ? split.error().message : zone.error().message);
  }
  if (!zone) {
    if (split.error().message != zone.error().message) {
      zw::fuzz::invariant_failed("a split read gives another error", split.error().message);
    }
  } else if (!zw::test::same_store(*split, *zone)) {
    zw::fuzz::invariant_failed("a split read gives another zone",
                               zw::test::dump_store(*zone) + "--- split ---\n" + zw::test::dump_store(*split));
  }
  return 0;
}
