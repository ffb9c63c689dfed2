// Fuzz target: a waiver file (load_waivers, --waivers FILE). The first byte chooses the syntax
// (even: TOML, odd: YAML); the rest is the file.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "zonewarden/policy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const char* name = (data[0] & 1) != 0 ? "waivers.yaml" : "waivers.toml";
  const std::string path = zw::fuzz::input_file(name, data + 1, size - 1);
  if (const zw::Result<std::vector<zw::Waiver>> waivers = zw::load_waivers(path); !waivers) {
    const std::string& message = waivers.error().message;
    if (message.empty() || message.find('\n') != std::string::npos) {
      zw::fuzz::invariant_failed("error is not one line", message);
    }
  }
  return 0;
}
