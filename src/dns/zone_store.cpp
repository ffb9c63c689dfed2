#include "dns/zone_store.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <new>
#include <numeric>

#include <fmt/format.h>

#include "dns/canonical_rdata.hpp"

namespace zw::dns {

namespace {

// Per-RR header in the arena, before the RDATA: TTL, source line, source file number.
constexpr std::size_t k_header = 10;
constexpr std::uint64_t k_max_offset = (std::uint64_t{1} << 40) - 1;

std::uint32_t load32(const std::uint8_t* p) noexcept {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

std::uint16_t load16(const std::uint8_t* p) noexcept {
  std::uint16_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Length of the well-formed wire name starting at `p` (validated when it entered the arena).
std::size_t stored_name_length(const std::uint8_t* p) noexcept {
  std::size_t pos = 0;
  while (p[pos] != 0) {
    pos += 1 + p[pos];
  }
  return pos + 1;
}

// RFC 4034 §6.1 order of two lowercased, well-formed wire names: label by label from the
// right, each label as an octet string where a shorter prefix sorts first. No allocation.
int compare_lower_names(const std::uint8_t* a, const std::uint8_t* b) noexcept {
  std::array<std::uint8_t, 128> la;
  std::array<std::uint8_t, 128> lb;
  std::size_t na = 0;
  std::size_t nb = 0;
  for (std::size_t pos = 0; a[pos] != 0; pos += 1 + a[pos]) {
    la[na++] = static_cast<std::uint8_t>(pos);
  }
  for (std::size_t pos = 0; b[pos] != 0; pos += 1 + b[pos]) {
    lb[nb++] = static_cast<std::uint8_t>(pos);
  }
  while (na > 0 && nb > 0) {
    const std::uint8_t* x = a + la[--na];
    const std::uint8_t* y = b + lb[--nb];
    const std::size_t n = std::min(x[0], y[0]);
    if (const int c = std::memcmp(x + 1, y + 1, n); c != 0) {
      return c < 0 ? -1 : 1;
    }
    if (x[0] != y[0]) {
      return x[0] < y[0] ? -1 : 1;
    }
  }
  if (na == nb) {
    return 0;
  }
  return na < nb ? -1 : 1;
}

int compare_bytes(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept {
  const std::size_t n = std::min(a.size(), b.size());
  if (n > 0) {
    if (const int c = std::memcmp(a.data(), b.data(), n); c != 0) {
      return c < 0 ? -1 : 1;
    }
  }
  if (a.size() == b.size()) {
    return 0;
  }
  return a.size() < b.size() ? -1 : 1;
}

} // namespace

std::string SourceLocation::to_string() const {
  return fmt::format("{}:{}", file, line);
}

// ---- ZoneStore accessors ----

std::span<const std::uint8_t> ZoneStore::owner_at(std::size_t i) const noexcept {
  const std::uint8_t* p = at(owner_offset(i));
  return {p, stored_name_length(p)};
}

std::span<const std::uint8_t> ZoneStore::rdata_at(std::size_t i) const noexcept {
  return {at(record_offset(i)) + k_header, rdlength_at(i)};
}

std::uint32_t ZoneStore::ttl_at(std::size_t i) const noexcept {
  return load32(at(record_offset(i)));
}

SourceLocation ZoneStore::location_at(std::size_t i) const noexcept {
  const std::uint8_t* p = at(record_offset(i));
  const std::uint32_t line = load32(p + 4);
  const std::uint16_t file = load16(p + 8);
  if (file >= m_files.size()) {
    return {{}, line};
  }
  return {m_files[file], line};
}

std::size_t ZoneStore::run_end(std::span<const Entry> index, std::size_t i, unsigned shift) noexcept {
  const std::uint64_t key = index[i].word0 >> shift;
  std::size_t j = i + 1;
  while (j < index.size() && (index[j].word0 >> shift) == key) {
    ++j;
  }
  return j;
}

std::size_t ZoneStore::lower_bound(std::span<const std::uint8_t> lower_owner) const noexcept {
  std::size_t lo = 0;
  std::size_t hi = m_index.size();
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (compare_lower_names(at(owner_offset(mid)), lower_owner.data()) < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

std::optional<NameView> ZoneStore::find_name(std::span<const std::uint8_t> owner) const noexcept {
  const std::size_t len = wire_name_length(owner);
  if (len == 0) {
    return std::nullopt;
  }
  std::array<std::uint8_t, 256> key;
  std::transform(owner.begin(), owner.begin() + static_cast<std::ptrdiff_t>(len), key.begin(), ascii_lower);
  const std::size_t i = lower_bound({key.data(), len});
  if (i == m_index.size() || compare_lower_names(at(owner_offset(i)), key.data()) != 0) {
    return std::nullopt;
  }
  return NameView(this, i, name_end(i));
}

std::optional<RrsetView> ZoneStore::find(std::span<const std::uint8_t> owner, std::uint16_t type) const noexcept {
  const std::optional<NameView> name = find_name(owner);
  return name ? name->find(type) : std::nullopt;
}

RrsetView ZoneStore::rrsigs_covering(std::span<const std::uint8_t> owner, std::uint16_t type) const noexcept {
  const std::optional<NameView> name = find_name(owner);
  return name ? name->rrsigs_covering(type) : RrsetView();
}

MemoryUsage ZoneStore::memory_usage() const noexcept {
  return {m_arena.size() + m_arena_tail.size(), m_index.size() * sizeof(Entry)};
}

// ---- views and iterators ----

std::span<const std::uint8_t> RrsetView::owner() const noexcept {
  return m_end == m_first ? std::span<const std::uint8_t>() : m_store->owner_at(m_first);
}

std::uint16_t RrsetView::type() const noexcept {
  return m_end == m_first ? 0 : m_store->type_at(m_first);
}

std::uint32_t RrsetView::ttl() const noexcept {
  return m_end == m_first ? 0 : m_store->ttl_at(m_first);
}

bool RrsetView::ttls_differ() const noexcept {
  for (std::size_t i = 1; i < size(); ++i) {
    if (m_store->ttl_at(m_first + i) != m_store->ttl_at(m_first)) {
      return true;
    }
  }
  return false;
}

std::span<const std::uint8_t> RrsetView::rdata(std::size_t i) const noexcept {
  return m_store->rdata_at(m_first + i);
}

std::uint32_t RrsetView::ttl(std::size_t i) const noexcept {
  return m_store->ttl_at(m_first + i);
}

SourceLocation RrsetView::location(std::size_t i) const noexcept {
  return m_store->location_at(m_first + i);
}

SourceLocation RrsetView::location() const noexcept {
  if (m_end == m_first) {
    return {};
  }
  // Arena offsets grow in input order, so the smallest one is the RR read first.
  std::size_t best = m_first;
  for (std::size_t i = m_first + 1; i < m_end; ++i) {
    if (m_store->record_offset(i) < m_store->record_offset(best)) {
      best = i;
    }
  }
  return m_store->location_at(best);
}

std::vector<Rr> RrsetView::materialize() const {
  std::vector<Rr> out;
  out.reserve(size());
  const std::span<const std::uint8_t> name = owner();
  for (std::size_t i = 0; i < size(); ++i) {
    const std::span<const std::uint8_t> data = rdata(i);
    out.push_back(Rr{Bytes(name.begin(), name.end()), type(), 1, ttl(i), Bytes(data.begin(), data.end())});
  }
  return out;
}

std::size_t RrsetView::run_end(const ZoneStore* store, std::size_t i) noexcept {
  return store->rrset_end(i);
}

std::size_t NameView::run_end(const ZoneStore* store, std::size_t i) noexcept {
  return store->name_end(i);
}

std::span<const std::uint8_t> NameView::owner() const noexcept {
  return m_first == m_end ? std::span<const std::uint8_t>() : m_store->owner_at(m_first);
}

std::optional<RrsetView> NameView::find(std::uint16_t type) const noexcept {
  // Within one owner the index is sorted by type.
  std::size_t lo = m_first;
  std::size_t hi = m_end;
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (m_store->type_at(mid) < type) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo == m_end || m_store->type_at(lo) != type) {
    return std::nullopt;
  }
  return RrsetView(m_store, lo, m_store->rrset_end(lo));
}

RrsetView NameView::rrsigs_covering(std::uint16_t type) const noexcept {
  const std::optional<RrsetView> sigs = find(rrtype::rrsig);
  if (!sigs) {
    return {};
  }
  // Canonical RDATA order sorts RRSIGs by their first two octets, Type Covered (RFC 4034 §3.1,
  // §6.3), so the RRSIGs for one type are one run.
  const auto covered = [this](std::size_t i) -> std::uint32_t {
    const std::span<const std::uint8_t> data = m_store->rdata_at(i);
    return data.size() < 2 ? 0 : static_cast<std::uint32_t>((data[0] << 8) | data[1]);
  };
  const std::size_t first = sigs->m_first;
  const std::size_t last = sigs->m_end;
  std::size_t lo = first;
  std::size_t hi = last;
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (covered(mid) < type) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  std::size_t end = lo;
  while (end < last && covered(end) == type) {
    ++end;
  }
  return end == lo ? RrsetView() : RrsetView(m_store, lo, end);
}

std::vector<std::uint16_t> NameView::types() const {
  std::vector<std::uint16_t> out;
  for (std::size_t i = m_first; i < m_end; ++i) {
    if (out.empty() || out.back() != m_store->type_at(i)) {
      out.push_back(m_store->type_at(i));
    }
  }
  return out;
}

// ---- building ----

ZoneStoreBuilder::ZoneStoreBuilder(std::size_t expected_input_bytes) {
  if (expected_input_bytes == 0) {
    return;
  }
  // Wire data is smaller than its presentation form in practice, and one RR takes at least
  // ~20 octets of text; reserving that much costs address space, not resident memory, because
  // untouched pages are never faulted in. A refusal only means we grow as we go.
  try {
    m_store.m_arena.reserve(expected_input_bytes);
    m_store.m_index.reserve(expected_input_bytes / 20);
  } catch (const std::bad_alloc&) {
    m_store.m_arena.shrink_to_fit();
    m_store.m_index.shrink_to_fit();
  }
}

Result<std::uint16_t> ZoneStoreBuilder::add_file(std::string name) {
  if (m_store.m_files.size() >= 0xffff) {
    return fail(fmt::format("{}: more than 65535 zone files", name));
  }
  m_store.m_files.push_back(std::move(name));
  return static_cast<std::uint16_t>(m_store.m_files.size() - 1);
}

Result<void> ZoneStoreBuilder::add(std::span<const std::uint8_t> owner, std::uint16_t type, std::uint32_t ttl,
                                   std::span<const std::uint8_t> rdata, std::uint16_t file, std::uint32_t line) {
  const std::size_t owner_len = wire_name_length(owner);
  if (owner_len == 0 || owner_len != owner.size()) {
    return fail("malformed owner name");
  }
  if (rdata.size() > 0xffff) {
    return fail(fmt::format("{}: RDATA longer than 65535 octets", name_to_text(owner)));
  }
  if (!m_store.m_arena_tail.empty()) {
    flatten();
  }
  std::vector<std::uint8_t>& arena = m_store.m_arena;
  if (arena.size() + owner_len + k_header + rdata.size() > k_max_offset) {
    return fail("zone larger than 1 TiB");
  }
  if (m_store.m_index.size() >= 0xffffffffU) {
    return fail("zone has more than 4294967295 records");
  }
  // Owners are stored once per run of records with the same owner (the usual zone file
  // layout); a repeat later in the file gets its own copy, merged after sorting.
  std::array<std::uint8_t, 256> low;
  std::transform(owner.begin(), owner.end(), low.begin(), ascii_lower);
  const bool same_owner = !m_owner_runs.empty() && m_last_owner_length == owner_len &&
                          std::memcmp(arena.data() + m_owner_runs.back(), low.data(), owner_len) == 0;
  if (!same_owner) {
    m_owner_runs.push_back(arena.size());
    arena.insert(arena.end(), low.begin(), low.begin() + static_cast<std::ptrdiff_t>(owner_len));
    m_last_owner_length = owner_len;
  }
  const std::uint64_t record = arena.size();
  std::array<std::uint8_t, k_header> header;
  std::memcpy(header.data(), &ttl, 4);
  std::memcpy(header.data() + 4, &line, 4);
  std::memcpy(header.data() + 8, &file, 2);
  arena.insert(arena.end(), header.begin(), header.end());
  arena.insert(arena.end(), rdata.begin(), rdata.end());
  // While building, the owner field holds the owner run number, not an offset.
  const std::uint64_t run = m_owner_runs.size() - 1;
  m_store.m_index.push_back(
      ZoneStore::Entry{(run << 24) | (std::uint64_t{type} << 8), (record << 24) | (std::uint64_t{rdata.size()} << 8)});
  return {};
}

void ZoneStoreBuilder::flatten() {
  std::vector<std::uint8_t>& tail = m_store.m_arena_tail;
  m_store.m_arena.insert(m_store.m_arena.end(), tail.begin(), tail.end());
  tail = {};
}

Result<void> ZoneStoreBuilder::append(ZoneStoreBuilder&& later) {
  ZoneStore& s = m_store;
  ZoneStore& o = later.m_store;
  if (o.m_files.size() > s.m_files.size() || !std::equal(o.m_files.begin(), o.m_files.end(), s.m_files.begin())) {
    return fail("appended records name other source files");
  }
  const std::uint64_t size = s.m_arena.size() + s.m_arena_tail.size();
  if (size + o.m_arena.size() + o.m_arena_tail.size() > k_max_offset) {
    return fail("zone larger than 1 TiB");
  }
  if (s.m_index.size() + o.m_index.size() >= 0xffffffffU) {
    return fail("zone has more than 4294967295 records");
  }
  // One tail at most: ours is folded in first (a copy; not the case of a split read).
  if (!s.m_arena_tail.empty()) {
    flatten();
  }
  if (!o.m_arena_tail.empty()) {
    later.flatten();
  }
  // While building, word0 holds the owner run number and word1 the record's arena offset
  // (see add): both move by what is already here. The arena moves, it is not copied.
  const std::uint64_t base = s.m_arena.size();
  const std::uint64_t runs = m_owner_runs.size();
  m_owner_runs.reserve(m_owner_runs.size() + later.m_owner_runs.size());
  for (const std::uint64_t run : later.m_owner_runs) {
    m_owner_runs.push_back(run + base);
  }
  s.m_index.reserve(s.m_index.size() + o.m_index.size());
  for (const ZoneStore::Entry& e : o.m_index) {
    s.m_index.push_back(ZoneStore::Entry{e.word0 + (runs << 24), e.word1 + (base << 24)});
  }
  s.m_arena_tail = std::move(o.m_arena);
  if (!later.m_owner_runs.empty()) {
    m_last_owner_length = later.m_last_owner_length;
  }
  later = ZoneStoreBuilder();
  return {};
}

ZoneStore ZoneStoreBuilder::finish(std::span<const std::uint8_t> origin) && {
  ZoneStore& s = m_store;
  std::vector<ZoneStore::Entry>& index = s.m_index;

  // 1. Rank the owner runs in canonical order (§6.1); equal names get equal ranks. Sorting
  // the runs, not the RRs, keeps name comparisons to O(names log names).
  std::vector<std::uint64_t> rank_offset; // arena offset of the owner of each rank
  {
    std::vector<std::uint32_t> rank(m_owner_runs.size());
    // Signers write zones in canonical order already: then one linear pass, comparing each run
    // with the one before, both checks the order and ranks the runs.
    bool in_order = true;
    for (std::size_t i = 0; i < m_owner_runs.size() && in_order; ++i) {
      const std::uint64_t offset = m_owner_runs[i];
      const int c = i == 0 ? -1 : compare_lower_names(s.at(rank_offset.back()), s.at(offset));
      if (c < 0) {
        rank_offset.push_back(offset);
      }
      in_order = c <= 0;
      rank[i] = static_cast<std::uint32_t>(rank_offset.size() - 1);
    }
    if (!in_order) {
      std::vector<std::uint32_t> order(m_owner_runs.size());
      std::iota(order.begin(), order.end(), 0U);
      std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        const int c = compare_lower_names(s.at(m_owner_runs[a]), s.at(m_owner_runs[b]));
        return c != 0 ? c < 0 : a < b;
      });
      rank_offset.clear();
      for (std::size_t i = 0; i < order.size(); ++i) {
        const std::uint64_t offset = m_owner_runs[order[i]];
        if (i == 0 || compare_lower_names(s.at(rank_offset.back()), s.at(offset)) != 0) {
          rank_offset.push_back(offset);
        }
        rank[order[i]] = static_cast<std::uint32_t>(rank_offset.size() - 1);
      }
    }
    for (ZoneStore::Entry& e : index) {
      e.word0 = (std::uint64_t{rank[e.word0 >> 24]} << 24) | (e.word0 & 0xffffff);
    }
    m_owner_runs = {};
  }

  // 2. Sort by (owner rank, type, input order): integer keys only.
  const auto entry_before = [](const ZoneStore::Entry& a, const ZoneStore::Entry& b) {
    const std::uint64_t ka = a.word0 >> ZoneStore::k_rrset_shift;
    const std::uint64_t kb = b.word0 >> ZoneStore::k_rrset_shift;
    return ka != kb ? ka < kb : a.word1 < b.word1;
  };
  if (!std::is_sorted(index.begin(), index.end(), entry_before)) {
    // Usually only the types of one owner are out of order (A, RRSIG, NSEC, RRSIG): then each
    // owner's few entries are sorted where they are.
    const auto rank_before = [](const ZoneStore::Entry& a, const ZoneStore::Entry& b) {
      return (a.word0 >> ZoneStore::k_owner_shift) < (b.word0 >> ZoneStore::k_owner_shift);
    };
    if (std::is_sorted(index.begin(), index.end(), rank_before)) {
      for (std::size_t first = 0; first < index.size();) {
        const std::size_t last = ZoneStore::run_end(index, first, ZoneStore::k_owner_shift);
        std::sort(index.begin() + static_cast<std::ptrdiff_t>(first), index.begin() + static_cast<std::ptrdiff_t>(last),
                  entry_before);
        first = last;
      }
    } else {
      std::sort(index.begin(), index.end(), entry_before);
    }
  }

  // 3. Inside each RRset: canonical RDATA order (§6.3), stable so that the first of equal
  // RRs in the input survives; drop duplicates (RFC 2181 §5).
  Bytes ca;
  Bytes cb;
  const auto rdata_of = [&](const ZoneStore::Entry& e) -> std::span<const std::uint8_t> {
    return {s.at(e.word1 >> 24) + k_header, static_cast<std::uint16_t>(e.word1 >> 8)};
  };
  const auto compare_rdata = [&](std::uint16_t type, const ZoneStore::Entry& a, const ZoneStore::Entry& b) {
    const std::span<const std::uint8_t> ra = rdata_of(a);
    const std::span<const std::uint8_t> rb = rdata_of(b);
    if (has_embedded_names(type)) {
      canonical_rdata(type, ra, ca);
      canonical_rdata(type, rb, cb);
      return compare_bytes(ca, cb);
    }
    return compare_bytes(ra, rb);
  };
  std::size_t out = 0;
  std::uint64_t previous_owner = ~std::uint64_t{0};
  for (std::size_t i = 0; i < index.size();) {
    const std::uint64_t key = index[i].word0 >> ZoneStore::k_rrset_shift;
    const std::size_t end = ZoneStore::run_end(index, i, ZoneStore::k_rrset_shift);
    const auto type = static_cast<std::uint16_t>(key);
    if (end - i > 1) {
      std::stable_sort(
          index.begin() + static_cast<std::ptrdiff_t>(i), index.begin() + static_cast<std::ptrdiff_t>(end),
          [&](const ZoneStore::Entry& a, const ZoneStore::Entry& b) { return compare_rdata(type, a, b) < 0; });
    }
    const std::size_t rrset_start = out;
    for (std::size_t j = i; j < end; ++j) {
      if (out > rrset_start && compare_rdata(type, index[out - 1], index[j]) == 0) {
        ++s.m_duplicates;
        continue;
      }
      index[out++] = index[j];
    }
    ++s.m_rrset_count;
    if ((key >> 16) != previous_owner) {
      ++s.m_name_count;
      previous_owner = key >> 16;
    }
    i = end;
  }
  index.resize(out);

  // 4. Ranks back to arena offsets: every RR of one owner now points at the same copy.
  for (ZoneStore::Entry& e : index) {
    e.word0 = (rank_offset[e.word0 >> 24] << 24) | (e.word0 & 0xffffff);
  }

  const std::size_t origin_len = wire_name_length(origin);
  s.m_origin = lowercased(origin.first(origin_len == 0 ? 0 : origin_len));
  if (s.m_origin.empty()) {
    s.m_origin = Bytes{0};
  }
  return std::move(s);
}

} // namespace zw::dns
