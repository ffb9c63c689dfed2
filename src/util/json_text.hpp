#pragma once
// Parsing JSON documents we did not write ourselves (saved reports, baselines, snapshots).

#include <cstddef>
#include <functional>
#include <istream>
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

// Receives one element of the array parse_json_each streams, and its index; an Error stops the
// parse and is what parse_json_each returns.
using JsonElementSink = std::function<Result<void>(nlohmann::json&& element, std::size_t index)>;

// Parses `text` as parse_json does, except that each element of the array `member` of the
// top-level object goes to `on_element` as soon as it has been read, and is not kept: the
// document returned holds every other member, and `member` as an empty array. A report of
// 100,000 zones read this way holds one zone's tree at a time, not the whole document's (about
// ten times the size of its text).
Result<nlohmann::json> parse_json_each(std::string_view text, std::string_view member,
                                       const JsonElementSink& on_element);
// The same from a stream (a file read a piece at a time, so that its text is never whole in
// memory either). A read error ends the text where it happened: the parse then fails.
Result<nlohmann::json> parse_json_each(std::istream& in, std::string_view member, const JsonElementSink& on_element);

} // namespace zw::util
