// Signature verification micro-benchmark: verify/s per DNSSEC algorithm and per candidate
// implementation, single-threaded, on keys and signatures made at start with OpenSSL.
//   bench_verify [SECONDS_PER_CELL]      (default 1.0; see bench/crypto/README.md)
// Rates are per second of this thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so a loaded, shared
// machine slows the wall clock but not the figures much. Each cell also counts heap allocations
// per verification (operator new, OpenSSL's CRYPTO_malloc, GMP's allocator) and checks that the
// candidate accepts every signature and rejects a tampered one; a cell that fails says so.

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include <botan/bigint.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/ed25519.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>
#include <gmp.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/ecdsa.h>
#include <nettle/eddsa.h>
#include <nettle/rsa.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <sodium.h>

#include "crypto/dual_verifier.hpp"
#include "crypto/library_verifiers.hpp"
#include "crypto/verifier.hpp"

namespace {

// ---- allocation counting ------------------------------------------------------------------
std::atomic<unsigned long> g_allocs{0};

void* count_malloc(std::size_t n, const char*, int) {
  ++g_allocs;
  return std::malloc(n);
}
void* count_realloc(void* p, std::size_t n, const char*, int) {
  ++g_allocs;
  return std::realloc(p, n);
}
void count_free(void* p, const char*, int) {
  std::free(p);
}
void* gmp_count_alloc(std::size_t n) {
  ++g_allocs;
  return std::malloc(n);
}
void* gmp_count_realloc(void* p, std::size_t, std::size_t n) {
  ++g_allocs;
  return std::realloc(p, n);
}
void gmp_count_free(void* p, std::size_t) {
  std::free(p);
}

} // namespace

