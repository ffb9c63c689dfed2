#include "dns/zone_loader.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "dns/zone_scanner.hpp"
#include "dns/zone_text.hpp"
#include "util/files.hpp"
#include "util/text.hpp"

namespace zw::dns {

namespace {

namespace fs = std::filesystem;
using namespace zscan; // NOLINT(google-build-using-namespace): the loader is zscan's one user

// $INCLUDE nesting limit: deeper nesting is a mistake or a loop we failed to see.
constexpr std::size_t k_max_include_depth = 16;
// $INCLUDE lines in one zone, nested or not: each opens and maps a file.
constexpr std::size_t k_max_includes = 4096;
// The scanner's TTL for a record that states none before any $TTL: a value no zone file
// gives (RFC 2181 §8 leaves TTLs above 2^31 - 1 meaningless), replaced in take_record.
constexpr std::uint32_t k_ttl_unset = 0xffffffffU;

// What a record without a TTL takes before any $TTL (RFC 1035 §5.1: the last TTL stated; none
// stated yet: the SOA's MINIMUM, as BIND does, whose reading servers serve).
struct TtlInheritance {
  std::optional<std::uint32_t> last;        // the last TTL a record of this read stated
  std::optional<std::uint32_t> soa_minimum; // of the first SOA read
  std::uint32_t fallback = 3600;            // neither (LoadOptions::default_ttl)
  bool inherited = false;                   // some record took one of them
};

// The TTL of the record `s` has just parsed, which is `data` of `type`.
std::uint32_t record_ttl(const zs_scanner_t& s, TtlInheritance& ttl) {
  if (s.r_ttl != k_ttl_unset) {
    ttl.last = s.r_ttl;
    return s.r_ttl;
  }
  ttl.inherited = true;
  if (ttl.last) {
    return *ttl.last;
  }
  if (!ttl.soa_minimum && s.r_type == rrtype::soa && s.r_data_length >= 20) {
    // RFC 1035 §3.3.13: MINIMUM is the SOA RDATA's last 32 bits.
    const std::uint8_t* m = s.r_data + s.r_data_length - 4;
    ttl.soa_minimum = (std::uint32_t{m[0]} << 24) | (std::uint32_t{m[1]} << 16) | (std::uint32_t{m[2]} << 8) | m[3];
  }
  return ttl.soa_minimum.value_or(ttl.fallback);
}

// The first SOA record read: its owner (lowercased) and where it is.
struct FirstSoa {
  std::optional<Bytes> owner;
  std::string display;
  std::uint32_t line = 0;
};

// Adds the record the scanner of `frame` has just parsed, which starts on `line`.
Result<void> take_record(Frame& frame, ZoneStoreBuilder& builder, std::uint32_t line, FirstSoa& soa,
                         TtlInheritance& ttl) {
  const zs_scanner_t* s = frame.scanner.get();
  if (s->r_class != 1) {
    return fail(fmt::format("{}:{}: class {} is not IN", frame.display, line, class_text(s->r_class)));
  }
  const std::span<const std::uint8_t> owner(s->r_owner, s->r_owner_length);
  const Result<void> added =
      builder.add(owner, s->r_type, record_ttl(*s, ttl), {s->r_data, s->r_data_length}, frame.file, line);
  if (!added) {
    return fail(fmt::format("{}:{}: {}", frame.display, line, added.error().message));
  }
  if (s->r_type == rrtype::soa && !soa.owner) {
    soa.owner = lowercased(owner);
    soa.display = frame.display;
    soa.line = line;
  }
  drop_parsed_text(frame);
  return {};
}

// A zone file mapped read-only for a split read (Loader::attempt_split), unmapped at the end.
class FileMapping {
public:
  FileMapping() = default;
  FileMapping(const FileMapping&) = delete;
  FileMapping& operator=(const FileMapping&) = delete;
  ~FileMapping() {
    if (m_data != nullptr) {
      ::munmap(m_data, m_size);
    }
  }

  // False when the file cannot be opened or mapped (the serial load then says why).
  bool map(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return false;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
      ::close(fd);
      return false;
    }
    void* data = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (data == MAP_FAILED) {
      return false;
    }
    m_data = data;
    m_size = static_cast<std::size_t>(st.st_size);
    ::madvise(m_data, m_size, MADV_SEQUENTIAL);
    return true;
  }

