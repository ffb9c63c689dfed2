// The NSEC3 chain of a zone file and its parameters (RFC 5155 §7.1, RFC 9276): NSEC3 and
// NSEC3PARAM RDATA, which chain is examined, and the ring of hashed names and records it forms.

#include <algorithm>
#include <optional>

#include "dnssec/denial_internal.hpp"

namespace zw::dnssec {

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

namespace detail {

namespace {

using dns::NameRole;
using dns::RrsetView;
namespace rrtype = dns::rrtype;

struct ParamGroup {
  Nsec3Params params;
  std::size_t count = 0;
  RrsetView first;
};

struct ChainRecord {
  Nsec3Hash hash{};
  RrsetView record;
  std::uint8_t flags = 0;
  std::uint32_t entry = k_none; // the hashed name it belongs to
};

struct HashedName {
  Nsec3Hash hash{};
  std::uint32_t ref = 0; // < names.size(): index in Collected::names; else ENT index + names.size()
  bool optional = false; // may be left out under Opt-Out (RFC 5155 §7.1)
  std::uint32_t record = k_none;
};

struct RingEntry {
  Nsec3Hash hash{};
  std::uint32_t ref = 0; // chain record index, or hashed-name index for a missing name
  bool missing = false;
  bool stray = false;
};

// The chain examined, hashed: its records and the names of the zone, each sorted by hash, and the
// ring they form together.
struct HashedChain {
  const Collected& c;
  const std::vector<dns::Bytes>& ents;
  std::vector<ChainRecord> records;
  std::vector<HashedName> hashed;
  std::vector<RingEntry> ring;

