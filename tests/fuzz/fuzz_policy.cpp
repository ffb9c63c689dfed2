// Fuzz target: a policy profile (parse_policy, the core of load_policy: --profile FILE), read
// in memory. The first byte chooses the syntax (even: TOML, odd: YAML); the rest is the file.
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
  static const std::string yaml_name = "profile.yaml";
  static const std::string toml_name = "profile.toml";
  const std::string& name = yaml ? yaml_name : toml_name;
  const std::string_view text = zw::fuzz::as_text(data + 1, size - 1);
  if (const zw::Result<zw::Policy> policy = zw::parse_policy(text, format, name); !policy) {
    const std::string& message = policy.error().message;
    if (message.empty() || message.find('\n') != std::string::npos) {
      zw::fuzz::invariant_failed("error is not one line", message);
    }
  } else {
    (void)zw::rule_enabled(*policy, "dnssec/rrsig-expired");
  }
  return 0;
}
