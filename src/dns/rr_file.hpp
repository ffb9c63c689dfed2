#pragma once
// Reads small files of resource records in zone-file presentation format (trust anchors, DS
// sets): comments, parentheses, $TTL and $ORIGIN are understood.

#include <string>
#include <vector>

#include "zonewarden/error.hpp"

namespace zw::dns {

// Every RR of the file at `path`, one presentation-format line each. Errors name `path:line`.
Result<std::vector<std::string>> read_rr_file(const std::string& path);

} // namespace zw::dns