// The replacements below pair malloc with free on purpose; GCC 12 sees the inlined pair through
// std::allocator and calls it a mismatch.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(std::size_t n) {
  ++g_allocs;
  if (void* p = std::malloc(n == 0 ? 1 : n)) {
    return p;
  }
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace {

using Bytes = std::vector<std::uint8_t>;

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// ---- key and signature generation (OpenSSL) -------------------------------------------------
struct Case {
  std::uint8_t alg = 0;
  const char* label = "";
  EVP_PKEY* pkey = nullptr; // private key; also the public key for the OpenSSL candidates
  Bytes key_field;          // DNSKEY public key field
  std::vector<Bytes> data;  // messages
  std::vector<Bytes> sigs;  // DNSSEC wire signatures
  std::vector<Bytes> der;   // ECDSA: the DER form OpenSSL wants
};

const char* md_name(std::uint8_t alg) {
  switch (alg) {
  case 5: return "SHA1";
  case 8:
  case 13: return "SHA256";
  case 10: return "SHA512";
  case 14: return "SHA384";
  default: return nullptr;
  }
}

Bytes bn_bytes(const EVP_PKEY* pkey, const char* name) {
  BIGNUM* bn = nullptr;
  EVP_PKEY_get_bn_param(pkey, name, &bn);
  Bytes out(static_cast<std::size_t>(BN_num_bytes(bn)));
  BN_bn2bin(bn, out.data());
  BN_free(bn);
  return out;
}

Case make_case(std::uint8_t alg, const char* label, std::size_t messages) {
  Case c;
  c.alg = alg;
  c.label = label;
  switch (alg) {
  case 5:
  case 8:
  case 10: c.pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(alg == 5 ? 1024 : 2048)); break;
  case 13: c.pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"); break;
  case 14: c.pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"); break;
  case 15: c.pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"); break;
  case 16: c.pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED448"); break;
  default: std::abort();
  }
  if (c.pkey == nullptr) {
    std::fprintf(stderr, "keygen failed for %d\n", alg);
    std::exit(1);
  }
  if (alg <= 10) { // RFC 3110
    const Bytes e = bn_bytes(c.pkey, OSSL_PKEY_PARAM_RSA_E);
    const Bytes n = bn_bytes(c.pkey, OSSL_PKEY_PARAM_RSA_N);
    c.key_field.push_back(static_cast<std::uint8_t>(e.size()));
    c.key_field.insert(c.key_field.end(), e.begin(), e.end());
    c.key_field.insert(c.key_field.end(), n.begin(), n.end());
  } else if (alg <= 14) { // RFC 6605: X | Y
    std::array<std::uint8_t, 1 + 96> point{};
    std::size_t len = 0;
    EVP_PKEY_get_octet_string_param(c.pkey, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size(), &len);
    c.key_field.assign(point.begin() + 1, point.begin() + static_cast<std::ptrdiff_t>(len));
  } else {
    std::size_t len = 64;
    c.key_field.resize(len);
    EVP_PKEY_get_raw_public_key(c.pkey, c.key_field.data(), &len);
    c.key_field.resize(len);
  }
  // Messages of the size of a typical RRset's signed data (RRSIG RDATA + one or two RRs).
  std::srand(alg);
  for (std::size_t i = 0; i < messages; ++i) {
    Bytes m(120 + i % 80);
    std::generate(m.begin(), m.end(), [] { return static_cast<std::uint8_t>(std::rand()); });
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const EVP_MD* md = md_name(alg) ? EVP_get_digestbyname(md_name(alg)) : nullptr;
    std::size_t siglen = 0;
    EVP_DigestSignInit(ctx, nullptr, md, nullptr, c.pkey);
    EVP_DigestSign(ctx, nullptr, &siglen, m.data(), m.size());
    Bytes sig(siglen);
    if (EVP_DigestSign(ctx, sig.data(), &siglen, m.data(), m.size()) != 1) {
      std::fprintf(stderr, "sign failed for %d\n", alg);
      std::exit(1);
    }
    sig.resize(siglen);
    EVP_MD_CTX_free(ctx);
    if (alg == 13 || alg == 14) { // DER -> r | s
      const std::size_t half = alg == 13 ? 32 : 48;
      const unsigned char* p = sig.data();
      ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
      Bytes raw(2 * half);
      BN_bn2binpad(ECDSA_SIG_get0_r(es), raw.data(), static_cast<int>(half));
      BN_bn2binpad(ECDSA_SIG_get0_s(es), raw.data() + half, static_cast<int>(half));
      ECDSA_SIG_free(es);
      c.der.push_back(sig);
      c.sigs.push_back(raw);
    } else {
      c.sigs.push_back(sig);
    }
    c.data.push_back(std::move(m));
  }
  return c;
}

// ---- candidates -----------------------------------------------------------------------------
// A candidate prepares per-key state once (not timed) and returns the per-signature verifier.
// index i selects data[i], sigs[i]; `tamper` flips one bit of the data.
using VerifyFn = std::function<bool(std::size_t i, const Bytes& data)>;
using Prepare = std::function<VerifyFn(const Case&)>; // null VerifyFn: not applicable

const EVP_MD* fetched_md(std::uint8_t alg) {
  static EVP_MD* sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  static EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  static EVP_MD* sha384 = EVP_MD_fetch(nullptr, "SHA384", nullptr);
  static EVP_MD* sha512 = EVP_MD_fetch(nullptr, "SHA512", nullptr);
  switch (alg) {
  case 5: return sha1;
  case 8:
  case 13: return sha256;
  case 14: return sha384;
  case 10: return sha512;
  default: return nullptr;
  }
}

const Bytes& openssl_sig(const Case& c, std::size_t i) {
  return c.der.empty() ? c.sigs[i] : c.der[i];
}

// The public half only, as zonewarden loads it (so no private-key shortcuts).
EVP_PKEY* public_only(const Case& c) {
  unsigned char* buf = nullptr;
  const int len = i2d_PUBKEY(c.pkey, &buf);
  const unsigned char* p = buf;
  EVP_PKEY* pub = d2i_PUBKEY(nullptr, &p, len);
  OPENSSL_free(buf);
  return pub;
}

