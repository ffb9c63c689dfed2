// zone/apex-ns-missing: the apex has no NS RRset.
// User documentation: docs/rules/zone/apex-ns-missing.md
#include "rules/zone/zone_support.hpp"

namespace zw::rules::zone {
namespace {

using namespace zone_support;

void check_apex_ns_missing(const RuleContext& ctx, const ZoneFileInput& file, FindingSink& sink,
                           const RuleInfo& /*info*/) {
  const Name apex = file.store->origin();
  const std::optional<dns::NameView> top = file.store->find_name(apex);
  // An apex that owns nothing at all is one fault, reported by zone/soa-count (likely the
  // wrong origin), not also here.
  if (!top || top->find(dns::rrtype::ns)) {
    return;
  }
  Finding f;
  const std::string apex_text = text(apex);
  f.location = at(ctx, "", apex_text, "NS");
  f.message = fmt::format("no NS RRset at the apex {}: the zone does not name its own name servers", apex_text);
  if (const std::optional<dns::RrsetView> soa = top->find(dns::rrtype::soa)) {
    f.evidence.push_back(where(*soa) + " (the apex's SOA; its NS records belong next to it)");
  }
  f.evidence.push_back("BIND refuses to load the zone (\"has no NS records\"), so its servers and the "
                       "secondaries that transfer from it answer SERVFAIL; Knot DNS and NSD load it and answer "
                       "NS queries for the apex with no data");
  sink.add(std::move(f));
}

} // namespace
extern const RuleCode apex_ns_missing{.file = &check_apex_ns_missing};
} // namespace zw::rules::zone