  [[nodiscard]] std::string_view text() const noexcept { return {static_cast<const char*>(m_data), m_size}; }

private:
  void* m_data = nullptr;
  std::size_t m_size = 0;
};

// Where a split read may start its second half: the start of a line near the middle that
// begins with an owner name (not a blank, a comment, a directive or a parenthesis). 0: none
// within a bounded distance. Whether a record really starts there is proven later
// (Loader::attempt_split), not assumed.
std::size_t find_split(std::string_view text) {
  constexpr std::size_t k_max_search = std::size_t{1} << 20;
  std::size_t pos = text.size() / 2;
  const std::size_t limit = std::min(text.size(), pos + k_max_search);
  while (pos < limit) {
    const void* newline = std::memchr(text.data() + pos, '\n', limit - pos);
    if (newline == nullptr) {
      return 0;
    }
    pos = static_cast<std::size_t>(static_cast<const char*>(newline) - text.data()) + 1;
    if (pos >= text.size()) {
      return 0;
    }
    const char c = text[pos];
    if (std::strchr(" \t\r\n;$()\"", c) == nullptr) {
      return pos;
    }
  }
  return 0;
}

// The second half of a split read: its records, in their own builder.
struct SecondHalf {
  explicit SecondHalf(std::size_t text_bytes) : builder(text_bytes) {}

  ZoneStoreBuilder builder;
  ScannerState initial; // the state its scanner started from
  FirstSoa soa;
  TtlInheritance ttl;    // `inherited`: a record took a TTL that depends on the first half
  bool complete = false; // read to its end with no error, no $INCLUDE, no stop
};

// Reads `rest`, the text after `before` (whose lines it counts to number its own), with a
// scanner that starts from `origin` and `ttl`, into `out`. Anything but plain records ends
// the read incomplete: the serial load will say what it is.
void read_second_half(std::string_view before, std::string_view rest, bool mapped, const std::string& display,
                      const fs::path& dir, const std::string& origin, std::uint32_t ttl, const std::atomic<bool>& stop,
                      SecondHalf& out) {
  std::uint64_t line = 1;
  const char* end = before.data() + before.size();
  for (const char* p = before.data();
       (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)))) != nullptr; ++p) {
    ++line;
  }
  Result<ScannerHandle> scanner = text_scanner(rest, display, dir, origin, ttl);
  if (!scanner) {
    return;
  }
  (*scanner)->line_counter = line;
  out.initial = state_of(**scanner);
  const Result<std::uint16_t> file = out.builder.add_file(display);
  if (!file || *file != 0) {
    return;
  }
  Frame frame = make_frame(std::move(*scanner), *file, display, {});
  if (mapped) {
    // Pages are dropped from the first whole page of this half: the one before is shared.
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto begin = reinterpret_cast<std::uintptr_t>(frame.map_begin);
    frame.mapped = true;
    // The first page boundary of the mapping: madvise takes page-aligned addresses.
    frame.released =
        reinterpret_cast<const char*>((begin + page - 1) & ~(page - 1)); // NOLINT(performance-no-int-to-ptr)
  }
  while (!stop.load(std::memory_order_relaxed)) {
    zs_scanner_t* s = frame.scanner.get();
    const RecordStart start = next_record_start(frame);
    if (s->top < 0 || s->top >= ZS_RAGEL_STACK_SIZE - 1 || zs_parse_record(s) != 0) {
      return;
    }
    if (s->state == ZS_STATE_EOF) {
      out.complete = true;
      return;
    }
    if (s->state != ZS_STATE_DATA) {
      return;
    }
    const auto first_line = static_cast<std::uint32_t>(std::min<std::uint64_t>(start.line, 0xffffffffU));
    if (!take_record(frame, out.builder, first_line, out.soa, out.ttl)) {
      return;
    }
  }
}

class Loader {
public:
  // Loads the file `path`, or when `text` is given, that text standing for a file so named.
  Loader(const std::string& path, std::optional<std::string_view> text, const LoadOptions& options)
      : m_path(path), m_text(text), m_options(options) {
    m_ttl.fallback = options.default_ttl;
  }

  // Loads with libzscanner as it is; when it refuses something that BIND and ldns read
  // (zone_text.hpp: Base64/hex split mid-quantum, $GENERATE), loads again with every file
  // rewritten first. Only such files pay for reading the text into memory.
  Result<ZoneStore> run() {
    if (std::optional<ZoneStore> split = attempt_split()) {
      return std::move(*split);
    }
    Result<ZoneStore> store = attempt();
    if (!store && m_rewrite_may_help && !m_rewrite) {
      m_rewrite = true;
      reset();
      store = attempt();
    }
    return store;
  }

private:
  struct Origin {
    std::string text = ".";
    Bytes wire{0};
  };

