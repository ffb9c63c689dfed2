#include "crypto/library_verifiers.hpp"

#include <array>

#include <openssl/err.h>

#include "crypto/dnskey_codec.hpp"
#include "crypto/public_key_impl.hpp"

namespace zw::crypto {

namespace {

using detail::EvpMdCtxHandle;
using detail::EvpMdHandle;
using detail::EvpPkeyCtxHandle;

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
  case algorithm::rsasha1_nsec3_sha1: return sha1.get();
  case algorithm::rsasha256:
  case algorithm::ecdsap256sha256: return sha256.get();
  case algorithm::ecdsap384sha384: return sha384.get();
  case algorithm::rsasha512: return sha512.get();
  default: return nullptr; // EdDSA hashes internally (RFC 8032): no digest is given
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

// The digest of `data` with a per-thread EVP_MD_CTX per digest, reused (EVP_DigestInit_ex2 with
// the same EVP_MD keeps the provider's context, so the steady state allocates nothing).
bool hash(std::uint8_t alg, const EVP_MD* md, std::span<const std::uint8_t> data,
          std::array<unsigned char, EVP_MAX_MD_SIZE>& out, unsigned int& length) {
  thread_local std::array<EvpMdCtxHandle, 4> contexts; // SHA-1, SHA-256, SHA-384, SHA-512
  EvpMdCtxHandle& ctx = contexts[alg == algorithm::rsasha1 || alg == algorithm::rsasha1_nsec3_sha1  ? 0
                                 : alg == algorithm::rsasha256 || alg == algorithm::ecdsap256sha256 ? 1
                                 : alg == algorithm::ecdsap384sha384                                ? 2
                                                                                                    : 3];
  if (!ctx) {
    ctx.reset(EVP_MD_CTX_new());
  }
  return ctx && EVP_DigestInit_ex2(ctx.get(), md, nullptr) == 1 &&
         EVP_DigestUpdate(ctx.get(), data.data(), data.size()) == 1 &&
         EVP_DigestFinal_ex(ctx.get(), out.data(), &length) == 1;
}

// An EVP_PKEY_CTX ready for EVP_PKEY_verify of `md` digests with `pkey`: OpenSSL 3 allows any
// number of EVP_PKEY_verify calls on it with the same parameters (EVP_PKEY_verify(3), NOTES).
// For RSA the padding stays the default, PKCS#1 v1.5 (RFC 3110, RFC 5702).
EVP_PKEY_CTX* new_verify_ctx(EVP_PKEY* pkey, const EVP_MD* md) {
  EvpPkeyCtxHandle ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_signature_md(ctx.get(), md) != 1) {
    return nullptr;
  }
  return ctx.release();
}

// RSA and ECDSA: hash, then EVP_PKEY_verify with this thread's context for the key.
bool verify_prehashed(const PublicKey::Impl& impl, std::uint8_t alg, const EVP_MD* md,
                      std::span<const std::uint8_t> data, std::span<const std::uint8_t> signature) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (!hash(alg, md, data, digest, length)) {
    return false;
  }
  detail::ThreadContextTable::Slot* slot = impl.contexts ? impl.contexts->slot_of_this_thread() : nullptr;
  if (slot == nullptr) { // every slot taken by other threads: a context for this call only
    const EvpPkeyCtxHandle once(new_verify_ctx(impl.pkey.get(), md));
    return once && EVP_PKEY_verify(once.get(), signature.data(), signature.size(), digest.data(), length) == 1;
  }
  EVP_PKEY_CTX* ctx = slot->ctx.load(std::memory_order_acquire);
  if (ctx == nullptr) {
    ctx = new_verify_ctx(impl.pkey.get(), md);
    if (ctx == nullptr) {
      return false;
    }
    slot->ctx.store(ctx, std::memory_order_release);
  }
  return EVP_PKEY_verify(ctx, signature.data(), signature.size(), digest.data(), length) == 1;
}

// EdDSA is one-shot (RFC 8032 hashes the message twice): EVP_DigestVerifyInit per signature, on
// a per-thread EVP_MD_CTX that EVP_MD_CTX_reset empties. Most of the cost is inside OpenSSL's
// Ed25519/Ed448 code itself (bench/crypto/README.md), so nothing is cached per key.
bool verify_eddsa(const PublicKey::Impl& impl, std::span<const std::uint8_t> data,
                  std::span<const std::uint8_t> signature) {
  thread_local EvpMdCtxHandle ctx(EVP_MD_CTX_new());
  if (!ctx) {
    return false;
  }
  EVP_MD_CTX_reset(ctx.get());
  return EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, impl.pkey.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), data.data(), data.size()) == 1;
}

class OpenSslVerifier final : public Verifier {
public:
  std::string_view name() const override { return "openssl"; }

  VerifyStatus verify(std::uint8_t alg, const PublicKey& key, std::span<const std::uint8_t> data,
                      std::span<const std::uint8_t> signature) const override {
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
    bool ok = false;
    if (alg == algorithm::ed25519 || alg == algorithm::ed448) {
      ok = verify_eddsa(impl, data, signature);
    } else {
      const EVP_MD* md = digest_for(alg);
      if (md == nullptr) {
        return VerifyStatus::unsupported_algorithm; // the digest is missing from this OpenSSL build
      }
      ok = verify_prehashed(impl, alg, md, data, signature);
    }
    if (!ok) {
      // A bad signature leaves reasons in this thread's error queue; drop them so they do not
      // surface in an unrelated later call.
      ERR_clear_error();
    }
    return ok ? VerifyStatus::valid : VerifyStatus::invalid;
  }
};

} // namespace

const Verifier& openssl_verifier() noexcept {
  static const OpenSslVerifier verifier;
  return verifier;
}

} // namespace zw::crypto
