// rollover/cds-not-acted-on: the zone has published the same CDS set for longer than the
// patience threshold and the parent's DS set still differs from it.
// User documentation: docs/rules/rollover/cds-not-acted-on.md
#include <set>

#include "rules/rollover/rollover_support.hpp"

namespace zw::rules::rollover {
namespace {

void check_cds_not_acted_on(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info) {
  const RolloverState* now = ctx.rollover();
  if (now == nullptr || now->cds.empty() || !now->ds_known) {
    return;
  }
  const std::int64_t waited = now->observed - now->cds_since;
  if (waited <= 0 || waited < ctx.thresholds(info).cds_patience_s) {
    return;
  }
  // RFC 8078 §4: a CDS "0 0 0 00" asks for the DS set to be removed.
  const std::set<std::string> wanted(now->cds.begin(), now->cds.end());
  const bool delete_request = wanted == std::set<std::string>{"0 0 0 00"};
  std::set<std::string> present;
  for (const RolloverState::Ds& d : now->ds) {
    present.insert(fmt::format("{} {} {} {}", d.key_tag, d.algorithm, d.digest_type, d.digest));
  }
  if (delete_request ? present.empty() : present == wanted) {
    return;
  }
  Finding f;
  f.location = at(ctx, "", ctx.zone_name(), "CDS");
  f.message = fmt::format("the zone has published the same CDS set for {} (since {}), and the parent's DS set "
                          "still differs: {}",
                          duration(waited), utc(now->cds_since),
                          delete_request ? "the parent has not removed the DS set the CDS asks to delete"
                                         : "the parent has not acted on it");
  std::string cds;
  for (const std::string& c : now->cds) {
    cds += (cds.empty() ? "" : "; ") + c;
  }
  std::string ds;
  for (const std::string& d : present) {
    ds += (ds.empty() ? "" : "; ") + d;
  }
  f.evidence.push_back(fmt::format("CDS: {}", cds));
  f.evidence.push_back(fmt::format("DS at the parent: {}", ds.empty() ? "none" : ds));
  f.evidence.push_back("RFC 7344 §4, RFC 8078: the parent (or its registrar) may not scan CDS, or may refuse this "
                       "one; submit the DS change by hand, or withdraw the CDS once the DS set is as wanted");
  sink.add(std::move(f));
}

} // namespace
extern const RuleCode cds_not_acted_on{.check = &check_cds_not_acted_on};
} // namespace zw::rules::rollover
