#include "dnssec/denial.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "crypto/digest.hpp"

namespace zw::dnssec {

namespace {

using dns::NameRole;
using dns::NameView;
using dns::RrsetView;
namespace rrtype = dns::rrtype;
using Name = std::span<const std::uint8_t>;

constexpr std::uint32_t k_none = 0xFFFFFFFFu;
constexpr char k_base32hex[] = "0123456789abcdefghijklmnopqrstuv";

std::uint8_t lower(std::uint8_t c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<std::uint8_t>(c + 32) : c; }

// RFC 4034 §6.1 canonical order of two well-formed wire names, case-insensitive, without
// allocating (dns::canonical_compare builds label vectors; this runs once per name).
int compare_names(Name a, Name b) noexcept {
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
      const std::uint8_t ca = lower(a[pa + 1 + k]);
      const std::uint8_t cb = lower(b[pb + 1 + k]);
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

bool same_name(Name a, Name b) noexcept { return dns::names_equal(a, b); }

// A cyclic range of `count` positions starting at `first` in a ring of `m` positions.
struct CyclicRange {
  std::size_t first = 0;
  std::size_t count = 0;
};

// The positions strictly after `i` and before `j` (the lower bound of the pointer's target),
// going round: what a pointer from position `i` to a target at `j` claims does not exist.
CyclicRange skipped_range(std::size_t i, std::size_t j, std::size_t m) noexcept {
  if (m <= 1) {
    return {0, 0};
  }
  const std::size_t jj = j % m;
  return {(i + 1) % m, (jj + m - i - 1) % m};
}

// Sum over a cyclic range of a prefix-sum array `p` (size m + 1).
std::size_t range_sum(const std::vector<std::uint32_t>& p, CyclicRange r, std::size_t m) noexcept {
  if (r.count == 0) {
    return 0;
  }
  if (r.first + r.count <= m) {
    return p[r.first + r.count] - p[r.first];
  }
  return (p[m] - p[r.first]) + p[r.first + r.count - m];
}

// Marks a cyclic range in a difference array `d` (size m + 1).
void mark_range(std::vector<std::int32_t>& d, CyclicRange r, std::size_t m) noexcept {
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
std::vector<std::uint32_t> prefix_of(const std::vector<std::uint8_t>& flags) {
  std::vector<std::uint32_t> p(flags.size() + 1, 0);
  for (std::size_t i = 0; i < flags.size(); ++i) {
    p[i + 1] = p[i] + flags[i];
  }
  return p;
}

// Resolves a difference array into "covered" flags.
std::vector<std::uint8_t> covered_of(const std::vector<std::int32_t>& d, std::size_t m) {
  std::vector<std::uint8_t> out(m, 0);
  std::int32_t run = 0;
  for (std::size_t i = 0; i < m; ++i) {
    run += d[i];
    out[i] = run > 0 ? 1 : 0;
  }
  return out;
}

void sample_add(NameSample& s, Name name) {
  if (s.shown < s.names.size()) {
    s.names[s.shown++] = name;
  }
}

// A name's first RRset (for a source location).
RrsetView first_rrset(const NameView& name) {
  for (const RrsetView r : name.rrsets()) {
    return r;
  }
  return {};
}

// True for an NSEC3 owner: a name holding only NSEC3 records and RRSIGs over them, or only such
// RRSIGs (what remains when an NSEC3 record was removed without its signature).
bool is_nsec3_owner(const NameView& name) {
  bool nsec3 = false;
  std::size_t rrsigs = 0;
  for (const RrsetView r : name.rrsets()) {
    if (r.type() == rrtype::nsec3) {
      nsec3 = true;
    } else if (r.type() == rrtype::rrsig) {
      rrsigs = r.size();
    } else {
      return false;
    }
  }
  return nsec3 || (rrsigs > 0 && name.rrsigs_covering(rrtype::nsec3).size() == rrsigs);
}

// The types an NSEC (RFC 4034 §4.1.2) or NSEC3 (RFC 5155 §3.2.1) bitmap must list at `name`.
// At a delegation only NS and DS are authoritative (glue is not listed). An NSEC is always
// signed, so RRSIG and NSEC are listed wherever an NSEC is. An NSEC3 lists RRSIG where the
// original name has signed data: not at an insecure delegation or an empty non-terminal. The
// list does not depend on whether the RRSIGs are actually there (that is dnssec/rrsig-missing).
void expected_types(const NameView* name, NameRole role, bool nsec3, std::vector<std::uint16_t>& out) {
  out.clear();
  bool signed_data = false;
  if (name != nullptr) {
    for (const RrsetView r : name->rrsets()) {
      const std::uint16_t t = r.type();
      if (t == rrtype::rrsig || t == rrtype::nsec || t == rrtype::nsec3) {
        continue;
      }
      if (role == NameRole::delegation && t != rrtype::ns && t != rrtype::ds) {
        continue;
      }
      out.push_back(t);
      signed_data = signed_data || role != NameRole::delegation || t == rrtype::ds;
    }
  }
  if (!nsec3) {
    out.push_back(rrtype::rrsig);
    out.push_back(rrtype::nsec);
  } else if (signed_data) {
    out.push_back(rrtype::rrsig);
  }
  std::sort(out.begin(), out.end());
}

struct Scratch {
  std::vector<std::uint16_t> listed;
  std::vector<std::uint16_t> expected;
};

// Compares one bitmap with its name and records a fault when they differ. `tolerated`: a type
// that may be listed although absent, because another finding already reports its absence.
void check_bitmap(bool nsec3, const RrsetView& record, Name bitmap, const NameView* name, Name owner, NameRole role,
                  Scratch& scratch, std::vector<BitmapFault>& out, std::uint16_t tolerated = 0) {
  scratch.listed.clear();
  const bool ok = parse_type_bitmap(bitmap, scratch.listed);
  expected_types(name, role, nsec3, scratch.expected);
  // During an NSEC -> NSEC3 transition a name may own both; its NSEC3 bitmap may list NSEC.
  const bool tolerate_nsec = nsec3 && name != nullptr && name->find(rrtype::nsec).has_value();
  if (ok && scratch.listed == scratch.expected) {
    return;
  }
  if (ok && tolerated != 0) {
    scratch.expected.insert(std::lower_bound(scratch.expected.begin(), scratch.expected.end(), tolerated), tolerated);
    if (scratch.listed == scratch.expected) {
      return;
    }
    scratch.expected.erase(std::lower_bound(scratch.expected.begin(), scratch.expected.end(), tolerated));
  }
  BitmapFault f;
  f.nsec3 = nsec3;
  f.record = record;
  f.name = owner;
  f.role = role;
  f.ent = name == nullptr;
  f.malformed = !ok;
  for (const std::uint16_t t : scratch.listed) {
    if (!std::binary_search(scratch.expected.begin(), scratch.expected.end(), t) &&
        !(tolerate_nsec && t == rrtype::nsec) && !(tolerated != 0 && t == tolerated)) {
      f.listed_absent.push_back(t);
    }
  }
  for (const std::uint16_t t : scratch.expected) {
    if (!std::binary_search(scratch.listed.begin(), scratch.listed.end(), t)) {
      f.present_unlisted.push_back(t);
    }
  }
  if (f.malformed || !f.listed_absent.empty() || !f.present_unlisted.empty()) {
    out.push_back(std::move(f));
  }
}

// What one pass over the names collects.
struct Collected {
  std::vector<NameView> names;   // names that need NSEC / a hashed NSEC3, canonical order
  std::vector<NameRole> roles;   // their roles
  std::vector<std::pair<RrsetView, NameRole>> misplaced_nsec;  // NSEC at names that need none
  std::vector<RrsetView> nsec3_sets;
  RrsetView nsec3param;
  bool apex_nsec = false;
};

Collected collect(const dns::ZoneStore& store, const dns::ZoneLayout& layout, DenialAnalysis& out) {
  Collected c;
  c.names.reserve(store.name_count());
  c.roles.reserve(store.name_count());
  const std::span<const NameRole> roles = layout.roles();
  std::size_t k = 0;
  for (const NameView name : store.names()) {
    const NameRole role = k < roles.size() ? roles[k] : NameRole::out_of_zone;
    ++k;
    const std::optional<RrsetView> nsec = name.find(rrtype::nsec);
    const std::optional<RrsetView> nsec3 = name.find(rrtype::nsec3);
    if (nsec) {
      out.nsec_records += nsec->size();
    }
    if (nsec3) {
      out.nsec3_records += nsec3->size();
      c.nsec3_sets.push_back(*nsec3);
    }
    if (role == NameRole::apex) {
      out.zone_signed = name.find(rrtype::dnskey).has_value();
      c.apex_nsec = nsec.has_value();
      if (const std::optional<RrsetView> p = name.find(rrtype::nsec3param)) {
        c.nsec3param = *p;
      }
    }
    const bool needs = (role == NameRole::apex || role == NameRole::authoritative || role == NameRole::delegation) &&
                       !is_nsec3_owner(name);
    if (needs) {
      c.names.push_back(name);
      c.roles.push_back(role);
      if (role == NameRole::delegation && !name.find(rrtype::ds)) {
        ++out.insecure_delegations;
      }
    } else if (nsec) {
      c.misplaced_nsec.emplace_back(*nsec, role);
    }
  }
  out.names = c.names.size();
  return c;
}

// ---- NSEC ---------------------------------------------------------------------------------------

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

// ---- NSEC3 --------------------------------------------------------------------------------------

struct ParamGroup {
  Nsec3Params params;
  std::size_t count = 0;
  RrsetView first;
};

struct ChainRecord {
  Nsec3Hash hash{};
  RrsetView record;
  std::uint8_t flags = 0;
  std::uint32_t entry = k_none;  // the hashed name it belongs to
};

struct HashedName {
  Nsec3Hash hash{};
  std::uint32_t ref = 0;   // < names.size(): index in Collected::names; else ENT index + names.size()
  bool optional = false;   // may be left out under Opt-Out (RFC 5155 §7.1)
  std::uint32_t record = k_none;
};

struct RingEntry {
  Nsec3Hash hash{};
  std::uint32_t ref = 0;  // chain record index, or hashed-name index for a missing name
  bool missing = false;
  bool stray = false;
};

// The owner hash of an NSEC3 owner name `owner` (<32 base32hex digits>.<apex>), if it is one.
bool owner_hash(Name owner, Name apex, dns::Bytes& scratch, Nsec3Hash& out) {
  if (owner.empty() || owner[0] != 32 || owner.size() != 33 + apex.size() || !same_name(owner.subspan(33), apex)) {
    return false;
  }
  if (!base32hex_decode(owner.subspan(1, 32), scratch) || scratch.size() != out.size()) {
    return false;
  }
  std::copy(scratch.begin(), scratch.end(), out.begin());
  return true;
}

void check_nsec3(const dns::ZoneStore& store, const dns::ZoneLayout& layout, const Collected& c,
                 DenialAnalysis& out) {
  const Name apex = store.origin();
  // NSEC3PARAM at the apex (RFC 5155 §4).
  std::vector<Nsec3Params> nsec3params;
  for (std::size_t i = 0; i < c.nsec3param.size(); ++i) {
    if (std::optional<Nsec3Params> p = parse_nsec3param(c.nsec3param.rdata(i))) {
      nsec3params.push_back(std::move(*p));
    } else {
      out.params.push_back({Nsec3ParamFaultKind::malformed, c.nsec3param, {}, 0});
    }
  }
  // Every NSEC3 record, grouped by parameters.
  std::vector<ParamGroup> groups;
  dns::Bytes scratch_bytes;
  for (const RrsetView& set : c.nsec3_sets) {
    const std::optional<Nsec3Rdata> r = parse_nsec3(set.rdata(0));
    if (!r) {
      continue;
    }
    auto g = std::find_if(groups.begin(), groups.end(), [&](const ParamGroup& x) { return x.params.same_hash(r->params); });
    if (g == groups.end()) {
      groups.push_back({r->params, 0, set});
      groups.back().params.flags = 0;
      g = groups.end() - 1;
    }
    ++g->count;
  }
  const auto group_count = [&](const Nsec3Params& p) -> std::size_t {
    const auto g = std::find_if(groups.begin(), groups.end(), [&](const ParamGroup& x) { return x.params.same_hash(p); });
    return g == groups.end() ? 0 : g->count;
  };
  // The chain examined: the NSEC3PARAM's (flags 0) that records use, else what most records use.
  const Nsec3Params* chosen = nullptr;
  std::size_t best = 0;
  for (const Nsec3Params& p : nsec3params) {
    if (p.flags == 0 && group_count(p) > best) {
      chosen = &p;
      best = group_count(p);
    }
  }
  if (chosen == nullptr) {
    for (const ParamGroup& g : groups) {
      if (g.count > best) {
        chosen = &g.params;
        best = g.count;
      }
    }
  }
  if (chosen == nullptr && !nsec3params.empty()) {
    const auto zero = std::find_if(nsec3params.begin(), nsec3params.end(), [](const Nsec3Params& p) { return p.flags == 0; });
    chosen = zero != nsec3params.end() ? &*zero : &nsec3params.front();
  }
  if (chosen == nullptr) {
    return;  // only malformed NSEC3 records: reported below with no chain
  }
  out.chain = *chosen;
  out.chain->flags = 0;
  const Nsec3Params& chain = *out.chain;

  // NSEC3PARAM faults (RFC 5155 §4.1.2, §7.3).
  const std::size_t zero_flag_params =
      static_cast<std::size_t>(std::count_if(nsec3params.begin(), nsec3params.end(), [](const Nsec3Params& p) { return p.flags == 0; }));
  for (const Nsec3Params& p : nsec3params) {
    if (p.flags != 0) {
      out.params.push_back({Nsec3ParamFaultKind::flags_nonzero, c.nsec3param, p, zero_flag_params});
    } else if (out.nsec3_records > 0 && group_count(p) == 0) {
      out.params.push_back({Nsec3ParamFaultKind::mismatch, c.nsec3param, p, 0});
    }
  }
  // More than one NSEC3PARAM: when one of them is already reported (flags, parameters) that
  // finding names the root cause; otherwise two chains are announced (RFC 5155 §10.4).
  const bool one_reported = std::any_of(out.params.begin(), out.params.end(), [](const Nsec3ParamFault& f) {
    return f.kind == Nsec3ParamFaultKind::flags_nonzero || f.kind == Nsec3ParamFaultKind::mismatch;
  });
  if (c.nsec3param.size() > 1 && !one_reported) {
    out.params.push_back({Nsec3ParamFaultKind::multiple, c.nsec3param, {}, c.nsec3param.size()});
  }
  if (c.nsec3param.empty() && out.nsec3_records > 0) {
    out.params.push_back({Nsec3ParamFaultKind::missing, out.first_nsec3, {}, 0});
  }
  if (c.nsec3_sets.empty()) {
    Nsec3Fault f;
    f.kind = Nsec3FaultKind::no_records;
    f.record = c.nsec3param;
    out.nsec3.push_back(f);
    return;
  }
  if (chain.algorithm != 1) {
    out.params.push_back({Nsec3ParamFaultKind::unknown_algorithm, c.nsec3param.empty() ? out.first_nsec3 : c.nsec3param,
                          chain, 0});
    return;  // nothing can be hashed
  }
  // Records of other parameter sets: a second, partial chain. One finding per set; a set that
  // another NSEC3PARAM announces is a chain being built or retired (RFC 5155 §10.4), not a fault.
  for (const ParamGroup& g : groups) {
    if (g.params.same_hash(chain)) {
      continue;
    }
    const bool announced = std::any_of(nsec3params.begin(), nsec3params.end(),
                                       [&](const Nsec3Params& p) { return p.flags == 0 && p.same_hash(g.params); });
    if (!announced) {
      Nsec3Fault f;
      f.kind = Nsec3FaultKind::foreign_params;
      f.record = g.first;
      f.count = g.count;
      f.params = g.params;
      out.nsec3.push_back(f);
    }
  }

  // The chain's records, by hash.
  std::vector<ChainRecord> records;
  records.reserve(c.nsec3_sets.size());
  for (const RrsetView& set : c.nsec3_sets) {
    const std::optional<Nsec3Rdata> r = parse_nsec3(set.rdata(0));
    if (!r || (r->params.algorithm == 1 && r->next_hashed.size() != 20)) {
      Nsec3Fault f;
      f.kind = Nsec3FaultKind::malformed;
      f.record = set;
      out.nsec3.push_back(f);
      continue;
    }
    if (!r->params.same_hash(chain)) {
      continue;
    }
    ChainRecord rec;
    if (!owner_hash(set.owner(), apex, scratch_bytes, rec.hash)) {
      Nsec3Fault f;
      f.kind = Nsec3FaultKind::bad_owner;
      f.record = set;
      out.nsec3.push_back(f);
      continue;
    }
    if (set.size() > 1) {
      Nsec3Fault f;
      f.kind = Nsec3FaultKind::duplicate;
      f.record = set;
      f.count = set.size();
      out.nsec3.push_back(f);
    }
    if ((r->params.flags & 0xFE) != 0) {
      Nsec3Fault f;
      f.kind = Nsec3FaultKind::unknown_flags;
      f.record = set;
      f.params = r->params;
      out.nsec3.push_back(f);
    }
    rec.record = set;
    rec.flags = r->params.flags;
    records.push_back(rec);
  }
  std::sort(records.begin(), records.end(), [](const ChainRecord& a, const ChainRecord& b) { return a.hash < b.hash; });
  out.chain_records = records.size();
  out.opt_out_records = static_cast<std::size_t>(
      std::count_if(records.begin(), records.end(), [](const ChainRecord& r) { return (r.flags & 1) != 0; }));
  if (out.opt_out_records > 0 && out.insecure_delegations == 0) {
    out.params.push_back({Nsec3ParamFaultKind::opt_out_unneeded, records.front().record, chain, out.opt_out_records});
  } else if (out.opt_out_records > 0 && out.opt_out_records < records.size()) {
    out.params.push_back({Nsec3ParamFaultKind::opt_out_mixed, records.front().record, chain, out.opt_out_records});
  }

  // Every name to hash: the names (an insecure delegation is optional under Opt-Out) and the
  // empty non-terminals (optional when only insecure delegations lie below them, RFC 5155 §7.1).
  const std::vector<dns::Bytes>& ents = layout.empty_non_terminals();
  const std::size_t n = c.names.size();
  std::vector<std::uint8_t> optional(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    optional[i] = c.roles[i] == NameRole::delegation && !c.names[i].find(rrtype::ds) ? 1 : 0;
  }
  // next_required[i]: the first index >= i of a name that is not optional.
  std::vector<std::uint32_t> next_required(n + 1, static_cast<std::uint32_t>(n));
  for (std::size_t i = n; i-- > 0;) {
    next_required[i] = optional[i] == 0 ? static_cast<std::uint32_t>(i) : next_required[i + 1];
  }
  if (chain.iterations > k_max_hashed_iterations) {
    // Bounded work (RFC 9276 §3.2): no validator hashes this many iterations, and hashing every
    // name of a large zone 65,535 times would take hours. dnssec/nsec3-parameters reports it.
    out.nsec3_not_hashed = chain.iterations;
    return;
  }
  std::vector<HashedName> hashed;
  hashed.reserve(n + ents.size());
  Nsec3Hasher hasher(chain);
  for (std::size_t i = 0; i < n; ++i) {
    HashedName h;
    h.ref = static_cast<std::uint32_t>(i);
    h.optional = optional[i] != 0;
    hasher.hash(c.names[i].owner(), h.hash);
    hashed.push_back(h);
  }
  {
    std::size_t p = 0;  // names are sorted, and so are the ENTs: walk both once
    for (std::size_t e = 0; e < ents.size(); ++e) {
      while (p < n && compare_names(c.names[p].owner(), ents[e]) < 0) {
        ++p;
      }
      // A name's subtree follows it in canonical order: the first required name at or after
      // the ENT is in its subtree exactly when the subtree holds one.
      const std::size_t r = next_required[p];
      HashedName h;
      h.ref = static_cast<std::uint32_t>(n + e);
      h.optional = !(r < n && dns::is_subdomain(c.names[r].owner(), ents[e]));
      hasher.hash(ents[e], h.hash);
      hashed.push_back(h);
    }
  }
  std::sort(hashed.begin(), hashed.end(), [](const HashedName& a, const HashedName& b) { return a.hash < b.hash; });
  const auto name_of = [&](std::uint32_t ref) -> Name {
    return ref < n ? c.names[ref].owner() : Name(ents[ref - n]);
  };

  // Match names and records (both sorted by hash).
  for (std::size_t a = 0, b = 0; a < hashed.size() && b < records.size();) {
    if (hashed[a].hash < records[b].hash) {
      ++a;
    } else if (records[b].hash < hashed[a].hash) {
      ++b;
    } else {
      hashed[a].record = static_cast<std::uint32_t>(b);
      records[b].entry = static_cast<std::uint32_t>(a);
      ++a;
      ++b;
    }
  }
  // Names without a record: missing, unless optional and covered by an Opt-Out NSEC3.
  std::vector<std::uint32_t> missing;
  for (std::size_t a = 0; a < hashed.size(); ++a) {
    if (hashed[a].record != k_none) {
      continue;
    }
    if (hashed[a].optional && !records.empty()) {
      const auto it = std::lower_bound(records.begin(), records.end(), hashed[a].hash,
                                       [](const ChainRecord& r, const Nsec3Hash& h) { return r.hash < h; });
      const ChainRecord& cover = it == records.begin() ? records.back() : *(it - 1);
      if ((cover.flags & 1) != 0) {
        continue;
      }
    }
    missing.push_back(static_cast<std::uint32_t>(a));
  }

  // The ring: every record of the chain and every missing name, by hash.
  std::vector<RingEntry> ring;
  ring.reserve(records.size() + missing.size());
  {
    std::size_t a = 0;
    std::size_t b = 0;
    while (a < records.size() || b < missing.size()) {
      const bool take_record = b == missing.size() || (a < records.size() && records[a].hash < hashed[missing[b]].hash);
      RingEntry e;
      if (take_record) {
        e.hash = records[a].hash;
        e.ref = static_cast<std::uint32_t>(a);
        e.stray = records[a].entry == k_none;
        ++a;
      } else {
        e.hash = hashed[missing[b]].hash;
        e.ref = missing[b];
        e.missing = true;
        ++b;
      }
      ring.push_back(e);
    }
  }
  const std::size_t m = ring.size();
  std::vector<std::uint8_t> not_stray(m, 0);
  std::vector<std::uint8_t> is_missing(m, 0);
  std::vector<std::uint8_t> is_optional(m, 0);
  for (std::size_t i = 0; i < m; ++i) {
    not_stray[i] = ring[i].stray ? 0 : 1;
    is_missing[i] = ring[i].missing ? 1 : 0;
    is_optional[i] = ring[i].missing && hashed[ring[i].ref].optional ? 1 : 0;
  }
  const std::vector<std::uint32_t> not_stray_prefix = prefix_of(not_stray);
  const std::vector<std::uint32_t> missing_prefix = prefix_of(is_missing);
  const std::vector<std::uint32_t> optional_prefix = prefix_of(is_optional);
  std::vector<std::int32_t> explained(m + 1, 0);
  const auto ring_name = [&](const RingEntry& e) -> Name {
    if (e.missing) {
      return name_of(hashed[e.ref].ref);
    }
    const ChainRecord& r = records[e.ref];
    return r.entry == k_none ? r.record.owner() : name_of(hashed[r.entry].ref);
  };
  Scratch scratch;
  for (std::size_t i = 0; i < m; ++i) {
    const RingEntry& e = ring[i];
    if (e.missing) {
      continue;
    }
    const ChainRecord& rec = records[e.ref];
    if (e.stray) {
      Nsec3Fault f;
      f.kind = Nsec3FaultKind::stray;
      f.record = rec.record;
      f.hash = rec.hash;
      out.nsec3.push_back(f);
      continue;  // its pointer is part of the same fault
    }
    const std::optional<Nsec3Rdata> r = parse_nsec3(rec.record.rdata(0));
    const HashedName& owner = hashed[rec.entry];
    const Name name = name_of(owner.ref);
    const bool ent = owner.ref >= n;
    // An NSEC3PARAM removed from the apex is reported as missing (dnssec/nsec3-parameters), not
    // also as a type the apex NSEC3 lists in vain.
    const NameRole role = ent ? NameRole::authoritative : c.roles[owner.ref];
    check_bitmap(true, rec.record, r->bitmap, ent ? nullptr : &c.names[owner.ref], name, role, scratch, out.bitmaps,
                 role == NameRole::apex && c.nsec3param.empty() ? rrtype::nsec3param : std::uint16_t{0});
    Nsec3Hash next{};
    std::copy(r->next_hashed.begin(), r->next_hashed.end(), next.begin());
    const RingEntry& succ = ring[(i + 1) % m];
    if (next == succ.hash) {
      continue;
    }
    const auto it = std::lower_bound(ring.begin(), ring.end(), next, [](const RingEntry& x, const Nsec3Hash& h) { return x.hash < h; });
    const std::size_t j = static_cast<std::size_t>(it - ring.begin());
    const bool lands = j < m && ring[j].hash == next;
    const CyclicRange skipped = skipped_range(i, j, m);
    if (lands && range_sum(not_stray_prefix, skipped, m) == 0) {
      continue;  // it only jumps over stray records: the stray faults say it
    }
    Nsec3Fault f;
    f.kind = Nsec3FaultKind::bad_next;
    f.record = rec.record;
    f.name = name;
    f.ent = ent;
    f.hash = rec.hash;
    f.next = next;
    f.expected = succ.hash;
    f.expected_name = ring_name(succ);
    if (lands) {
      f.next_name = ring_name(ring[j]);
      f.next_has_record = !ring[j].missing;
    } else {
      const auto h = std::lower_bound(hashed.begin(), hashed.end(), next, [](const HashedName& x, const Nsec3Hash& v) { return x.hash < v; });
      if (h != hashed.end() && h->hash == next) {
        f.next_name = name_of(h->ref);
      }
    }
    f.skipped.total = skipped.count;
    for (std::size_t k = 0; k < std::min<std::size_t>(skipped.count, f.skipped.names.size()); ++k) {
      sample_add(f.skipped, ring_name(ring[(skipped.first + k) % m]));
    }
    f.skipped_missing = range_sum(missing_prefix, skipped, m);
    f.skipped_optional = range_sum(optional_prefix, skipped, m);
    mark_range(explained, skipped, m);
    out.nsec3.push_back(f);
  }
  const std::vector<std::uint8_t> covered = covered_of(explained, m);
  for (std::size_t i = 0; i < m; ++i) {
    if (!ring[i].missing || covered[i] != 0) {
      continue;
    }
    const HashedName& h = hashed[ring[i].ref];
    Nsec3Fault f;
    f.kind = Nsec3FaultKind::missing;
    f.name = name_of(h.ref);
    f.hash = h.hash;
    f.optional = h.optional;
    f.ent = h.ref >= n;
    if (!f.ent) {
      f.data = first_rrset(c.names[h.ref]);
    }
    out.nsec3.push_back(f);
  }
}

} // namespace

std::string to_text(const Nsec3Params& params) {
  std::string salt;
  for (const std::uint8_t b : params.salt) {
    salt += fmt::format("{:02x}", b);
  }
  return fmt::format("{}, {} iteration{}, {}", params.algorithm == 1 ? std::string("SHA-1") : fmt::format("hash algorithm {}", params.algorithm),
                     params.iterations, params.iterations == 1 ? "" : "s", salt.empty() ? "no salt" : "salt " + salt);
}

std::optional<Nsec3Params> parse_nsec3param(std::span<const std::uint8_t> rdata) {
  if (rdata.size() < 5 || rdata.size() != 5u + rdata[4]) {
    return std::nullopt;
  }
  Nsec3Params p;
  p.algorithm = rdata[0];
  p.flags = rdata[1];
  p.iterations = static_cast<std::uint16_t>(rdata[2] << 8 | rdata[3]);
  p.salt.assign(rdata.begin() + 5, rdata.end());
  return p;
}

std::optional<Nsec3Rdata> parse_nsec3(std::span<const std::uint8_t> rdata) {
  if (rdata.size() < 5 || rdata.size() < 6u + rdata[4]) {
    return std::nullopt;
  }
  const std::size_t salt_len = rdata[4];
  const std::size_t hash_len = rdata[5 + salt_len];
  if (hash_len == 0 || rdata.size() < 6 + salt_len + hash_len) {
    return std::nullopt;
  }
  Nsec3Rdata r;
  r.params.algorithm = rdata[0];
  r.params.flags = rdata[1];
  r.params.iterations = static_cast<std::uint16_t>(rdata[2] << 8 | rdata[3]);
  r.params.salt.assign(rdata.begin() + 5, rdata.begin() + 5 + static_cast<std::ptrdiff_t>(salt_len));
  r.next_hashed = rdata.subspan(6 + salt_len, hash_len);
  r.bitmap = rdata.subspan(6 + salt_len + hash_len);
  return r;
}

bool parse_type_bitmap(std::span<const std::uint8_t> bitmap, std::vector<std::uint16_t>& out) {
  std::size_t pos = 0;
  int last_window = -1;
  while (pos < bitmap.size()) {
    if (pos + 2 > bitmap.size()) {
      return false;
    }
    const int window = bitmap[pos];
    const std::size_t len = bitmap[pos + 1];
    if (window <= last_window || len == 0 || len > 32 || pos + 2 + len > bitmap.size()) {
      return false;
    }
    for (std::size_t i = 0; i < len; ++i) {
      const std::uint8_t bits = bitmap[pos + 2 + i];
      for (int b = 0; b < 8; ++b) {
        if ((bits & (0x80 >> b)) != 0) {
          out.push_back(static_cast<std::uint16_t>(window * 256 + static_cast<int>(i) * 8 + b));
        }
      }
    }
    last_window = window;
    pos += 2 + len;
  }
  return true;
}

std::string base32hex(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const std::uint8_t b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out.push_back(k_base32hex[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) {
    out.push_back(k_base32hex[(buffer << (5 - bits)) & 31]);
  }
  return out;
}

bool base32hex_decode(std::span<const std::uint8_t> text, dns::Bytes& out) {
  out.clear();
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const std::uint8_t ch : text) {
    const std::uint8_t c = lower(ch);
    int v = -1;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'a' && c <= 'v') {
      v = c - 'a' + 10;
    }
    if (v < 0) {
      return false;
    }
    buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<std::uint8_t>(buffer >> (bits - 8)));
      bits -= 8;
    }
    buffer &= (1u << bits) - 1;
  }
  return buffer == 0;  // leftover bits must be zero padding
}