  // The origin relative names start from: the caller's, else one guessed from the file name.
  Result<Origin> initial_origin() const {
    Origin origin;
    if (!m_options.origin.empty()) {
      Result<Bytes> wire = name_from_text(m_options.origin);
      if (!wire) {
        return fail(fmt::format("origin {}", wire.error().message));
      }
      origin.wire = lowercased(*wire);
      origin.text = name_to_text(origin.wire);
    } else if (std::string guess = origin_from_file_name(m_path); !guess.empty()) {
      origin.text = guess;
      origin.wire = name_from_text(guess).value_or(Bytes{0});
    }
    return origin;
  }

  void reset() {
    m_stack.clear();
    m_soa = FirstSoa{};
    m_ttl = TtlInheritance{};
    m_ttl.fallback = m_options.default_ttl;
    m_includes = 0;
    m_rewrite_may_help = false;
    m_end_state.reset();
    m_capture_end = false;
  }

  Result<ZoneStore> attempt() {
    ZW_TRY_ASSIGN(Origin origin, initial_origin());
    std::error_code ec;
    const std::uintmax_t size = m_text ? m_text->size() : fs::file_size(m_path, ec);
    ZoneStoreBuilder builder(ec ? 0 : static_cast<std::size_t>(size));
    m_builder = &builder;
    ZW_TRY_ASSIGN(const std::uint16_t file, builder.add_file(m_path));
    fs::path real = fs::weakly_canonical(m_path, ec);
    ZW_TRY(open(m_path, m_path, "", origin.text, k_ttl_unset, file, std::move(real), m_text));

    while (!m_stack.empty()) {
      ZW_TRY(step());
    }
    return finish(std::move(builder), std::move(origin.wire));
  }

  Result<ZoneStore> finish(ZoneStoreBuilder&& builder, Bytes origin_wire) {
    if (builder.size() == 0) {
      return fail(fmt::format("{}: no resource records", m_path));
    }
    if (m_soa.owner) {
      if (!m_options.origin.empty() && !names_equal(*m_soa.owner, origin_wire)) {
        return fail(fmt::format("{}:{}: SOA owner {} is not the origin {}", m_soa.display, m_soa.line,
                                name_to_text(*m_soa.owner), name_to_text(origin_wire)));
      }
      if (m_options.origin.empty()) {
        origin_wire = *m_soa.owner;
      }
    }
    return std::move(builder).finish(origin_wire);
  }

  // Reads a large file on two threads (LoadOptions::threads): this one reads the first half as
  // attempt() would, another the second half from the start of a line near the middle, with
  // the scanner state the file starts with. The halves are kept only when they provably give
  // what one scanner reading it all gives: both read to their end with no error, the first
  // ended where a record may start (the scanner refuses an open parenthesis or quote at the
  // end of its input), the second started from the $ORIGIN, $TTL and class the first ended
  // with, and the second needed no $INCLUDE. Otherwise (or for anything unusual: an error, a
  // small file) nullopt, and attempt() reads the file again, saying what is wrong if anything.
  std::optional<ZoneStore> attempt_split() {
    if (m_options.threads < 2 || m_rewrite) {
      return std::nullopt;
    }
    FileMapping mapping;
    std::string_view text;
    if (m_text) {
      text = *m_text;
    } else {
      if (!util::check_input_file(m_path, util::k_max_zone_file_bytes, m_path) || !mapping.map(m_path)) {
        return std::nullopt;
      }
      text = mapping.text();
    }
    const std::size_t split = text.size() >= std::max<std::size_t>(m_options.split_min_bytes, 2) ? find_split(text) : 0;
    const Result<Origin> origin = initial_origin();
    if (split == 0 || !origin) {
      return std::nullopt;
    }
    std::error_code ec;
    fs::path real = fs::weakly_canonical(m_path, ec);
    const fs::path dir = real.parent_path();
    // Room for the whole zone from the start (address space, not memory: see the builder), so
    // that appending the second half copies it once and moves nothing.
    ZoneStoreBuilder builder(text.size());
    m_builder = &builder;
    if (const Result<std::uint16_t> file = builder.add_file(m_path); !file || *file != 0) {
      return std::nullopt;
    }
    const bool mapped = !m_text;
    SecondHalf second(text.size() - split);
    std::atomic<bool> stop{false};
    std::exception_ptr failure;
    bool first_complete = false;
    {
      std::jthread reader([&]() noexcept {
        try {
          read_second_half(text.substr(0, split), text.substr(split), mapped, m_path, dir, origin->text, k_ttl_unset,
                           stop, second);
        } catch (...) {
          failure = std::current_exception();
        }
      });
      Result<ScannerHandle> scanner = text_scanner(text.substr(0, split), m_path, dir, origin->text, k_ttl_unset);
      if (scanner) {
        Frame frame = make_frame(std::move(*scanner), 0, m_path, std::move(real));
        frame.mapped = mapped;
        frame.released = frame.map_begin; // page-aligned: the mapping's start
        m_stack.push_back(std::move(frame));
        m_capture_end = true;
        first_complete = true;
        while (!m_stack.empty() && first_complete) {
          first_complete = step().has_value();
        }
      }
      if (!first_complete) {
        stop = true;
      }
    }
    if (failure) {
      reset();
      std::rethrow_exception(failure);
    }
    // A record of the second half that took an inherited TTL may need the first half's last
    // TTL or SOA: only one reader of the whole file knows them.
    const bool same_state = m_end_state && *m_end_state == second.initial && !second.ttl.inherited;
    if (!first_complete || !second.complete || !same_state || !builder.append(std::move(second.builder))) {
      reset();
      return std::nullopt;
    }
    if (!m_soa.owner) {
      m_soa = std::move(second.soa);
    }
    Result<ZoneStore> store = finish(std::move(builder), origin->wire);
    if (!store) {
      reset();
      return std::nullopt;
    }
    if (m_options.report != nullptr) {
      m_options.report->read_in_halves = true;
    }
    return std::move(*store);
  }

