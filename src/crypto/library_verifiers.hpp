#pragma once
// The verifiers, one per library, each an independent implementation of the algorithms it
// covers. crypto/dual_verifier picks two of them per algorithm (the faster first, by
// bench/crypto/README.md). Each is process-wide, stateless apart from immutable caches, lives
// until exit and may be used from any number of threads. No library type appears here
// (STYLE.md §1).

#include "crypto/verifier.hpp"

namespace zw::crypto {

// OpenSSL 3's EVP API, the library most validating resolvers use: the primary verifier for RSA,
// P-256 and Ed448, the second opinion for P-384 and Ed25519. Verifies algorithms 5, 7, 8, 10, 13,
// 14, 15 and 16; others give `unsupported_algorithm`. Uses the EVP_PKEY cached in the PublicKey.
// RSA and ECDSA hash first and reuse one EVP_PKEY_CTX per thread and key (kept in the key); EdDSA
// reuses one EVP_MD_CTX per thread. Name "openssl".
const Verifier& openssl_verifier() noexcept;

// Botan 2, an implementation independent of OpenSSL: the second opinion for RSA and P-256.
// Slower (it parses the key on every call). Verifies algorithms 5, 7, 8, 10, 13, 14 and 15; Botan 2
// has no Ed448, so algorithm 16 and every other algorithm give `unsupported_algorithm`. A key field
// Botan cannot parse gives `bad_key`. Every Botan exception is caught inside. Name "botan".
const Verifier& botan_verifier() noexcept;

// Nettle/hogweed 3 (GnuTLS's backend, so Knot's): the primary verifier for P-384, where it is
// about twice as fast as OpenSSL 3.0, and the second opinion for Ed448, which Botan 2 lacks.
// Verifies algorithms 13, 14, 15 and 16; RSA and every other algorithm give
// `unsupported_algorithm`. ECDSA uses the point nettle checked when the key was loaded and the
// low-level ecc_ecdsa_verify with scratch on the stack: no heap allocation per call. Nettle's
// EdDSA functions allocate their scratch per call (through GMP's allocator). Name "nettle".
const Verifier& nettle_verifier() noexcept;

// libsodium: the primary verifier for Ed25519, about twice as fast as OpenSSL 3.0 there, with
// no heap allocation per call. Verifies algorithm 15 only (crypto_sign_verify_detached, RFC 8032
// Ed25519 without prehash as RFC 8080 uses it); every other algorithm gives
// `unsupported_algorithm`, as does every algorithm when sodium_init() fails. libsodium is
// stricter than RFC 8032 asks: it also refuses small-order keys and R, and non-canonical S. Such
// a signature gives `invalid` here, and crypto/dual_verifier then asks OpenSSL, whose different
// verdict becomes a disagreement finding rather than a silent `bogus`. Name "libsodium".
const Verifier& sodium_verifier() noexcept;

} // namespace zw::crypto
