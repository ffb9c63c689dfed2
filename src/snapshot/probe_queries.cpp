#include "snapshot/probe_queries.hpp"

#include <array>

namespace zw::snapshot {

std::string denial_probe_label(std::string_view zone, std::int64_t started_at) {
  // FNV-1a, 64 bits: spelled out rather than std::hash, whose value may change with the
  // standard library, so a saved snapshot keeps naming the same probe.
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  const auto mix = [&hash](std::string_view bytes) {
    for (const char c : bytes) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 0x100000001b3ULL;
    }
  };
  mix(zone);
  mix("|");
  mix(std::to_string(started_at));
  static constexpr std::array<char, 16> k_hex{'0', '1', '2', '3', '4', '5', '6', '7',
                                              '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::string label = "zw-";
  for (int shift = 60; shift >= 16; shift -= 4) {
    label.push_back(k_hex[(hash >> shift) & 0xf]);
  }
  return label;
}

std::optional<std::string> denial_probe_name(std::string_view zone, std::int64_t started_at) {
  std::string name = denial_probe_label(zone, started_at);
  name += '.';
  if (zone != ".") {
    name += zone;
  }
  // Normalised text has no escapes: the wire form is one octet longer (RFC 1035 §2.3.4).
  if (name.size() + 1 > 255) {
    return std::nullopt;
  }
  return name;
}

} // namespace zw::snapshot
