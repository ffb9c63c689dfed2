// zone/glue-missing: an in-bailiwick NS target without an address record in the zone.
// User documentation: docs/rules/zone/glue-missing.md
#include "rules/zone/zone_support.hpp"

namespace zw::rules::zone {
namespace {

using namespace zone_support;

// Why an NS target needs an address in this zone file.
enum class Need : std::uint8_t {
  none,         // out of the zone, below another delegation (optional sibling glue), an alias
  glue,         // below the delegation that names it: required glue (RFC 9471 §2.1)
  authoritative // in this zone's own data: nobody else can answer for its address
};

void check_glue_missing(const RuleContext& ctx, const ZoneFileInput& file, FindingSink& sink, const RuleInfo& info) {
  const dns::ZoneStore& store = *file.store;
  const dns::ZoneLayout& layout = *file.layout;
  const Name apex = store.origin();

  // Many delegations often share the same in-zone name servers: remember the last answer.
  Name last_target;
  bool last_authoritative = false;
  const auto in_authoritative_data = [&](Name target) {
    if (last_target.empty() || !same_name(last_target, target)) {
      const dns::NameRole role = layout.role_of(target);
      last_target = target;
      last_authoritative = role == dns::NameRole::apex || role == dns::NameRole::authoritative;
    }
    return last_authoritative;
  };

  for_each_name(file, [&](const dns::NameView& name, dns::NameRole role) {
    if (role != dns::NameRole::apex && role != dns::NameRole::delegation) {
      return;
    }
    const std::optional<dns::RrsetView> ns = name.find(dns::rrtype::ns);
    if (!ns) {
      return;
    }
    const bool at_apex = role == dns::NameRole::apex;
    const Name owner = name.owner();
    std::vector<std::pair<std::size_t, Need>> missing;
    std::size_t reachable = 0;
    for (std::size_t i = 0; i < ns->size(); ++i) {
      const std::optional<Name> target = rdata_name(ns->rdata(i), 0);
      if (!target) {
        continue;
      }
      Need need = Need::none;
      if (!at_or_below(*target, apex)) {
        need = Need::none;
      } else if (!at_apex && at_or_below(*target, owner)) {
        need = Need::glue;
      } else if (in_authoritative_data(*target)) {
        need = Need::authoritative;
      }
      if (need == Need::none) {
        ++reachable;
        continue;
      }
      // An alias target is zone/target-cname's; its address is found through the CNAME.
      const std::optional<dns::NameView> host = store.find_name(*target);
      if (host && (host->find(dns::rrtype::a) || host->find(dns::rrtype::aaaa) || host->find(dns::rrtype::cname))) {
        ++reachable;
        continue;
      }
      missing.emplace_back(i, need);
    }
    if (missing.empty()) {
      return;
    }
    const std::string owner_text = text(owner);
    std::string hosts;
    Finding f;
    for (std::size_t k = 0; k < missing.size(); ++k) {
      const auto [i, need] = missing[k];
      const std::string host = text(*rdata_name(ns->rdata(i), 0));
      hosts += (k == 0 ? "" : k + 1 == missing.size() ? " and " : ", ") + host;
      f.evidence.push_back(fmt::format("{}: {} NS {} ({})", ns->location(i).to_string(), owner_text, host,
                                       need == Need::glue ? "below the delegation: glue is required"
                                                          : "in this zone's own data: only this zone can "
                                                            "give its address"));
    }
    f.location = at(ctx, "", owner_text, "NS");
    const bool plural = missing.size() > 1;
    if (at_apex) {
      f.message = fmt::format("the apex NS RRset names {}, but the zone has no A or AAAA record for {}", hosts,
                              plural ? "them" : "it");
      f.evidence.push_back("BIND refuses to load a zone whose apex name server has no address in the zone "
                           "(\"has no address records (A or AAAA)\")");
      f.severity = info.severity;
      f.resolver = info.impact;
    } else {
      f.message = fmt::format("the delegation {} names {} as name server{}, but the zone has no A or AAAA record "
                              "for {}",
                              owner_text, hosts, plural ? "s" : "", plural ? "them" : "it");
      if (reachable == 0) {
        f.evidence.push_back(fmt::format("no name server of {} can be located: resolvers answer SERVFAIL for every "
                                         "name in it",
                                         owner_text));
        f.severity = info.severity;
        f.resolver = info.impact;
      } else {
        f.evidence.push_back(fmt::format("resolvers still reach {} through its {} other name server{}, with less "
                                         "redundancy",
                                         owner_text, reachable, reachable == 1 ? "" : "s"));
        grade_warning_unaffected(f);
      }
    }
    sink.add_graded(std::move(f));
  });
}

} // namespace
extern const RuleCode glue_missing{.file = &check_glue_missing};
} // namespace zw::rules::zone
