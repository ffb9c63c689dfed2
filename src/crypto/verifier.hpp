#pragma once
// Signature verification of DNSSEC algorithms behind one interface, with independent
// implementations (OpenSSL, Botan, nettle, libsodium) so that a disagreement between two of them
// can become a finding (crypto/dual_verifier.hpp). No library type appears in this header
// (STYLE.md §1).

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "zonewarden/error.hpp"

namespace zw::crypto {

// What a verifier concluded. `invalid` is a fault of the zone (or of the data given);
// `unsupported_algorithm` and `bad_key` mean the signature could not be checked.
enum class VerifyStatus { valid, invalid, unsupported_algorithm, bad_key };

std::string_view to_string(VerifyStatus status) noexcept;

// DNSSEC algorithm numbers (IANA "DNS Security Algorithm Numbers").
namespace algorithm {
inline constexpr std::uint8_t rsamd5 = 1, dsa = 3, rsasha1 = 5, dsa_nsec3_sha1 = 6, rsasha1_nsec3_sha1 = 7,
                              rsasha256 = 8, rsasha512 = 10, ecc_gost = 12, ecdsap256sha256 = 13, ecdsap384sha384 = 14,
                              ed25519 = 15, ed448 = 16;
}

// True for the algorithms this module can verify: 5, 7, 8, 10, 13, 14, 15, 16.
bool is_supported_algorithm(std::uint8_t algorithm) noexcept;

// The public key of one DNSKEY, parsed once and reusable for any number of verifications,
// concurrently from several threads. Opaque: the OpenSSL key it caches lives behind `Impl`.
class PublicKey {
public:
  struct Impl; // defined in crypto/public_key_impl.hpp, used by the verifiers only

  explicit PublicKey(std::unique_ptr<Impl> impl) noexcept;
  ~PublicKey();
  PublicKey(const PublicKey&) = delete;
  PublicKey& operator=(const PublicKey&) = delete;

  // The DNSSEC algorithm number the key was loaded for.
  std::uint8_t algorithm() const noexcept;
  // The DNSKEY public key field as given to load_public_key (RFC 4034 §2.1.4).
  std::span<const std::uint8_t> key_field() const noexcept;
  const Impl& impl() const noexcept { return *m_impl; }

private:
  std::unique_ptr<Impl> m_impl;
};

// Parses the public key field of a DNSKEY (RFC 3110 for RSA, RFC 6605 for ECDSA, RFC 8080 for
// EdDSA) once. A key of an algorithm we cannot verify (RSAMD5, DSA, GOST, unassigned) loads
// successfully and every verification with it reports `unsupported_algorithm`. A malformed key
// of a supported algorithm (wrong length, point not on the curve, truncated RSA encoding) is an
// error whose text says what is wrong: `algorithm 13: ECDSA key length 63, P-256 needs 64`.
Result<std::shared_ptr<const PublicKey>> load_public_key(std::uint8_t algorithm,
                                                         std::span<const std::uint8_t> key_field);

// One implementation of signature verification. Implementations are stateless apart from
// immutable caches; `verify` may be called concurrently from any number of threads, also on
// the same PublicKey.
class Verifier {
public:
  virtual ~Verifier() = default;
  // Checks `signature` (DNSSEC wire encoding: RSA PKCS#1 v1.5 block, ECDSA r|s, EdDSA R|S) over
  // `data` with `key` under `algorithm`. A key loaded for another algorithm gives `invalid`.
  // Never throws.
  virtual VerifyStatus verify(std::uint8_t algorithm, const PublicKey& key, std::span<const std::uint8_t> data,
                              std::span<const std::uint8_t> signature) const = 0;
  // Short name for reports: "openssl", "botan".
  virtual std::string_view name() const = 0;
};

} // namespace zw::crypto
