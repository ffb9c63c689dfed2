#pragma once
// A whole zone held in memory in wire format, sorted for DNSSEC work.
//
// Layout (why it is small): one contiguous byte arena holds every owner name (lowercased, stored
// once per run of consecutive records with that owner) and, per RR, a 10-byte header (TTL,
// source line, source file) followed by its uncompressed wire RDATA as given in the input. An
// index of 16-byte entries (owner offset, type, record offset, RDLENGTH) is sorted in RFC 4034
// §6.1 canonical owner order, then by type, then by canonical RDATA (§6.3), with exact
// duplicates removed (RFC 2181 §5). Equal owners share one arena copy after sorting, so owner
// identity is an integer comparison. RRsets, owner names and the RRSIGs covering one type are
// contiguous runs of the index; views over them are two indices and a pointer, never a copy.
//
// All records are class IN (the loader rejects others). Owners are stored lowercased, as in
// DNSSEC canonical form; RDATA keeps the case of the input (signed-data code canonicalises it).
// Views and spans stay valid as long as the ZoneStore lives and is not moved-from.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dns/rr.hpp"
#include "zonewarden/error.hpp"

namespace zw::dns {

class ZoneStore;
template <typename View> class RunIterator;
template <typename View> class RunRange;

// Where a record came from: `file` as named in the input ("zones/a.zone", or the path of an
// $INCLUDE file), `line` 1-based, the line where the record starts. `file` is empty when the
// record was added with no registered file, `line` 0 when it was added with no line.
struct SourceLocation {
  std::string_view file;
  std::uint32_t line = 0;

  // "file:line".
  std::string to_string() const;
};

// The RRs [first, end) of a store, in its canonical order: what RrsetView, NameView and RunRange
// stand for.
class StoreRun {
protected:
  StoreRun() = default;
  StoreRun(const ZoneStore* store, std::size_t first, std::size_t end) noexcept
      : m_store(store), m_first(first), m_end(end) {}

  const ZoneStore* m_store = nullptr;
  std::size_t m_first = 0;
  std::size_t m_end = 0;
};

// One RRset (or a contiguous part of one, see `ZoneStore::rrsigs_covering`): owner, type and
// class shared by `size()` RRs in canonical RDATA order. Cheap to copy.
class RrsetView : private StoreRun {
public:
  RrsetView() = default;

  // Lowercased wire-format owner.
  std::span<const std::uint8_t> owner() const noexcept;
  std::uint16_t type() const noexcept;
  std::uint16_t rclass() const noexcept { return 1; }
  // Number of RRs; 0 only for a default-constructed or "not found" view.
  std::size_t size() const noexcept { return m_end - m_first; }
  bool empty() const noexcept { return m_end == m_first; }

  // TTL of the first RR (in canonical order); 0 when empty.
  std::uint32_t ttl() const noexcept;
  // True when the RRs do not all have the same TTL (RFC 2181 §5.2 says they must).
  bool ttls_differ() const noexcept;
  // RDATA and TTL of RR `i` (`i < size()`), in canonical RDATA order.
  std::span<const std::uint8_t> rdata(std::size_t i) const noexcept;
  std::uint32_t ttl(std::size_t i) const noexcept;
  SourceLocation location(std::size_t i) const noexcept;
  // Location of the RR of this RRset that comes first in the input.
  SourceLocation location() const noexcept;

  // The RRs as self-contained `dns::Rr` values (owner lowercased, class IN).
  std::vector<Rr> materialize() const;

private:
  friend class ZoneStore;
  friend class NameView;
  friend class RunIterator<RrsetView>;
  using StoreRun::StoreRun;
  // RunIterator's policy: where the RRset at `i` ends.
  static std::size_t run_end(const ZoneStore* store, std::size_t i) noexcept;
};

// Iterates the runs of consecutive RRs in an index range that make one `View`: an RRset (one
// owner and type: RrsetView) or a name (one owner: NameView), in canonical order. A C++20 forward
// iterator.
template <typename View> class RunIterator {
public:
  using value_type = View;
  using difference_type = std::ptrdiff_t;
  using iterator_category = std::forward_iterator_tag;

  RunIterator() = default;
  View operator*() const noexcept { return View(m_store, m_pos, m_next); }
  RunIterator& operator++() noexcept {
    m_pos = m_next;
    m_next = run_end();
    return *this;
  }
  RunIterator operator++(int) noexcept {
    RunIterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const RunIterator& other) const noexcept { return m_pos == other.m_pos; }

private:
  friend class RunRange<View>;
  RunIterator(const ZoneStore* store, std::size_t pos, std::size_t end) noexcept
      : m_store(store), m_pos(pos), m_end(end) {
    m_next = run_end();
  }
  std::size_t run_end() const noexcept {
    return m_pos < m_end ? std::min(View::run_end(m_store, m_pos), m_end) : m_pos;
  }
  const ZoneStore* m_store = nullptr;
  std::size_t m_pos = 0;
  std::size_t m_next = 0; // end of the run at m_pos
  std::size_t m_end = 0;  // end of the range
};

// The runs of an index range (RunIterator), for range-for.
template <typename View> class RunRange : private StoreRun {
public:
  RunIterator<View> begin() const noexcept { return RunIterator<View>(m_store, m_first, m_end); }
  RunIterator<View> end() const noexcept { return RunIterator<View>(m_store, m_end, m_end); }

private:
  friend class ZoneStore;
  friend class NameView;
  using StoreRun::StoreRun;
};

using RrsetIterator = RunIterator<RrsetView>;
using RrsetRange = RunRange<RrsetView>;

// One owner name with all its RRsets (sorted by type), for NSEC/NSEC3 chain and type bitmap
// checks. Cheap to copy.
class NameView : private StoreRun {
public:
  NameView() = default;

