#include "util/ip.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <cstring>

namespace zw::util {

std::optional<std::string> normalize_ip(std::string_view text) {
  const std::string s(text);
  std::array<unsigned char, 16> buf{};
  std::array<char, INET6_ADDRSTRLEN> out{};
  if (inet_pton(AF_INET, s.c_str(), buf.data()) == 1) {
    return std::string(inet_ntop(AF_INET, buf.data(), out.data(), out.size()));
  }
  if (inet_pton(AF_INET6, s.c_str(), buf.data()) == 1) {
    return std::string(inet_ntop(AF_INET6, buf.data(), out.data(), out.size()));
  }
  return std::nullopt;
}

namespace {

struct Block {
  std::array<unsigned char, 16> prefix;
  unsigned bits;
  const char* reason;
};

bool in_block(const unsigned char* addr, const Block& b) {
  const unsigned full = b.bits / 8;
  if (std::memcmp(addr, b.prefix.data(), full) != 0) {
    return false;
  }
  const unsigned rest = b.bits % 8;
  if (rest == 0) {
    return true;
  }
  const auto mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (addr[full] & mask) == (b.prefix[full] & mask);
}

// RFC 6890 and the IANA IPv4/IPv6 special-purpose registries: blocks not globally reachable.
const Block k_v4[] = {
    {{0}, 8, "\"this network\" (RFC 791)"},
    {{10}, 8, "private-use (RFC 1918)"},
    {{100, 64}, 10, "shared address space (RFC 6598)"},
    {{127}, 8, "loopback (RFC 1122)"},
    {{169, 254}, 16, "link-local (RFC 3927)"},
    {{172, 16}, 12, "private-use (RFC 1918)"},
    {{192, 0, 0}, 24, "IETF protocol assignments (RFC 6890)"},
    {{192, 0, 2}, 24, "documentation (RFC 5737)"},
    {{192, 168}, 16, "private-use (RFC 1918)"},
    {{198, 18}, 15, "benchmarking (RFC 2544)"},
    {{198, 51, 100}, 24, "documentation (RFC 5737)"},
    {{203, 0, 113}, 24, "documentation (RFC 5737)"},
    {{224}, 4, "multicast (RFC 5771)"},
    {{240}, 4, "reserved (RFC 1112)"},
};
const Block k_v6[] = {
    {{0}, 127, "unspecified or loopback (RFC 4291)"},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, 96, "IPv4-mapped (RFC 4291)"},
    {{0x01, 0x00}, 64, "discard-only (RFC 6666)"},
    {{0x20, 0x01, 0x0d, 0xb8}, 32, "documentation (RFC 3849)"},
    {{0x20, 0x01, 0x00, 0x00}, 23, "IETF protocol assignments (RFC 2928)"},
    {{0x3f, 0xff}, 20, "documentation (RFC 9637)"},
    {{0xfc}, 7, "unique local (RFC 4193)"},
    {{0xfe, 0x80}, 10, "link-local (RFC 4291)"},
    {{0xff}, 8, "multicast (RFC 4291)"},
};

} // namespace

std::optional<std::string> non_public_reason(std::string_view address) {
  const std::string s(address);
  std::array<unsigned char, 16> buf{};
  if (inet_pton(AF_INET, s.c_str(), buf.data()) == 1) {
    for (const Block& b : k_v4) {
      if (in_block(buf.data(), b)) {
        return std::string(b.reason);
      }
    }
    return std::nullopt;
  }
  if (inet_pton(AF_INET6, s.c_str(), buf.data()) == 1) {
    for (const Block& b : k_v6) {
      if (in_block(buf.data(), b)) {
        return std::string(b.reason);
      }
    }
    return std::nullopt;
  }
  return std::string("not an IP address");
}

} // namespace zw::util
