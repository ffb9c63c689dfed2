// The denial analysis of a zone file: one pass over the names (collect), the bitmap check both
// chains share, and analyse_denial, which decides which chains to examine. The NSEC chain is in
// denial_nsec.cpp, the NSEC3 chain in denial_nsec3.cpp, NSEC3 hashing in nsec3_hash.cpp.

#include "dnssec/denial.hpp"

#include <algorithm>

#include "dnssec/denial_internal.hpp"

namespace zw::dnssec {

using dns::NameRole;
using dns::NameView;
using dns::RrsetView;
namespace rrtype = dns::rrtype;

namespace detail {

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

// A name's first RRset (for a source location).
RrsetView first_rrset(const NameView& name) {
  for (const RrsetView r : name.rrsets()) {
    return r;
  }
  return {};
}

namespace {

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

} // namespace

// Compares one bitmap with its name and records a fault when they differ. `tolerated`: a type
// that may be listed although absent, because another finding already reports its absence.
void check_bitmap(bool nsec3, const RrsetView& record, Name bitmap, const NameView* name, Name owner, NameRole role,
                  Scratch& scratch, std::vector<BitmapFault>& out, std::uint16_t tolerated) {
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

namespace {

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

} // namespace

} // namespace detail

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

using detail::Collected;

DenialAnalysis analyse_denial(const dns::ZoneStore& store, const dns::ZoneLayout& layout) {
  DenialAnalysis out;
  const Collected c = detail::collect(store, layout, out);
  if (!c.nsec3_sets.empty()) {
    out.first_nsec3 = c.nsec3_sets.front();
  }
  out.nsec3param = c.nsec3param;
  const bool any_nsec = out.nsec_records > 0;
  const bool any_nsec3 = out.nsec3_records > 0 || !c.nsec3param.empty();
  out.mechanism = any_nsec && any_nsec3 ? DenialMechanism::mixed
                  : any_nsec            ? DenialMechanism::nsec
                  : any_nsec3           ? DenialMechanism::nsec3
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
    detail::check_nsec_chain(store, layout, c, out);
  }
  if (want_nsec3) {
    detail::check_nsec3(store, layout, c, out);
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