  // Lowercased wire-format owner.
  std::span<const std::uint8_t> owner() const noexcept;
  RrsetRange rrsets() const noexcept { return RrsetRange(m_store, m_first, m_end); }
  // Number of RRs at this owner, all types.
  std::size_t rr_count() const noexcept { return m_end - m_first; }
  // The RRset of `type`, if present.
  std::optional<RrsetView> find(std::uint16_t type) const noexcept;
  // The RRSIG RRs whose Type Covered is `type` (RFC 4034 §3.1.1), as a view of type RRSIG;
  // empty when there are none. O(log n).
  RrsetView rrsigs_covering(std::uint16_t type) const noexcept;
  // Every type present, ascending (the set an NSEC type bitmap must list, RFC 4034 §4.1.2).
  std::vector<std::uint16_t> types() const;

private:
  friend class ZoneStore;
  friend class RunIterator<NameView>;
  using StoreRun::StoreRun;
  // RunIterator's policy: where the name at `i` ends.
  static std::size_t run_end(const ZoneStore* store, std::size_t i) noexcept;
};

using NameIterator = RunIterator<NameView>;
using NameRange = RunRange<NameView>;

// Bytes held by a ZoneStore (used bytes; reserved but untouched capacity is address space only).
struct MemoryUsage {
  std::size_t arena_bytes = 0; // owners, RR headers, RDATA
  std::size_t index_bytes = 0; // 16 bytes per RR
  std::size_t total() const noexcept { return arena_bytes + index_bytes; }
};

// The zone. Built by ZoneStoreBuilder (usually through `load_zone_file`), immutable afterwards.
// Move-only.
class ZoneStore {
public:
  ZoneStore() = default;
  ZoneStore(ZoneStore&&) noexcept = default;
  ZoneStore& operator=(ZoneStore&&) noexcept = default;
  ZoneStore(const ZoneStore&) = delete;
  ZoneStore& operator=(const ZoneStore&) = delete;

  // Lowercased wire-format zone apex.
  std::span<const std::uint8_t> origin() const noexcept { return m_origin; }
  // Number of RRs (duplicates removed), RRsets and distinct owner names.
  std::size_t size() const noexcept { return m_index.size(); }
  std::size_t rrset_count() const noexcept { return m_rrset_count; }
  std::size_t name_count() const noexcept { return m_name_count; }
  // RRs dropped because they repeated an earlier RR of the same owner, type and canonical RDATA
  // (RFC 2181 §5); TTL is not compared.
  std::size_t duplicates_dropped() const noexcept { return m_duplicates; }

  // Every RRset, in canonical order (owner, then type).
  RrsetRange rrsets() const noexcept { return RrsetRange(this, 0, m_index.size()); }
  // Every distinct owner name, in canonical order.
  NameRange names() const noexcept { return NameRange(this, 0, m_index.size()); }

  // The owner `owner` (any case), if present. O(log n).
  std::optional<NameView> find_name(std::span<const std::uint8_t> owner) const noexcept;
  // The RRset (`owner`, `type`), if present. O(log n).
  std::optional<RrsetView> find(std::span<const std::uint8_t> owner, std::uint16_t type) const noexcept;
  // The RRSIGs at `owner` covering `type`; an empty view when there are none. O(log n).
  RrsetView rrsigs_covering(std::span<const std::uint8_t> owner, std::uint16_t type) const noexcept;

  // Same as `view.materialize()`.
  std::vector<Rr> materialize(const RrsetView& view) const { return view.materialize(); }

  MemoryUsage memory_usage() const noexcept;
  // Source files, indexed by the file number of records (the main file first).
  const std::vector<std::string>& files() const noexcept { return m_files; }

private:
  friend class ZoneStoreBuilder;
  friend class RrsetView;
  friend class NameView;

