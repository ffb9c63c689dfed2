#pragma once
// IP address text helpers (no DNS knowledge).

#include <optional>
#include <string>
#include <string_view>

namespace zw::util {

// Canonical text of an IPv4 or IPv6 address ("2001:DB8:0::1" -> "2001:db8::1"), or nullopt.
std::optional<std::string> normalize_ip(std::string_view text);

// Why `address` cannot be reached from the public Internet ("private-use (RFC 1918)",
// "loopback", "unique local (RFC 4193)", ...), or nullopt for a globally reachable address.
// Follows the IANA special-purpose address registries (RFC 6890).
std::optional<std::string> non_public_reason(std::string_view address);

} // namespace zw::util
