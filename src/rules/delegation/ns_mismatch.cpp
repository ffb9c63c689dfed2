// delegation/ns-mismatch: the parent's NS set differs from the zone's own apex NS set.
// User documentation: docs/rules/delegation/ns-mismatch.md
#include <algorithm>

#include <fmt/ranges.h>

#include "rules/rule_support.hpp"

namespace zw::rules::delegation {
namespace {

void check_ns_mismatch(const RuleContext& ctx, FindingSink& sink, const RuleInfo& /*info*/) {
  const ZoneSnapshot& zone = ctx.live();
  if (zone.undelegated) {
    return; // no parent was asked
  }
  std::vector<std::string> parent_only;
  std::vector<std::string> child_only;
  bool parent_known = false;
  bool child_known = false;
  for (const NameServer& ns : zone.name_servers) {
    parent_known = parent_known || ns.at_parent;
    child_known = child_known || ns.at_child;
    if (ns.at_parent && !ns.at_child) {
      parent_only.push_back(ns.name);
    } else if (ns.at_child && !ns.at_parent) {
      child_only.push_back(ns.name);
    }
  }
  // Without both sets there is nothing to compare; lame-* rules say why.
  if (!parent_known || !child_known || (parent_only.empty() && child_only.empty())) {
    return;
  }
  std::sort(parent_only.begin(), parent_only.end());
  std::sort(child_only.begin(), child_only.end());
  Finding f;
  f.location = at(ctx, "", zone.zone, "NS");
  f.message = fmt::format("the NS set at the parent ({}) differs from the zone's apex NS set: only at the parent: "
                          "[{}]; only in the zone: [{}]",
                          zone.parent, fmt::join(parent_only, ", "), fmt::join(child_only, ", "));
  f.evidence.push_back("resolvers use the parent's set until they see the child's, then the child's: "
                       "servers present in only one set get a share of the queries or none");
  sink.add(std::move(f));
}

} // namespace
extern const RuleCode ns_mismatch{.check = &check_ns_mismatch};
} // namespace zw::rules::delegation