// 1. As zonewarden did before this branch: a new EVP_MD_CTX and EVP_DigestVerifyInit per call.
VerifyFn openssl_fresh(const Case& c) {
  EVP_PKEY* pub = public_only(c);
  return [&c, pub](std::size_t i, const Bytes& d) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const Bytes& s = openssl_sig(c, i);
    const bool ok = EVP_DigestVerifyInit(ctx, nullptr, fetched_md(c.alg), nullptr, pub) == 1 &&
                    EVP_DigestVerify(ctx, s.data(), s.size(), d.data(), d.size()) == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok) {
      ERR_clear_error();
    }
    return ok;
  };
}

// 2. One EVP_MD_CTX per thread, EVP_MD_CTX_reset + EVP_DigestVerifyInit per call.
VerifyFn openssl_reset(const Case& c) {
  EVP_PKEY* pub = public_only(c);
  return [&c, pub](std::size_t i, const Bytes& d) {
    thread_local EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_MD_CTX_reset(ctx);
    const Bytes& s = openssl_sig(c, i);
    const bool ok = EVP_DigestVerifyInit(ctx, nullptr, fetched_md(c.alg), nullptr, pub) == 1 &&
                    EVP_DigestVerify(ctx, s.data(), s.size(), d.data(), d.size()) == 1;
    if (!ok) {
      ERR_clear_error();
    }
    return ok;
  };
}

// 3. RSA/ECDSA: hash with a reused EVP_MD_CTX, then EVP_PKEY_verify on one EVP_PKEY_CTX per key
//    initialised once (EVP_PKEY_verify may be repeated with the same parameters).
VerifyFn openssl_pkey_ctx(const Case& c) {
  if (c.alg >= 15) {
    return nullptr;
  }
  EVP_PKEY* pub = public_only(c);
  EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new_from_pkey(nullptr, pub, nullptr);
  EVP_PKEY_verify_init(pctx);
  EVP_PKEY_CTX_set_signature_md(pctx, fetched_md(c.alg));
  return [&c, pctx](std::size_t i, const Bytes& d) {
    thread_local EVP_MD_CTX* md = EVP_MD_CTX_new();
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int len = 0;
    const Bytes& s = openssl_sig(c, i);
    const bool ok = EVP_DigestInit_ex2(md, fetched_md(c.alg), nullptr) == 1 &&
                    EVP_DigestUpdate(md, d.data(), d.size()) == 1 && EVP_DigestFinal_ex(md, digest.data(), &len) == 1 &&
                    EVP_PKEY_verify(pctx, s.data(), s.size(), digest.data(), len) == 1;
    if (!ok) {
      ERR_clear_error();
    }
    return ok;
  };
}

// 4. EdDSA: one EVP_MD_CTX per key after one EVP_DigestVerifyInit, one-shot EVP_DigestVerify
//    repeated on it.
VerifyFn openssl_digest_verify_reuse(const Case& c) {
  if (c.alg < 15) {
    return nullptr;
  }
  EVP_PKEY* pub = public_only(c);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, pub);
  return [&c, ctx](std::size_t i, const Bytes& d) {
    const Bytes& s = c.sigs[i];
    const bool ok = EVP_DigestVerify(ctx, s.data(), s.size(), d.data(), d.size()) == 1;
    if (!ok) {
      ERR_clear_error();
    }
    return ok;
  };
}

