#pragma once
// RAII for OpenSSL objects (STYLE.md §6). Only src/crypto/*.cpp include this header; the choice of
// free function is made once, here, never at a call site.

#include <memory>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

namespace zw::crypto::detail {

template <auto FreeFn> struct CFree {
  template <typename T> void operator()(T* p) const noexcept { FreeFn(p); }
};

using EvpPkeyHandle = std::unique_ptr<EVP_PKEY, CFree<EVP_PKEY_free>>;
using EvpPkeyCtxHandle = std::unique_ptr<EVP_PKEY_CTX, CFree<EVP_PKEY_CTX_free>>;
using EvpMdCtxHandle = std::unique_ptr<EVP_MD_CTX, CFree<EVP_MD_CTX_free>>;
using EvpMdHandle = std::unique_ptr<EVP_MD, CFree<EVP_MD_free>>;
using BignumHandle = std::unique_ptr<BIGNUM, CFree<BN_free>>;
using ParamBldHandle = std::unique_ptr<OSSL_PARAM_BLD, CFree<OSSL_PARAM_BLD_free>>;
using ParamHandle = std::unique_ptr<OSSL_PARAM, CFree<OSSL_PARAM_free>>;

} // namespace zw::crypto::detail
