// zone/zonemd-serial-mismatch: an apex ZONEMD record whose Serial is not the SOA serial (RFC 8976
// §4 step 5a).
// User documentation: docs/rules/zone/zonemd-serial-mismatch.md
#include "rules/zone/zonemd_support.hpp"

namespace zw::rules::zone {
namespace {

using namespace zonemd_support;

// Whether only the Serial field is stale, or the digest as well.
std::string digest_note(const ZonemdRecord& r) {
  if (r.computed.empty()) {
    return {}; // a scheme or hash this build does not compute
  }
  if (r.computed == r.digest) {
    return "; its digest matches the zone's data: only the Serial field is stale";
  }
  return fmt::format("; its digest does not match the zone's data either (published {}, computed {})",
                     util::to_hex(r.digest), util::to_hex(r.computed));
}

void check_zonemd_serial_mismatch(const RuleContext& ctx, const ZoneFileInput& /*file*/, const ZonemdCheck& c,
                                  FindingSink& sink, const RuleInfo& /*info*/) {
  report_records(
      ctx, sink, c, ZonemdStatus::serial_mismatch,
      [&](std::size_t n) {
        return fmt::format("{} ZONEMD record{} at the apex name{} a serial other than the SOA's ({}): the digest "
                           "belongs to another version of the zone",
                           n, n == 1 ? "" : "s", n == 1 ? "s" : "", c.soa_serial);
      },
      [](const ZonemdRecord& r) { return fmt::format("{}: serial {}{}", describe(r), r.serial, digest_note(r)); });
}

} // namespace
extern const RuleCode zonemd_serial_mismatch{.file = &with_zonemd<check_zonemd_serial_mismatch>};
} // namespace zw::rules::zone
