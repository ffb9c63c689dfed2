// Fuzz target: the zone file loader (dns::load_zone_text, the core of dns::load_zone_file;
// libzscanner underneath), fed the text in memory as a file named example.com.zone in a private
// directory. $INCLUDE of other paths is allowed, as for users.
#include <cstddef>
#include <cstdint>

#include "dns/zone_loader.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string name = (zw::fuzz::scratch_dir() / "example.com.zone").string();
  // $GENERATE 0-2000000 ... is legal and slow to expand, not a bug: a smaller bound than the
  // CLI's keeps the fuzzer on parsing (its error path is the same).
  zw::dns::LoadOptions options;
  options.max_generated = 4096;
  const zw::Result<zw::dns::ZoneStore> zone = zw::dns::load_zone_text(zw::fuzz::as_text(data, size), name, options);
  if (!zone) {
    const std::string& message = zone.error().message;
    if (message.empty() || message.find('\n') != std::string::npos) {
      zw::fuzz::invariant_failed("error is not one line", message);
    }
  }
  return 0;
}
