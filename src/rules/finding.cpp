#include "zonewarden/finding.hpp"

#include <fmt/format.h>

#include "util/enum_names.hpp"

namespace zw {

using util::EnumName;

constexpr auto k_severity_names = util::enum_names(
    {EnumName(Severity::notice, "notice"), EnumName(Severity::warning, "warning"), EnumName(Severity::error, "error")});

// Rcode::none ("no answer to grade") is written as NOERROR, and NOERROR reads back as noerror.
constexpr auto k_rcode_names =
    util::enum_names({EnumName(Rcode::noerror, "NOERROR"), EnumName(Rcode::servfail, "SERVFAIL"),
                      EnumName(Rcode::nxdomain, "NXDOMAIN"), EnumName(Rcode::refused, "REFUSED")});

constexpr auto k_resolver_model_names =
    util::enum_names({EnumName(ResolverModel::unbound, "unbound"), EnumName(ResolverModel::bind, "bind"),
                      EnumName(ResolverModel::knot_resolver, "knot-resolver")});

// RFC 8914 §5.2's "Purpose" texts, RFC 9276 §3.2's for code 27; a code not here has no text.
constexpr auto k_ede_names = util::enum_names({
    EnumName(Ede::none, ""),
    EnumName(Ede::other, "Other Error"),
    EnumName(Ede::unsupported_dnskey_algorithm, "Unsupported DNSKEY Algorithm"),
    EnumName(Ede::unsupported_ds_digest_type, "Unsupported DS Digest Type"),
    EnumName(Ede::dnssec_indeterminate, "DNSSEC Indeterminate"),
    EnumName(Ede::dnssec_bogus, "DNSSEC Bogus"),
    EnumName(Ede::signature_expired, "Signature Expired"),
    EnumName(Ede::signature_not_yet_valid, "Signature Not Yet Valid"),
    EnumName(Ede::dnskey_missing, "DNSKEY Missing"),
    EnumName(Ede::rrsigs_missing, "RRSIGs Missing"),
    EnumName(Ede::no_zone_key_bit_set, "No Zone Key Bit Set"),
    EnumName(Ede::nsec_missing, "NSEC Missing"),
    EnumName(Ede::not_authoritative, "Not Authoritative"),
    EnumName(Ede::not_supported, "Not Supported"),
    EnumName(Ede::no_reachable_authority, "No Reachable Authority"),
    EnumName(Ede::network_error, "Network Error"),
    EnumName(Ede::invalid_data, "Invalid Data"),
    EnumName(Ede::unsupported_nsec3_iterations, "Unsupported NSEC3 Iterations Value"),
});

std::string_view to_string(Severity severity) noexcept {
  return k_severity_names.text(severity);
}

std::optional<Severity> severity_from_string(std::string_view text) noexcept {
  return k_severity_names.value(text);
}

std::string_view to_string(Rcode rcode) noexcept {
  return k_rcode_names.text(rcode == Rcode::none ? Rcode::noerror : rcode);
}

std::optional<Rcode> rcode_from_string(std::string_view text) noexcept {
  return k_rcode_names.value(text);
}

std::string_view to_string(ResolverModel model) noexcept {
  return k_resolver_model_names.text(model);
}

std::optional<ResolverModel> resolver_model_from_string(std::string_view text) noexcept {
  return k_resolver_model_names.value(text);
}

std::string_view ede_text(Ede ede) noexcept {
  return k_ede_names.text(ede, "");
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
