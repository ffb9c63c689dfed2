// Fuzz target: the zone file loader (dns::load_zone_file, libzscanner underneath), fed a
// file in a private directory. $INCLUDE of other paths is allowed, as for users.
#include <cstddef>
#include <cstdint>

#include "dns/zone_loader.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = zw::fuzz::input_file("example.com.zone", data, size);
  const zw::Result<zw::dns::ZoneStore> zone = zw::dns::load_zone_file(path);
  if (!zone) {
    const std::string& message = zone.error().message;
    if (message.empty() || message.find('\n') != std::string::npos) {
      zw::fuzz::invariant_failed("error is not one line", message);
    }
  }
  return 0;
}
