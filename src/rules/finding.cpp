#include "zonewarden/finding.hpp"

#include <fmt/format.h>

namespace zw {

std::string_view to_string(Severity severity) noexcept {
  switch (severity) {
  case Severity::notice: return "notice";
  case Severity::warning: return "warning";
  case Severity::error: return "error";
  }
  return "error";
}

std::optional<Severity> severity_from_string(std::string_view text) noexcept {
  for (const Severity s : {Severity::notice, Severity::warning, Severity::error}) {
    if (to_string(s) == text) {
      return s;
    }
  }
  return std::nullopt;
}

std::string_view to_string(Rcode rcode) noexcept {
  switch (rcode) {
  case Rcode::none:
  case Rcode::noerror: return "NOERROR";
  case Rcode::servfail: return "SERVFAIL";
  case Rcode::nxdomain: return "NXDOMAIN";
  case Rcode::refused: return "REFUSED";
  }
  return "NOERROR";
}

std::string_view to_string(ResolverModel model) noexcept {
  switch (model) {
  case ResolverModel::unbound: return "unbound";
  case ResolverModel::bind: return "bind";
  case ResolverModel::knot_resolver: return "knot-resolver";
  }
  return "unbound";
}

std::optional<ResolverModel> resolver_model_from_string(std::string_view text) noexcept {
  for (const ResolverModel m : {ResolverModel::unbound, ResolverModel::bind, ResolverModel::knot_resolver}) {
    if (text == to_string(m)) {
      return m;
    }
  }
  return std::nullopt;
}

std::optional<Rcode> rcode_from_string(std::string_view text) noexcept {
  for (const Rcode r : {Rcode::noerror, Rcode::servfail, Rcode::nxdomain, Rcode::refused}) {
    if (to_string(r) == text) {
      return r;
    }
  }
  return std::nullopt;
}

std::string_view ede_text(Ede ede) noexcept {
  switch (ede) {
  case Ede::none: return "";
  case Ede::other: return "Other Error";
  case Ede::unsupported_dnskey_algorithm: return "Unsupported DNSKEY Algorithm";
  case Ede::unsupported_ds_digest_type: return "Unsupported DS Digest Type";
  case Ede::dnssec_indeterminate: return "DNSSEC Indeterminate";
  case Ede::dnssec_bogus: return "DNSSEC Bogus";
  case Ede::signature_expired: return "Signature Expired";
  case Ede::signature_not_yet_valid: return "Signature Not Yet Valid";
  case Ede::dnskey_missing: return "DNSKEY Missing";
  case Ede::rrsigs_missing: return "RRSIGs Missing";
  case Ede::no_zone_key_bit_set: return "No Zone Key Bit Set";
  case Ede::nsec_missing: return "NSEC Missing";
  case Ede::not_authoritative: return "Not Authoritative";
  case Ede::not_supported: return "Not Supported";
  case Ede::no_reachable_authority: return "No Reachable Authority";
  case Ede::network_error: return "Network Error";
  case Ede::invalid_data: return "Invalid Data";
  case Ede::unsupported_nsec3_iterations: return "Unsupported NSEC3 Iterations Value";
  }
  return "";
}

std::string impact_text(const ResolverImpact& impact) {
  if ((impact.rcode == Rcode::none || impact.rcode == Rcode::noerror) && impact.ede == Ede::none) {
    return "resolution not affected";
  }
  return rcode_ede_text(impact);
}

std::string rcode_ede_text(const ResolverImpact& impact) {
  if (impact.ede == Ede::none) {
    return std::string(to_string(impact.rcode));
  }
  return fmt::format("{}, EDE {} ({})", to_string(impact.rcode), static_cast<int>(impact.ede), ede_text(impact.ede));
}

} // namespace zw
