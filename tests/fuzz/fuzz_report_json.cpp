// Fuzz target: a saved JSON report, read two ways: by `zonewarden report` (read_result_json,
// then every format rendered from it) and as a --baseline (load_baseline).
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "zonewarden/policy.hpp"
#include "zonewarden/report.hpp"

namespace {

void check_error(const zw::Error& error) {
  if (error.message.empty() || error.message.find('\n') != std::string::npos) {
    zw::fuzz::invariant_failed("error is not one line", error.message);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(zw::fuzz::as_text(data, size));
  if (const zw::Result<zw::AuditResult> result = zw::read_result_json(text); !result) {
    check_error(result.error());
  } else {
    for (const std::string_view format : zw::report_formats()) {
      if (const zw::Result<std::string> out = zw::render(format, *result, {}); !out) {
        zw::fuzz::invariant_failed("a result we read does not render", out.error().message);
      }
    }
    if (const zw::Result<zw::AuditResult> reread = zw::read_result_json(zw::render_json(*result)); !reread) {
      zw::fuzz::invariant_failed("a result we wrote does not read back", reread.error().message);
    }
  }
  const std::string path = zw::fuzz::input_file("baseline.json", data, size);
  if (const zw::Result<zw::Baseline> baseline = zw::load_baseline(path); !baseline) {
    check_error(baseline.error());
  }
  return 0;
}
