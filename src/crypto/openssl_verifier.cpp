#include "crypto/openssl_verifier.hpp"

#include <array>

#include <openssl/err.h>

#include "crypto/dnskey_codec.hpp"
#include "crypto/public_key_impl.hpp"

namespace zw::crypto {

namespace {

using detail::EvpMdCtxHandle;
using detail::EvpMdHandle;

// Digests are fetched once from the default library context: an explicit fetch avoids the
// implicit per-call lookup that the legacy EVP_sha256() objects cause in OpenSSL 3. SHA-1 is
// fetched the same way; the default context verifies SHA-1 signatures (only TLS security levels
// refuse them), which the algorithm 5 and 7 fixtures test.
const EVP_MD* digest_for(std::uint8_t alg) {
  static const EvpMdHandle sha1(EVP_MD_fetch(nullptr, "SHA1", nullptr));
  static const EvpMdHandle sha256(EVP_MD_fetch(nullptr, "SHA256", nullptr));
  static const EvpMdHandle sha384(EVP_MD_fetch(nullptr, "SHA384", nullptr));
  static const EvpMdHandle sha512(EVP_MD_fetch(nullptr, "SHA512", nullptr));
  switch (alg) {
  case algorithm::rsasha1:
  case algorithm::rsasha1_nsec3_sha1:
    return sha1.get();
  case algorithm::rsasha256:
  case algorithm::ecdsap256sha256:
    return sha256.get();
  case algorithm::ecdsap384sha384:
    return sha384.get();
  case algorithm::rsasha512:
    return sha512.get();
  default:
    return nullptr; // EdDSA hashes internally (RFC 8032): no digest is given
  }
}

// Appends one DER INTEGER holding the unsigned big-endian `value`.
std::size_t put_der_integer(std::span<const std::uint8_t> value, std::uint8_t* out) {
  std::size_t skip = 0;
  while (skip + 1 < value.size() && value[skip] == 0) {
    ++skip;
  }
  value = value.subspan(skip);
  const bool pad = (value[0] & 0x80) != 0; // keep the integer positive
  std::size_t pos = 0;
  out[pos++] = 0x02;
  out[pos++] = static_cast<std::uint8_t>(value.size() + (pad ? 1 : 0));
  if (pad) {
    out[pos++] = 0;
  }
  std::copy(value.begin(), value.end(), out + pos);
  return pos + value.size();
}

// RFC 6605 §4: DNSSEC carries ECDSA signatures as r | s of the curve's size; EVP_DigestVerify
// wants the DER SEQUENCE of X9.62. For P-384 the longest encoding is 2 + 2 * (2 + 49) = 104
// octets, so every length fits in one octet (short form).
using DerBuffer = std::array<std::uint8_t, 2 + 2 * (2 + 49)>;

std::size_t ecdsa_to_der(std::span<const std::uint8_t> raw, DerBuffer& der) {
  const std::size_t half = raw.size() / 2;
  std::size_t pos = 2;
  pos += put_der_integer(raw.first(half), der.data() + pos);
  pos += put_der_integer(raw.subspan(half), der.data() + pos);
  der[0] = 0x30;
  der[1] = static_cast<std::uint8_t>(pos - 2);
  return pos;
}

} // namespace

VerifyStatus OpenSslVerifier::verify(std::uint8_t alg, const PublicKey& key, std::span<const std::uint8_t> data,
                                     std::span<const std::uint8_t> signature) const {
  if (!is_supported_algorithm(alg)) {
    return VerifyStatus::unsupported_algorithm;
  }
  const PublicKey::Impl& impl = key.impl();
  if (impl.algorithm != alg) {
    return VerifyStatus::invalid;
  }
  if (!impl.pkey) {
    return VerifyStatus::bad_key;
  }
  DerBuffer der{};
  if (alg == algorithm::ecdsap256sha256 || alg == algorithm::ecdsap384sha384) {
    if (signature.size() != fixed_key_length(alg)) {
      return VerifyStatus::invalid; // r | s is exactly twice the field size (RFC 6605 §4)
    }
    signature = std::span<const std::uint8_t>(der.data(), ecdsa_to_der(signature, der));
  } else if (signature.empty()) {
    return VerifyStatus::invalid;
  }
  const EVP_MD* md = digest_for(alg);
  if (md == nullptr && alg != algorithm::ed25519 && alg != algorithm::ed448) {
    return VerifyStatus::unsupported_algorithm; // the digest is missing from this OpenSSL build
  }
  const EvpMdCtxHandle ctx(EVP_MD_CTX_new());
  // EVP_DigestVerify is one-shot, as EdDSA requires; for RSA the default padding is PKCS#1 v1.5
  // (RFC 3110, RFC 5702).
  const bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, impl.pkey.get()) == 1 &&
                  EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), data.data(), data.size()) == 1;
  if (!ok) {
    // A bad signature leaves reasons in this thread's error queue; drop them so they do not
    // surface in an unrelated later call.
    ERR_clear_error();
  }
  return ok ? VerifyStatus::valid : VerifyStatus::invalid;
}

} // namespace zw::crypto
