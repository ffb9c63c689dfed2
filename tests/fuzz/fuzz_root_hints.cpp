// Fuzz target: a root hints file in named.root format (probe::parse_root_hints, --hints).
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "probe/walker.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto hints = zw::probe::parse_root_hints(zw::fuzz::as_text(data, size));
  if (!hints) {
    const std::string& message = hints.error().message;
    if (message.empty() || message.find('\n') != std::string::npos) {
      zw::fuzz::invariant_failed("error is not one line", message);
    }
  }
  return 0;
}
