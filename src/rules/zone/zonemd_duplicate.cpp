// zone/zonemd-duplicate: two or more apex ZONEMD records with the same Scheme and Hash Algorithm
// (RFC 8976 §2.5, §4 step 4).
// User documentation: docs/rules/zone/zonemd-duplicate.md
#include "rules/zone/zonemd_support.hpp"

namespace zw::rules::zone {
namespace {

using namespace zonemd_support;

class ZonemdDuplicate final : public ZonemdRule {
public:
  using ZonemdRule::ZonemdRule;
  void check_zonemd(const RuleContext& ctx, const ZoneFileInput& /*file*/, const ZonemdCheck& c,
                    FindingSink& sink) const override {
    const std::size_t n = with_status(c, ZonemdStatus::duplicate).size();
    report_records(ctx, sink, c, ZonemdStatus::duplicate,
                   fmt::format("{} ZONEMD records at the apex repeat a Scheme and Hash Algorithm: none of them can "
                               "verify the zone (RFC 8976 §4 step 4)",
                               n),
                   [](const ZonemdRecord& r) {
                     return fmt::format("{}: digest {}{}", describe(r), zw::dnssec::to_hex(r.digest),
                                        r.computed.empty()       ? ""
                                        : r.computed == r.digest ? " (matches the zone's data)"
                                                                 : " (does not match the zone's data)");
                   });
  }
};

} // namespace
std::unique_ptr<Rule> make_zonemd_duplicate(const RuleInfo& info) {
  return make_rule<ZonemdDuplicate>(info);
}
} // namespace zw::rules::zone