Nsec3Hasher::Nsec3Hasher(const Nsec3Params& params)
    : m_salt(params.salt), m_iterations(params.iterations), m_supported(params.algorithm == 1) {
  m_a.reserve(32);
  m_b.reserve(32);
}

bool Nsec3Hasher::hash(std::span<const std::uint8_t> name, Nsec3Hash& out) {
  // RFC 5155 §5: IH(salt, x, 0) = H(x || salt); IH(salt, x, k) = H(IH(salt, x, k-1) || salt).
  if (!m_supported || !crypto::digest(crypto::DigestAlgorithm::sha1, {name, m_salt}, m_a)) {
    out.fill(0);
    return false;
  }
  for (std::uint16_t k = 0; k < m_iterations; ++k) {
    if (!crypto::digest(crypto::DigestAlgorithm::sha1, {m_a, m_salt}, m_b)) {
      out.fill(0);
      return false;
    }
    m_a.swap(m_b);
  }
  std::copy(m_a.begin(), m_a.end(), out.begin());
  return true;
}

DenialAnalysis analyse_denial(const dns::ZoneStore& store, const dns::ZoneLayout& layout) {
  DenialAnalysis out;
  const Collected c = collect(store, layout, out);
  if (!c.nsec3_sets.empty()) {
    out.first_nsec3 = c.nsec3_sets.front();
  }
  out.nsec3param = c.nsec3param;
  const bool any_nsec = out.nsec_records > 0;
  const bool any_nsec3 = out.nsec3_records > 0 || !c.nsec3param.empty();
  out.mechanism = any_nsec && any_nsec3 ? DenialMechanism::mixed
                  : any_nsec           ? DenialMechanism::nsec
                  : any_nsec3          ? DenialMechanism::nsec3
                                       : DenialMechanism::none;
  if (out.mechanism == DenialMechanism::none) {
    if (out.zone_signed) {
      NsecFault f;
      f.kind = NsecFaultKind::no_denial;
      out.nsec.push_back(f);
    }
    return out;
  }
  // Which chains are in use. In a mixed zone the NSEC chain is in use when the apex has an NSEC
  // and the NSEC3 chain when an NSEC3PARAM announces it (or the apex has no NSEC). Both in use
  // is a transition (RFC 5155 §10.4): both are checked. A chain not in use is leftovers.
  bool want_nsec = any_nsec;
  bool want_nsec3 = any_nsec3;
  if (out.mechanism == DenialMechanism::mixed) {
    const bool nsec_in_use = c.apex_nsec;
    const bool nsec3_in_use = !c.nsec3param.empty() || !c.apex_nsec;
    if (nsec_in_use && !nsec3_in_use) {
      want_nsec3 = false;
      Nsec3Fault f;
      f.kind = Nsec3FaultKind::leftover;
      f.record = out.first_nsec3;
      f.count = out.nsec3_records;
      out.nsec3.push_back(f);
    } else if (nsec3_in_use && !nsec_in_use) {
      want_nsec = false;
      NsecFault f;
      f.kind = NsecFaultKind::leftover;
      f.count = out.nsec_records;
      for (const NameView name : store.names()) {
        if (const std::optional<RrsetView> r = name.find(rrtype::nsec)) {
          f.record = *r;
          f.name = r->owner();
          break;
        }
      }
      out.nsec.push_back(f);
    }
  }
  if (want_nsec) {
    out.nsec_checked = true;
    check_nsec_chain(store, layout, c, out);
  }
  if (want_nsec3) {
    check_nsec3(store, layout, c, out);
    out.nsec3_checked = out.chain.has_value() && out.nsec3_not_hashed == 0;
    if (!out.chain) {
      for (const RrsetView& set : c.nsec3_sets) {
        Nsec3Fault f;
        f.kind = Nsec3FaultKind::malformed;
        f.record = set;
        out.nsec3.push_back(f);
      }
    }
  }
  return out;
}

} // namespace zw::dnssec
