#include "dnssec/algorithm_registry.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace zw::dnssec {

// The registry snapshot. How the values were obtained, so that the next update can be checked:
// - "DNS Security Algorithm Numbers": the four recommendation columns are RFC 9904 §3, Table 2
//   (which transcribes RFC 8624 §3.1-§3.2 without changing a requirement level), with RFC 9905
//   §5 applied: "Use for DNSSEC Signing" of 5 RSASHA1 and 7 RSASHA1-NSEC3-SHA1 is MUST NOT
//   (it was NOT RECOMMENDED); RFC 9905 leaves every other column as it was.
// - "Digest Algorithms": RFC 9904 §4, Table 3 (SHA-1 "Use for DNSSEC Delegation" is already
//   MUST NOT there, as RFC 9905 §5 asks).
// - The "Zone Signing" column, mnemonics and descriptions are those of the registry itself.
// IANA applied RFC 9904 to the registries on 2025-12-02 (IETF datatracker, RFC 9904 history);
// RFC 9904 and RFC 9905 were published together in November 2025. Nothing later is included:
// drafts that would change more values (for example deprecating ECC-GOST entirely) are not.
const RegistrySnapshot k_registry_snapshot{
    "2025-12-02",
    "RFC 9904 Tables 2 and 3, with RFC 9905 §5 applied",
};

namespace {

using R = Recommendation;
constexpr R must_not = R::must_not, not_rec = R::not_recommended, may = R::may, rec = R::recommended, must = R::must,
            none = R::none;

// Ascending by number (find_algorithm relies on it).
constexpr std::array k_algorithms{
    // number, mnemonic, description, "Zone Signing", then "Use for DNSSEC Signing", "Use for DNSSEC
    // Validation", "Implement for DNSSEC Signing", "Implement for DNSSEC Validation", reference.
    AlgorithmInfo{0, "DELETE", "Delete DS", false, none, none, none, none, "RFC 8078"},
    AlgorithmInfo{1, "RSAMD5", "RSA/MD5", false, must_not, must_not, must_not, must_not, "RFC 3110, RFC 4034"},
    AlgorithmInfo{2, "DH", "Diffie-Hellman", false, none, none, none, none, "RFC 2539"},
    AlgorithmInfo{3, "DSA", "DSA/SHA1", true, must_not, must_not, must_not, must_not, "RFC 2536, RFC 3755"},
    AlgorithmInfo{5, "RSASHA1", "RSA/SHA-1", true, must_not, rec, not_rec, must, "RFC 3110, RFC 4034"},
    AlgorithmInfo{6, "DSA-NSEC3-SHA1", "DSA-NSEC3-SHA1", true, must_not, must_not, must_not, must_not, "RFC 5155"},
    AlgorithmInfo{7, "RSASHA1-NSEC3-SHA1", "RSASHA1-NSEC3-SHA1", true, must_not, rec, not_rec, must, "RFC 5155"},
    AlgorithmInfo{8, "RSASHA256", "RSA/SHA-256", true, rec, rec, must, must, "RFC 5702"},
    AlgorithmInfo{10, "RSASHA512", "RSA/SHA-512", true, not_rec, rec, not_rec, must, "RFC 5702"},
    AlgorithmInfo{12, "ECC-GOST", "GOST R 34.10-2001", true, must_not, may, must_not, may, "RFC 5933"},
    AlgorithmInfo{13, "ECDSAP256SHA256", "ECDSA Curve P-256 with SHA-256", true, rec, rec, must, must, "RFC 6605"},
    AlgorithmInfo{14, "ECDSAP384SHA384", "ECDSA Curve P-384 with SHA-384", true, may, rec, may, rec, "RFC 6605"},
    AlgorithmInfo{15, "ED25519", "Ed25519", true, rec, rec, rec, rec, "RFC 8080"},
    AlgorithmInfo{16, "ED448", "Ed448", true, may, rec, may, rec, "RFC 8080"},
    AlgorithmInfo{17, "SM2SM3", "SM2 signing algorithm with SM3 hashing algorithm", true, may, may, may, may,
                  "RFC 9563"},
    AlgorithmInfo{23, "ECC-GOST12", "GOST R 34.10-2012", true, may, may, may, may, "RFC 9558"},
    AlgorithmInfo{252, "INDIRECT", "Reserved for Indirect Keys", false, none, none, none, none, "RFC 4034"},
    AlgorithmInfo{253, "PRIVATEDNS", "private algorithm", true, may, may, may, may, "RFC 4034"},
    AlgorithmInfo{254, "PRIVATEOID", "private algorithm OID", true, may, may, may, may, "RFC 4034"},
};

constexpr std::array k_digests{
    // number, mnemonic, then "Use for DNSSEC Delegation", "Use for DNSSEC Validation", "Implement for
    // DNSSEC Delegation", "Implement for DNSSEC Validation", reference.
    DigestInfo{0, "NULL (CDS only)", must_not, must_not, must_not, must_not, "RFC 8078"},
    DigestInfo{1, "SHA-1", must_not, rec, must_not, must, "RFC 3658"},
    DigestInfo{2, "SHA-256", rec, rec, must, must, "RFC 4509"},
    DigestInfo{3, "GOST R 34.11-94", must_not, may, must_not, may, "RFC 5933"},
    DigestInfo{4, "SHA-384", may, rec, may, rec, "RFC 6605"},
    DigestInfo{5, "GOST R 34.11-2012", may, may, may, may, "RFC 9558"},
    DigestInfo{6, "SM3", may, may, may, may, "RFC 9563"},
};

template <typename Table> const typename Table::value_type* find_in(const Table& table, std::uint8_t number) noexcept {
  const auto it = std::lower_bound(table.begin(), table.end(), number,
                                   [](const auto& row, std::uint8_t n) { return row.number < n; });
  return it != table.end() && it->number == number ? &*it : nullptr;
}

constexpr bool discouraged(Recommendation r) noexcept {
  return r == Recommendation::must_not || r == Recommendation::not_recommended;
}

} // namespace

