// zone/zonemd-duplicate: two or more apex ZONEMD records with the same Scheme and Hash Algorithm
// (RFC 8976 §2.5, §4 step 4).
// User documentation: docs/rules/zone/zonemd-duplicate.md
#include "rules/zone/zonemd_support.hpp"

namespace zw::rules::zone {
namespace {

using namespace zonemd_support;

// Whether a repeated record's digest would verify, had it been the only one of its pair.
std::string_view against_data(const ZonemdRecord& r) {
  if (r.computed.empty()) {
    return ""; // a scheme or hash this build does not compute
  }
  return r.computed == r.digest ? " (matches the zone's data)" : " (does not match the zone's data)";
}

void check_zonemd_duplicate(const RuleContext& ctx, const ZoneFileInput& /*file*/, const ZonemdCheck& c,
                            FindingSink& sink, const RuleInfo& /*info*/) {
  report_records(
      ctx, sink, c, ZonemdStatus::duplicate,
      [](std::size_t n) {
        return fmt::format("{} ZONEMD records at the apex repeat a Scheme and Hash Algorithm: none of them can "
                           "verify the zone (RFC 8976 §4 step 4)",
                           n);
      },
      [](const ZonemdRecord& r) {
        return fmt::format("{}: digest {}{}", describe(r), util::to_hex(r.digest), against_data(r));
      });
}

} // namespace
extern const RuleCode zonemd_duplicate{.file = &with_zonemd<check_zonemd_duplicate>};
} // namespace zw::rules::zone
