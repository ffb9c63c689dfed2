#include "util/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace zw::util {

namespace {

std::string errno_text(int err) {
  std::string text = std::strerror(err);
  if (!text.empty()) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

Result<void> write_all(int fd, const std::string& content, const std::string& path) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return fail(fmt::format("{}: {}", path, errno_text(errno)));
    }
    done += static_cast<std::size_t>(n);
  }
  return {};
}

} // namespace

Result<std::string> read_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return fail(fmt::format("{}: {}", path, errno_text(errno)));
  }
  if (S_ISDIR(st.st_mode)) {
    return fail(fmt::format("{}: is a directory", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(fmt::format("{}: {}", path, errno_text(errno != 0 ? errno : EACCES)));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    return fail(fmt::format("{}: read error", path));
  }
  return buffer.str();
}

Result<void> write_file_atomically(const std::string& path, const std::string& content) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) {
      return fail(fmt::format("{}: is a directory", path));
    }
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
      return fail(fmt::format("{}: {}", path, errno_text(errno)));
    }
    auto written = write_all(fd, content, path);
    ::close(fd);
    return written;
  }
  std::string tmp = path + ".XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) {
    return fail(fmt::format("{}: {}", path, errno_text(errno)));
  }
  auto written = write_all(fd, content, path);
  if (written && ::fsync(fd) != 0) {
    written = fail(fmt::format("{}: {}", path, errno_text(errno)));
  }
  ::fchmod(fd, 0644);
  ::close(fd);
  if (written && ::rename(tmp.c_str(), path.c_str()) != 0) {
    written = fail(fmt::format("{}: {}", path, errno_text(errno)));
  }
  if (!written) {
    ::unlink(tmp.c_str());
  }
  return written;
}

} // namespace zw::util
