// zone/target-cname: an MX exchange, NS name or SRV target that is an alias in this zone.
// User documentation: docs/rules/zone/target-cname.md
#include "rules/zone/zone_support.hpp"

namespace zw::rules::zone {
namespace {

using namespace zone_support;

// The wire name with its first label removed; `name` must not be the root.
Name parent_of(Name name) noexcept {
  return name.subspan(1 + static_cast<std::size_t>(name[0]));
}

void check_target_cname(const RuleContext& ctx, const ZoneFileInput& file, FindingSink& sink, const RuleInfo& info) {
  const dns::ZoneStore& store = *file.store;
  const dns::ZoneLayout& layout = *file.layout;
  const Name apex = store.origin();
  const bool has_dnames = !layout.dnames().empty();

  for_each_name(file, [&](const dns::NameView& name, dns::NameRole role) {
    if (role != dns::NameRole::apex && role != dns::NameRole::authoritative && role != dns::NameRole::delegation) {
      return;
    }
    for (const dns::RrsetView rrset : name.rrsets()) {
      if (!host_target_offset(rrset.type())) {
        continue; // not NS, MX or SRV
      }
      Finding f;
      std::string aliases;
      std::size_t count = 0;
      bool cname_found = false;
      for_each_host_target(rrset, apex, [&](std::size_t i, Name target) {
        std::string alias;
        std::string alias_evidence;
        if (const std::optional<dns::RrsetView> cname = store.find(target, dns::rrtype::cname)) {
          const dns::NameRole target_role = layout.role_of(target);
          if (target_role != dns::NameRole::apex && target_role != dns::NameRole::authoritative) {
            return; // occluded or at a cut: other rules report the CNAME itself
          }
          const std::optional<Name> to = rdata_name(cname->rdata(0), 0);
          alias = fmt::format("CNAME to {}", to ? text(*to) : std::string("?"));
          alias_evidence = where(*cname) + (to ? " " + text(*to) : std::string());
          cname_found = true;
        } else if (has_dnames && layout.role_of(target) == dns::NameRole::below_dname) {
          Name up = target;
          std::optional<dns::RrsetView> dname;
          while (!dname && up.size() > apex.size()) {
            up = parent_of(up);
            dname = store.find(up, dns::rrtype::dname);
          }
          alias = fmt::format("below the DNAME at {}", dname ? text(dname->owner()) : std::string("?"));
          if (dname) {
            alias_evidence = where(*dname);
          }
        } else {
          return;
        }
        aliases += fmt::format("{}{} ({})", count == 0 ? "" : ", ", text(target), alias);
        ++count;
        f.evidence.push_back(target_evidence(rrset, i, target));
        if (!alias_evidence.empty()) {
          f.evidence.push_back(alias_evidence);
        }
      });
      if (count == 0) {
        continue;
      }
      f.location = at(ctx, "", text(rrset.owner()), type_text(rrset.type()));
      f.message = fmt::format("{} {} names {} alias{}: {}; {} targets must be host names with their own address "
                              "records",
                              f.location.owner, f.location.type, count == 1 ? "an" : std::to_string(count),
                              count == 1 ? "" : "es", aliases, f.location.type);
      if (role == dns::NameRole::apex && rrset.type() == dns::rrtype::ns && cname_found) {
        f.evidence.push_back("BIND refuses to load a zone whose apex NS names a CNAME (\"is a CNAME (illegal)\")");
        f.severity = Severity::error;
        f.resolver = {Rcode::servfail, Ede::no_reachable_authority};
      } else {
        f.severity = info.severity;
        f.resolver = info.impact;
      }
      sink.add_graded(std::move(f));
    }
  });
}

} // namespace
extern const RuleCode target_cname{.file = &check_target_cname};
} // namespace zw::rules::zone
