#pragma once
// Reading and writing whole files. Every file we read goes through here, so that a directory,
// a FIFO, a device or an oversized file is refused before the first byte is read. Writes are
// atomic: a reader never sees half a file.

#include <cstdint>
#include <fstream>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "zonewarden/error.hpp"

namespace zw::util {

// Size limits, checked before reading. Generous: they stop /dev/zero and runaway files, not
// real inputs.
inline constexpr std::uint64_t k_max_zone_file_bytes = std::uint64_t{4} << 30;   // 4 GiB
inline constexpr std::uint64_t k_max_small_file_bytes = std::uint64_t{64} << 20; // 64 MiB
// JSON reports and snapshots grow with the fleet (about 2.2 KB of report per zone: 212 MiB for
// 100,000 zones), so they get the zone files' limit, not the small files'.
inline constexpr std::uint64_t k_max_report_bytes = std::uint64_t{4} << 30; // 4 GiB

// Checks that `path` is a regular file of at most `max_bytes` bytes and returns its size.
// Errors name `display` (or `path` when empty): `PATH: is a directory`, `PATH: not a regular
// file` (FIFO, device, socket), `PATH: 5.0 GiB, over the 4.0 GiB limit`, or the errno text.
Result<std::uint64_t> check_input_file(const std::string& path, std::uint64_t max_bytes, std::string_view display = {});

// The whole content of `path`, which must pass check_input_file with `max_bytes`; the file is
// checked again on the open descriptor, and reading stops at the limit even if it grows.
Result<std::string> read_file(const std::string& path, std::uint64_t max_bytes = k_max_small_file_bytes);

// `path` opened for reading a piece at a time (a large JSON report parsed as a stream), once it
// has passed check_input_file with `max_bytes`; an Error "PATH: cannot open" otherwise.
Result<std::ifstream> open_input_file(const std::string& path, std::uint64_t max_bytes);

// Writes `content` to `path`. A regular file is written beside it under a temporary name,
// flushed and renamed over it, so it is never left half-written; a device or FIFO
// (`/dev/null`, `/dev/stdout`) is written directly.
Result<void> write_file_atomically(const std::string& path, const std::string& content);

// Several files that must all be replaced or none: every content is written to a temporary
// file beside its target and flushed first; only when all of them are on disk are they
// renamed into place. On any failure every temporary file is removed and every existing
// target is left as it was. Targets that are not regular files (a device) are written
// directly, after all the others are safely on disk.
struct FileToWrite {
  // Takes the next piece of the content; an Error stops the writing.
  using Sink = std::function<Result<void>(std::string_view)>;
  std::string path;
  std::string content;
  // When set, the content instead: called once with a sink that appends to the file, so that a
  // large report is written as it is rendered, never whole in memory (report's render_to).
  std::function<Result<void>(const Sink&)> produce{};
};
Result<void> write_files_atomically(const std::vector<FileToWrite>& files);

// Writes `content` to standard output and flushes it; a failed write or flush (a full disk,
// a closed pipe, /dev/full) is an Error "standard output: <reason>".
Result<void> write_stdout(std::string_view content);

} // namespace zw::util
