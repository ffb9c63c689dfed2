#pragma once
// Parsing JSON documents we did not write ourselves (saved reports, baselines, snapshots).

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "zonewarden/error.hpp"

namespace zw::util {

// Deepest nesting accepted: our documents nest a handful of levels.
inline constexpr int k_max_json_depth = 64;

// Parses `text`. Every failure is an Error, never an exception, and names where it happened:
// "not JSON at byte 17: syntax error ..." or, for a number no double holds (1e400),
// "zones[0].servers[1].rtt_ms: number out of range". The caller prefixes the file name.
Result<nlohmann::json> parse_json(std::string_view text);

} // namespace zw::util
