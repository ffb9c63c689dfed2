#include "dnssec/denial_proof.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "dnssec/denial_proof_internal.hpp"
#include "util/enum_names.hpp"

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

using util::EnumName;

constexpr auto k_proof_fault_names = util::enum_names(
    {EnumName(ProofFault::none, "none"), EnumName(ProofFault::no_records, "no-records"),
     EnumName(ProofFault::qname_not_covered, "qname-not-covered"),
     EnumName(ProofFault::no_closest_encloser, "no-closest-encloser"),
     EnumName(ProofFault::wildcard_not_denied, "wildcard-not-denied"),
     EnumName(ProofFault::type_present, "type-present"), EnumName(ProofFault::no_matching_record, "no-matching-record"),
     EnumName(ProofFault::wrong_zone, "wrong-zone"), EnumName(ProofFault::malformed, "malformed"),
     EnumName(ProofFault::unsupported_hash, "unsupported-hash"),
     EnumName(ProofFault::too_many_iterations, "too-many-iterations"),
     EnumName(ProofFault::inconsistent_params, "inconsistent-params"), EnumName(ProofFault::mixed, "mixed")});

constexpr auto k_response_kind_names =
    util::enum_names({EnumName(ResponseKind::nxdomain, "nxdomain"), EnumName(ResponseKind::nodata, "nodata"),
                      EnumName(ResponseKind::wildcard_answer, "wildcard-answer"),
                      EnumName(ResponseKind::wildcard_nodata, "wildcard-nodata"),
                      EnumName(ResponseKind::referral_no_ds, "referral-no-ds")});

std::string_view to_string(ProofFault fault) noexcept {
  return k_proof_fault_names.text(fault);
}

std::string_view to_string(ResponseKind kind) noexcept {
  return k_response_kind_names.text(kind);
}

} // namespace zw::dnssec
