#include <algorithm>
#include <array>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <openssl/core_names.h>
#include <openssl/err.h>

#include "crypto/dnskey_codec.hpp"
#include "crypto/public_key_impl.hpp"
#include "util/enum_names.hpp"

namespace zw::crypto {

namespace {

using detail::BignumHandle;
using detail::EvpPkeyCtxHandle;
using detail::EvpPkeyHandle;
using detail::ParamBldHandle;
using detail::ParamHandle;

// Moduli beyond this are refused before they reach OpenSSL: RFC 3110 allows 4096 bits, real
// keys stay far below, and the bound keeps a hostile zone from making us do huge exponentiations.
constexpr unsigned k_max_rsa_bits = 16384;
constexpr unsigned k_min_rsa_bits = 512; // RFC 3110 §2; OpenSSL refuses smaller moduli anyway

// Builds a public key from OSSL_PARAMs with the default library context.
EvpPkeyHandle from_params(const char* key_type, const OSSL_PARAM* params) {
  EvpPkeyCtxHandle ctx(EVP_PKEY_CTX_new_from_name(nullptr, key_type, nullptr));
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0) {
    return nullptr;
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, const_cast<OSSL_PARAM*>(params)) <= 0) {
    return nullptr;
  }
  return EvpPkeyHandle(raw);
}

Result<EvpPkeyHandle> load_rsa(std::uint8_t alg, std::span<const std::uint8_t> key_field) {
  const std::optional<RsaKeyParts> parts = split_rsa_key(key_field);
  if (!parts) {
    return fail(
        fmt::format("algorithm {}: RSA key of {} octets is truncated (RFC 3110 encoding)", alg, key_field.size()));
  }
  const unsigned bits = significant_bits(parts->modulus);
  if (bits < k_min_rsa_bits || bits > k_max_rsa_bits) {
    return fail(fmt::format("algorithm {}: RSA modulus of {} bits, expected {} to {}", alg, bits, k_min_rsa_bits,
                            k_max_rsa_bits));
  }
  if (significant_bits(parts->exponent) == 0) {
    return fail(fmt::format("algorithm {}: RSA exponent is zero", alg));
  }
  const BignumHandle n(BN_bin2bn(parts->modulus.data(), static_cast<int>(parts->modulus.size()), nullptr));
  const BignumHandle e(BN_bin2bn(parts->exponent.data(), static_cast<int>(parts->exponent.size()), nullptr));
  const ParamBldHandle bld(OSSL_PARAM_BLD_new());
  if (!n || !e || !bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    return fail(fmt::format("algorithm {}: out of memory building an RSA key", alg));
  }
  const ParamHandle params(OSSL_PARAM_BLD_to_param(bld.get()));
  EvpPkeyHandle pkey = params ? from_params("RSA", params.get()) : nullptr;
  if (!pkey) {
    return fail(fmt::format("algorithm {}: OpenSSL rejects the RSA key", alg));
  }
  return pkey;
}

// The curve of an algorithm with fixed-length keys (13 to 16), for messages.
const char* curve_name(std::uint8_t alg) noexcept {
  switch (alg) {
  case algorithm::ecdsap256sha256: return "P-256";
  case algorithm::ecdsap384sha384: return "P-384";
  case algorithm::ed25519: return "Ed25519";
  default: return "Ed448";
  }
}

// Why `key_field` cannot be a key of `alg` (13 to 16), whose keys have one length (RFC 6605 §4,
// RFC 8080 §3); nullopt when its length is right. `family` names the scheme in the message.
std::optional<std::string> wrong_key_length(std::uint8_t alg, std::span<const std::uint8_t> key_field,
                                            std::string_view family) {
  const std::size_t expected = fixed_key_length(alg);
  if (key_field.size() == expected) {
    return std::nullopt;
  }
  return fmt::format("algorithm {}: {} key length {}, {} needs {}", alg, family, key_field.size(), curve_name(alg),
                     expected);
}

