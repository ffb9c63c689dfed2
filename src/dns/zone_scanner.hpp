#pragma once
// libzscanner as the zone loader (zone_loader.cpp) drives it: a scanner per open file, the
// $INCLUDE stack's frames, and what error messages read from the text. Not part of the dns/
// interface.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zonewarden/error.hpp"

// libzscanner's header has no extern "C" guard of its own.
extern "C" {
#include <libzscanner/scanner.h>
}

namespace zw::dns::zscan {

// Deinitialises a scanner and keeps its 200 KiB block for the next one (zone_scanner.cpp).
struct ScannerFree {
  void operator()(zs_scanner_t* s) const noexcept;
};
using ScannerHandle = std::unique_ptr<zs_scanner_t, ScannerFree>;

// One open file of the $INCLUDE stack.
struct Frame {
  ScannerHandle scanner;
  std::uint16_t file = 0;
  std::string display;             // name used in messages
  std::filesystem::path real;      // canonical path, for loop detection
  const char* map_begin = nullptr; // the text being parsed: the file as mapped by the scanner,
  const char* map_end = nullptr;   // or the caller's text (load_zone_text)
  bool mapped = false;             // a file mapping, whose parsed text may be dropped
  const char* released = nullptr;  // text before this was dropped from memory
  // A rewritten file (zone_text.hpp): the text the scanner reads, and which line of the file
  // each of its lines comes from (empty: the same line).
  std::unique_ptr<const std::string> owned_text;
  std::vector<std::uint32_t> line_map;

  // The file's line number for line `n` of the text the scanner reads.
  [[nodiscard]] std::uint64_t file_line(std::uint64_t n) const noexcept {
    if (line_map.empty() || n == 0) {
      return n;
    }
    return n <= line_map.size() ? line_map[n - 1] : line_map.back() + (n - line_map.size());
  }
};

// Where the next record starts: the scanner reports the line where a record ends, messages
// want the line where it starts.
struct RecordStart {
  std::uint64_t line = 0;
  // Its first character, as an offset into the mapped file; npos when unknown.
  std::size_t offset = std::string::npos;
  // A copy of its line when it is the file's last, unterminated line: the scanner parses that
  // line only after appending a newline of its own, and unmaps the file before doing so, so
  // the mapped text must not be read afterwards.
  std::string last_line;
};

// The scanner state a record's parse depends on, besides the record's own text: a record
// that names its owner is read the same by two scanners that agree on this.
struct ScannerState {
  std::array<std::uint8_t, sizeof(zs_scanner_t::zone_origin)> origin{};
  std::uint32_t origin_length = 0;
  std::uint32_t default_ttl = 0;
  std::uint16_t default_class = 0;

  bool operator==(const ScannerState&) const = default;
};

// `text` with its first letter in lower case (libzscanner's and strerror's messages start upper).
std::string lower_first(std::string text);
// libzscanner's message for error `code`, as our messages word it.
std::string scanner_error(int code);
// The mnemonic of a class other than IN (CH, HS, NONE, ANY, CLASSn).
std::string class_text(std::uint16_t rclass);

// A new scanner with `origin` (presentation format) and the TTL default, not yet given any
// input. `where` is the "file:line: " prefix of errors (empty for the main file).
Result<ScannerHandle> new_scanner(const std::string& where, const std::string& display, const std::string& origin,
                                  std::uint32_t ttl);
// Opens `path` in a new scanner (see new_scanner). `display` names the file in messages;
// `where` is the "file:line: " prefix of errors about opening it (empty for the main file).
Result<ScannerHandle> open_scanner(const std::string& path, const std::string& display, const std::string& where,
                                   const std::string& origin, std::uint32_t ttl);
// A new scanner over `text` (not copied), standing for a file named `display` in directory
// `dir`: a relative $INCLUDE is looked for there, as the scanner does for a file it opened.
Result<ScannerHandle> text_scanner(std::string_view text, const std::string& display, const std::filesystem::path& dir,
                                   const std::string& origin, std::uint32_t ttl);
// The $INCLUDE stack's frame for `scanner`, which has been given its input.
Frame make_frame(ScannerHandle scanner, std::uint16_t file, std::string display, std::filesystem::path real);
// The scanner maps the whole file; text already parsed is never read again, so it is dropped
// from the resident set as we go (a private read-only file mapping simply refaults if touched).
// Without this a zone's text would count in full against our peak memory.
void drop_parsed_text(Frame& frame);
// True while `frame`'s text is still the scanner's input (a mapped file is unmapped at its
// end): every read of the mapped text checks this first.
bool still_mapped(const Frame& frame);
// Before a record is parsed the scanner sits at the end of the previous one, on line
// `line_counter`: skip blank lines, comment lines, directive lines ($TTL, $ORIGIN) and the closing parenthesis of a
// multi-line record from there, counting newlines.
RecordStart next_record_start(const Frame& frame);
// The text of the record's first line, bounded by the buffer it lives in: the mapped file
// while it is still mapped, else the copy of the last line; nullopt when neither is there.
std::optional<std::string_view> record_line(const Frame& frame, const RecordStart& start);
// libzscanner knows class IN only and reads any other class mnemonic as an unknown type. When
// one of the first tokens of the record's `line` is a class, returns it for a clearer message.
std::optional<std::string> class_token(std::string_view line);
// "example.com.zone", "db.example.com", "example.com.signed" -> "example.com."; empty when the
// file name does not look like a domain name.
std::string origin_from_file_name(const std::string& path);
// Name of an $INCLUDE file for messages: relative to the including file as the user sees it.
std::string include_display(const Frame& parent, const zs_scanner_t* s, const std::string& resolved);
// The state of `s` that a record's parse depends on (ScannerState).
ScannerState state_of(const zs_scanner_t& s);

} // namespace zw::dns::zscan
