#pragma once
// Internals of the engine shared by engine.cpp (live audits) and check_engine.cpp (zone files).
// Not part of the audit/ interface.

#include <string>
#include <string_view>
#include <vector>

#include "dns/zone_layout.hpp"
#include "dns/zone_store.hpp"
#include "dnssec/zone_analysis.hpp"
#include "rules/rule_context.hpp"
#include "zonewarden/audit.hpp"
#include "zonewarden/rule.hpp"

namespace zw::detail {

// The report's order of findings.
bool finding_order(const Finding& a, const Finding& b);

// Restates every finding's resolver impact for the resolver the user asked about.
void apply_resolver_model(ResolverModel model, std::vector<Finding>& findings);

// Runs every rule that reads `inputs` on `ctx`, on up to `jobs` threads (the findings come out in
// the same order whatever `jobs` is); a rule that throws becomes internal/rule-failed.
void run_rules(const RuleContext& ctx, Inputs inputs, std::vector<Finding>& findings, unsigned jobs = 1);

RuleOptions rule_options_from(const EngineOptions& options);

// The chain summary of ZoneResult from the analysis' links.
void copy_chain(const dnssec::ZoneDnssec& analysis, ZoneResult& result);

// internal/crypto-disagreement, one finding per signature the two verifiers disagree on.
void report_disagreements(const dnssec::ZoneDnssec& analysis, const std::string& zone, std::vector<Finding>& out);

// internal/unreported-bogus for every bogus verdict no error finding explains.
void check_verdicts_reported(const dnssec::ZoneDnssec& analysis, std::vector<Finding>& findings);

// `check`'s judgement of one loaded zone file (check_engine.cpp); also the zone-file half of
// `audit --zone-file`.
Result<ZoneResult> check_zone_store(const dns::ZoneStore& store, const dns::ZoneLayout& layout, const std::string& path,
                                    const CheckOptions& check, const EngineOptions& options);

// What validators do with an NSEC3 chain hashed more than that, measured in the lab with the
// Debian 12 resolvers (docs/resolvers.md, "NSEC3 iteration limits").
inline constexpr std::string_view k_validators_on_iterations =
    "validators stop well before: Unbound 1.17 and BIND 9.18 validate NSEC3 denials up to 150 additional iterations "
    "and treat them as insecure from 151 on, Knot Resolver 5.6 up to 50 and insecure from 51 on (RFC 9276 §3.2 also "
    "lets a validator answer SERVFAIL)";

} // namespace zw::detail
