// zone/target-no-address: an MX exchange or SRV target in this zone's own data that has no
// address record.
// User documentation: docs/rules/zone/target-no-address.md
#include "rules/zone/zone_support.hpp"

namespace zw::rules::zone {
namespace {

using namespace zone_support;

void check_target_no_address(const RuleContext& ctx, const ZoneFileInput& file, FindingSink& sink,
                             const RuleInfo& info) {
  const dns::ZoneStore& store = *file.store;
  const dns::ZoneLayout& layout = *file.layout;
  const Name apex = store.origin();

  for_each_name(file, [&](const dns::NameView& name, dns::NameRole role) {
    if (role != dns::NameRole::apex && role != dns::NameRole::authoritative) {
      return;
    }
    for (const dns::RrsetView rrset : name.rrsets()) {
      if (rrset.type() != dns::rrtype::mx && rrset.type() != dns::rrtype::srv) {
        continue; // NS targets are zone/glue-missing's
      }
      Finding f;
      std::string hosts;
      std::size_t count = 0;
      bool all_absent = true;
      for_each_host_target(rrset, apex, [&](std::size_t i, Name target) {
        const std::optional<dns::NameView> host = store.find_name(target);
        if (host && (host->find(dns::rrtype::a) || host->find(dns::rrtype::aaaa) || host->find(dns::rrtype::cname))) {
          return; // an alias is zone/target-cname's
        }
        // Below a delegation the child zone holds the address; below a DNAME it is an alias.
        const dns::NameRole target_role = layout.role_of(target);
        if (target_role != dns::NameRole::apex && target_role != dns::NameRole::authoritative) {
          return;
        }
        all_absent = all_absent && !host;
        hosts += fmt::format("{}{} ({})", count == 0 ? "" : ", ", text(target),
                             host ? "no A or AAAA record" : "no such name in the zone");
        ++count;
        f.evidence.push_back(target_evidence(rrset, i, target));
      });
      if (count == 0) {
        continue;
      }
      f.location = at(ctx, "", text(rrset.owner()), type_text(rrset.type()));
      const bool mx = rrset.type() == dns::rrtype::mx;
      f.message = fmt::format("{} {} names {}: {} cannot connect to {}", f.location.owner, f.location.type, hosts,
                              mx ? "mail servers" : "clients of the service", count == 1 ? "it" : "them");
      if (count == rrset.size()) {
        f.evidence.push_back(mx ? "no exchanger of this MX RRset has an address: mail to this domain is not "
                                  "delivered"
                                : "no target of this SRV RRset has an address: the service cannot be reached");
      }
      f.severity = info.severity;
      f.resolver = all_absent ? ResolverImpact{Rcode::nxdomain, Ede::none} : k_unaffected;
      sink.add_graded(std::move(f));
    }
  });
}

} // namespace
extern const RuleCode target_no_address{.file = &check_target_no_address};
} // namespace zw::rules::zone