// 5. Botan 2 with the key and PK_Verifier built once (zonewarden's BotanVerifier parses the key
//    on every call: the zw:botan row).
VerifyFn botan_prepared(const Case& c) {
  if (c.alg == 16) {
    return nullptr;
  }
  std::shared_ptr<Botan::Public_Key> key;
  const char* emsa = nullptr;
  if (c.alg <= 10) {
    const std::size_t elen = c.key_field[0];
    key = std::make_shared<Botan::RSA_PublicKey>(
        Botan::BigInt(c.key_field.data() + 1 + elen, c.key_field.size() - 1 - elen),
        Botan::BigInt(c.key_field.data() + 1, elen));
    emsa = c.alg == 5 ? "EMSA3(SHA-1)" : c.alg == 8 ? "EMSA3(SHA-256)" : "EMSA3(SHA-512)";
  } else if (c.alg <= 14) {
    static const Botan::EC_Group p256("secp256r1");
    static const Botan::EC_Group p384("secp384r1");
    const Botan::EC_Group& g = c.alg == 13 ? p256 : p384;
    Bytes point{0x04};
    point.insert(point.end(), c.key_field.begin(), c.key_field.end());
    key = std::make_shared<Botan::ECDSA_PublicKey>(g, g.OS2ECP(point.data(), point.size()));
    emsa = c.alg == 13 ? "EMSA1(SHA-256)" : "EMSA1(SHA-384)";
  } else {
    key = std::make_shared<Botan::Ed25519_PublicKey>(c.key_field.data(), c.key_field.size());
    emsa = "Pure";
  }
  auto verifier = std::make_shared<Botan::PK_Verifier>(*key, emsa, Botan::IEEE_1363);
  return [&c, key, verifier](std::size_t i, const Bytes& d) {
    return verifier->verify_message(d.data(), d.size(), c.sigs[i].data(), c.sigs[i].size());
  };
}

// 6. nettle/hogweed 3.8 (GnuTLS's, hence kzonecheck's, backend).
void import_limbs(mp_limb_t* out, std::size_t limbs, const std::uint8_t* be, std::size_t len) {
  std::fill(out, out + limbs, 0);
  for (std::size_t k = 0; k < len; ++k) {
    const std::size_t bit = 8 * (len - 1 - k);
    out[bit / GMP_NUMB_BITS] |= static_cast<mp_limb_t>(be[k]) << (bit % GMP_NUMB_BITS);
  }
}

VerifyFn nettle_verify(const Case& c) {
  if (c.alg == 13 || c.alg == 14) {
    const ecc_curve* curve = c.alg == 13 ? nettle_get_secp_256r1() : nettle_get_secp_384r1();
    const std::size_t half = c.alg == 13 ? 32 : 48;
    const std::size_t n = (8 * half + GMP_NUMB_BITS - 1) / GMP_NUMB_BITS;
    // The point X | Y as limbs, checked on the curve once.
    auto pub = std::make_shared<std::vector<mp_limb_t>>(2 * n);
    import_limbs(pub->data(), n, c.key_field.data(), half);
    import_limbs(pub->data() + n, n, c.key_field.data() + half, half);
    auto scratch = std::make_shared<std::vector<mp_limb_t>>(static_cast<std::size_t>(ecc_ecdsa_verify_itch(curve)));
    return [&c, curve, half, n, pub, scratch](std::size_t i, const Bytes& d) {
      std::array<std::uint8_t, 48> digest{};
      if (c.alg == 13) {
        sha256_ctx h;
        sha256_init(&h);
        sha256_update(&h, d.size(), d.data());
        sha256_digest(&h, 32, digest.data());
      } else {
        sha384_ctx h;
        sha384_init(&h);
        sha384_update(&h, d.size(), d.data());
        sha384_digest(&h, 48, digest.data());
      }
      std::array<mp_limb_t, 6> r{}, s{};
      import_limbs(r.data(), n, c.sigs[i].data(), half);
      import_limbs(s.data(), n, c.sigs[i].data() + half, half);
      return ecc_ecdsa_verify(curve, pub->data(), half, digest.data(), r.data(), s.data(), scratch->data()) == 1;
    };
  }
  if (c.alg == 15) {
    return [&c](std::size_t i, const Bytes& d) {
      return ed25519_sha512_verify(c.key_field.data(), d.size(), d.data(), c.sigs[i].data()) == 1;
    };
  }
  if (c.alg == 16) {
    return [&c](std::size_t i, const Bytes& d) {
      return ed448_shake256_verify(c.key_field.data(), d.size(), d.data(), c.sigs[i].data()) == 1;
    };
  }
  // RSA: public key once; the signature becomes an mpz per call (nettle's API).
  auto key = std::shared_ptr<rsa_public_key>(new rsa_public_key, [](rsa_public_key* k) {
    rsa_public_key_clear(k);
    delete k;
  });
  rsa_public_key_init(key.get());
  const std::size_t elen = c.key_field[0];
  mpz_import(key->e, elen, 1, 1, 0, 0, c.key_field.data() + 1);
  mpz_import(key->n, c.key_field.size() - 1 - elen, 1, 1, 0, 0, c.key_field.data() + 1 + elen);
  rsa_public_key_prepare(key.get());
  return [&c, key](std::size_t i, const Bytes& d) {
    thread_local mpz_t sig;
    thread_local bool init = (mpz_init2(sig, 4096), true);
    (void)init;
    mpz_import(sig, c.sigs[i].size(), 1, 1, 0, 0, c.sigs[i].data());
    std::array<std::uint8_t, 64> digest{};
    switch (c.alg) {
    case 5: {
      sha1_ctx h;
      sha1_init(&h);
      sha1_update(&h, d.size(), d.data());
      sha1_digest(&h, 20, digest.data());
      return rsa_sha1_verify_digest(key.get(), digest.data(), sig) == 1;
    }
    case 8: {
      sha256_ctx h;
      sha256_init(&h);
      sha256_update(&h, d.size(), d.data());
      sha256_digest(&h, 32, digest.data());
      return rsa_sha256_verify_digest(key.get(), digest.data(), sig) == 1;
    }
    default: {
      sha512_ctx h;
      sha512_init(&h);
      sha512_update(&h, d.size(), d.data());
      sha512_digest(&h, 64, digest.data());
      return rsa_sha512_verify_digest(key.get(), digest.data(), sig) == 1;
    }
    }
  };
}

