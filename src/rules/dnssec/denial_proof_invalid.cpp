// dnssec/denial-proof-invalid: a server denies a name or type with NSEC/NSEC3 records that do
// not prove it.
// User documentation: docs/rules/dnssec/denial-proof-invalid.md
#include <fmt/ranges.h>

#include "rules/rule_support.hpp"

namespace zw::rules::dnssec {
namespace {

void check_denial_proof_invalid(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info) {
  const ::zw::dnssec::ZoneDnssec& d = ctx.dnssec();
  for (const ::zw::dnssec::DenialCheck& c : d.denials) {
    Finding f;
    f.location = at(ctx, c.servers.size() == 1 ? c.servers.front() : "", c.qname, c.qtype);
    f.servers = c.servers;
    f.message = fmt::format("the {} answer for {} {} is not proven by its NSEC/NSEC3 records ({}): {}", c.kind, c.qname,
                            c.qtype, c.fault, c.detail);
    if (d.zone_validated) {
      f.severity = Severity::error;
      f.resolver = info.impact;
      f.evidence.push_back("validating resolvers reject the denial: SERVFAIL instead of NXDOMAIN or an empty "
                           "answer, for every name the same records fail to cover");
    } else {
      grade_warning_unaffected(f);
      f.evidence.push_back("validating resolvers treat the zone as insecure (no DS), so this breaks resolution "
                           "only once a DS is published");
    }
    sink.add_graded(std::move(f));
  }
}

} // namespace
extern const RuleCode denial_proof_invalid{.check = &check_denial_proof_invalid};
} // namespace zw::rules::dnssec
