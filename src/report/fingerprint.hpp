#pragma once
// The identity of a finding across runs: rule, zone, server, owner and type (never the message,
// which carries counts and times). SARIF's partialFingerprints and the run history's rows carry
// it; baselines and waivers match on the same fields.

#include <string>

#include "zonewarden/audit.hpp"

namespace zw::detail {

// 64-bit FNV-1a over the identity fields, as 16 hex digits: stable across compilers and runs,
// unlike std::hash.
std::string finding_fingerprint(const Finding& finding);

} // namespace zw::detail