  // Pushes a frame reading `path` (or `text`, standing for it), rewritten first when m_rewrite.
  Result<void> open(const std::string& path, const std::string& display, const std::string& where,
                    const std::string& origin, std::uint32_t ttl, std::uint16_t file, fs::path real,
                    std::optional<std::string_view> text) {
    if (!m_rewrite) {
      ZW_TRY_ASSIGN(ScannerHandle scanner, text ? text_scanner(*text, display, real.parent_path(), origin, ttl)
                                                : open_scanner(path, display, where, origin, ttl));
      m_stack.push_back(make_frame(std::move(scanner), file, display, std::move(real)));
      return {};
    }
    auto owned = std::make_unique<std::string>();
    if (!text) {
      if (auto checked = util::check_input_file(path, util::k_max_zone_file_bytes, display); !checked) {
        return fail(where + checked.error().message);
      }
      Result<std::string> read = util::read_file(path, util::k_max_zone_file_bytes);
      if (!read) {
        return fail(where + read.error().message);
      }
      *owned = std::move(*read);
      text = *owned;
    }
    const RewriteLimits limits{.max_bytes = util::k_max_zone_file_bytes, .max_generated = m_options.max_generated};
    ZW_TRY_ASSIGN(std::optional<RewrittenZoneText> rewritten, rewrite_zone_text(*text, display, origin, limits));
    std::vector<std::uint32_t> line_map;
    if (rewritten) {
      *owned = std::move(rewritten->text);
      line_map = std::move(rewritten->line_map);
      text = *owned;
    }
    ZW_TRY_ASSIGN(ScannerHandle scanner, text_scanner(*text, display, real.parent_path(), origin, ttl));
    Frame frame = make_frame(std::move(scanner), file, display, std::move(real));
    frame.owned_text = std::move(owned);
    frame.line_map = std::move(line_map);
    m_stack.push_back(std::move(frame));
    return {};
  }

  // Errors of the scanner that a rewrite (zone_text.hpp) may cure.
  void note_error(int code) noexcept {
    m_rewrite_may_help = m_rewrite_may_help || code == ZS_BAD_BASE64_CHAR || code == ZS_BAD_HEX_CHAR ||
                         code == ZS_BAD_HEX_RDATA || code == ZS_BAD_DIRECTIVE || code == ZS_BAD_ORIGIN ||
                         code == ZS_BAD_INCLUDE_ORIGIN || code == ZS_UNSUPPORTED_TYPE || code == ZS_BAD_NUMBER ||
                         code == ZS_DOS_NEWLINE;
  }

