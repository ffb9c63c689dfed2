// libzscanner, as the zone loader drives it: scanners (their blocks reused), the open files of
// the $INCLUDE stack, and what messages need from the text (where a record starts, its class).
#include "dns/zone_scanner.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

#include <fmt/format.h>

#include "dns/rr.hpp"
#include "util/files.hpp"

namespace zw::dns::zscan {

namespace {

// Parsed text is dropped from our resident set in steps of this size (see drop_parsed_text).
constexpr std::ptrdiff_t k_release_step = std::ptrdiff_t{8} << 20;
// A class mnemonic is looked for among the first tokens of a line: this much of it is enough.
constexpr std::size_t k_max_class_scan = 256;

// A zs_scanner_t is 200 KiB (three 64 KiB buffers). Allocating a fresh one per file made
// loading a small zone cost mostly that: new pages to fault in and zero, and under ASan (which
// maps and unmaps every block that large) 90% of the time. Blocks of closed scanners are kept
// (a few, for every thread: a split read's second thread is a new thread each time) and reused;
// zs_init clears them.
struct BlockFree {
  void operator()(zs_scanner_t* s) const noexcept {
    std::free(s); // NOLINT: allocated with malloc, as libzscanner's own code does
  }
};
using ScannerBlock = std::unique_ptr<zs_scanner_t, BlockFree>;

class SpareBlocks {
public:
  zs_scanner_t* take() noexcept {
    {
      const std::lock_guard lock(m_mutex);
      if (!m_blocks.empty()) {
        zs_scanner_t* block = m_blocks.back().release();
        m_blocks.pop_back();
        return block;
      }
    }
    return static_cast<zs_scanner_t*>(std::malloc(sizeof(zs_scanner_t))); // NOLINT: C struct
  }

  void give_back(ScannerBlock block) noexcept {
    const std::lock_guard lock(m_mutex);
    if (m_blocks.size() < k_max_spare) {
      m_blocks.push_back(std::move(block)); // capacity reserved: cannot throw
    }
  }

