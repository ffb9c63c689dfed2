// The NSEC chain of a zone file (RFC 4034 §4, RFC 4035 §2.3): every name that needs an NSEC has
// one, each points to the next name in canonical order, and the last one closes the ring.

#include <algorithm>

#include "dnssec/denial_internal.hpp"

namespace zw::dnssec::detail {

using dns::NameView;
using dns::RrsetView;
namespace rrtype = dns::rrtype;

void check_nsec_chain(const dns::ZoneStore& store, const dns::ZoneLayout& layout, const Collected& c,
                      DenialAnalysis& out) {
  for (const auto& [record, role] : c.misplaced_nsec) {
    NsecFault f;
    f.kind = NsecFaultKind::unexpected;
    f.name = record.owner();
    f.record = record;
    f.role = role;
    out.nsec.push_back(f);
  }
  const std::size_t m = c.names.size();
  if (m == 0) {
    return;
  }
  std::vector<std::uint8_t> has(m, 0);
  for (std::size_t i = 0; i < m; ++i) {
    has[i] = c.names[i].find(rrtype::nsec).has_value() ? 1 : 0;
  }
  const std::vector<std::uint32_t> has_prefix = prefix_of(has);
  std::vector<std::int32_t> explained(m + 1, 0);
  Scratch scratch;
  for (std::size_t i = 0; i < m; ++i) {
    if (has[i] == 0) {
      continue;
    }
    const NameView& name = c.names[i];
    const RrsetView record = *name.find(rrtype::nsec);
    if (record.size() > 1) {
      NsecFault f;
      f.kind = NsecFaultKind::duplicate;
      f.name = name.owner();
      f.record = record;
      f.count = record.size();
      out.nsec.push_back(f);
    }
    const Name rdata = record.rdata(0);
    const std::size_t next_len = dns::wire_name_length(rdata);
    if (next_len == 0) {
      NsecFault f;
      f.kind = NsecFaultKind::malformed;
      f.name = name.owner();
      f.record = record;
      out.nsec.push_back(f);
      continue;
    }
    check_bitmap(false, record, rdata.subspan(next_len), &name, name.owner(), c.roles[i], scratch, out.bitmaps);
    const Name next = rdata.first(next_len);
    const Name expected = c.names[(i + 1) % m].owner();
    if (same_name(next, expected)) {
      continue;
    }
    // Where the pointer lands among the names that need an NSEC.
    const auto it = std::lower_bound(c.names.begin(), c.names.end(), next,
                                     [](const NameView& a, Name b) { return compare_names(a.owner(), b) < 0; });
    const std::size_t j = static_cast<std::size_t>(it - c.names.begin());
    const CyclicRange skipped = skipped_range(i, j, m);
    NsecFault f;
    f.kind = i + 1 == m ? NsecFaultKind::not_closed : NsecFaultKind::bad_next;
    f.name = name.owner();
    f.record = record;
    f.next = next;
    f.expected = expected;
    if (j < m && same_name(c.names[j].owner(), next)) {
      f.next_exists = true;
      f.next_role = c.roles[j];
    } else if (store.find_name(next)) {
      f.next_exists = true;
      f.next_role = layout.role_of(next);
    }
    f.skipped.total = skipped.count;
    for (std::size_t k = 0; k < std::min<std::size_t>(skipped.count, f.skipped.names.size()); ++k) {
      sample_add(f.skipped, c.names[(skipped.first + k) % m].owner());
    }
    f.skipped_without_nsec = skipped.count - range_sum(has_prefix, skipped, m);
    mark_range(explained, skipped, m);
    out.nsec.push_back(f);
  }
  const std::vector<std::uint8_t> covered = covered_of(explained, m);
  for (std::size_t i = 0; i < m; ++i) {
    if (has[i] == 0 && covered[i] == 0) {
      NsecFault f;
      f.kind = NsecFaultKind::missing;
      f.name = c.names[i].owner();
      f.data = first_rrset(c.names[i]);
      out.nsec.push_back(f);
    }
  }
}

} // namespace zw::dnssec::detail
