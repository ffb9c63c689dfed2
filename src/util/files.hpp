#pragma once
// Reading and writing whole files. Writes are atomic: a reader never sees half a file.

#include <string>

#include "zonewarden/error.hpp"

namespace zw::util {

// The whole content of `path`; the error names the path and the reason.
Result<std::string> read_file(const std::string& path);

// Writes `content` to `path`. A regular file is written beside it under a temporary name,
// flushed and renamed over it, so it is never left half-written; a device or FIFO
// (`/dev/null`, `/dev/stdout`) is written directly.
Result<void> write_file_atomically(const std::string& path, const std::string& content);

} // namespace zw::util
