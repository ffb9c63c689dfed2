#pragma once
// Reads small files of resource records in zone-file presentation format (trust anchors, DS
// sets): comments, parentheses, $TTL and $ORIGIN are understood.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "zonewarden/error.hpp"

namespace zw::dns {

// One RR of an RR file: its presentation-format line and the line of the file it starts on.
struct RrLine {
  std::string text;
  std::uint32_t line = 0;
};

// Every RR of the file at `path`, one presentation-format line each. Errors name `path:line`.
Result<std::vector<std::string>> read_rr_file(const std::string& path);
// The same with the line each RR starts on (evidence that points at the file).
Result<std::vector<RrLine>> read_rr_file_lines(const std::string& path);

// The same for text already in memory: `name` stands for the file in messages (`name:line`).
Result<std::vector<std::string>> read_rr_text(std::string_view text, std::string_view name);
Result<std::vector<RrLine>> read_rr_text_lines(std::string_view text, std::string_view name);

} // namespace zw::dns
