#pragma once
// The inside of crypto::PublicKey, shared by public_key.cpp and the verifiers. Includes OpenSSL
// and GMP: only src/crypto/*.cpp may include this header.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include <gmp.h>

#include "crypto/openssl_handle.hpp"
#include "crypto/verifier.hpp"

namespace zw::crypto {

namespace detail {

// One OpenSSL verification context per thread for one key (crypto/openssl_verifier.cpp keeps an
// EVP_PKEY_CTX after EVP_PKEY_verify_init in it, which EVP_PKEY_verify may reuse for any number
// of signatures). The table belongs to the key, so a context can never outlive its key, and a
// thread finds its slot without a lock:
// - a slot is claimed once, by the thread itself, with a compare-and-swap on `owner` (free ->
//   this thread's id), and never released; only the owner reads or writes `ctx`;
// - a thread probes from hash(id) and stops at its own slot or the first free one. Slots only
//   go from free to owned, so every later probe stops at the same slot;
// - a thread id is reused only after its thread ended, so a new thread that inherits a slot
//   through its id is never concurrent with the old one (`ctx` is atomic for the hand-over);
// - when every slot belongs to other threads, the caller gets null and verifies with a
//   short-lived context instead: slower, never wrong.
class ThreadContextTable {
public:
  struct Slot {
    std::atomic<std::thread::id> owner{};
    std::atomic<EVP_PKEY_CTX*> ctx{nullptr};
  };

  // Twice the cores by default: the zone-file pass runs one thread per core, and threads that
  // end leave their slot to a later thread that gets the same id.
  explicit ThreadContextTable(std::size_t slots = default_slots());
  ~ThreadContextTable();
  ThreadContextTable(const ThreadContextTable&) = delete;
  ThreadContextTable& operator=(const ThreadContextTable&) = delete;

  // The calling thread's slot, claimed on first use; null when all are taken by other threads.
  Slot* slot_of_this_thread() const noexcept;

  static std::size_t default_slots() noexcept;

private:
  std::size_t m_count;
  std::unique_ptr<Slot[]> m_slots;
};

// Limbs of a P-384 coordinate, the largest ECDSA field we verify.
inline constexpr std::size_t k_ec_limbs = (384 + GMP_NUMB_BITS - 1) / GMP_NUMB_BITS;

} // namespace detail

struct PublicKey::Impl {
  std::uint8_t algorithm = 0;
  std::vector<std::uint8_t> key_field;
  // Built once by load_public_key; null for algorithms we do not verify. Never modified after
  // construction, so concurrent verifications may share it (OpenSSL 3 up-refs it per operation).
  detail::EvpPkeyHandle pkey;
  // ECDSA (13, 14) for nettle: the point X | Y as limbs (least significant first, each
  // coordinate `k_ec_limbs` long), checked on the curve by nettle when the key was loaded.
  std::array<mp_limb_t, 2 * detail::k_ec_limbs> ec_point{};
  // RSA and ECDSA: OpenSSL's per-thread verification contexts (see above). Empty otherwise.
  std::unique_ptr<detail::ThreadContextTable> contexts;
};

} // namespace zw::crypto
