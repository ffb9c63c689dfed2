#pragma once
// Internals shared by the files of the denial proof check (denial_proof.cpp, denial_proof_nsec.cpp,
// denial_proof_nsec3.cpp): name helpers, the bitmap checks both proofs share, and one entry point
// per mechanism. Not part of the API: only those files include it.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "dnssec/denial.hpp"
#include "dnssec/denial_proof.hpp"

namespace zw::dnssec::detail {

namespace rrtype = dns::rrtype;
using Name = std::span<const std::uint8_t>;

// `name` without its `n` leftmost labels (a view: no allocation).
inline Name skip_labels(Name name, unsigned n) noexcept {
  std::size_t pos = 0;
  for (unsigned i = 0; i < n && pos < name.size() && name[pos] != 0; ++i) {
    pos += 1 + name[pos];
  }
  return name.subspan(std::min(pos, name.size()));
}

// The ancestor of `name` (or `name` itself) with `labels` labels.
inline Name ancestor(Name name, unsigned labels) noexcept {
  const unsigned count = dns::label_count(name);
  return labels >= count ? name : skip_labels(name, count - labels);
}

inline bool at_or_below(Name name, Name apex) noexcept {
  const unsigned ln = dns::label_count(name);
  const unsigned la = dns::label_count(apex);
  return la <= ln && dns::names_equal(skip_labels(name, ln - la), apex);
}

inline bool strictly_below(Name name, Name apex) noexcept {
  return dns::label_count(name) > dns::label_count(apex) && at_or_below(name, apex);
}

// Labels of the longest common ancestor of `a` and `b`.
inline unsigned common_labels(Name a, Name b) noexcept {
  unsigned n = std::min(dns::label_count(a), dns::label_count(b));
  while (n > 0 && !dns::names_equal(ancestor(a, n), ancestor(b, n))) {
    --n;
  }
  return n;
}

inline bool has_type(const std::vector<std::uint16_t>& types, std::uint16_t type) noexcept {
  return std::binary_search(types.begin(), types.end(), type);
}

inline std::string text(Name name) {
  return dns::name_to_text(name);
}

inline ProofResult fail(ProofFault fault, std::string detail) {
  ProofResult r;
  r.fault = fault;
  r.detail = std::move(detail);
  return r;
}

// `*.<ce>` into `out`, reusing its storage.
inline void wildcard_of(Name ce, dns::Bytes& out) {
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

// The bitmap checks shared by NSEC and NSEC3 insecure referrals (RFC 4035 §5.2, RFC 5155 §8.9,
// RFC 6840 §4.4): the record matching the delegation has NS and neither SOA (it would be the
// child's apex record) nor DS. `what()` as for bitmap_denies.
template <typename What> ProofResult delegation_denies_ds(const std::vector<std::uint16_t>& types, What what) {
  if (has_type(types, rrtype::soa)) {
    return fail(ProofFault::wrong_zone, what() + " is a zone apex (SOA): it is not the parent's record");
  }
  if (!has_type(types, rrtype::ns)) {
    return fail(ProofFault::no_matching_record, what() + " lists no NS: it is not a delegation");
  }
  if (has_type(types, rrtype::ds)) {
    return fail(ProofFault::type_present, what() + " lists DS");
  }
  return {};
}

// The proof `kind` calls for, from an NsecProof or an Nsec3Proof (both name their proofs alike).
template <typename Proof> ProofResult prove(Proof& proof, ResponseKind kind, unsigned wildcard_labels) {
  switch (kind) {
  case ResponseKind::nxdomain: return proof.nxdomain();
  case ResponseKind::nodata: return proof.nodata();
  case ResponseKind::wildcard_answer: return proof.wildcard_answer(wildcard_labels);
  case ResponseKind::wildcard_nodata: return proof.wildcard_nodata(wildcard_labels);
  case ResponseKind::referral_no_ds: return proof.referral();
  }
  return fail(ProofFault::malformed, "unknown response kind");
}

// The NSEC proof of `kind` for (`qname`, `qtype`) in `zone` from the NSEC records among `records`
// (denial_proof_nsec.cpp).
ProofResult prove_nsec(Name qname, std::uint16_t qtype, Name zone, std::span<const dns::Rr> records, ResponseKind kind,
                       unsigned wildcard_labels);

// The NSEC3 proof of `kind` for (`qname`, `qtype`) in `zone` from the NSEC3 records among
// `records`; nothing is hashed above `max_iterations` (denial_proof_nsec3.cpp).
ProofResult prove_nsec3(Name qname, std::uint16_t qtype, Name zone, std::span<const dns::Rr> records, ResponseKind kind,
                        unsigned wildcard_labels, unsigned max_iterations);

} // namespace zw::dnssec::detail