Result<EvpPkeyHandle> load_ecdsa(std::uint8_t alg, std::span<const std::uint8_t> key_field) {
  if (std::optional<std::string> error = wrong_key_length(alg, key_field, "ECDSA")) {
    return fail(std::move(*error));
  }
  const std::size_t expected = key_field.size();
  const char* curve = curve_name(alg);
  // RFC 6605 §4: the key field is X | Y; OpenSSL wants the SEC 1 uncompressed point 04 | X | Y.
  std::array<std::uint8_t, 1 + 96> point{};
  point[0] = 0x04;
  std::copy(key_field.begin(), key_field.end(), point.begin() + 1);
  char group[] = "P-256";
  char group384[] = "P-384";
  const std::array<OSSL_PARAM, 3> params{
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, alg == algorithm::ecdsap256sha256 ? group : group384,
                                       0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), 1 + expected),
      OSSL_PARAM_construct_end()};
  EvpPkeyHandle pkey = from_params("EC", params.data());
  if (!pkey) {
    return fail(fmt::format("algorithm {}: ECDSA key is not a point on {}", alg, curve));
  }
  return pkey;
}

// Nettle's view of an ECDSA key (crypto/nettle_verifier.cpp): the point as limbs, after nettle
// itself checked that it lies on the curve with coordinates below p. OpenSSL checked the same;
// a point only one of them accepts would make their verdicts differ, so both must.
bool load_nettle_point(std::uint8_t alg, std::span<const std::uint8_t> key_field,
                       std::array<mp_limb_t, 2 * detail::k_ec_limbs>& out) {
  const ecc_curve* curve = alg == algorithm::ecdsap256sha256 ? nettle_get_secp_256r1() : nettle_get_secp_384r1();
  const std::size_t half = key_field.size() / 2;
  mpz_t x;
  mpz_t y;
  mpz_init(x);
  mpz_init(y);
  mpz_import(x, half, 1, 1, 0, 0, key_field.data());
  mpz_import(y, half, 1, 1, 0, 0, key_field.data() + half);
  ecc_point point;
  ecc_point_init(&point, curve);
  const bool ok = ecc_point_set(&point, x, y) == 1;
  if (ok) {
    // Limbs are ecc_size(curve) per coordinate, which is k_ec_limbs for P-384 and fewer for
    // P-256; nettle_verifier.cpp reads them with the same stride.
    const auto limbs = static_cast<std::size_t>(ecc_size(curve));
    std::fill(out.begin(), out.end(), 0);
    const auto copy = [limbs](const mpz_t z, mp_limb_t* to) {
      const auto used = std::min(limbs, static_cast<std::size_t>(mpz_size(z)));
      std::copy_n(mpz_limbs_read(z), used, to);
    };
    copy(x, out.data());
    copy(y, out.data() + detail::k_ec_limbs);
  }
  ecc_point_clear(&point);
  mpz_clear(x);
  mpz_clear(y);
  return ok;
}

Result<EvpPkeyHandle> load_eddsa(std::uint8_t alg, std::span<const std::uint8_t> key_field) {
  if (std::optional<std::string> error = wrong_key_length(alg, key_field, "EdDSA")) {
    return fail(std::move(*error));
  }
  const char* curve = curve_name(alg);
  // RFC 8080 §3: the key field is the raw public key of RFC 8032.
  EvpPkeyHandle pkey(EVP_PKEY_new_raw_public_key(alg == algorithm::ed25519 ? EVP_PKEY_ED25519 : EVP_PKEY_ED448, nullptr,
                                                 key_field.data(), key_field.size()));
  if (!pkey) {
    return fail(fmt::format("algorithm {}: OpenSSL rejects the {} key", alg, curve));
  }
  return pkey;
}

Result<EvpPkeyHandle> load_pkey(std::uint8_t alg, std::span<const std::uint8_t> key_field) {
  switch (alg) {
  case algorithm::rsasha1:
  case algorithm::rsasha1_nsec3_sha1:
  case algorithm::rsasha256:
  case algorithm::rsasha512: return load_rsa(alg, key_field);
  case algorithm::ecdsap256sha256:
  case algorithm::ecdsap384sha384: return load_ecdsa(alg, key_field);
  case algorithm::ed25519:
  case algorithm::ed448: return load_eddsa(alg, key_field);
  default: return EvpPkeyHandle{};
  }
}

} // namespace