// 7. libsodium 1.0.18: Ed25519 only.
VerifyFn sodium_verify(const Case& c) {
  if (c.alg != 15) {
    return nullptr;
  }
  return [&c](std::size_t i, const Bytes& d) {
    return crypto_sign_verify_detached(c.sigs[i].data(), d.data(), d.size(), c.key_field.data()) == 0;
  };
}

// 8. zonewarden's own verifiers as built (crypto::load_public_key once per key).
Prepare zw_verifier(const zw::crypto::Verifier& v) {
  return [&v](const Case& c) -> VerifyFn {
    auto key = zw::crypto::load_public_key(c.alg, c.key_field);
    if (!key) {
      return nullptr;
    }
    std::shared_ptr<const zw::crypto::PublicKey> k = *key;
    if (v.verify(c.alg, *k, c.data[0], c.sigs[0]) == zw::crypto::VerifyStatus::unsupported_algorithm) {
      return nullptr;
    }
    return [&c, &v, k](std::size_t i, const Bytes& d) {
      return v.verify(c.alg, *k, d, c.sigs[i]) == zw::crypto::VerifyStatus::valid;
    };
  };
}

VerifyFn zw_dual(const Case& c) {
  auto key = zw::crypto::load_public_key(c.alg, c.key_field);
  if (!key) {
    return nullptr;
  }
  std::shared_ptr<const zw::crypto::PublicKey> k = *key;
  return [&c, k](std::size_t i, const Bytes& d) {
    return zw::crypto::verify_dual(c.alg, *k, d, c.sigs[i]).status == zw::crypto::VerifyStatus::valid;
  };
}

struct Cell {
  double rate = 0;      // verifications per CPU second
  double allocs = 0;    // heap allocations per verification
  bool correct = false; // all valid accepted, tampered rejected
  bool applicable = false;
};

