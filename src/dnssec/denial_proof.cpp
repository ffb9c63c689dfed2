#include "dnssec/denial_proof.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "dnssec/denial_proof_internal.hpp"

namespace zw::dnssec {

namespace rrtype = dns::rrtype;

ProofResult check_denial_proof(std::span<const std::uint8_t> qname, std::uint16_t qtype, ResponseKind kind,
                               std::span<const std::uint8_t> zone, std::span<const dns::Rr> records,
                               unsigned wildcard_labels, unsigned max_iterations) {
  if (qname.empty() || zone.empty() || dns::wire_name_length(qname) != qname.size() ||
      dns::wire_name_length(zone) != zone.size()) {
    return detail::fail(ProofFault::malformed, "the qname or zone is not an uncompressed wire name");
  }
  if (!detail::at_or_below(qname, zone)) {
    return detail::fail(ProofFault::wrong_zone,
                        fmt::format("{} is not in zone {}", detail::text(qname), detail::text(zone)));
  }
  const bool any_nsec =
      std::any_of(records.begin(), records.end(), [](const dns::Rr& rr) { return rr.type == rrtype::nsec; });
  const bool any_nsec3 =
      std::any_of(records.begin(), records.end(), [](const dns::Rr& rr) { return rr.type == rrtype::nsec3; });
  if (!any_nsec && !any_nsec3) {
    return detail::fail(ProofFault::no_records, "no NSEC or NSEC3 record in the authority section");
  }
  if (any_nsec && any_nsec3) {
    return detail::fail(ProofFault::mixed, "both NSEC and NSEC3 records");
  }
  if (any_nsec) {
    return detail::prove_nsec(qname, qtype, zone, records, kind, wildcard_labels);
  }
  return detail::prove_nsec3(qname, qtype, zone, records, kind, wildcard_labels, max_iterations);
}

std::string_view to_string(ProofFault fault) noexcept {
  switch (fault) {
  case ProofFault::none: return "none";
  case ProofFault::no_records: return "no-records";
  case ProofFault::qname_not_covered: return "qname-not-covered";
  case ProofFault::no_closest_encloser: return "no-closest-encloser";
  case ProofFault::wildcard_not_denied: return "wildcard-not-denied";
  case ProofFault::type_present: return "type-present";
  case ProofFault::no_matching_record: return "no-matching-record";
  case ProofFault::wrong_zone: return "wrong-zone";
  case ProofFault::malformed: return "malformed";
  case ProofFault::unsupported_hash: return "unsupported-hash";
  case ProofFault::too_many_iterations: return "too-many-iterations";
  case ProofFault::inconsistent_params: return "inconsistent-params";
  case ProofFault::mixed: return "mixed";
  }
  return "unknown";
}

std::string_view to_string(ResponseKind kind) noexcept {
  switch (kind) {
  case ResponseKind::nxdomain: return "nxdomain";
  case ResponseKind::nodata: return "nodata";
  case ResponseKind::wildcard_answer: return "wildcard-answer";
  case ResponseKind::wildcard_nodata: return "wildcard-nodata";
  case ResponseKind::referral_no_ds: return "referral-no-ds";
  }
  return "unknown";
}

} // namespace zw::dnssec
