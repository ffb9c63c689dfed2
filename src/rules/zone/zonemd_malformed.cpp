// zone/zonemd-malformed: an apex ZONEMD record whose digest is shorter than 12 octets, or not the
// length of its SHA-384 or SHA-512 hash (RFC 8976 §2.2.3, §2.2.4, §4 step 5d).
// User documentation: docs/rules/zone/zonemd-malformed.md
#include "rules/zone/zonemd_support.hpp"

namespace zw::rules::zone {
namespace {

using namespace zonemd_support;

// The length the digest should have had.
std::string expected_length(const ZonemdRecord& r) {
  switch (r.hash) {
  case zw::dnssec::k_zonemd_sha384: return fmt::format("hash algorithm {} makes 48 octets", r.hash);
  case zw::dnssec::k_zonemd_sha512: return fmt::format("hash algorithm {} makes 64 octets", r.hash);
  default: return "RFC 8976 §2.2.4 requires at least 12 octets";
  }
}

void check_zonemd_malformed(const RuleContext& ctx, const ZoneFileInput& /*file*/, const ZonemdCheck& c,
                            FindingSink& sink, const RuleInfo& /*info*/) {
  report_records(
      ctx, sink, c, ZonemdStatus::malformed,
      [](std::size_t n) {
        return fmt::format("{} ZONEMD record{} at the apex {} a digest of the wrong length", n, n == 1 ? "" : "s",
                           n == 1 ? "has" : "have");
      },
      [](const ZonemdRecord& r) {
        return fmt::format("{}: digest of {} octets; {}", describe(r), r.digest.size(), expected_length(r));
      });
}

} // namespace
extern const RuleCode zonemd_malformed{.file = &with_zonemd<check_zonemd_malformed>};
} // namespace zw::rules::zone