  // One index entry: word0 = owner arena offset (40 bits) | type (16) | spare (8);
  // word1 = record arena offset (40) | RDLENGTH (16) | spare (8).
  struct Entry {
    std::uint64_t word0;
    std::uint64_t word1;
  };
  static_assert(sizeof(Entry) == 16);

  // word0 shifted right by these keeps the owner offset, or the owner offset and type.
  static constexpr unsigned k_owner_shift = 24;
  static constexpr unsigned k_rrset_shift = 8;

  std::uint64_t owner_offset(std::size_t i) const noexcept { return m_index[i].word0 >> k_owner_shift; }
  std::uint16_t type_at(std::size_t i) const noexcept { return static_cast<std::uint16_t>(m_index[i].word0 >> 8); }
  std::uint64_t record_offset(std::size_t i) const noexcept { return m_index[i].word1 >> 24; }
  std::size_t rdlength_at(std::size_t i) const noexcept { return static_cast<std::uint16_t>(m_index[i].word1 >> 8); }
  // Owner-and-type key: equal for the RRs of one RRset.
  std::uint64_t rrset_key(std::size_t i) const noexcept { return m_index[i].word0 >> k_rrset_shift; }
  std::span<const std::uint8_t> owner_at(std::size_t i) const noexcept;
  std::span<const std::uint8_t> rdata_at(std::size_t i) const noexcept;
  std::uint32_t ttl_at(std::size_t i) const noexcept;
  SourceLocation location_at(std::size_t i) const noexcept;
  // The first index after i in `index` whose word0 >> `shift` differs from i's.
  static std::size_t run_end(std::span<const Entry> index, std::size_t i, unsigned shift) noexcept;
  // First index after the RRset at i; after the owner at i.
  std::size_t rrset_end(std::size_t i) const noexcept { return run_end(m_index, i, k_rrset_shift); }
  std::size_t name_end(std::size_t i) const noexcept { return run_end(m_index, i, k_owner_shift); }
  // First index whose owner is not canonically below `lower_owner` (lowercased wire).
  std::size_t lower_bound(std::span<const std::uint8_t> lower_owner) const noexcept;

  // The bytes at arena offset `offset`: the arena is one vector, or two after a builder took
  // another's records without copying them (ZoneStoreBuilder::append): offsets below
  // m_arena.size() are in m_arena, the rest in m_arena_tail.
  const std::uint8_t* at(std::uint64_t offset) const noexcept {
    return offset < m_arena.size() ? m_arena.data() + offset : m_arena_tail.data() + (offset - m_arena.size());
  }

  std::vector<std::uint8_t> m_arena;
  std::vector<std::uint8_t> m_arena_tail;
  std::vector<Entry> m_index;
  Bytes m_origin;
  std::vector<std::string> m_files;
  std::size_t m_rrset_count = 0;
  std::size_t m_name_count = 0;
  std::size_t m_duplicates = 0;
};

// Accumulates records in any order, then sorts them into a ZoneStore. Used by the loader and
// by tests that need a store without a file.
class ZoneStoreBuilder {
public:
  // `expected_input_bytes`, when known (the zone file size), reserves address space up front so
  // that the arena and index rarely move while growing.
  explicit ZoneStoreBuilder(std::size_t expected_input_bytes = 0);

  // Registers a source file and returns its number for `add`. At most 65535 files.
  Result<std::uint16_t> add_file(std::string name);
  // Appends one class-IN RR. `owner` is an uncompressed wire name (any case); `rdata` at most
  // 65535 octets; `file` a number from `add_file` (or 0 with `line` 0 when there is no source).
  // Fails on a malformed owner or oversized RDATA.
  Result<void> add(std::span<const std::uint8_t> owner, std::uint16_t type, std::uint32_t ttl,
                   std::span<const std::uint8_t> rdata, std::uint16_t file = 0, std::uint32_t line = 0);
  // Same, from an Rr (its class is not checked).
  Result<void> add(const Rr& rr, std::uint16_t file = 0, std::uint32_t line = 0) {
    return add(rr.owner, rr.type, rr.ttl, rr.rdata, file, line);
  }
  // Number of RRs added so far (duplicates included).
  std::size_t size() const noexcept { return m_store.m_index.size(); }
  // Appends every RR of `later` after ours, as if they had been added here in their order,
  // taking its arena as it is (no copy). `later`'s source files must be a prefix of ours (the
  // same numbers name the same files).
  Result<void> append(ZoneStoreBuilder&& later);

  // Sorts, groups and removes duplicates. `origin` is the zone apex (any case).
  ZoneStore finish(std::span<const std::uint8_t> origin) &&;

private:
  // Copies the arena's tail (see ZoneStore::at) onto its end: offsets do not change.
  void flatten();

  ZoneStore m_store;
  std::vector<std::uint64_t> m_owner_runs; // arena offset of each new owner, in input order
  std::size_t m_last_owner_length = 0;
};

} // namespace zw::dns
