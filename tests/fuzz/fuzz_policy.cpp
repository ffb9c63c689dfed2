// Fuzz target: a policy profile (load_policy, --profile FILE). The first byte chooses the
// syntax (even: TOML, odd: YAML); the rest is the file.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "zonewarden/policy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const char* name = (data[0] & 1) != 0 ? "profile.yaml" : "profile.toml";
  const std::string path = zw::fuzz::input_file(name, data + 1, size - 1);
  if (const zw::Result<zw::Policy> policy = zw::load_policy(path); !policy) {
    const std::string& message = policy.error().message;
    if (message.empty() || message.find('\n') != std::string::npos) {
      zw::fuzz::invariant_failed("error is not one line", message);
    }
  } else {
    (void)zw::rule_enabled(*policy, "dnssec/rrsig-expired");
  }
  return 0;
}
