#pragma once
// The IANA "DNS Security Algorithm Numbers" and "DNSSEC Delegation Signer (DS) Resource Record
// (RR) Type Digest Algorithms" registries, with the recommendation columns RFC 9904 §2 added to
// them ("Use for DNSSEC Signing" and so on). RFC 9904 moved the recommendations of RFC 8624 into
// these columns; later RFCs change them there (RFC 9905 made RSASHA1 and RSASHA1-NSEC3-SHA1
// "MUST NOT" for signing). The values are shipped as data in algorithm_registry.cpp, with the
// date of the snapshot in `k_registry_snapshot`; rules read them only through this header.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace zw::dnssec {

// One cell of a recommendation column (RFC 9904 §2.2 lists the allowed values). `none`: the
// registry gives no value (code points that are not DNSSEC zone-signing algorithms, such as 0
// DELETE, 2 DH and 252 INDIRECT).
enum class Recommendation : std::uint8_t { none, must_not, not_recommended, may, recommended, must };

// "MUST NOT", "NOT RECOMMENDED", "MAY", "RECOMMENDED", "MUST", or "" for `none`.
std::string_view to_string(Recommendation value) noexcept;

// One row of "DNS Security Algorithm Numbers".
struct AlgorithmInfo {
  std::uint8_t number = 0;
  std::string_view mnemonic;    // "RSASHA256"
  std::string_view description; // "RSA/SHA-256"
  bool zone_signing = false;    // the registry's "Zone Signing" column (Y/N)
  Recommendation use_signing = Recommendation::none;
  Recommendation use_validation = Recommendation::none;
  Recommendation implement_signing = Recommendation::none;
  Recommendation implement_validation = Recommendation::none;
  std::string_view reference; // the RFC defining the algorithm for DNSSEC
};

// One row of "Digest Algorithms" (DS RR type digest algorithms).
struct DigestInfo {
  std::uint8_t number = 0;
  std::string_view mnemonic; // "SHA-256"
  Recommendation use_delegation = Recommendation::none;
  Recommendation use_validation = Recommendation::none;
  Recommendation implement_delegation = Recommendation::none;
  Recommendation implement_validation = Recommendation::none;
  std::string_view reference;
};

// Where the shipped values come from and as of when. Shown in docs and `--version`-style output.
struct RegistrySnapshot {
  std::string_view date;   // "YYYY-MM-DD": the registries as IANA published them on that day
  std::string_view source; // the documents that set the values
};

extern const RegistrySnapshot k_registry_snapshot;

// Every assigned row, ascending by number.
std::span<const AlgorithmInfo> algorithm_registry() noexcept;
std::span<const DigestInfo> digest_registry() noexcept;

// The row for `number`, or nullptr when the number is unassigned or reserved.
const AlgorithmInfo* find_algorithm(std::uint8_t number) noexcept;
const DigestInfo* find_digest(std::uint8_t number) noexcept;

// The mnemonic of an algorithm or digest for messages ("RSASHA256", "SHA-1"), or what the
// registry says of an unassigned number ("unassigned", "reserved", "private use").
std::string_view algorithm_name(std::uint8_t number) noexcept;
std::string_view digest_name(std::uint8_t number) noexcept;

// "8 (RSASHA256)", "99 (unassigned)"; "1 (SHA-1)".
std::string algorithm_text(std::uint8_t number);
std::string digest_text(std::uint8_t number);

// True when the registry's "Use for DNSSEC Signing" is MUST NOT or NOT RECOMMENDED, or the
// algorithm is assigned but not a zone-signing algorithm. False for unassigned numbers: the
// registry says nothing about them (a build that cannot verify them says so elsewhere).
bool signing_discouraged(std::uint8_t algorithm) noexcept;

// True when the digest registry's "Use for DNSSEC Delegation" is MUST NOT or NOT RECOMMENDED.
bool delegation_discouraged(std::uint8_t digest_type) noexcept;

// True when validators can be counted on to use DS records of this digest type: the registry's
// "Implement for DNSSEC Validation" is MUST or RECOMMENDED (1 SHA-1, 2 SHA-256, 4 SHA-384).
// Other types (0, the GOST digests, SM3, unassigned) are optional or forbidden for validators,
// which then treat the DS as absent (RFC 4035 §5.2).
bool digest_expected_in_validators(std::uint8_t digest_type) noexcept;

} // namespace zw::dnssec
