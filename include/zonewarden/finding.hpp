#pragma once
// Findings: faults in a zone, as data. Reporters render them; they never decide severity.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zw {

// Ordered so that a larger value is more severe.
enum class Severity : std::uint8_t { notice, warning, error };

// The RCODE a validating resolver returns because of a finding (RFC 1035 §4.1.1).
// `none` means resolution is not affected today.
enum class Rcode : std::uint8_t { none, noerror, servfail, nxdomain, refused };

// RFC 8914 Extended DNS Error codes a validating resolver attaches (§4); `none` adds no EDE.
enum class Ede : std::int16_t {
  none = -1,
  other = 0,
  unsupported_dnskey_algorithm = 1,
  unsupported_ds_digest_type = 2,
  dnssec_indeterminate = 5,
  dnssec_bogus = 6,
  signature_expired = 7,
  signature_not_yet_valid = 8,
  dnskey_missing = 9,
  rrsigs_missing = 10,
  no_zone_key_bit_set = 11,
  nsec_missing = 12,
  not_authoritative = 20,
  not_supported = 21,
  no_reachable_authority = 22,
  network_error = 23,
  invalid_data = 24,
  unsupported_nsec3_iterations = 27, // RFC 9276 §3.2
};

// The validating resolver whose answers the findings predict (docs/resolvers.md has what each
// one, as shipped in Debian 12, answers for every lab scenario): Unbound 1.17 (the default),
// BIND 9.18, Knot Resolver 5.6.
enum class ResolverModel : std::uint8_t { unbound, bind, knot_resolver };

std::string_view to_string(ResolverModel model) noexcept;
std::optional<ResolverModel> resolver_model_from_string(std::string_view text) noexcept;

// What a validating resolver answers because of a finding.
struct ResolverImpact {
  Rcode rcode = Rcode::none;
  Ede ede = Ede::none;
};

// Where a finding is. Empty strings mean "not applicable".
struct Location {
  std::string zone;   // "example.com."
  std::string server; // "ns1.example.com./192.0.2.1", or "" for zone data seen everywhere alike
  std::string owner;  // owner name of the RRset, "example.com."
  std::string type;   // RR type mnemonic, "SOA"
  // `check`: the file and line the finding points at first ("zones/example.zone", 12); empty
  // and 0 in live audits and for internal/* and policy/* findings.
  std::string file{};
  std::uint32_t line = 0;
};

struct Finding {
  std::string rule; // stable id, "dnssec/rrsig-expired"
  Severity severity = Severity::warning;
  Location location;
  std::string message;               // one line, for people
  std::vector<std::string> servers;  // every "name/address" that showed this fault
  std::vector<std::string> evidence; // consequences and observations, one line each
  ResolverImpact resolver;
  // Why the finding does not count towards --fail-on: "baseline" (it was in the baseline) or
  // "waived: <reason> (until <date>)". Empty when it counts. Reporters show it; they never drop it.
  std::string suppressed;
};

std::string_view to_string(Severity severity) noexcept;
std::optional<Severity> severity_from_string(std::string_view text) noexcept;
std::string_view to_string(Rcode rcode) noexcept;
std::optional<Rcode> rcode_from_string(std::string_view text) noexcept;
// RFC 8914 §5.2 "Purpose" text of an EDE code, "" for Ede::none.
std::string_view ede_text(Ede ede) noexcept;
// The RCODE and, when there is one, the EDE with its purpose: "NOERROR", "SERVFAIL, EDE 6
// (DNSSEC Bogus)". Rcode::none reads NOERROR.
std::string rcode_ede_text(const ResolverImpact& impact);
// One line on what a resolver answers: "resolution not affected", the RCODE alone, or
// "SERVFAIL, EDE 6 (DNSSEC Bogus)", as the JUnit and SARIF reports print it.
std::string impact_text(const ResolverImpact& impact);

} // namespace zw
