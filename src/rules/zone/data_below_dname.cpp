// zone/data-below-dname: records below a DNAME owner, which DNAME substitution occludes.
// User documentation: docs/rules/zone/data-below-dname.md
#include "rules/zone/zone_support.hpp"

namespace zw::rules::zone {
namespace {

using namespace zone_support;

void check_data_below_dname(const RuleContext& ctx, const ZoneFileInput& file, FindingSink& sink,
                            const RuleInfo& /*info*/) {
  if (file.layout->dnames().empty()) {
    return;
  }
  // Canonical order lists a DNAME owner's whole subtree right after it, so the DNAME of a
  // name below one is the last DNAME seen at or above the cut (the layout only records
  // DNAMEs of the apex and of authoritative names).
  dns::RrsetView dname;
  for_each_name(file, [&](const dns::NameView& name, dns::NameRole role) {
    if (role == dns::NameRole::apex || role == dns::NameRole::authoritative) {
      if (const std::optional<dns::RrsetView> d = name.find(dns::rrtype::dname)) {
        dname = *d;
      }
      return;
    }
    if (role != dns::NameRole::below_dname) {
      return;
    }
    // An SOA here is zone/soa-count's (servers refuse the file for it).
    std::vector<dns::RrsetView> occluded;
    std::uint16_t shown = 0;
    for (const dns::RrsetView rrset : name.rrsets()) {
      if (rrset.type() == dns::rrtype::soa) {
        continue;
      }
      occluded.push_back(rrset);
      if (shown == 0 && rrset.type() != dns::rrtype::rrsig && rrset.type() != dns::rrtype::nsec) {
        shown = rrset.type();
      }
    }
    if (occluded.empty()) {
      return;
    }
    std::vector<std::uint16_t> types;
    types.reserve(occluded.size());
    for (const dns::RrsetView& r : occluded) {
      types.push_back(r.type());
    }
    Finding f;
    f.location = at(ctx, "", text(name.owner()), type_text(shown != 0 ? shown : occluded.front().type()));
    const std::string dname_owner = dname.empty() ? std::string("?") : text(dname.owner());
    const std::optional<Name> target = dname.empty() ? std::nullopt : rdata_name(dname.rdata(0), 0);
    f.message = fmt::format("{} ({}) is below the DNAME at {}: servers rewrite every name below {} to {} and "
                            "never serve these records",
                            f.location.owner, join_types(types), dname_owner, dname_owner,
                            target ? "the same name under " + text(*target) : std::string("the DNAME target"));
    for (const dns::RrsetView& r : occluded) {
      f.evidence.push_back(where(r));
    }
    if (!dname.empty()) {
      f.evidence.push_back(where(dname) + (target ? " " + text(*target) : std::string()) + " (the DNAME)");
    }
    f.evidence.push_back("Knot DNS and NSD refuse to load a zone with data below a DNAME; BIND loads it and "
                         "answers with a CNAME synthesized from the DNAME instead");
    sink.add(std::move(f));
  });
}

} // namespace
extern const RuleCode data_below_dname{.file = &check_data_below_dname};
} // namespace zw::rules::zone