  // Parses one item of the innermost file: a record, an $INCLUDE, the end of the file, or an
  // error.
  Result<void> step() {
    Frame& frame = m_stack.back();
    zs_scanner_t* s = frame.scanner.get();
    const RecordStart start = next_record_start(frame);
    const std::uint64_t start_line = frame.file_line(start.line);
    // libzscanner copies its Ragel call stack (ZS_RAGEL_STACK_SIZE entries) into a local array
    // of parse() and trusts `top`: never let it parse with a full stack (see the
    // ZS_STATE_INCLUDE case for how it filled up).
    const int top_before = s->top;
    if (top_before < 0 || top_before >= ZS_RAGEL_STACK_SIZE - 1) {
      return fail(fmt::format("{}:{}: zone scanner state exhausted", frame.display, frame.file_line(s->line_counter)));
    }
    if (zs_parse_record(s) != 0 && s->state != ZS_STATE_ERROR) {
      return fail(
          fmt::format("{}:{}: {}", frame.display, frame.file_line(s->line_counter), scanner_error(s->error.code)));
    }
    switch (s->state) {
    case ZS_STATE_DATA:
      return take_record(frame, *m_builder,
                         static_cast<std::uint32_t>(std::min<std::uint64_t>(start_line, 0xffffffffU)), m_soa, m_ttl);
    case ZS_STATE_ERROR:
      note_error(s->error.code);
      if (s->error.code == ZS_UNSUPPORTED_TYPE && start.line == s->line_counter) {
        if (const std::optional<std::string_view> line = record_line(frame, start)) {
          if (const std::optional<std::string> rclass = class_token(*line)) {
            return fail(fmt::format("{}:{}: class {} is not IN", frame.display, start_line, *rclass));
          }
        }
      }

      return fail(
          fmt::format("{}:{}: {}", frame.display, frame.file_line(s->line_counter), scanner_error(s->error.code)));
    case ZS_STATE_INCLUDE:
      // libzscanner 3.2 stops inside a called sub-machine when it hands an $INCLUDE to us
      // (process.automatic off) and never returns from it: every $INCLUDE leaves one entry on
      // its 16-entry stack, and the 17th overflowed a stack array in parse() ("stack
      // smashing detected"). A directive is complete here and the scanner is back at the start
      // of a line, so the stack is what it was before the directive.
      if (s->top > top_before) {
        s->top = top_before;
      }
      return include(frame);
    case ZS_STATE_EOF:
    case ZS_STATE_STOP:
      if (m_capture_end && m_stack.size() == 1) {
        m_end_state = state_of(*s);
      }
      m_stack.pop_back();
      return {};
    case ZS_STATE_NONE: break;
    }
    return fail(
        fmt::format("{}:{}: zone scanner stopped unexpectedly", frame.display, frame.file_line(s->line_counter)));
  }

  Result<void> include(Frame& parent) {
    const zs_scanner_t* s = parent.scanner.get();
    const std::string where = fmt::format("{}:{}: ", parent.display, parent.file_line(s->line_counter));
    if (m_stack.size() >= k_max_include_depth) {
      return fail(fmt::format("{}$INCLUDE nested deeper than {}", where, k_max_include_depth));
    }
    if (++m_includes > k_max_includes) {
      return fail(fmt::format("{}$INCLUDE: more than {} in one zone", where, k_max_includes));
    }
    // Both are NUL-terminated C strings inside fixed arrays of the scanner: never read past them.
    const std::string resolved(s->include_filename, ::strnlen(s->include_filename, sizeof(s->include_filename)));
    const auto* origin_text = reinterpret_cast<const char*>(s->buffer);
    const std::string origin(origin_text, ::strnlen(origin_text, sizeof(s->buffer)));
    const std::string display = include_display(parent, s, resolved);
    const std::string quoted = util::quote_input(display, 200);
    std::error_code ec;
    fs::path real = fs::canonical(resolved, ec);
    if (ec) {
      return fail(fmt::format("{}$INCLUDE {}: {}", where, quoted, lower_first(ec.message())));
    }
    for (const Frame& open : m_stack) {
      if (open.real == real) {
        return fail(fmt::format("{}$INCLUDE {}: include loop", where, quoted));
      }
    }
    ZW_TRY_ASSIGN(const std::uint16_t file, m_builder->add_file(display));
    return open(resolved, display, where + "$INCLUDE ", origin, s->default_ttl, file, std::move(real), std::nullopt);
  }

  const std::string& m_path;
  std::optional<std::string_view> m_text;
  const LoadOptions& m_options;
  ZoneStoreBuilder* m_builder = nullptr;
  std::vector<Frame> m_stack;
  FirstSoa m_soa;
  TtlInheritance m_ttl;
  std::size_t m_includes = 0;
  // The main file's scanner state at its end, kept when m_capture_end (attempt_split).
  std::optional<ScannerState> m_end_state;
  bool m_capture_end = false;
  bool m_rewrite = false;          // every file is read through rewrite_zone_text
  bool m_rewrite_may_help = false; // the scanner refused something a rewrite may cure
};

} // namespace

Result<ZoneStore> load_zone_file(const std::string& path, const LoadOptions& options) {
  // The scanner maps the file itself: a zone is never read into our memory as a whole.
  return Loader(path, std::nullopt, options).run();
}

Result<ZoneStore> load_zone_text(std::string_view text, const std::string& name, const LoadOptions& options) {
  return Loader(name, text, options).run();
}

} // namespace zw::dns
