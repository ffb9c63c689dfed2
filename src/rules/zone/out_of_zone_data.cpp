// zone/out-of-zone-data: records whose owner is not at or below the zone apex.
// User documentation: docs/rules/zone/out-of-zone-data.md
#include "rules/zone/zone_support.hpp"

namespace zw::rules::zone {
namespace {

using namespace zone_support;

void check_out_of_zone_data(const RuleContext& ctx, const ZoneFileInput& file, FindingSink& sink,
                            const RuleInfo& /*info*/) {
  const dns::ZoneStore& store = *file.store;
  const std::string apex_text = text(store.origin());
  const bool apex_empty = !store.find_name(store.origin());
  for_each_name(file, [&](const dns::NameView& name, dns::NameRole role) {
    if (role != dns::NameRole::out_of_zone) {
      return;
    }
    Finding f;
    std::vector<std::uint16_t> types;
    for (const dns::RrsetView rrset : name.rrsets()) {
      types.push_back(rrset.type());
      f.evidence.push_back(where(rrset));
    }
    f.location = at(ctx, "", text(name.owner()), type_text(types.front()));
    f.message = fmt::format("{} ({}) is outside the zone {}: servers do not serve it from this zone", f.location.owner,
                            join_types(types), apex_text);
    f.evidence.push_back("BIND and Knot DNS skip it (\"ignoring out-of-zone data\"); NSD counts it as an error "
                         "and does not load the zone file at all");
    if (apex_empty) {
      f.evidence.push_back(fmt::format("the apex {} owns no records: is the origin right? (--origin)", apex_text));
    }
    sink.add(std::move(f));
  });
}

} // namespace
extern const RuleCode out_of_zone_data{.file = &check_out_of_zone_data};
} // namespace zw::rules::zone
