// The NSEC3 proofs of a response's denial of existence (RFC 5155 §8, RFC 9276 §3.2).

#include "dns/rr.hpp"
#include "dnssec/denial_proof_internal.hpp"

namespace zw::dnssec::detail {

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
      c = dns::ascii_lower(c);
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
      r.detail +=
          fmt::format("; the NSEC3 at {} points to {}, which has no NSEC3 on this server", r.gap_owner, r.gap_next);
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
                         fmt::format("closest encloser {}; no NSEC3 covers the next closer {} (hash {})", text(ce_name),
                                     text(next_closer), base32hex(h)),
                         h);
    }
    ProofResult r;
    r.opt_out = out.cover->opt_out;
    return r;
  }

  // The closest encloser proof of a QNAME that does not exist: its next closer name is covered
  // (RFC 5155 §7.2.1), not matched (the QNAME exists then).
  ProofResult absence_proof(EncloserProof& proof) {
    ProofResult r = encloser_proof(proof);
    if (r.ok() && proof.cover == nullptr) {
      return fail(ProofFault::qname_not_covered, fmt::format("{} shows that it exists", what(*proof.ce, m_qname)));
    }
    return r;
  }

  // RFC 5155 §8.4: closest encloser proof, and *.<closest encloser> covered.
  ProofResult nxdomain() {
    EncloserProof proof;
    ProofResult r = absence_proof(proof);
    if (!r.ok()) {
      return r;
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
    ProofResult r = absence_proof(proof);
    if (!r.ok()) {
      return r;
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
      return delegation_denies_ds(m->types, [this, m] { return what(*m, m_qname); });
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

ProofResult prove_nsec3(Name qname, std::uint16_t qtype, Name zone, std::span<const dns::Rr> records, ResponseKind kind,
                        unsigned wildcard_labels, unsigned max_iterations) {
  Nsec3Proof proof(qname, qtype, zone);
  if (std::optional<ProofResult> r = proof.load(records, max_iterations)) {
    return std::move(*r);
  }
  return proof.check(kind, wildcard_labels);
}

} // namespace zw::dnssec::detail
