// The NSEC proofs of a response's denial of existence (RFC 4035 §3.1.3, §5.4; RFC 6840 §4).

#include "dnssec/denial_proof_internal.hpp"

namespace zw::dnssec::detail {

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
      r.detail +=
          fmt::format("; the NSEC at {} points to {}, which has no NSEC on this server", r.gap_owner, r.gap_next);
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

  // The NSEC that covers the QNAME and so proves it absent (RFC 4035 §3.1.3.2); nullptr, with the
  // proof's failure in `failure`, when none covers it or it exists as an empty non-terminal.
  const NsecRecord* qname_cover(std::optional<ProofResult>& failure) const {
    bool blocked = false;
    const NsecRecord* cover = covering(m_qname, blocked);
    failure = cover == nullptr ? not_covered(m_qname, blocked, ProofFault::qname_not_covered) : exists_as_ent(*cover);
    return failure ? nullptr : cover;
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
    std::optional<ProofResult> failure;
    const NsecRecord* cover = qname_cover(failure);
    if (cover == nullptr) {
      return std::move(*failure);
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
      std::optional<ProofResult> failure;
      const NsecRecord* cover = qname_cover(failure);
      if (cover == nullptr) {
        return std::move(*failure);
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
    return delegation_denies_ds(m->types, [m] { return fmt::format("the NSEC at {}", text(m->owner)); });
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

ProofResult prove_nsec(Name qname, std::uint16_t qtype, Name zone, std::span<const dns::Rr> records, ResponseKind kind,
                       unsigned wildcard_labels) {
  NsecProof proof(qname, qtype, zone);
  if (std::optional<ProofResult> r = proof.load(records)) {
    return std::move(*r);
  }
  return proof.check(kind, wildcard_labels);
}

} // namespace zw::dnssec::detail