  // The name a HashedName::ref stands for: one of Collected::names, or an empty non-terminal.
  Name name_of(std::uint32_t ref) const {
    const std::size_t n = c.names.size();
    return ref < n ? c.names[ref].owner() : Name(ents[ref - n]);
  }
  Name ring_name(const RingEntry& e) const {
    if (e.missing) {
      return name_of(hashed[e.ref].ref);
    }
    const ChainRecord& r = records[e.ref];
    return r.entry == k_none ? r.record.owner() : name_of(hashed[r.entry].ref);
  }
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

// NSEC3PARAM at the apex (RFC 5155 §4).
std::vector<Nsec3Params> parse_apex_params(const Collected& c, DenialAnalysis& out) {
  std::vector<Nsec3Params> nsec3params;
  for (std::size_t i = 0; i < c.nsec3param.size(); ++i) {
    if (std::optional<Nsec3Params> p = parse_nsec3param(c.nsec3param.rdata(i))) {
      nsec3params.push_back(std::move(*p));
    } else {
      out.params.push_back({Nsec3ParamFaultKind::malformed, c.nsec3param, {}, 0});
    }
  }
  return nsec3params;
}

// Every NSEC3 record, grouped by parameters.
std::vector<ParamGroup> group_by_params(const Collected& c) {
  std::vector<ParamGroup> groups;
  for (const RrsetView& set : c.nsec3_sets) {
    const std::optional<Nsec3Rdata> r = parse_nsec3(set.rdata(0));
    if (!r) {
      continue;
    }
    auto g =
        std::find_if(groups.begin(), groups.end(), [&](const ParamGroup& x) { return x.params.same_hash(r->params); });
    if (g == groups.end()) {
      groups.push_back({r->params, 0, set});
      groups.back().params.flags = 0;
      g = groups.end() - 1;
    }
    ++g->count;
  }
  return groups;
}

std::size_t group_count(const std::vector<ParamGroup>& groups, const Nsec3Params& p) {
  const auto g = std::find_if(groups.begin(), groups.end(), [&](const ParamGroup& x) { return x.params.same_hash(p); });
  return g == groups.end() ? 0 : g->count;
}

// The chain examined: the NSEC3PARAM's (flags 0) that records use, else what most records use.
// nullopt when there are neither NSEC3PARAMs nor parsable NSEC3 records.
std::optional<Nsec3Params> choose_chain(const std::vector<Nsec3Params>& nsec3params,
                                        const std::vector<ParamGroup>& groups) {
  const Nsec3Params* chosen = nullptr;
  std::size_t best = 0;
  for (const Nsec3Params& p : nsec3params) {
    if (p.flags == 0 && group_count(groups, p) > best) {
      chosen = &p;
      best = group_count(groups, p);
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
    const auto zero =
        std::find_if(nsec3params.begin(), nsec3params.end(), [](const Nsec3Params& p) { return p.flags == 0; });
    chosen = zero != nsec3params.end() ? &*zero : &nsec3params.front();
  }
  if (chosen == nullptr) {
    return std::nullopt;
  }
  return *chosen;
}

// NSEC3PARAM faults (RFC 5155 §4.1.2, §7.3).
void check_apex_params(const Collected& c, const std::vector<Nsec3Params>& nsec3params,
                       const std::vector<ParamGroup>& groups, DenialAnalysis& out) {
  const std::size_t zero_flag_params = static_cast<std::size_t>(
      std::count_if(nsec3params.begin(), nsec3params.end(), [](const Nsec3Params& p) { return p.flags == 0; }));
  for (const Nsec3Params& p : nsec3params) {
    if (p.flags != 0) {
      out.params.push_back({Nsec3ParamFaultKind::flags_nonzero, c.nsec3param, p, zero_flag_params});
    } else if (out.nsec3_records > 0 && group_count(groups, p) == 0) {
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
}

// Records of other parameter sets: a second, partial chain. One finding per set; a set that
// another NSEC3PARAM announces is a chain being built or retired (RFC 5155 §10.4), not a fault.
void check_foreign_params(const std::vector<ParamGroup>& groups, const std::vector<Nsec3Params>& nsec3params,
                          const Nsec3Params& chain, DenialAnalysis& out) {
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
}

// The chain's records, by hash.
std::vector<ChainRecord> chain_records(const Collected& c, Name apex, const Nsec3Params& chain, DenialAnalysis& out) {
  dns::Bytes scratch_bytes;
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
  return records;
}

// Counts the chain's records and those with Opt-Out, which only insecure delegations need and
// which is set on all of the chain's records or on none.
void check_opt_out(const std::vector<ChainRecord>& records, const Nsec3Params& chain, DenialAnalysis& out) {
  out.chain_records = records.size();
  out.opt_out_records = static_cast<std::size_t>(
      std::count_if(records.begin(), records.end(), [](const ChainRecord& r) { return (r.flags & 1) != 0; }));
  if (out.opt_out_records > 0 && out.insecure_delegations == 0) {
    out.params.push_back({Nsec3ParamFaultKind::opt_out_unneeded, records.front().record, chain, out.opt_out_records});
  } else if (out.opt_out_records > 0 && out.opt_out_records < records.size()) {
    out.params.push_back({Nsec3ParamFaultKind::opt_out_mixed, records.front().record, chain, out.opt_out_records});
  }
}

// Every name to hash: the names (an insecure delegation is optional under Opt-Out) and the
// empty non-terminals (optional when only insecure delegations lie below them, RFC 5155 §7.1).
// Sorted by hash.
std::vector<HashedName> hash_names(const Collected& c, const std::vector<dns::Bytes>& ents, const Nsec3Params& chain) {
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
    std::size_t p = 0; // names are sorted, and so are the ENTs: walk both once
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
  return hashed;
}

// Match names and records (both sorted by hash).
void match_names_and_records(std::vector<HashedName>& hashed, std::vector<ChainRecord>& records) {
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
}

// Names without a record: missing, unless optional and covered by an Opt-Out NSEC3.
std::vector<std::uint32_t> missing_names(const std::vector<HashedName>& hashed,
                                         const std::vector<ChainRecord>& records) {
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
  return missing;
}

// The ring: every record of the chain and every missing name, by hash.
std::vector<RingEntry> build_ring(const std::vector<ChainRecord>& records, const std::vector<HashedName>& hashed,
                                  const std::vector<std::uint32_t>& missing) {
  std::vector<RingEntry> ring;
  ring.reserve(records.size() + missing.size());
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
  return ring;
}

// Walks the ring: stray records, each record's bitmap and its Next Hashed Owner Name. Returns
// the difference array (size ring.size() + 1) of the ring positions a bad_next fault jumps over.
std::vector<std::int32_t> check_ring(const HashedChain& ch, DenialAnalysis& out) {
  const Collected& c = ch.c;
  const std::vector<ChainRecord>& records = ch.records;
  const std::vector<HashedName>& hashed = ch.hashed;
  const std::vector<RingEntry>& ring = ch.ring;
  const std::size_t n = c.names.size();
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
      continue; // its pointer is part of the same fault
    }
    const std::optional<Nsec3Rdata> r = parse_nsec3(rec.record.rdata(0));
    const HashedName& owner = hashed[rec.entry];
    const Name name = ch.name_of(owner.ref);
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
    const auto it = std::lower_bound(ring.begin(), ring.end(), next,
                                     [](const RingEntry& x, const Nsec3Hash& h) { return x.hash < h; });
    const std::size_t j = static_cast<std::size_t>(it - ring.begin());
    const bool lands = j < m && ring[j].hash == next;
    const CyclicRange skipped = skipped_range(i, j, m);
    if (lands && range_sum(not_stray_prefix, skipped, m) == 0) {
      continue; // it only jumps over stray records: the stray faults say it
    }
    Nsec3Fault f;
    f.kind = Nsec3FaultKind::bad_next;
    f.record = rec.record;
    f.name = name;
    f.ent = ent;
    f.hash = rec.hash;
    f.next = next;
    f.expected = succ.hash;
    f.expected_name = ch.ring_name(succ);
    if (lands) {
      f.next_name = ch.ring_name(ring[j]);
      f.next_has_record = !ring[j].missing;
    } else {
      const auto h = std::lower_bound(hashed.begin(), hashed.end(), next,
                                      [](const HashedName& x, const Nsec3Hash& v) { return x.hash < v; });
      if (h != hashed.end() && h->hash == next) {
        f.next_name = ch.name_of(h->ref);
      }
    }
    f.skipped.total = skipped.count;
    for (std::size_t k = 0; k < std::min<std::size_t>(skipped.count, f.skipped.names.size()); ++k) {
      sample_add(f.skipped, ch.ring_name(ring[(skipped.first + k) % m]));
    }
    f.skipped_missing = range_sum(missing_prefix, skipped, m);
    f.skipped_optional = range_sum(optional_prefix, skipped, m);
    mark_range(explained, skipped, m);
    out.nsec3.push_back(f);
  }
  return explained;
}

// A missing name is reported unless a bad_next fault already jumps over it (`explained`).
void report_missing(const HashedChain& ch, const std::vector<std::int32_t>& explained, DenialAnalysis& out) {
  const std::size_t n = ch.c.names.size();
  const std::size_t m = ch.ring.size();
  const std::vector<std::uint8_t> covered = covered_of(explained, m);
  for (std::size_t i = 0; i < m; ++i) {
    if (!ch.ring[i].missing || covered[i] != 0) {
      continue;
    }
    const HashedName& h = ch.hashed[ch.ring[i].ref];
    Nsec3Fault f;
    f.kind = Nsec3FaultKind::missing;
    f.name = ch.name_of(h.ref);
    f.hash = h.hash;
    f.optional = h.optional;
    f.ent = h.ref >= n;
    if (!f.ent) {
      f.data = first_rrset(ch.c.names[h.ref]);
    }
    out.nsec3.push_back(f);
  }
}

} // namespace

void check_nsec3(const dns::ZoneStore& store, const dns::ZoneLayout& layout, const Collected& c, DenialAnalysis& out) {
  const Name apex = store.origin();
  const std::vector<Nsec3Params> nsec3params = parse_apex_params(c, out);
  const std::vector<ParamGroup> groups = group_by_params(c);
  const std::optional<Nsec3Params> chosen = choose_chain(nsec3params, groups);
  if (!chosen) {
    return; // only malformed NSEC3 records: reported below with no chain
  }
  out.chain = *chosen;
  out.chain->flags = 0;
  const Nsec3Params& chain = *out.chain;

  check_apex_params(c, nsec3params, groups, out);
  if (c.nsec3_sets.empty()) {
    Nsec3Fault f;
    f.kind = Nsec3FaultKind::no_records;
    f.record = c.nsec3param;
    out.nsec3.push_back(f);
    return;
  }
  if (chain.algorithm != 1) {
    out.params.push_back(
        {Nsec3ParamFaultKind::unknown_algorithm, c.nsec3param.empty() ? out.first_nsec3 : c.nsec3param, chain, 0});
    return; // nothing can be hashed
  }
  check_foreign_params(groups, nsec3params, chain, out);

  HashedChain ch{c, layout.empty_non_terminals(), {}, {}, {}};
  ch.records = chain_records(c, apex, chain, out);
  check_opt_out(ch.records, chain, out);
  if (chain.iterations > k_max_hashed_iterations) {
    // Bounded work (RFC 9276 §3.2): no validator hashes this many iterations, and hashing every
    // name of a large zone 65,535 times would take hours. dnssec/nsec3-parameters reports it.
    out.nsec3_not_hashed = chain.iterations;
    return;
  }
  ch.hashed = hash_names(c, ch.ents, chain);
  match_names_and_records(ch.hashed, ch.records);
  const std::vector<std::uint32_t> missing = missing_names(ch.hashed, ch.records);
  ch.ring = build_ring(ch.records, ch.hashed, missing);
  const std::vector<std::int32_t> explained = check_ring(ch, out);
  report_missing(ch, explained, out);
}

} // namespace detail

} // namespace zw::dnssec
