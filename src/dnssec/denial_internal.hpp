#pragma once
// Internals shared by the files of the denial analysis (denial.cpp, denial_nsec.cpp,
// denial_nsec3.cpp, nsec3_hash.cpp): the one pass over the names, canonical-order and cyclic-range
// helpers, and the bitmap check. Not part of the API: only those files include it.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "dns/rr.hpp"
#include "dnssec/denial.hpp"

namespace zw::dnssec::detail {

using Name = std::span<const std::uint8_t>;

inline constexpr std::uint32_t k_none = 0xFFFFFFFFu;

// RFC 4034 §6.1 canonical order of two well-formed wire names, case-insensitive, without
// allocating (dns::canonical_compare builds label vectors; this runs once per name).
inline int compare_names(Name a, Name b) noexcept {
  std::array<std::uint8_t, 128> la{};
  std::array<std::uint8_t, 128> lb{};
  const auto offsets = [](Name n, std::array<std::uint8_t, 128>& out) {
    std::size_t count = 0;
    std::size_t pos = 0;
    while (pos < n.size() && n[pos] != 0 && count < out.size()) {
      out[count++] = static_cast<std::uint8_t>(pos);
      pos += 1 + n[pos];
    }
    return count;
  };
  const std::size_t na = offsets(a, la);
  const std::size_t nb = offsets(b, lb);
  for (std::size_t i = 1; i <= std::min(na, nb); ++i) {
    const std::size_t pa = la[na - i];
    const std::size_t pb = lb[nb - i];
    const std::size_t lena = std::min<std::size_t>(a[pa], a.size() - pa - 1);
    const std::size_t lenb = std::min<std::size_t>(b[pb], b.size() - pb - 1);
    for (std::size_t k = 0; k < std::min(lena, lenb); ++k) {
      const std::uint8_t ca = dns::ascii_lower(a[pa + 1 + k]);
      const std::uint8_t cb = dns::ascii_lower(b[pb + 1 + k]);
      if (ca != cb) {
        return ca < cb ? -1 : 1;
      }
    }
    if (lena != lenb) {
      return lena < lenb ? -1 : 1;
    }
  }
  if (na == nb) {
    return 0;
  }
  return na < nb ? -1 : 1;
}

inline bool same_name(Name a, Name b) noexcept {
  return dns::names_equal(a, b);
}

// A cyclic range of `count` positions starting at `first` in a ring of `m` positions.
struct CyclicRange {
  std::size_t first = 0;
  std::size_t count = 0;
};

// The positions strictly after `i` and before `j` (the lower bound of the pointer's target),
// going round: what a pointer from position `i` to a target at `j` claims does not exist.
inline CyclicRange skipped_range(std::size_t i, std::size_t j, std::size_t m) noexcept {
  if (m <= 1) {
    return {0, 0};
  }
  const std::size_t jj = j % m;
  return {(i + 1) % m, (jj + m - i - 1) % m};
}

// Sum over a cyclic range of a prefix-sum array `p` (size m + 1).
inline std::size_t range_sum(const std::vector<std::uint32_t>& p, CyclicRange r, std::size_t m) noexcept {
  if (r.count == 0) {
    return 0;
  }
  if (r.first + r.count <= m) {
    return p[r.first + r.count] - p[r.first];
  }
  return (p[m] - p[r.first]) + p[r.first + r.count - m];
}

// Marks a cyclic range in a difference array `d` (size m + 1).
inline void mark_range(std::vector<std::int32_t>& d, CyclicRange r, std::size_t m) noexcept {
  if (r.count == 0) {
    return;
  }
  if (r.first + r.count <= m) {
    ++d[r.first];
    --d[r.first + r.count];
    return;
  }
  ++d[r.first];
  --d[m];
  ++d[0];
  --d[r.first + r.count - m];
}

// Prefix sums of a 0/1 vector.
std::vector<std::uint32_t> prefix_of(const std::vector<std::uint8_t>& flags);

// Resolves a difference array into "covered" flags.
std::vector<std::uint8_t> covered_of(const std::vector<std::int32_t>& d, std::size_t m);

inline void sample_add(NameSample& s, Name name) {
  if (s.shown < s.names.size()) {
    s.names[s.shown++] = name;
  }
}

// A name's first RRset (for a source location).
dns::RrsetView first_rrset(const dns::NameView& name);

struct Scratch {
  std::vector<std::uint16_t> listed;
  std::vector<std::uint16_t> expected;
};

// Compares one bitmap with its name and records a fault when they differ. `tolerated`: a type
// that may be listed although absent, because another finding already reports its absence.
void check_bitmap(bool nsec3, const dns::RrsetView& record, Name bitmap, const dns::NameView* name, Name owner,
                  dns::NameRole role, Scratch& scratch, std::vector<BitmapFault>& out, std::uint16_t tolerated = 0);

// What one pass over the names collects.
struct Collected {
  std::vector<dns::NameView> names; // names that need NSEC / a hashed NSEC3, canonical order
  std::vector<dns::NameRole> roles; // their roles
  std::vector<std::pair<dns::RrsetView, dns::NameRole>> misplaced_nsec; // NSEC at names that need none
  std::vector<dns::RrsetView> nsec3_sets;
  dns::RrsetView nsec3param;
  bool apex_nsec = false;
};

// The NSEC chain (denial_nsec.cpp): RFC 4034 §4, RFC 4035 §2.3.
void check_nsec_chain(const dns::ZoneStore& store, const dns::ZoneLayout& layout, const Collected& c,
                      DenialAnalysis& out);

// The NSEC3 chain and its parameters (denial_nsec3.cpp): RFC 5155 §7.1, RFC 9276.
void check_nsec3(const dns::ZoneStore& store, const dns::ZoneLayout& layout, const Collected& c, DenialAnalysis& out);

} // namespace zw::dnssec::detail
