// zone/zonemd-not-at-apex: ZONEMD records below the zone apex, which RFC 8976 §2.1 gives no
// meaning: verifiers ignore them.
// User documentation: docs/rules/zone/zonemd-not-at-apex.md
#include "rules/zone/zonemd_support.hpp"

namespace zw::rules::zone {
namespace {

using namespace zonemd_support;

void check_zonemd_not_at_apex(const RuleContext& ctx, const ZoneFileInput& file, FindingSink& sink,
                              const RuleInfo& /*info*/) {
  // One finding per owner: each is a record someone put at the wrong name. Only authoritative
  // names: at or below a cut or a DNAME it is occluded data (zone/occluded-data), outside the
  // zone zone/out-of-zone-data's.
  zone_support::for_each_name(file, [&](const dns::NameView& name, dns::NameRole role) {
    if (role != dns::NameRole::authoritative) {
      return;
    }
    const std::optional<dns::RrsetView> set = name.find(zw::dnssec::k_zonemd_type);
    if (!set) {
      return;
    }
    const std::string owner = rules::text(name.owner());
    Finding f;
    f.location = at(ctx, "", owner, "ZONEMD");
    f.message = fmt::format("{} has a ZONEMD record, which only means something at the zone apex ({}): "
                            "verifiers ignore it",
                            owner, ctx.zone_name());
    for (std::size_t k = 0; k < set->size(); ++k) {
      f.evidence.push_back(fmt::format("{}: {} ZONEMD", set->location(k).to_string(), owner));
    }
    f.evidence.emplace_back("it is digested as ordinary data (RFC 8976 §2.1) and never used to verify the zone");
    sink.add(std::move(f));
  });
}

} // namespace
extern const RuleCode zonemd_not_at_apex{.file = &check_zonemd_not_at_apex};
} // namespace zw::rules::zone
