// Fuzz target: a DNS response off the wire (dns::parse_message, dns::decode_response), the
// first thing hostile servers reach. Every record line must parse back with dns::parse_rr,
// since the rules read them that way: a line that does not is a record silently lost, which
// would make a zone look like it lacks data it served.
#include <cstddef>
#include <cstdint>
#include <span>

#include "dns/packet.hpp"
#include "dns/rr.hpp"
#include "fuzz_support.hpp"

namespace {

void check_error(const zw::Error& error) {
  if (error.message.empty() || error.message.find('\n') != std::string::npos) {
    zw::fuzz::invariant_failed("error is not one line", error.message);
  }
}

void check_lines(const std::vector<std::string>& lines) {
  for (const std::string& line : lines) {
    if (const zw::Result<zw::dns::Rr> rr = zw::dns::parse_rr(line); !rr) {
      zw::fuzz::invariant_failed("a record line of a parsed message does not parse back", rr.error().message);
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> wire(data, size);
  const zw::Result<zw::dns::Message> message = zw::dns::parse_message(wire);
  if (!message) {
    check_error(message.error());
    return 0;
  }
  check_lines(message->answer);
  check_lines(message->authority);
  check_lines(message->additional);
  // As the prober sees it: the response to a query with the message's own ID.
  const zw::dns::Decoded decoded = zw::dns::decode_response(wire, message->id, "example.com.", "SOA");
  if (decoded.verdict == zw::dns::Verdict::malformed) {
    zw::fuzz::invariant_failed("decode_response rejects what parse_message accepted", decoded.detail);
  }
  return 0;
}