std::string_view to_string(Recommendation value) noexcept {
  switch (value) {
  case Recommendation::none: return "";
  case Recommendation::must_not: return "MUST NOT";
  case Recommendation::not_recommended: return "NOT RECOMMENDED";
  case Recommendation::may: return "MAY";
  case Recommendation::recommended: return "RECOMMENDED";
  case Recommendation::must: return "MUST";
  }
  return "";
}

std::span<const AlgorithmInfo> algorithm_registry() noexcept {
  return k_algorithms;
}
std::span<const DigestInfo> digest_registry() noexcept {
  return k_digests;
}

const AlgorithmInfo* find_algorithm(std::uint8_t number) noexcept {
  return find_in(k_algorithms, number);
}
const DigestInfo* find_digest(std::uint8_t number) noexcept {
  return find_in(k_digests, number);
}

std::string_view algorithm_name(std::uint8_t number) noexcept {
  if (const AlgorithmInfo* a = find_algorithm(number)) {
    return a->mnemonic;
  }
  // The registry's ranges: 4, 9, 11, 123-251 and 255 reserved; 18-22 and 24-122 unassigned.
  if (number == 4 || number == 9 || number == 11 || number == 255 || (number >= 123 && number <= 251)) {
    return "reserved";
  }
  return "unassigned";
}

std::string_view digest_name(std::uint8_t number) noexcept {
  if (const DigestInfo* d = find_digest(number)) {
    return d->mnemonic;
  }
  // RFC 9904 (IANA considerations): 128-252 reserved, 253 and 254 reserved for private use.
  if (number == 253 || number == 254) {
    return "private use";
  }
  return number >= 128 ? "reserved" : "unassigned";
}

std::string algorithm_text(std::uint8_t number) {
  return fmt::format("{} ({})", number, algorithm_name(number));
}
std::string digest_text(std::uint8_t number) {
  return fmt::format("{} ({})", number, digest_name(number));
}

bool signing_discouraged(std::uint8_t algorithm) noexcept {
  const AlgorithmInfo* a = find_algorithm(algorithm);
  return a != nullptr && (!a->zone_signing || discouraged(a->use_signing));
}

bool delegation_discouraged(std::uint8_t digest_type) noexcept {
  const DigestInfo* d = find_digest(digest_type);
  return d != nullptr && discouraged(d->use_delegation);
}

bool digest_expected_in_validators(std::uint8_t digest_type) noexcept {
  const DigestInfo* d = find_digest(digest_type);
  return d != nullptr &&
         (d->implement_validation == Recommendation::must || d->implement_validation == Recommendation::recommended);
}

} // namespace zw::dnssec
