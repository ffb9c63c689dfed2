// Fuzz target: one line of presentation format (dns::parse_rr, which every rule uses on the
// records of a snapshot) and the text helpers for names, types and addresses given by people.
#include <cstddef>
#include <cstdint>

#include "dns/rr.hpp"
#include "fuzz_support.hpp"
#include "util/ip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = zw::fuzz::as_text(data, size);
  if (const zw::Result<zw::dns::Rr> rr = zw::dns::parse_rr(text)) {
    const std::string line = zw::dns::to_text(*rr);
    (void)zw::dns::label_count(rr->owner);
    (void)zw::dns::wire_name_length(rr->owner);
    (void)zw::dns::name_to_text(rr->owner);
  }
  if (const zw::Result<zw::dns::Bytes> wire = zw::dns::name_from_text(text)) {
    if (zw::dns::wire_name_length(*wire) != wire->size()) {
      zw::fuzz::invariant_failed("name_from_text made a malformed wire name", text);
    }
    (void)zw::dns::name_to_text(*wire);
    (void)zw::dns::canonical_compare(*wire, zw::dns::lowercased(*wire));
  }
  if (const zw::Result<std::string> name = zw::dns::normalize_name(text)) {
    (void)zw::dns::parent_name(*name);
    (void)zw::dns::name_is_at_or_below(*name, "example.com.");
  }
  (void)zw::dns::type_from_text(text);
  if (const std::optional<std::string> ip = zw::util::normalize_ip(text)) {
    (void)zw::util::non_public_reason(*ip);
  }
  // Arbitrary bytes as a wire name: the helpers must stay inside the buffer.
  const std::span<const std::uint8_t> wire(data, size);
  (void)zw::dns::wire_name_length(wire);
  (void)zw::dns::label_count(wire);
  (void)zw::dns::name_to_text(wire);
  return 0;
}
