// Fuzz target: a saved JSON report, read two ways: by `zonewarden report` (read_result_json,
// then rendered from it) and as a --baseline (parse_baseline, the core of load_baseline).
//
// Under libFuzzer each input is rendered in one format, chosen by the input's length (JSON
// allows trailing whitespace, so every format is reachable from every report, and each
// format's code is coverage the fuzzer keeps inputs for): rendering all seven per input made
// this target several times slower. The replay (ZW_FUZZ_REPLAY) renders every format.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "zonewarden/policy.hpp"
#include "zonewarden/report.hpp"

namespace {

void check_error(const zw::Error& error) {
  if (error.message.empty() || error.message.find('\n') != std::string::npos) {
    zw::fuzz::invariant_failed("error is not one line", error.message);
  }
}

void check_renders(std::string_view format, const zw::AuditResult& result) {
  if (const zw::Result<std::string> out = zw::render(format, result, {}); !out) {
    zw::fuzz::invariant_failed("a result we read does not render", out.error().message);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(zw::fuzz::as_text(data, size));
  if (const zw::Result<zw::AuditResult> result = zw::read_result_json(text); !result) {
    check_error(result.error());
  } else {
    const std::span<const std::string_view> formats = zw::report_formats();
#ifdef ZW_FUZZ_REPLAY
    for (const std::string_view format : formats) {
      check_renders(format, *result);
    }
#else
    check_renders(formats[size % formats.size()], *result);
#endif
    if (const zw::Result<zw::AuditResult> reread = zw::read_result_json(zw::render_json(*result)); !reread) {
      zw::fuzz::invariant_failed("a result we wrote does not read back", reread.error().message);
    }
  }
  static const std::string name = "baseline.json";
  if (const zw::Result<zw::Baseline> baseline = zw::parse_baseline(text, name); !baseline) {
    check_error(baseline.error());
  }
  return 0;
}
