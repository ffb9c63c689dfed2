#include "util/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

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

std::string size_text(std::uint64_t bytes) {
  if (bytes >= (std::uint64_t{1} << 30)) {
    return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / static_cast<double>(std::uint64_t{1} << 30));
  }
  if (bytes >= (std::uint64_t{1} << 20)) {
    return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / static_cast<double>(std::uint64_t{1} << 20));
  }
  return fmt::format("{} bytes", bytes);
}

// The one verdict on a file's metadata, shared by the path check and the descriptor check.
Result<std::uint64_t> judge(const struct stat& st, std::uint64_t max_bytes, std::string_view name) {
  if (S_ISDIR(st.st_mode)) {
    return fail(fmt::format("{}: is a directory", name));
  }
  if (!S_ISREG(st.st_mode)) {
    return fail(fmt::format("{}: not a regular file", name));
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > max_bytes) {
    return fail(fmt::format("{}: {}, over the {} limit", name, size_text(size), size_text(max_bytes)));
  }
  return size;
}

Result<void> write_all(int fd, std::string_view content, std::string_view path) {
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

// An existing target that is not a regular file (a device, a FIFO) is written in place;
// a directory is an error.
enum class Target { regular, special };

Result<Target> target_kind(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) {
      return fail(fmt::format("{}: is a directory", path));
    }
    return Target::special;
  }
  return Target::regular;
}

// Writes the file's content to `fd`: `content`, or what `produce` hands over piece by piece.
Result<void> write_content(int fd, const FileToWrite& file, std::string_view path) {
  if (!file.produce) {
    return write_all(fd, file.content, path);
  }
  return file.produce([fd, path](std::string_view piece) { return write_all(fd, piece, path); });
}

Result<void> write_special(const FileToWrite& file) {
  const std::string& path = file.path;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    return fail(fmt::format("{}: {}", path, errno_text(errno)));
  }
  auto written = write_content(fd, file, path);
  if (::close(fd) != 0 && written) {
    written = fail(fmt::format("{}: {}", path, errno_text(errno)));
  }
  return written;
}

// Writes the file's content to a new temporary file beside its path, flushed to disk; returns
// its name.
Result<std::string> write_temporary(const FileToWrite& file) {
  const std::string& path = file.path;
  std::string tmp = path + ".XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) {
    return fail(fmt::format("{}: {}", path, errno_text(errno)));
  }
  auto written = write_content(fd, file, path);
  if (written && ::fsync(fd) != 0) {
    written = fail(fmt::format("{}: {}", path, errno_text(errno)));
  }
  ::fchmod(fd, 0644);
  if (::close(fd) != 0 && written) {
    written = fail(fmt::format("{}: {}", path, errno_text(errno)));
  }
  if (!written) {
    ::unlink(tmp.c_str());
    return tl::unexpected<Error>(std::move(written).error());
  }
  return tmp;
}

} // namespace

Result<std::uint64_t> check_input_file(const std::string& path, std::uint64_t max_bytes, std::string_view display) {
  const std::string_view name = display.empty() ? std::string_view(path) : display;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return fail(fmt::format("{}: {}", name, errno_text(errno)));
  }
  return judge(st, max_bytes, name);
}

Result<std::ifstream> open_input_file(const std::string& path, std::uint64_t max_bytes) {
  ZW_TRY(check_input_file(path, max_bytes));
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(fmt::format("{}: cannot open", path));
  }
  return in;
}

Result<std::string> read_file(const std::string& path, std::uint64_t max_bytes) {
  // Judged by path first, so a FIFO or device is never even opened; then again on the
  // descriptor, in case the path was replaced in between. O_NONBLOCK keeps a FIFO swapped in
  // at that moment from blocking the open.
  ZW_TRY(check_input_file(path, max_bytes));
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    return fail(fmt::format("{}: {}", path, errno_text(errno)));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return fail(fmt::format("{}: {}", path, errno_text(err)));
  }
  auto size = judge(st, max_bytes, path);
  if (!size) {
    ::close(fd);
    return tl::unexpected<Error>(std::move(size).error());
  }
  // Sized from fstat, plus one byte: a file that grew while we read it is noticed, and read
  // on (in growing steps) up to the limit only.
  std::string out;
  out.resize(static_cast<std::size_t>(*size) + 1);
  std::size_t done = 0;
  for (;;) {
    if (done == out.size()) {
      if (done > max_bytes) {
        ::close(fd);
        return fail(fmt::format("{}: grew over the {} limit while being read", path, size_text(max_bytes)));
      }
      out.resize(static_cast<std::size_t>(std::min<std::uint64_t>(max_bytes + 1, done * 2)));
    }
    const ssize_t n = ::read(fd, out.data() + done, out.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      const int err = errno;
      ::close(fd);
      return fail(fmt::format("{}: {}", path, errno_text(err)));
    }
    if (n == 0) {
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  out.resize(done);
  return out;
}

Result<void> write_file_atomically(const std::string& path, const std::string& content) {
  return write_files_atomically({FileToWrite{path, content, {}}});
}

Result<void> write_files_atomically(const std::vector<FileToWrite>& files) {
  std::vector<Target> kinds;
  for (const FileToWrite& f : files) {
    ZW_TRY_ASSIGN(const Target kind, target_kind(f.path));
    kinds.push_back(kind);
  }
  std::vector<std::string> temporaries(files.size());
  const auto remove_temporaries = [&] {
    for (const std::string& tmp : temporaries) {
      if (!tmp.empty()) {
        ::unlink(tmp.c_str());
      }
    }
  };
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (kinds[i] != Target::regular) {
      continue;
    }
    auto tmp = write_temporary(files[i]);
    if (!tmp) {
      remove_temporaries();
      return tl::unexpected<Error>(std::move(tmp).error());
    }
    temporaries[i] = std::move(*tmp);
  }
  // Everything is on disk: a rename within one directory does not need space and does not
  // fail for want of it, so the targets change together or (for a vanished directory) the
  // rest are still removed.
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (temporaries[i].empty()) {
      continue;
    }
    if (::rename(temporaries[i].c_str(), files[i].path.c_str()) != 0) {
      const int err = errno;
      remove_temporaries();
      return fail(fmt::format("{}: {}", files[i].path, errno_text(err)));
    }
    temporaries[i].clear();
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (kinds[i] == Target::special) {
      ZW_TRY(write_special(files[i]));
    }
  }
  return {};
}

Result<void> write_stdout(std::string_view content) {
  // stdio keeps a write error sticky, so checking after the flush also catches one from an
  // earlier write (fmt::print) whose result nobody looked at.
  errno = 0;
  const std::size_t n = content.empty() ? 0 : std::fwrite(content.data(), 1, content.size(), stdout);
  const int flushed = std::fflush(stdout);
  if (n != content.size() || flushed != 0 || std::ferror(stdout) != 0) {
    return fail(fmt::format("standard output: {}", errno_text(errno != 0 ? errno : EIO)));
  }
  return {};
}

} // namespace zw::util
