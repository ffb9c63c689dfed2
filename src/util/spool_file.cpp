#include "util/spool_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fmt/format.h>

namespace zw::util {

namespace {

// O_TMPFILE: a file with no name, so nothing is left behind by a crash or a kill. A file system
// without it gets a named file removed at once (the same, after a moment).
int open_unnamed(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)) {
    return fd;
  }
  std::string path = dir + "/zonewarden-spool-XXXXXX";
  const int named = ::mkostemp(path.data(), O_CLOEXEC);
  if (named >= 0) {
    ::unlink(path.c_str());
  }
  return named;
}

// Repeats `step(done)` (a pwrite or pread of what is left after `done` bytes) until `size` are done.
template <typename Step> Result<void> whole(std::uint64_t size, const char* short_reason, Step step) {
  std::uint64_t done = 0;
  while (done < size) {
    const ssize_t n = step(done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return fail(fmt::format("temporary file: {}", n == 0 ? short_reason : std::strerror(errno)));
    }
    done += static_cast<std::uint64_t>(n);
  }
  return {};
}

} // namespace

Result<std::unique_ptr<SpoolFile>> SpoolFile::create() {
  const char* tmpdir = std::getenv("TMPDIR");
  const std::string dir = tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
  const int fd = open_unnamed(dir);
  if (fd < 0) {
    return fail(fmt::format("{}: {}", dir, std::strerror(errno)));
  }
  return std::unique_ptr<SpoolFile>(new SpoolFile(fd));
}

SpoolFile::~SpoolFile() {
  ::close(m_fd);
}

Result<SpoolFile::Extent> SpoolFile::append(std::span<const std::uint8_t> bytes) {
  Extent where{0, bytes.size()};
  {
    const std::lock_guard lock(m_mutex);
    where.offset = m_end;
    m_end += bytes.size();
  }
  // Written outside the lock: each string has its own range of the file. A range left unwritten
  // by an error is a hole no extent names.
  ZW_TRY(whole(bytes.size(), "nothing written", [&](std::uint64_t done) {
    return ::pwrite(m_fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(where.offset + done));
  }));
  return where;
}

Result<std::vector<std::uint8_t>> SpoolFile::read(Extent where) const {
  std::vector<std::uint8_t> bytes(where.length);
  ZW_TRY(whole(bytes.size(), "shorter than written", [&](std::uint64_t done) {
    return ::pread(m_fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(where.offset + done));
  }));
  return bytes;
}

} // namespace zw::util
