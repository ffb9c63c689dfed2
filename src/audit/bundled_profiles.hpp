#pragma once
// The policy profiles shipped inside the binary, so `--profile strict` works without the source
// tree. The text is generated at build time from profiles/<name>.toml (embed_profiles.py), which
// stays the source of truth.

#include <span>
#include <string_view>

namespace zw::audit {

struct BundledProfile {
  std::string_view name; // "default", "strict"
  std::string_view text; // the TOML file, byte for byte
};

// Every bundled profile, sorted by name.
std::span<const BundledProfile> bundled_profiles() noexcept;

} // namespace zw::audit