Cell measure(const Case& c, const Prepare& prepare, double seconds) {
  Cell cell;
  VerifyFn fn = prepare(c);
  if (!fn) {
    return cell;
  }
  cell.applicable = true;
  const std::size_t m = c.data.size();
  // Correctness first (also the warm-up): every signature, then tampered data and signature.
  bool ok = true;
  for (std::size_t i = 0; i < m; ++i) {
    ok = ok && fn(i, c.data[i]);
  }
  Bytes tampered = c.data[0];
  tampered[tampered.size() / 2] ^= 0x10;
  ok = ok && !fn(0, tampered) && fn(0, c.data[0]); // a rejection must not poison a reused context
  cell.correct = ok;
  // Timed: batches of m until `seconds` of CPU time.
  std::size_t done = 0;
  const unsigned long allocs0 = g_allocs.load();
  const double t0 = thread_cpu_seconds();
  double t = t0;
  while (t - t0 < seconds) {
    for (std::size_t i = 0; i < m; ++i) {
      if (!fn(i, c.data[i])) {
        cell.correct = false;
      }
    }
    done += m;
    t = thread_cpu_seconds();
  }
  cell.allocs = static_cast<double>(g_allocs.load() - allocs0) / static_cast<double>(done);
  cell.rate = static_cast<double>(done) / (t - t0);
  return cell;
}

} // namespace

int main(int argc, char** argv) {
  // Before any OpenSSL or GMP use: route their allocations through the counters.
  CRYPTO_set_mem_functions(count_malloc, count_realloc, count_free);
  mp_set_memory_functions(gmp_count_alloc, gmp_count_realloc, gmp_count_free);
  if (sodium_init() < 0) {
    return 1;
  }
  const double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;

  const zw::crypto::Verifier& zw_openssl = zw::crypto::openssl_verifier();
  const zw::crypto::Verifier& zw_botan = zw::crypto::botan_verifier();
  const zw::crypto::Verifier& zw_nettle = zw::crypto::nettle_verifier();
  const zw::crypto::Verifier& zw_sodium = zw::crypto::sodium_verifier();
  struct Candidate {
    const char* name;
    Prepare prepare;
  };
  const std::vector<Candidate> candidates{
      {"openssl fresh ctx (old zw)", openssl_fresh},
      {"openssl reset md_ctx", openssl_reset},
      {"openssl pkey_ctx reuse", openssl_pkey_ctx},
      {"openssl md_ctx reuse", openssl_digest_verify_reuse},
      {"botan prepared", botan_prepared},
      {"nettle", nettle_verify},
      {"libsodium", sodium_verify},
      {"zw:openssl (as built)", zw_verifier(zw_openssl)},
      {"zw:botan (as built)", zw_verifier(zw_botan)},
      {"zw:nettle (as built)", zw_verifier(zw_nettle)},
      {"zw:libsodium (as built)", zw_verifier(zw_sodium)},
      {"zw:verify_dual (as built)", zw_dual},
  };

  std::vector<Case> cases;
  cases.push_back(make_case(5, "5 RSASHA1-1024", 64));
  cases.push_back(make_case(8, "8 RSASHA256-2048", 64));
  cases.push_back(make_case(10, "10 RSASHA512-2048", 64));
  cases.push_back(make_case(13, "13 ECDSA-P256", 64));
  cases.push_back(make_case(14, "14 ECDSA-P384", 64));
  cases.push_back(make_case(15, "15 Ed25519", 64));
  cases.push_back(make_case(16, "16 Ed448", 64));

  std::printf("verify/s per CPU second, single thread, %.1f s per cell; (a) = heap allocations per verify\n\n",
              seconds);
  std::printf("| candidate |");
  for (const Case& c : cases) {
    std::printf(" %s |", c.label);
  }
  std::printf("\n|---|");
  for (std::size_t i = 0; i < cases.size(); ++i) {
    std::printf("---:|");
  }
  std::printf("\n");
  for (const Candidate& cand : candidates) {
    std::printf("| %s |", cand.name);
    for (const Case& c : cases) {
      const Cell cell = measure(c, cand.prepare, seconds);
      if (!cell.applicable) {
        std::printf(" – |");
      } else if (!cell.correct) {
        std::printf(" WRONG %.0f |", cell.rate);
      } else {
        std::printf(" %.0f (%.0fa) |", cell.rate, cell.allocs);
      }
      std::fflush(stdout);
    }
    std::printf("\n");
  }
  return 0;
}
