// Fuzz target: a waiver file (parse_waivers, the core of load_waivers: --waivers FILE), read in
// memory. The first byte chooses the syntax (even: TOML, odd: YAML); the rest is the file.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "zonewarden/policy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const bool yaml = (data[0] & 1) != 0;
  const zw::ConfigFormat format = yaml ? zw::ConfigFormat::yaml : zw::ConfigFormat::toml;
  static const std::string yaml_name = "waivers.yaml";
  static const std::string toml_name = "waivers.toml";
  const std::string& name = yaml ? yaml_name : toml_name;
  const std::string_view text = zw::fuzz::as_text(data + 1, size - 1);
  if (const zw::Result<std::vector<zw::Waiver>> waivers = zw::parse_waivers(text, format, name); !waivers) {
    const std::string& message = waivers.error().message;
    if (message.empty() || message.find('\n') != std::string::npos) {
      zw::fuzz::invariant_failed("error is not one line", message);
    }
  }
  return 0;
}
