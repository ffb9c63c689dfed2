// The audit engine: per zone, compute observations and DNSSEC results once, run every rule
// against them, grade and sort the findings.

#include <algorithm>
#include <exception>

#include <fmt/format.h>

#include "dnssec/zone_analysis.hpp"
#include "rules/observations.hpp"
#include "rules/rule_context.hpp"
#include "zonewarden/audit.hpp"

namespace zw {

namespace {

class CollectingSink final : public FindingSink {
public:
  CollectingSink(const RuleInfo& info, std::vector<Finding>& out) : m_info(&info), m_out(&out) {}
  void add(Finding finding) override {
    finding.severity = m_info->severity;
    finding.resolver = m_info->impact;
    add_graded(std::move(finding));
  }
  void add_graded(Finding finding) override {
    finding.rule = std::string(m_info->id);
    m_out->push_back(std::move(finding));
  }

private:
  const RuleInfo* m_info;
  std::vector<Finding>* m_out;
};

std::string transport_state(const Exchange* e) {
  if (e == nullptr) {
    return "-";
  }
  if (e->outcome != Outcome::answered) {
    return std::string(to_string(e->outcome));
  }
  return e->tc ? "truncated" : "ok";
}

ServerRow make_row(const rules::ServerState& s) {
  ServerRow row;
  row.name = s.probe->name;
  row.address = s.probe->address;
  row.soa_serial = s.serial;
  row.udp = transport_state(s.soa_udp);
  row.tcp = transport_state(s.soa_tcp);
  const Exchange* e = s.soa_udp;
  if (e != nullptr && e->outcome == Outcome::answered) {
    row.authoritative = e->aa;
    row.rcode = rules::rcode_name(e->rcode);
    row.rtt_ms = e->rtt_ms;
  } else if (s.soa_tcp != nullptr && s.soa_tcp->outcome == Outcome::answered) {
    row.authoritative = s.soa_tcp->aa;
    row.rcode = rules::rcode_name(s.soa_tcp->rcode);
    row.rtt_ms = s.soa_tcp->rtt_ms;
  }
  return row;
}

bool finding_order(const Finding& a, const Finding& b) {
  if (a.severity != b.severity) {
    return a.severity > b.severity;
  }
  return std::tie(a.rule, a.location.owner, a.location.type, a.location.server, a.message) <
         std::tie(b.rule, b.location.owner, b.location.type, b.location.server, b.message);
}

ZoneResult audit_zone(const Snapshot& snapshot, const ZoneSnapshot& zone, const EngineOptions& options,
                      const RuleOptions& rule_options) {
  ZoneResult result;
  result.zone = zone.zone;
  result.notes = zone.walk_errors;
  const rules::ZoneObservations observations = rules::observe(zone);
  const dnssec::ZoneDnssec analysis = dnssec::analyse_zone(zone, snapshot.trust_anchor, options.now);
  result.chain = std::string(dnssec::to_string(analysis.above));
  if (analysis.above != dnssec::ChainStatus::secure && !analysis.above_reason.empty()) {
    result.notes.push_back(fmt::format("chain of trust above the zone: {}", analysis.above_reason));
  }
  result.notes.insert(result.notes.end(), analysis.notes.begin(), analysis.notes.end());
  for (const dnssec::ObservedSignature& sig : analysis.signatures) {
    if (!result.earliest_expiration || sig.expiration_abs < *result.earliest_expiration) {
      result.earliest_expiration = sig.expiration_abs;
    }
  }
  for (const rules::ServerState& s : observations.servers) {
    result.servers.push_back(make_row(s));
  }
  for (const dnssec::ChainLinkInfo& link : analysis.chain) {
    ChainLink out{link.zone, std::string(dnssec::to_string(link.status)), {}, {}};
    for (const auto& d : link.ds) {
      out.ds.push_back({d.key_tag, d.algorithm, d.digest_type, d.matches_key});
    }
    for (const auto& k : link.keys) {
      out.keys.push_back({k.key_tag, k.algorithm, k.flags, k.matched_by_ds, k.signs_dnskey});
    }
    result.chain_links.push_back(std::move(out));
  }
  const RuleContext ctx(snapshot, zone, analysis, observations, options.now, rule_options);
  for (const auto& rule : all_rules()) {
    const RuleInfo& info = rule->info();
    if (!has_input(info.inputs, Inputs::live)) {
      continue;
    }
    CollectingSink sink(info, result.findings);
    try {
      rule->check(ctx, sink);
    } catch (const std::exception& e) {
      result.findings.push_back(Finding{"internal/rule-failed", Severity::error,
                                        Location{zone.zone, "", zone.zone, ""},
                                        fmt::format("rule {} failed: {}", info.id, e.what()), {}, {}, {}, {}});
    }
  }
  // Never a silent pass: a zone the walk could not reach and no rule could judge is reported
  // as our own failure (exit status 2), with the walk's reason.
  if (result.findings.empty() && zone.servers.empty() && !zone.walk_errors.empty()) {
    result.findings.push_back(Finding{"internal/walk-incomplete", Severity::error,
                                      Location{zone.zone, "", zone.zone, ""},
                                      fmt::format("{}: could not audit: {}", zone.zone, zone.walk_errors.front()),
                                      {}, zone.walk_errors, {}, {}});
  }
  std::sort(result.findings.begin(), result.findings.end(), finding_order);
  return result;
}

} // namespace

AuditResult run_audit_rules(const Snapshot& snapshot, const EngineOptions& options) {
  AuditResult result;
  result.version = ZW_VERSION;
  result.command = "audit";
  result.now = options.now;
  RuleOptions rule_options;
  rule_options.expiry_window_s = options.expiry_window_s;
  for (const auto& rule : all_rules()) {
    if (has_input(rule->info().inputs, Inputs::live)) {
      result.rules_run.emplace_back(rule->info().id);
    }
  }
  for (const ZoneSnapshot& zone : snapshot.zones) {
    result.zones.push_back(audit_zone(snapshot, zone, options, rule_options));
  }
  return result;
}

std::size_t count_at_or_above(const AuditResult& result, Severity threshold) noexcept {
  std::size_t n = 0;
  for (const ZoneResult& z : result.zones) {
    n += static_cast<std::size_t>(std::count_if(z.findings.begin(), z.findings.end(),
                                                [threshold](const Finding& f) { return f.severity >= threshold && f.suppressed.empty(); }));
  }
  return n;
}

} // namespace zw
