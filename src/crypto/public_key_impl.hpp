#pragma once
// The inside of crypto::PublicKey, shared by public_key.cpp and the verifiers. Includes OpenSSL:
// only src/crypto/*.cpp may include this header.

#include <cstdint>
#include <vector>

#include "crypto/openssl_handle.hpp"
#include "crypto/verifier.hpp"

namespace zw::crypto {

struct PublicKey::Impl {
  std::uint8_t algorithm = 0;
  std::vector<std::uint8_t> key_field;
  // Built once by load_public_key; null for algorithms we do not verify. Never modified after
  // construction, so concurrent verifications may share it (OpenSSL 3 up-refs it per operation).
  detail::EvpPkeyHandle pkey;
};

} // namespace zw::crypto
