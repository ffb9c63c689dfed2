// zone/zonemd-serial-mismatch: an apex ZONEMD record whose Serial is not the SOA serial (RFC 8976
// §4 step 5a).
// User documentation: docs/rules/zone/zonemd-serial-mismatch.md
#include "rules/zone/zonemd_support.hpp"

namespace zw::rules::zone {
namespace {

using namespace zonemd_support;

void check_zonemd_serial_mismatch(const RuleContext& ctx, const ZoneFileInput& /*file*/, const ZonemdCheck& c,
                                  FindingSink& sink, const RuleInfo& /*info*/) {
  report_records(
      ctx, sink, c, ZonemdStatus::serial_mismatch,
      [&](std::size_t n) {
        return fmt::format("{} ZONEMD record{} at the apex name{} a serial other than the SOA's ({}): the digest "
                           "belongs to another version of the zone",
                           n, n == 1 ? "" : "s", n == 1 ? "s" : "", c.soa_serial);
      },
      [](const ZonemdRecord& r) {
        std::string data;
        if (!r.computed.empty()) {
          data = r.computed == r.digest ? "; its digest matches the zone's data: only the Serial field is stale"
                                        : fmt::format("; its digest does not match the zone's data either "
                                                      "(published {}, computed {})",
                                                      util::to_hex(r.digest), util::to_hex(r.computed));
        }
        return fmt::format("{}: serial {}{}", describe(r), r.serial, data);
      });
}

} // namespace
extern const RuleCode zonemd_serial_mismatch{.file = &with_zonemd<check_zonemd_serial_mismatch>};
} // namespace zw::rules::zone
