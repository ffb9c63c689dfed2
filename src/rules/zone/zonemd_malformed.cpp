// zone/zonemd-malformed: an apex ZONEMD record whose digest is shorter than 12 octets, or not the
// length of its SHA-384 or SHA-512 hash (RFC 8976 §2.2.3, §2.2.4, §4 step 5d).
// User documentation: docs/rules/zone/zonemd-malformed.md
#include "rules/zone/zonemd_support.hpp"

namespace zw::rules::zone {
namespace {

using namespace zonemd_support;

void check_zonemd_malformed(const RuleContext& ctx, const ZoneFileInput& /*file*/, const ZonemdCheck& c,
                            FindingSink& sink, const RuleInfo& /*info*/) {
  report_records(
      ctx, sink, c, ZonemdStatus::malformed,
      [&](std::size_t n) {
        return fmt::format("{} ZONEMD record{} at the apex {} a digest of the wrong length", n, n == 1 ? "" : "s",
                           n == 1 ? "has" : "have");
      },
      [](const ZonemdRecord& r) {
        std::string why;
        if (r.hash == zw::dnssec::k_zonemd_sha384 || r.hash == zw::dnssec::k_zonemd_sha512) {
          why =
              fmt::format("hash algorithm {} makes {} octets", r.hash, r.hash == zw::dnssec::k_zonemd_sha384 ? 48 : 64);
        } else {
          why = "RFC 8976 §2.2.4 requires at least 12 octets";
        }
        return fmt::format("{}: digest of {} octets; {}", describe(r), r.digest.size(), why);
      });
}

} // namespace
extern const RuleCode zonemd_malformed{.file = &with_zonemd<check_zonemd_malformed>};
} // namespace zw::rules::zone
