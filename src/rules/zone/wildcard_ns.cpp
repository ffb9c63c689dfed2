// zone/wildcard-ns: an NS RRset at a wildcard owner ("*.example.test. NS ...").
// User documentation: docs/rules/zone/wildcard-ns.md
#include "rules/zone/zone_support.hpp"

namespace zw::rules::zone {
namespace {

using namespace zone_support;

void check_wildcard_ns(const RuleContext& ctx, const ZoneFileInput& file, FindingSink& sink, const RuleInfo& /*info*/) {
  if (file.layout->delegations().empty()) {
    return;
  }
  // Only delegations: an NS RRset below a cut is occluded (zone/occluded-data), and an apex
  // NS RRset at a wildcard would need a zone named "*.something", which no parent delegates.
  for (const dns::Bytes& cut : file.layout->delegations()) {
    if (!is_wildcard(cut)) {
      continue;
    }
    const std::optional<dns::RrsetView> ns = file.store->find(cut, dns::rrtype::ns);
    if (!ns) {
      continue;
    }
    Finding f;
    f.location = at(ctx, "", text(cut), "NS");
    f.message = fmt::format("{} is a wildcard owner with NS records: wildcards do not delegate, and the meaning "
                            "of an NS RRset at a wildcard is undefined",
                            f.location.owner);
    f.evidence.push_back(where(*ns));
    f.evidence.push_back("BIND refuses to load the zone (\"invalid NS owner name (wildcard)\"); Knot DNS and NSD "
                         "load it, with answers below the wildcard that depend on the server software");
    sink.add(std::move(f));
  }
}

} // namespace
extern const RuleCode wildcard_ns{.file = &check_wildcard_ns};
} // namespace zw::rules::zone