namespace detail {

std::size_t ThreadContextTable::default_slots() noexcept {
  return std::clamp<std::size_t>(2 * std::size_t{std::thread::hardware_concurrency()}, 8, 512);
}

ThreadContextTable::ThreadContextTable(std::size_t slots)
    : m_count(std::max<std::size_t>(slots, 1)), m_slots(std::make_unique<Slot[]>(m_count)) {}

ThreadContextTable::~ThreadContextTable() {
  for (std::size_t i = 0; i < m_count; ++i) {
    EVP_PKEY_CTX_free(m_slots[i].ctx.load(std::memory_order_acquire));
  }
}

ThreadContextTable::Slot* ThreadContextTable::slot_of_this_thread() const noexcept {
  const std::thread::id self = std::this_thread::get_id();
  const std::size_t start = std::hash<std::thread::id>{}(self) % m_count;
  for (std::size_t i = 0; i < m_count; ++i) {
    Slot& slot = m_slots[(start + i) % m_count];
    std::thread::id owner = slot.owner.load(std::memory_order_acquire);
    if (owner == self) {
      return &slot;
    }
    if (owner == std::thread::id{} &&
        slot.owner.compare_exchange_strong(owner, self, std::memory_order_acq_rel, std::memory_order_acquire)) {
      return &slot;
    }
  }
  return nullptr;
}

} // namespace detail

using util::EnumName;

constexpr auto k_verify_status_names =
    util::enum_names({EnumName(VerifyStatus::valid, "valid"), EnumName(VerifyStatus::invalid, "invalid"),
                      EnumName(VerifyStatus::unsupported_algorithm, "unsupported-algorithm"),
                      EnumName(VerifyStatus::bad_key, "bad-key")});

std::string_view to_string(VerifyStatus status) noexcept {
  return k_verify_status_names.text(status);
}

bool is_supported_algorithm(std::uint8_t alg) noexcept {
  switch (alg) {
  case algorithm::rsasha1:
  case algorithm::rsasha1_nsec3_sha1:
  case algorithm::rsasha256:
  case algorithm::rsasha512:
  case algorithm::ecdsap256sha256:
  case algorithm::ecdsap384sha384:
  case algorithm::ed25519:
  case algorithm::ed448: return true;
  default: return false;
  }
}

PublicKey::PublicKey(std::unique_ptr<Impl> impl) noexcept : m_impl(std::move(impl)) {}
PublicKey::~PublicKey() = default;

std::uint8_t PublicKey::algorithm() const noexcept {
  return m_impl->algorithm;
}

std::span<const std::uint8_t> PublicKey::key_field() const noexcept {
  return m_impl->key_field;
}

Result<std::shared_ptr<const PublicKey>> load_public_key(std::uint8_t alg, std::span<const std::uint8_t> key_field) {
  Result<EvpPkeyHandle> pkey = load_pkey(alg, key_field);
  // A failed load may leave entries in this thread's OpenSSL error queue; they describe nothing
  // the caller can act on beyond our message, and stale entries would confuse later calls.
  ERR_clear_error();
  if (!pkey) {
    return fail(std::move(pkey).error().message);
  }
  auto impl = std::make_unique<PublicKey::Impl>();
  impl->algorithm = alg;
  impl->key_field.assign(key_field.begin(), key_field.end());
  impl->pkey = std::move(*pkey);
  if (alg == algorithm::ecdsap256sha256 || alg == algorithm::ecdsap384sha384) {
    if (!load_nettle_point(alg, key_field, impl->ec_point)) {
      return fail(fmt::format("algorithm {}: ECDSA key is not a point on {} (nettle)", alg,
                              alg == algorithm::ecdsap256sha256 ? "P-256" : "P-384"));
    }
  }
  if (impl->pkey && (is_rsa_algorithm(alg) || alg == algorithm::ecdsap256sha256 || alg == algorithm::ecdsap384sha384)) {
    impl->contexts = std::make_unique<detail::ThreadContextTable>();
  }
  return std::make_shared<const PublicKey>(std::move(impl));
}

} // namespace zw::crypto
