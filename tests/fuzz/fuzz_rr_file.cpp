// Fuzz target: files of records in presentation format (dns::read_rr_text, the core of
// dns::read_rr_file: --ds and --trust-anchor files), and each record it returns through
// dns::parse_rr, as the CLI does.
#include <cstddef>
#include <cstdint>

#include "dns/rr.hpp"
#include "dns/rr_file.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const zw::Result<std::vector<std::string>> rrs = zw::dns::read_rr_text(zw::fuzz::as_text(data, size), "anchor.ds");
  if (!rrs) {
    const std::string& message = rrs.error().message;
    if (message.empty() || message.find('\n') != std::string::npos) {
      zw::fuzz::invariant_failed("error is not one line", message);
    }
    return 0;
  }
  for (const std::string& text : *rrs) {
    if (const zw::Result<zw::dns::Rr> rr = zw::dns::parse_rr(text)) {
      (void)zw::dns::to_text(*rr);
    }
  }
  return 0;
}