  static SpareBlocks& instance() noexcept {
    static SpareBlocks blocks;
    return blocks;
  }

private:
  static constexpr std::size_t k_max_spare = 4;
  SpareBlocks() { m_blocks.reserve(k_max_spare); }
  std::mutex m_mutex;
  std::vector<ScannerBlock> m_blocks;
};

zs_scanner_t* take_block() noexcept {
  return SpareBlocks::instance().take();
}

} // namespace

void ScannerFree::operator()(zs_scanner_t* s) const noexcept {
  zs_deinit(s);
  SpareBlocks::instance().give_back(ScannerBlock(s));
}

std::string lower_first(std::string text) {
  if (!text.empty()) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

std::string scanner_error(int code) {
  const char* text = zs_strerror(code);
  return lower_first(text != nullptr ? text : fmt::format("zone scanner error {}", code));
}

std::string class_text(std::uint16_t rclass) {
  switch (rclass) {
  case 3: return "CH";
  case 4: return "HS";
  case 254: return "NONE";
  case 255: return "ANY";
  default: return fmt::format("CLASS{}", rclass);
  }
}

Result<ScannerHandle> new_scanner(const std::string& where, const std::string& display, const std::string& origin,
                                  std::uint32_t ttl) {
  zs_scanner_t* raw = take_block();
  if (raw == nullptr) {
    return fail(fmt::format("{}{}: out of memory", where, display));
  }
  // zs_init clears the whole block before anything can fail, so that zs_deinit (in
  // ScannerFree) is safe on whatever it leaves; a reused block needs no clearing of our own.
  ScannerHandle scanner(raw);
  if (zs_init(scanner.get(), origin.c_str(), 1, ttl) != 0) {
    return fail(fmt::format("{}origin {}: {}", where, origin, scanner_error(scanner->error.code)));
  }
  return scanner;
}

Result<ScannerHandle> open_scanner(const std::string& path, const std::string& display, const std::string& where,
                                   const std::string& origin, std::uint32_t ttl) {
  // A directory, FIFO, device or oversized file is refused before the scanner opens it (it
  // would map /dev/zero or block on a FIFO).
  if (auto checked = util::check_input_file(path, util::k_max_zone_file_bytes, display); !checked) {
    return fail(where + checked.error().message);
  }
  if (::access(path.c_str(), R_OK) != 0) {
    return fail(fmt::format("{}{}: {}", where, display, lower_first(std::strerror(errno))));
  }
  ZW_TRY_ASSIGN(ScannerHandle scanner, new_scanner(where, display, origin, ttl));
  if (zs_set_input_file(scanner.get(), path.c_str()) != 0) {
    return fail(fmt::format("{}{}: {}", where, display, scanner_error(scanner->error.code)));
  }
  return scanner;
}

Result<ScannerHandle> text_scanner(std::string_view text, const std::string& display, const std::filesystem::path& dir,
                                   const std::string& origin, std::uint32_t ttl) {
  ZW_TRY_ASSIGN(ScannerHandle scanner, new_scanner("", display, origin, ttl));
  if (!dir.empty()) {
    char* path = ::strdup(dir.c_str()); // the scanner frees it (zs_deinit)
    if (path == nullptr) {
      return fail(fmt::format("{}: out of memory", display));
    }
    std::free(scanner->path); // NOLINT: allocated by zs_init with strdup
    scanner->path = path;
  }
  // libzscanner refuses a null pointer even with size 0.
  const char* data = text.data() != nullptr ? text.data() : "";
  if (zs_set_input_string(scanner.get(), data, text.size()) != 0) {
    return fail(fmt::format("{}: {}", display, scanner_error(scanner->error.code)));
  }
  return scanner;
}

Frame make_frame(ScannerHandle scanner, std::uint16_t file, std::string display, std::filesystem::path real) {
  Frame frame;
  frame.file = file;
  frame.display = std::move(display);
  frame.real = std::move(real);
  if (scanner->input.mmaped) {
    frame.map_begin = scanner->input.start;
    frame.map_end = scanner->input.end;
    frame.mapped = true;
    frame.released = frame.map_begin;
    ::madvise(const_cast<char*>(frame.map_begin), static_cast<std::size_t>(frame.map_end - frame.map_begin),
              MADV_SEQUENTIAL);
  } else if (scanner->file.descriptor == -1 && scanner->input.start != nullptr) {
    // Text in memory (load_zone_text): read for messages like a mapping, never dropped.
    frame.map_begin = scanner->input.start;
    frame.map_end = scanner->input.end;
  }
  frame.scanner = std::move(scanner);
  return frame;
}

void drop_parsed_text(Frame& frame) {
  const zs_scanner_t* s = frame.scanner.get();
  if (!frame.mapped || s->input.start != frame.map_begin || frame.released < frame.map_begin ||
      frame.released > frame.map_end) {
    return;
  }
  const char* current = s->input.current;
  if (current - frame.released < k_release_step) {
    return;
  }
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  // The page boundary at or below `current`: madvise takes page-aligned addresses.
  const auto upto =
      reinterpret_cast<const char*>(reinterpret_cast<std::uintptr_t>(current) & // NOLINT(performance-no-int-to-ptr)
                                    ~(page - 1));
  if (upto > frame.released) {
    ::madvise(const_cast<char*>(frame.released), static_cast<std::size_t>(upto - frame.released), MADV_DONTNEED);
    frame.released = upto;
  }
}

bool still_mapped(const Frame& frame) {
  const zs_scanner_t* s = frame.scanner.get();
  return frame.map_begin != nullptr && s->input.start == frame.map_begin && s->input.end == frame.map_end;
}

RecordStart next_record_start(const Frame& frame) {
  const zs_scanner_t* s = frame.scanner.get();
  RecordStart start{s->line_counter, std::string::npos, {}};
  const char* p = s->input.current;
  if (!still_mapped(frame) || p < frame.map_begin || p > frame.map_end) {
    return start;
  }
  const char* end = frame.map_end;
  while (p < end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r')) {
      ++p;
    }
    if (p == end) {
      break;
    }
    if (*p == '\n') {
      ++start.line;
      ++p;
      continue;
    }
    if (*p == ')') {
      // The end of the previous, multi-line record: libzscanner returns that record with its
      // position before the closing parenthesis. No record starts with one.
      ++p;
      continue;
    }
    if (*p == ';' || *p == '$') {
      p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
      if (p == nullptr) {
        break;
      }
      continue;
    }
    start.offset = static_cast<std::size_t>(p - frame.map_begin);
    if (std::memchr(p, '\n', static_cast<std::size_t>(end - p)) == nullptr) {
      start.last_line.assign(p, std::min<std::size_t>(static_cast<std::size_t>(end - p), k_max_class_scan));
    }
    break;
  }
  return start;
}

std::optional<std::string_view> record_line(const Frame& frame, const RecordStart& start) {
  if (start.offset == std::string::npos) {
    return std::nullopt;
  }
  if (still_mapped(frame)) {
    const auto size = static_cast<std::size_t>(frame.map_end - frame.map_begin);
    if (start.offset >= size) {
      return std::nullopt;
    }
    const char* text = frame.map_begin + start.offset;
    const std::size_t rest = std::min(size - start.offset, k_max_class_scan);
    const char* line_end = static_cast<const char*>(std::memchr(text, '\n', rest));
    return std::string_view(text, line_end != nullptr ? static_cast<std::size_t>(line_end - text) : rest);
  }
  if (!start.last_line.empty()) {
    return std::string_view(start.last_line);
  }
  return std::nullopt;
}

std::optional<std::string> class_token(std::string_view line) {
  std::size_t pos = 0;
  for (int token = 0; token < 4 && pos < line.size(); ++token) {
    const std::size_t first = line.find_first_not_of(" \t\r", pos);
    if (first == std::string_view::npos || line[first] == ';' || line[first] == '(') {
      break;
    }
    const std::size_t last = std::min(line.find_first_of(" \t\r;(", first), line.size());
    std::string word(line.substr(first, last - first));
    std::transform(word.begin(), word.end(), word.begin(),
                   [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
    if (word == "CH" || word == "CS" || word == "HS" || word == "ANY" || word == "NONE" ||
        (word.starts_with("CLASS") && word.size() > 5 && word.size() <= 10 && word != "CLASS1" &&
         word.find_first_not_of("0123456789", 5) == std::string::npos)) {
      return word;
    }
    pos = last;
  }
  return std::nullopt;
}

std::string origin_from_file_name(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  for (bool changed = true; changed;) {
    changed = false;
    for (const std::string_view suffix : {".signed", ".zone", ".db", ".txt"}) {
      if (name.size() > suffix.size() && name.ends_with(suffix)) {
        name.resize(name.size() - suffix.size());
        changed = true;
      }
    }
  }
  if (name.starts_with("db.") && name.size() > 3) {
    name.erase(0, 3);
  }
  const Result<std::string> normal = normalize_name(name);
  return normal ? *normal : std::string();
}

std::string include_display(const Frame& parent, const zs_scanner_t* s, const std::string& resolved) {
  const std::string dir = s->path != nullptr ? std::string(s->path) + "/" : std::string();
  if (!dir.empty() && resolved.starts_with(dir)) {
    return (std::filesystem::path(parent.display).parent_path() / resolved.substr(dir.size())).string();
  }
  return resolved;
}

ScannerState state_of(const zs_scanner_t& s) {
  ScannerState state;
  state.origin_length = std::min<std::uint32_t>(s.zone_origin_length, sizeof(s.zone_origin));
  std::memcpy(state.origin.data(), s.zone_origin, state.origin_length);
  state.default_ttl = s.default_ttl;
  state.default_class = s.default_class;
  return state;
}

} // namespace zw::dns::zscan
