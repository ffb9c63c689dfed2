#pragma once
// Loads a zone file (RFC 1035 §5 master file format) into a ZoneStore, streaming: records go
// straight from Knot's libzscanner (wire-format owner and RDATA) into the store's arena, the
// text is never held as a whole in our memory.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "dns/zone_store.hpp"
#include "zonewarden/error.hpp"

namespace zw::dns {

// What a load did, for tests and diagnostics.
struct LoadReport {
  bool read_in_halves = false; // LoadOptions::threads took effect
};

struct LoadOptions {
  // Zone apex ("example.com" or "example.com."). Empty: the owner of the first SOA record;
  // relative names before the first $ORIGIN are then relative to a name guessed from the file
  // name ("example.com.zone", "db.example.com", "example.com.signed" -> example.com.), else
  // to the root (which is also the origin of a file without SOA). When given, the first SOA
  // must be at this name.
  std::string origin;
  // Before any $TTL directive, a record that gives no TTL takes the last TTL a record gave
  // (RFC 1035 §5.1), else the first SOA's MINIMUM (as BIND does), else this.
  std::uint32_t default_ttl = 3600;
  // Records BIND's $GENERATE may create per file (zone_text.hpp's RewriteLimits).
  std::uint64_t max_generated = std::uint64_t{1} << 24;
  // Threads that read one file: 2 reads the second half of a file of at least
  // `split_min_bytes` on another thread while this one reads the first. The result is always
  // that of one thread reading it all (when the halves cannot be shown to give it, the file
  // is read again on one thread).
  unsigned threads = 1;
  std::size_t split_min_bytes = std::size_t{8} << 20;
  // Filled in when not null.
  LoadReport* report = nullptr;
};

// Loads the zone file at `path`, with $ORIGIN, $TTL and $INCLUDE (a relative $INCLUDE path is
// relative to the including file's directory; nesting at most 16 deep, loops are refused),
// relative names, multi-line records with parentheses and comments, and RFC 3597 generic
// types. Exact duplicate RRs are dropped and counted (`ZoneStore::duplicates_dropped`).
// Errors stop the load at the first problem; their message starts with `file:line:` where a
// line applies (syntax, non-IN class, unopenable or looping $INCLUDE, SOA at the wrong name),
// else with `path:` (missing, unreadable, a directory, empty of records).
Result<ZoneStore> load_zone_file(const std::string& path, const LoadOptions& options = {});

// Loads zone file text already in memory, exactly as `load_zone_file` would load a file named
// `name` with this content: `name` stands for the file in messages (`name:line: ...`), gives
// the origin guess when `options.origin` is empty, and its directory is where a relative
// $INCLUDE is looked for. `name` itself is never opened. `text` must stay valid for the call
// only; it is not copied.
Result<ZoneStore> load_zone_text(std::string_view text, const std::string& name, const LoadOptions& options = {});

} // namespace zw::dns
