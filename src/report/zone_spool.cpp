#include "report/zone_spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "audit/rollover_json.hpp"
#include "report/zone_json.hpp"
#include "util/json_cursor.hpp"

namespace zw::report {

namespace {

using nlohmann::json;

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

bool write_all(int fd, const std::uint8_t* data, std::size_t size, std::uint64_t offset) {
  while (size > 0) {
    const ssize_t n = ::pwrite(fd, data, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
    offset += static_cast<std::uint64_t>(n);
  }
  return true;
}

} // namespace

std::shared_ptr<ZoneSpool> ZoneSpool::create(std::size_t zones) {
  const char* tmpdir = std::getenv("TMPDIR");
  const std::string dir = tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
  const int fd = open_unnamed(dir);
  std::string reason = fd < 0 ? fmt::format("{}: {}", dir, std::strerror(errno)) : std::string();
  return std::shared_ptr<ZoneSpool>(new ZoneSpool(fd, zones, std::move(reason)));
}

ZoneSpool::~ZoneSpool() {
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

void ZoneSpool::put(std::size_t index, ZoneResult zone) {
  if (m_fd < 0) {
    const std::lock_guard lock(m_mutex);
    m_slots.at(index).stored = true;
    m_in_memory.emplace(index, std::move(zone));
    return;
  }
  json doc = detail::zone_json(zone);
  if (zone.rollover) {
    doc["rollover"] = audit::rollover_to_json(*zone.rollover);
  }
  const std::vector<std::uint8_t> bytes = json::to_cbor(doc);
  std::uint64_t offset = 0;
  {
    const std::lock_guard lock(m_mutex);
    offset = m_end;
    m_end += bytes.size();
  }
  // Written outside the lock: each zone has its own range of the file.
  const bool written = write_all(m_fd, bytes.data(), bytes.size(), offset);
  const std::lock_guard lock(m_mutex);
  Slot& slot = m_slots.at(index);
  slot.stored = true;
  if (written) {
    slot.offset = offset;
    slot.length = bytes.size();
  } else {
    m_in_memory.emplace(index, std::move(zone));
  }
}

bool ZoneSpool::has(std::size_t index) const {
  const std::lock_guard lock(m_mutex);
  return m_slots.at(index).stored;
}

ZoneResult ZoneSpool::load(std::size_t index) const {
  Slot slot;
  {
    const std::lock_guard lock(m_mutex);
    slot = m_slots.at(index);
    if (!slot.stored) {
      throw ZoneSourceError(fmt::format("internal error: zone {} of the run was never stored", index));
    }
    if (const auto kept = m_in_memory.find(index); kept != m_in_memory.end()) {
      return kept->second;
    }
  }
  std::vector<std::uint8_t> bytes(slot.length);
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::pread(m_fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(slot.offset + done));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      throw ZoneSourceError(fmt::format("the temporary file of the judged zones: {}",
                                        n == 0 ? "shorter than written" : std::strerror(errno)));
    }
    done += static_cast<std::size_t>(n);
  }
  try {
    const json doc = json::from_cbor(bytes);
    ZoneResult zone = detail::zone_from_json(util::JsonCursor(doc, fmt::format("spooled zone {}", index)));
    if (const auto rollover = doc.find("rollover"); rollover != doc.end()) {
      auto state = audit::rollover_from_json(rollover->get<std::string>());
      if (!state) {
        throw ZoneSourceError(fmt::format("spooled zone {}: {}", index, state.error().message));
      }
      zone.rollover = std::move(*state);
    }
    return zone;
  } catch (const json::exception& e) {
    throw ZoneSourceError(fmt::format("spooled zone {}: {}", index, e.what()));
  } catch (const util::JsonShapeError& e) {
    throw ZoneSourceError(e.message);
  }
}

} // namespace zw::report
