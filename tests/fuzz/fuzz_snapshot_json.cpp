// Fuzz target: a saved snapshot (`audit --restore`, snapshot_from_json). What it accepts must
// survive a round trip: written back and read again, it is accepted.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "zonewarden/snapshot.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const zw::Result<zw::Snapshot> snapshot = zw::snapshot_from_json(std::string(zw::fuzz::as_text(data, size)));
  if (!snapshot) {
    const std::string& message = snapshot.error().message;
    if (message.empty() || message.find('\n') != std::string::npos) {
      zw::fuzz::invariant_failed("error is not one line", message);
    }
    return 0;
  }
  const std::string again = zw::snapshot_to_json(*snapshot);
  if (const zw::Result<zw::Snapshot> reread = zw::snapshot_from_json(again); !reread) {
    zw::fuzz::invariant_failed("a snapshot we wrote does not read back", reread.error().message);
  }
  return 0;
}
