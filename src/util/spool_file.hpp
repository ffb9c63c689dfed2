#pragma once
// An unnamed temporary file that byte strings are appended to and read back from, by any thread:
// where a run keeps what it needs again later but not in memory (a fleet's judged zones, the
// states of its earlier run). The system removes it when it is closed, whatever ends the process.

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "zonewarden/error.hpp"

namespace zw::util {

class SpoolFile {
public:
  // Where one appended string is.
  struct Extent {
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
  };

  // A new file in $TMPDIR (else /tmp); an Error "DIR: reason" when none can be made.
  static Result<std::unique_ptr<SpoolFile>> create();
  ~SpoolFile();
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;

  // Appends `bytes`. An Error (a full disk) leaves what was appended before readable.
  Result<Extent> append(std::span<const std::uint8_t> bytes);
  // The bytes at `where`, as appended; an Error on an I/O error.
  Result<std::vector<std::uint8_t>> read(Extent where) const;

private:
  explicit SpoolFile(int fd) : m_fd(fd) {}
  int m_fd;
  std::mutex m_mutex;
  std::uint64_t m_end = 0; // where the next string goes
};

} // namespace zw::util
