#include "dnssec/denial_proof.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "dnssec/denial.hpp"

namespace zw::dnssec {

namespace {

namespace rrtype = dns::rrtype;
using Name = std::span<const std::uint8_t>;

// `name` without its `n` leftmost labels (a view: no allocation).
Name skip_labels(Name name, unsigned n) noexcept {
  std::size_t pos = 0;
  for (unsigned i = 0; i < n && pos < name.size() && name[pos] != 0; ++i) {
    pos += 1 + name[pos];
  }
  return name.subspan(std::min(pos, name.size()));
}

// The ancestor of `name` (or `name` itself) with `labels` labels.
Name ancestor(Name name, unsigned labels) noexcept {
  const unsigned count = dns::label_count(name);
  return labels >= count ? name : skip_labels(name, count - labels);
}

bool at_or_below(Name name, Name apex) noexcept {
  const unsigned ln = dns::label_count(name);
  const unsigned la = dns::label_count(apex);
  return la <= ln && dns::names_equal(skip_labels(name, ln - la), apex);
}

bool strictly_below(Name name, Name apex) noexcept {
  return dns::label_count(name) > dns::label_count(apex) && at_or_below(name, apex);
}

// Labels of the longest common ancestor of `a` and `b`.
unsigned common_labels(Name a, Name b) noexcept {
  unsigned n = std::min(dns::label_count(a), dns::label_count(b));
  while (n > 0 && !dns::names_equal(ancestor(a, n), ancestor(b, n))) {
    --n;
  }
  return n;
}

bool has_type(const std::vector<std::uint16_t>& types, std::uint16_t type) noexcept {
  return std::binary_search(types.begin(), types.end(), type);
}

std::string text(Name name) {
  return dns::name_to_text(name);
}

ProofResult fail(ProofFault fault, std::string detail) {
  ProofResult r;
  r.fault = fault;
  r.detail = std::move(detail);
  return r;
}

// `*.<ce>` into `out`, reusing its storage.
void wildcard_of(Name ce, dns::Bytes& out) {
  out.assign({1, '*'});
  out.insert(out.end(), ce.begin(), ce.end());
}

// The bitmap checks shared by NSEC and NSEC3 NODATA (RFC 4035 §3.1.3.1, RFC 5155 §8.5, §8.7,
// RFC 6840 §4.3: the CNAME bit too, or a CNAME answer could be turned into NODATA).
// `what()` names the record; it is called only on failure, so the success path builds no text.
template <typename What>
std::optional<ProofResult> bitmap_denies(const std::vector<std::uint16_t>& types, std::uint16_t qtype, What what) {
  if (has_type(types, qtype)) {
    return fail(ProofFault::type_present, fmt::format("{} lists {}", what(), dns::type_to_text(qtype)));
  }
  if (qtype != rrtype::cname && has_type(types, rrtype::cname)) {
    return fail(ProofFault::type_present, fmt::format("{} lists CNAME", what()));
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------- NSEC

struct NsecRecord {
  Name owner;
  Name next;
  std::vector<std::uint16_t> types;

  // RFC 6840 §4.1: an NSEC at a zone cut (NS without SOA) or at a DNAME says nothing about the
  // names below its owner, even where canonical order puts them between owner and next.
  bool cut() const noexcept {
    return (has_type(types, rrtype::ns) && !has_type(types, rrtype::soa)) || has_type(types, rrtype::dname);
  }
};

// The proof `kind` calls for, from an NsecProof or an Nsec3Proof (both name their proofs alike).
template <typename Proof>
ProofResult prove(Proof& proof, ResponseKind kind, unsigned wildcard_labels) {
  switch (kind) {
  case ResponseKind::nxdomain:
    return proof.nxdomain();
  case ResponseKind::nodata:
    return proof.nodata();
  case ResponseKind::wildcard_answer:
    return proof.wildcard_answer(wildcard_labels);
  case ResponseKind::wildcard_nodata:
    return proof.wildcard_nodata(wildcard_labels);
  case ResponseKind::referral_no_ds:
    return proof.referral();
  }
  return fail(ProofFault::malformed, "unknown response kind");
}

class NsecProof {
public:
  NsecProof(Name qname, std::uint16_t qtype, Name zone) : m_qname(qname), m_qtype(qtype), m_zone(zone) {}

  std::optional<ProofResult> load(std::span<const dns::Rr> records) {
    for (const dns::Rr& rr : records) {
      if (rr.type != rrtype::nsec) {
        continue;
      }
      NsecRecord rec;
      rec.owner = rr.owner;
      const std::size_t next_len = dns::wire_name_length(rr.rdata);
      if (dns::wire_name_length(rr.owner) != rr.owner.size() || next_len == 0 ||
          !parse_type_bitmap(Name(rr.rdata).subspan(next_len), rec.types)) {
        return fail(ProofFault::malformed, fmt::format("NSEC at {}: RDATA does not parse", text(rr.owner)));
      }
      rec.next = Name(rr.rdata).first(next_len);
      if (!at_or_below(rec.owner, m_zone)) {
        return fail(ProofFault::wrong_zone,
                    fmt::format("NSEC at {} is outside zone {}", text(rec.owner), text(m_zone)));
      }
      m_records.push_back(std::move(rec));
    }
    return std::nullopt;
  }

  ProofResult check(ResponseKind kind, unsigned wildcard_labels) { return prove(*this, kind, wildcard_labels); }

private:
  template <typename Proof> friend ProofResult prove(Proof&, ResponseKind, unsigned);
  const NsecRecord* matching(Name name) const noexcept {
    for (const NsecRecord& rec : m_records) {
      if (dns::names_equal(rec.owner, name)) {
        return &rec;
      }
    }
    return nullptr;
  }

  // RFC 4034 §4.1.1: the record covers the names strictly between owner and next in canonical
  // order; the last NSEC of the zone points back to the apex and covers everything after it.
  // `blocked` is set when a record covers `name` only across a zone cut (RFC 6840 §4.1).
  const NsecRecord* covering(Name name, bool& blocked) const {
    for (const NsecRecord& rec : m_records) {
      const bool after_owner = dns::canonical_compare(rec.owner, name) < 0;
      const bool wraps = dns::canonical_compare(rec.next, rec.owner) <= 0;
      if (!after_owner || (!wraps && dns::canonical_compare(name, rec.next) >= 0)) {
        continue;
      }
      if (rec.cut() && strictly_below(name, rec.owner)) {
        blocked = true;
        continue;
      }
      return &rec;
    }
    return nullptr;
  }

  ProofResult not_covered(Name name, bool blocked, ProofFault fault) const {
    if (blocked) {
      return fail(ProofFault::wrong_zone,
                  fmt::format("{} is covered only by an NSEC at a zone cut or DNAME above it", text(name)));
    }
    ProofResult r = fail(fault, fmt::format("no NSEC covers {}", text(name)));
    // The returned record closest before `name`; a next name between the two is a chain gap.
    const NsecRecord* before = nullptr;
    for (const NsecRecord& rec : m_records) {
      if (dns::canonical_compare(rec.owner, name) < 0 &&
          (before == nullptr || dns::canonical_compare(before->owner, rec.owner) < 0)) {
        before = &rec;
      }
    }
    if (before != nullptr && dns::canonical_compare(before->owner, before->next) < 0 &&
        dns::canonical_compare(before->next, name) < 0) {
      r.gap_owner = text(before->owner);
      r.gap_next = text(before->next);
      r.detail += fmt::format("; the NSEC at {} points to {}, which has no NSEC on this server", r.gap_owner,
                              r.gap_next);
    }
    return r;
  }

  // The wildcard *.<ce> must not exist: no NSEC matches it and one covers it (RFC 4035 §3.1.3.2).
  std::optional<ProofResult> wildcard_denied(Name ce) {
    wildcard_of(ce, m_wildcard);
    if (matching(m_wildcard) != nullptr) {
      return fail(ProofFault::wildcard_not_denied,
                  fmt::format("an NSEC matches {}: the wildcard exists", text(m_wildcard)));
    }
    bool blocked = false;
    if (covering(m_wildcard, blocked) == nullptr) {
      return not_covered(m_wildcard, blocked, ProofFault::wildcard_not_denied);
    }
    return std::nullopt;
  }

  // The closest encloser of a non-existent qname is the longer of its common ancestors with the
  // owner and the next name of the NSEC covering it (RFC 4035 §5.4: those two names exist and
  // nothing exists between them), never above the apex.
  Name closest_encloser(const NsecRecord& cover) const noexcept {
    const unsigned labels =
        std::max({common_labels(m_qname, cover.owner), common_labels(m_qname, cover.next), dns::label_count(m_zone)});
    return ancestor(m_qname, labels);
  }

  // A covering NSEC whose next name lies below the qname shows that the qname is an empty
  // non-terminal: it exists, and cannot be denied as a name.
  std::optional<ProofResult> exists_as_ent(const NsecRecord& cover) const {
    if (strictly_below(cover.next, m_qname)) {
      return fail(ProofFault::qname_not_covered,
                  fmt::format("the NSEC at {} points to {}: {} is an empty non-terminal, it exists", text(cover.owner),
                              text(cover.next), text(m_qname)));
    }
    return std::nullopt;
  }

  ProofResult nxdomain() {
    if (const NsecRecord* m = matching(m_qname)) {
      return fail(ProofFault::qname_not_covered, fmt::format("the NSEC at {} shows that it exists", text(m->owner)));
    }
    bool blocked = false;
    const NsecRecord* cover = covering(m_qname, blocked);
    if (cover == nullptr) {
      return not_covered(m_qname, blocked, ProofFault::qname_not_covered);
    }
    if (std::optional<ProofResult> r = exists_as_ent(*cover)) {
      return std::move(*r);
    }
    if (std::optional<ProofResult> r = wildcard_denied(closest_encloser(*cover))) {
      return std::move(*r);
    }
    return {};
  }

  ProofResult nodata() {
    if (const NsecRecord* m = matching(m_qname)) {
      const auto what = [m] { return fmt::format("the NSEC at {}", text(m->owner)); };
      if (m_qtype == rrtype::ds) {
        // The DS RRset lives at the parent side of the cut (RFC 4035 §2.4): the child apex NSEC
        // (SOA set) cannot deny it, except at the root which has no parent.
        if (has_type(m->types, rrtype::soa) && dns::label_count(m_qname) > 0) {
          return fail(ProofFault::wrong_zone, what() + " is the child zone's apex: it cannot deny DS");
        }
      } else if (has_type(m->types, rrtype::ns) && !has_type(m->types, rrtype::soa)) {
        // RFC 6840 §4.1: the parent is not authoritative for anything at the cut but DS.
        return fail(ProofFault::wrong_zone, what() + " is at a delegation: it denies only DS");
      }
      if (std::optional<ProofResult> r = bitmap_denies(m->types, m_qtype, what)) {
        return std::move(*r);
      }
      return {};
    }
    // An empty non-terminal owns no NSEC: the NSEC covering it has a next name below it
    // (RFC 4035 §3.1.3.1 read with RFC 4034 §4.1.1: the next name is in the zone).
    bool blocked = false;
    if (const NsecRecord* cover = covering(m_qname, blocked)) {
      if (strictly_below(cover->next, m_qname)) {
        return {};
      }
      return fail(ProofFault::no_matching_record,
                  fmt::format("no NSEC matches {}; the NSEC at {} shows that it does not exist", text(m_qname),
                              text(cover->owner)));
    }
    if (blocked) {
      return not_covered(m_qname, blocked, ProofFault::no_matching_record);
    }
    return fail(ProofFault::no_matching_record, fmt::format("no NSEC matches {}", text(m_qname)));
  }

  // RFC 4035 §5.3.4: the RRSIG Labels field gives the closest encloser; the next closer name
  // (one label more) must be proven absent, which also proves the qname absent.
  ProofResult wildcard_answer(unsigned wildcard_labels) {
    if (std::optional<ProofResult> r = check_labels(wildcard_labels)) {
      return std::move(*r);
    }
    const Name next_closer = ancestor(m_qname, wildcard_labels + 1);
    bool blocked = false;
    if (covering(next_closer, blocked) == nullptr) {
      return not_covered(next_closer, blocked, ProofFault::qname_not_covered);
    }
    return {};
  }

  // RFC 4035 §3.1.3.4: an NSEC proving the qname absent and the NSEC of the wildcard that
  // matched, without the qtype.
  ProofResult wildcard_nodata(unsigned wildcard_labels) {
    if (const NsecRecord* m = matching(m_qname)) {
      return fail(ProofFault::qname_not_covered, fmt::format("the NSEC at {} shows that it exists", text(m->owner)));
    }
    Name ce;
    if (wildcard_labels > 0) {
      if (std::optional<ProofResult> r = check_labels(wildcard_labels)) {
        return std::move(*r);
      }
      ce = ancestor(m_qname, wildcard_labels);
      const Name next_closer = ancestor(m_qname, wildcard_labels + 1);
      bool blocked = false;
      if (covering(next_closer, blocked) == nullptr) {
        return not_covered(next_closer, blocked, ProofFault::qname_not_covered);
      }
    } else {
      bool blocked = false;
      const NsecRecord* cover = covering(m_qname, blocked);
      if (cover == nullptr) {
        return not_covered(m_qname, blocked, ProofFault::qname_not_covered);
      }
      if (std::optional<ProofResult> r = exists_as_ent(*cover)) {
        return std::move(*r);
      }
      ce = closest_encloser(*cover);
    }
    wildcard_of(ce, m_wildcard);
    const NsecRecord* m = matching(m_wildcard);
    if (m == nullptr) {
      return fail(ProofFault::no_matching_record, fmt::format("no NSEC matches the wildcard {}", text(m_wildcard)));
    }
    const auto what = [m] { return fmt::format("the NSEC at {}", text(m->owner)); };
    if (std::optional<ProofResult> r = bitmap_denies(m->types, m_qtype, what)) {
      return std::move(*r);
    }
    return {};
  }

  // RFC 4035 §5.2, RFC 6840 §4.4: the NSEC at the cut has NS, and neither DS nor SOA.
  ProofResult referral() {
    const NsecRecord* m = matching(m_qname);
    if (m == nullptr) {
      return fail(ProofFault::no_matching_record, fmt::format("no NSEC matches the delegation {}", text(m_qname)));
    }
    const auto what = [m] { return fmt::format("the NSEC at {}", text(m->owner)); };
    if (has_type(m->types, rrtype::soa)) {
      return fail(ProofFault::wrong_zone, what() + " is a zone apex (SOA): it is not the parent's record");
    }
    if (!has_type(m->types, rrtype::ns)) {
      return fail(ProofFault::no_matching_record, what() + " lists no NS: it is not a delegation");
    }
    if (has_type(m->types, rrtype::ds)) {
      return fail(ProofFault::type_present, what() + " lists DS");
    }
    return {};
  }

  std::optional<ProofResult> check_labels(unsigned wildcard_labels) const {
    if (wildcard_labels >= dns::label_count(m_qname) || wildcard_labels < dns::label_count(m_zone)) {
      return fail(ProofFault::malformed, fmt::format("RRSIG Labels {} is impossible for a wildcard answer for {} in {}",
                                                     wildcard_labels, text(m_qname), text(m_zone)));
    }
    return std::nullopt;
  }

  Name m_qname;
  std::uint16_t m_qtype;
  Name m_zone;
  std::vector<NsecRecord> m_records;
  dns::Bytes m_wildcard;
};

// --------------------------------------------------------------------------------------- NSEC3

struct Nsec3Record {
  Name owner;
  Nsec3Hash hash{};
  Nsec3Hash next{};
  bool opt_out = false;
  std::vector<std::uint16_t> types;

  bool delegation() const noexcept { return has_type(types, rrtype::ns) && !has_type(types, rrtype::soa); }
};

// What a closest encloser proof found (RFC 5155 §8.3).
struct EncloserProof {
  unsigned ce_labels = 0;
  const Nsec3Record* ce = nullptr;    // matches the closest encloser
  const Nsec3Record* cover = nullptr; // covers the next closer name (null when ce is the qname)
};

class Nsec3Proof {
public:
  Nsec3Proof(Name qname, std::uint16_t qtype, Name zone) : m_qname(qname), m_qtype(qtype), m_zone(zone) {}

  // Parses the records; RFC 5155 §8.1 and §8.2: records with an unknown hash algorithm or
  // unknown flags are ignored.
  std::optional<ProofResult> load(std::span<const dns::Rr> records, unsigned max_iterations) {
    std::size_t unknown_algorithm = 0;
    std::size_t unknown_flags = 0;
    dns::Bytes decoded;
    for (const dns::Rr& rr : records) {
      if (rr.type != rrtype::nsec3) {
        continue;
      }
      const std::optional<Nsec3Rdata> rdata = parse_nsec3(rr.rdata);
      if (!rdata) {
        return fail(ProofFault::malformed, fmt::format("NSEC3 at {}: RDATA does not parse", text(rr.owner)));
      }
      if (rdata->params.algorithm != 1) {
        ++unknown_algorithm;
        continue;
      }
      if ((rdata->params.flags & ~1u) != 0) {
        ++unknown_flags;
        continue;
      }
      const Name owner = rr.owner;
      if (dns::wire_name_length(owner) != owner.size() || owner.size() < 2) {
        return fail(ProofFault::malformed, fmt::format("NSEC3 owner {} is not a name", text(owner)));
      }
      // RFC 5155 §7.1 / §8.3: the owner is one hash label directly below the apex.
      if (!dns::names_equal(skip_labels(owner, 1), m_zone)) {
        return fail(ProofFault::wrong_zone,
                    fmt::format("NSEC3 at {} is not directly below zone {}", text(owner), text(m_zone)));
      }
      Nsec3Record rec;
      rec.owner = owner;
      rec.opt_out = (rdata->params.flags & 1u) != 0;
      if (owner[0] != 32 || !base32hex_decode(owner.subspan(1, 32), decoded) || decoded.size() != rec.hash.size() ||
          rdata->next_hashed.size() != rec.next.size() || !parse_type_bitmap(rdata->bitmap, rec.types)) {
        return fail(ProofFault::malformed,
                    fmt::format("NSEC3 at {}: owner hash, next hash or bitmap does not parse", text(owner)));
      }
      std::copy(decoded.begin(), decoded.end(), rec.hash.begin());
      std::copy(rdata->next_hashed.begin(), rdata->next_hashed.end(), rec.next.begin());
      if (!m_params) {
        m_params = rdata->params;
      } else if (!m_params->same_hash(rdata->params)) {
        ProofResult r =
            fail(ProofFault::inconsistent_params, fmt::format("NSEC3 at {} uses {}, the others {}", text(owner),
                                                              to_text(rdata->params), to_text(*m_params)));
        r.iterations = m_params->iterations;
        return r;
      }
      m_records.push_back(std::move(rec));
    }
    if (m_records.empty()) {
      if (unknown_algorithm > 0) {
        return fail(ProofFault::unsupported_hash,
                    fmt::format("{} NSEC3 record(s), none with hash algorithm 1 (SHA-1)", unknown_algorithm));
      }
      return fail(ProofFault::no_records, fmt::format("{} NSEC3 record(s) with unknown flags, ignored", unknown_flags));
    }
    if (m_params->iterations > max_iterations) {
      // RFC 9276 §3.2: a validator may treat the response as insecure rather than pay for
      // the hashes; nothing is hashed.
      ProofResult r = fail(ProofFault::too_many_iterations, fmt::format("NSEC3 iterations {} above the limit of {}",
                                                                        m_params->iterations, max_iterations));
      r.iterations = m_params->iterations;
      return r;
    }
    m_hasher.emplace(*m_params);
    return std::nullopt;
  }

  ProofResult check(ResponseKind kind, unsigned wildcard_labels) {
    ProofResult r = prove(*this, kind, wildcard_labels);
    r.iterations = m_params->iterations;
    return r;
  }

private:
  template <typename Proof> friend ProofResult prove(Proof&, ResponseKind, unsigned);

  // IH(salt, name, iterations) (RFC 5155 §5). The hasher only fails on an unknown algorithm,
  // excluded by load(), or a digest failure, reported as no match.
  bool hash(Name name, Nsec3Hash& out) {
    m_lower.assign(name.begin(), name.end());
    // RFC 5155 §5: the name is hashed in canonical (lower case) form.
    for (std::uint8_t& c : m_lower) {
      if (c >= 'A' && c <= 'Z') {
        c = static_cast<std::uint8_t>(c + 32);
      }
    }
    return m_hasher->hash(m_lower, out);
  }

  const Nsec3Record* matching(Name name) {
    Nsec3Hash h{};
    if (!hash(name, h)) {
      return nullptr;
    }
    for (const Nsec3Record& rec : m_records) {
      if (rec.hash == h) {
        return &rec;
      }
    }
    return nullptr;
  }

  // RFC 5155 §3.1.7 / §8.3: covers the hashes strictly between owner and next; the last record
  // of the chain (next <= owner) wraps around.
  const Nsec3Record* covering(Name name, Nsec3Hash& h) {
    if (!hash(name, h)) {
      return nullptr;
    }
    for (const Nsec3Record& rec : m_records) {
      const bool wraps = rec.next <= rec.hash;
      if ((rec.hash < h && h < rec.next) || (wraps && (rec.hash < h || h < rec.next))) {
        return &rec;
      }
    }
    return nullptr;
  }

  // A failure to cover hash `h`; with the chain gap when the returned record closest before
  // `h` stops short of it (ProofResult::gap_owner).
  ProofResult not_covered(ProofFault fault, std::string detail, const Nsec3Hash& h) const {
    ProofResult r = fail(fault, std::move(detail));
    // The closest record before `h` in the ring of hashes: the greatest hash below it, or, when
    // there is none, the last record of the chain (the greatest hash), which wraps around.
    const Nsec3Record* before = nullptr;
    const Nsec3Record* last = nullptr;
    for (const Nsec3Record& rec : m_records) {
      if (rec.hash < h && (before == nullptr || before->hash < rec.hash)) {
        before = &rec;
      }
      if (last == nullptr || last->hash < rec.hash) {
        last = &rec;
      }
    }
    before = before != nullptr ? before : last;
    // Going round the ring from the record's hash, its next hash comes before `h`.
    const auto stops_short = [&h](const Nsec3Record& rec) {
      return rec.hash < h ? rec.hash < rec.next && rec.next < h : rec.hash < rec.next || rec.next < h;
    };
    if (before != nullptr && before->hash != h && stops_short(*before)) {
      r.gap_owner = text(before->owner);
      r.gap_next = fmt::format("{}.{}", base32hex(before->next), text(m_zone));
      r.detail += fmt::format("; the NSEC3 at {} points to {}, which has no NSEC3 on this server", r.gap_owner,
                              r.gap_next);
    }
    return r;
  }

  std::string what(const Nsec3Record& rec, Name name) const {
    return fmt::format("the NSEC3 at {} (for {})", text(rec.owner), text(name));
  }

  // RFC 5155 §8.3: the longest ancestor X of the qname matched by an NSEC3, and the name one
  // label longer covered. Candidates run from the qname up to the apex.
  ProofResult encloser_proof(EncloserProof& out) {
    const unsigned zone_labels = dns::label_count(m_zone);
    unsigned labels = dns::label_count(m_qname) + 1;
    const Nsec3Record* ce = nullptr;
    while (ce == nullptr && labels > zone_labels) {
      --labels;
      ce = matching(ancestor(m_qname, labels));
    }
    if (ce == nullptr) {
      return fail(ProofFault::no_closest_encloser,
                  fmt::format("no NSEC3 matches {} or any ancestor of it in {}", text(m_qname), text(m_zone)));
    }
    out.ce_labels = labels;
    out.ce = ce;
    const Name ce_name = ancestor(m_qname, labels);
    // RFC 5155 §8.3, RFC 6840 §4.1: the closest encloser's NSEC3 must be from the proper zone:
    // no DNAME, and NS only with SOA; otherwise it is the parent side of a cut.
    // (At the qname itself both may be set: the callers judge that record.)
    if (labels < dns::label_count(m_qname) && (has_type(ce->types, rrtype::dname) || ce->delegation())) {
      return fail(ProofFault::wrong_zone,
                  fmt::format("{} is at a {}: it cannot deny names below it", what(*ce, ce_name),
                              has_type(ce->types, rrtype::dname) ? "DNAME" : "delegation"));
    }
    if (labels == dns::label_count(m_qname)) {
      return {}; // the qname exists; the callers decide
    }
    const Name next_closer = ancestor(m_qname, labels + 1);
    Nsec3Hash h{};
    out.cover = covering(next_closer, h);
    if (out.cover == nullptr) {
      return not_covered(ProofFault::qname_not_covered,
                         fmt::format("closest encloser {}; no NSEC3 covers the next closer {} (hash {})",
                                     text(ce_name), text(next_closer), base32hex(h)),
                         h);
    }
    ProofResult r;
    r.opt_out = out.cover->opt_out;
    return r;
  }

  // RFC 5155 §8.4: closest encloser proof, and *.<closest encloser> covered.
  ProofResult nxdomain() {
    EncloserProof proof;
    ProofResult r = encloser_proof(proof);
    if (!r.ok()) {
      return r;
    }
    if (proof.cover == nullptr) {
      return fail(ProofFault::qname_not_covered, fmt::format("{} shows that it exists", what(*proof.ce, m_qname)));
    }
    if (std::optional<ProofResult> w = wildcard_denied(ancestor(m_qname, proof.ce_labels))) {
      return std::move(*w);
    }
    // An Opt-Out span over the next closer name leaves room for an unsigned delegation: the
    // NXDOMAIN is then insecure (RFC 5155 §9.2); r.opt_out says so.
    return r;
  }

  std::optional<ProofResult> wildcard_denied(Name ce) {
    wildcard_of(ce, m_wildcard);
    if (const Nsec3Record* m = matching(m_wildcard)) {
      return fail(ProofFault::wildcard_not_denied,
                  fmt::format("{} shows that the wildcard exists", what(*m, m_wildcard)));
    }
    Nsec3Hash h{};
    if (covering(m_wildcard, h) == nullptr) {
      return not_covered(ProofFault::wildcard_not_denied,
                         fmt::format("no NSEC3 covers {} (hash {})", text(m_wildcard), base32hex(h)), h);
    }
    return std::nullopt;
  }

  // RFC 5155 §8.5, §8.6 (with erratum 3441): the NSEC3 matching the qname without qtype and
  // CNAME; failing that, for DS or an empty non-terminal above an unsigned delegation, a closest
  // encloser proof whose next closer is covered by an Opt-Out NSEC3 (insecure).
  ProofResult nodata() {
    if (const Nsec3Record* m = matching(m_qname)) {
      const auto w = [this, m] { return what(*m, m_qname); };
      if (m_qtype == rrtype::ds) {
        if (has_type(m->types, rrtype::soa) && dns::label_count(m_qname) > 0) {
          return fail(ProofFault::wrong_zone, w() + " is the child zone's apex: it cannot deny DS");
        }
      } else if (m->delegation()) {
        return fail(ProofFault::wrong_zone, w() + " is at a delegation: it denies only DS");
      }
      if (std::optional<ProofResult> r = bitmap_denies(m->types, m_qtype, w)) {
        return std::move(*r);
      }
      return {};
    }
    return opt_out_proof("no NSEC3 matches");
  }

  // No NSEC3 matches the qname: only an Opt-Out closest encloser proof can stand in for it.
  ProofResult opt_out_proof(std::string_view lead) {
    EncloserProof proof;
    ProofResult r = encloser_proof(proof);
    if (!r.ok()) {
      // What is missing is the record at the qname; a wrong_zone finding stays more precise.
      if (r.fault == ProofFault::qname_not_covered || r.fault == ProofFault::no_closest_encloser) {
        r.fault = ProofFault::no_matching_record;
      }
      r.detail = fmt::format("{} {}; {}", lead, text(m_qname), r.detail);
      return r;
    }
    if (proof.cover == nullptr || !proof.cover->opt_out) {
      return fail(ProofFault::no_matching_record,
                  fmt::format("{} {}, and no Opt-Out NSEC3 covers its next closer name", lead, text(m_qname)));
    }
    return r;
  }

  // RFC 5155 §8.8: the next closer name (from the RRSIG Labels field) is covered.
  ProofResult wildcard_answer(unsigned wildcard_labels) {
    if (wildcard_labels >= dns::label_count(m_qname) || wildcard_labels < dns::label_count(m_zone)) {
      return bad_labels(wildcard_labels);
    }
    const Name next_closer = ancestor(m_qname, wildcard_labels + 1);
    Nsec3Hash h{};
    const Nsec3Record* cover = covering(next_closer, h);
    if (cover == nullptr) {
      return not_covered(ProofFault::qname_not_covered,
                         fmt::format("no NSEC3 covers the next closer {} (hash {})", text(next_closer), base32hex(h)),
                         h);
    }
    ProofResult r;
    r.opt_out = cover->opt_out;
    return r;
  }

  // RFC 5155 §8.7: closest encloser proof, and the NSEC3 matching *.<closest encloser> without
  // qtype and CNAME.
  ProofResult wildcard_nodata(unsigned wildcard_labels) {
    if (wildcard_labels != 0 &&
        (wildcard_labels >= dns::label_count(m_qname) || wildcard_labels < dns::label_count(m_zone))) {
      return bad_labels(wildcard_labels);
    }
    EncloserProof proof;
    ProofResult r = encloser_proof(proof);
    if (!r.ok()) {
      return r;
    }
    if (proof.cover == nullptr) {
      return fail(ProofFault::qname_not_covered, fmt::format("{} shows that it exists", what(*proof.ce, m_qname)));
    }
    if (wildcard_labels != 0 && wildcard_labels != proof.ce_labels) {
      return fail(ProofFault::qname_not_covered,
                  fmt::format("the proven closest encloser {} is not the wildcard's parent {}",
                              text(ancestor(m_qname, proof.ce_labels)), text(ancestor(m_qname, wildcard_labels))));
    }
    wildcard_of(ancestor(m_qname, proof.ce_labels), m_wildcard);
    const Nsec3Record* m = matching(m_wildcard);
    if (m == nullptr) {
      return fail(ProofFault::no_matching_record, fmt::format("no NSEC3 matches the wildcard {}", text(m_wildcard)));
    }
    const auto w = [this, m] { return what(*m, m_wildcard); };
    if (std::optional<ProofResult> b = bitmap_denies(m->types, m_qtype, w)) {
      return std::move(*b);
    }
    return r;
  }

  // RFC 5155 §8.9, RFC 6840 §4.4: the NSEC3 matching the delegation has NS and neither DS nor
  // SOA; or an Opt-Out NSEC3 covers the next closer name of its closest encloser proof.
  ProofResult referral() {
    if (const Nsec3Record* m = matching(m_qname)) {
      const auto w = [this, m] { return what(*m, m_qname); };
      if (has_type(m->types, rrtype::soa)) {
        return fail(ProofFault::wrong_zone, w() + " is a zone apex (SOA): it is not the parent's record");
      }
      if (!has_type(m->types, rrtype::ns)) {
        return fail(ProofFault::no_matching_record, w() + " lists no NS: it is not a delegation");
      }
      if (has_type(m->types, rrtype::ds)) {
        return fail(ProofFault::type_present, w() + " lists DS");
      }
      return {};
    }
    return opt_out_proof("no NSEC3 matches the delegation");
  }

  ProofResult bad_labels(unsigned wildcard_labels) const {
    return fail(ProofFault::malformed, fmt::format("RRSIG Labels {} is impossible for a wildcard answer for {} in {}",
                                                   wildcard_labels, text(m_qname), text(m_zone)));
  }

  Name m_qname;
  std::uint16_t m_qtype;
  Name m_zone;
  std::vector<Nsec3Record> m_records;
  std::optional<Nsec3Params> m_params;
  std::optional<Nsec3Hasher> m_hasher; // ONE per call: its digest buffers are reused
  dns::Bytes m_lower;                  // the name being hashed, lower case (storage reused)
  dns::Bytes m_wildcard;
};

} // namespace

ProofResult check_denial_proof(std::span<const std::uint8_t> qname, std::uint16_t qtype, ResponseKind kind,
                               std::span<const std::uint8_t> zone, std::span<const dns::Rr> records,
                               unsigned wildcard_labels, unsigned max_iterations) {
  if (qname.empty() || zone.empty() || dns::wire_name_length(qname) != qname.size() ||
      dns::wire_name_length(zone) != zone.size()) {
    return fail(ProofFault::malformed, "the qname or zone is not an uncompressed wire name");
  }
  if (!at_or_below(qname, zone)) {
    return fail(ProofFault::wrong_zone, fmt::format("{} is not in zone {}", text(qname), text(zone)));
  }
  const bool any_nsec =
      std::any_of(records.begin(), records.end(), [](const dns::Rr& rr) { return rr.type == rrtype::nsec; });
  const bool any_nsec3 =
      std::any_of(records.begin(), records.end(), [](const dns::Rr& rr) { return rr.type == rrtype::nsec3; });
  if (!any_nsec && !any_nsec3) {
    return fail(ProofFault::no_records, "no NSEC or NSEC3 record in the authority section");
  }
  if (any_nsec && any_nsec3) {
    return fail(ProofFault::mixed, "both NSEC and NSEC3 records");
  }
  if (any_nsec) {
    NsecProof proof(qname, qtype, zone);
    if (std::optional<ProofResult> r = proof.load(records)) {
      return std::move(*r);
    }
    return proof.check(kind, wildcard_labels);
  }
  Nsec3Proof proof(qname, qtype, zone);
  if (std::optional<ProofResult> r = proof.load(records, max_iterations)) {
    return std::move(*r);
  }
  return proof.check(kind, wildcard_labels);
}

std::string_view to_string(ProofFault fault) noexcept {
  switch (fault) {
  case ProofFault::none:
    return "none";
  case ProofFault::no_records:
    return "no-records";
  case ProofFault::qname_not_covered:
    return "qname-not-covered";
  case ProofFault::no_closest_encloser:
    return "no-closest-encloser";
  case ProofFault::wildcard_not_denied:
    return "wildcard-not-denied";
  case ProofFault::type_present:
    return "type-present";
  case ProofFault::no_matching_record:
    return "no-matching-record";
  case ProofFault::wrong_zone:
    return "wrong-zone";
  case ProofFault::malformed:
    return "malformed";
  case ProofFault::unsupported_hash:
    return "unsupported-hash";
  case ProofFault::too_many_iterations:
    return "too-many-iterations";
  case ProofFault::inconsistent_params:
    return "inconsistent-params";
  case ProofFault::mixed:
    return "mixed";
  }
  return "unknown";
}

std::string_view to_string(ResponseKind kind) noexcept {
  switch (kind) {
  case ResponseKind::nxdomain:
    return "nxdomain";
  case ResponseKind::nodata:
    return "nodata";
  case ResponseKind::wildcard_answer:
    return "wildcard-answer";
  case ResponseKind::wildcard_nodata:
    return "wildcard-nodata";
  case ResponseKind::referral_no_ds:
    return "referral-no-ds";
  }
  return "unknown";
}

} // namespace zw::dnssec
