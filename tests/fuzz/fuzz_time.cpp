// Fuzz target: times and durations given on the command line (--now, --expiry-window,
// --timeout, --deadline: util::parse_time, parse_duration_s, parse_duration_ms).
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "util/time.hpp"

namespace {

void check_error(const zw::Error& error) {
  if (error.message.empty() || error.message.find('\n') != std::string::npos) {
    zw::fuzz::invariant_failed("error is not one line", error.message);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = zw::fuzz::as_text(data, size);
  if (const zw::Result<std::int64_t> t = zw::util::parse_time(text); !t) {
    check_error(t.error());
  } else {
    // What --now accepts is printed back in reports; it must read again as the same instant.
    const std::string printed = zw::util::format_utc(*t);
    if (const zw::Result<std::int64_t> again = zw::util::parse_time(printed); !again || *again != *t) {
      zw::fuzz::invariant_failed("format_utc of a parsed time does not parse back", printed);
    }
  }
  if (const zw::Result<std::int64_t> s = zw::util::parse_duration_s(text); !s) {
    check_error(s.error());
  } else if (*s < 0) {
    zw::fuzz::invariant_failed("negative duration", text);
  }
  if (const zw::Result<std::int64_t> ms = zw::util::parse_duration_ms(text); !ms) {
    check_error(ms.error());
  } else if (*ms < 0) {
    zw::fuzz::invariant_failed("negative duration", text);
  }
  return 0;
}
