#pragma once
// Shared by the four denial-of-existence rules (nsec-chain-broken, nsec-bitmap-mismatch,
// nsec3-chain-broken, nsec3-parameters): the zone's DenialAnalysis, names and types as text,
// and DenialSink, which grades their findings (the engine's sink caps them).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "dns/rr.hpp"
#include "dnssec/denial.hpp"
#include "dnssec/zone_analysis.hpp"
#include "rules/rule_support.hpp"

namespace zw::rules::denial_support {

using Name = std::span<const std::uint8_t>;
using ::zw::dnssec::BitmapFault;
using ::zw::dnssec::DenialAnalysis;
using ::zw::dnssec::Nsec3Fault;
using ::zw::dnssec::Nsec3FaultKind;
using ::zw::dnssec::Nsec3ParamFault;
using ::zw::dnssec::Nsec3ParamFaultKind;
using ::zw::dnssec::Nsec3Params;
using ::zw::dnssec::NsecFault;
using ::zw::dnssec::NsecFaultKind;

// The denial analysis of a loaded zone file if it is SIGNED: the engine's, or one computed into
// `own` when the engine gave none. nullptr for an unsigned zone (no DNSKEY at the apex), which
// needs no NSEC or NSEC3.
inline const DenialAnalysis* denial_of(const ZoneFileInput& file, std::optional<DenialAnalysis>& own) {
  if (!file.store->find(file.store->origin(), dns::rrtype::dnskey)) {
    return nullptr;
  }
  if (file.denial != nullptr) {
    return file.denial;
  }
  own.emplace(::zw::dnssec::analyse_denial(*file.store, *file.layout));
  return &*own;
}

// "A, AAAA and TXT".
inline std::string join_types(const std::vector<std::uint16_t>& types) {
  std::string out;
  for (std::size_t i = 0; i < types.size(); ++i) {
    out += i == 0 ? "" : i + 1 == types.size() ? " and " : ", ";
    out += dns::type_to_text(types[i]);
  }
  return out;
}

// "b.example. and c.example." / "b.example., c.example., d.example. and 4 more".
inline std::string join_sample(const ::zw::dnssec::NameSample& sample) {
  std::string out;
  for (std::size_t i = 0; i < sample.shown; ++i) {
    out += i == 0 ? "" : (i + 1 == sample.shown && sample.total == sample.shown) ? " and " : ", ";
    out += text(sample.names[i]);
  }
  if (sample.total > sample.shown) {
    out += fmt::format(" and {} more", sample.total - sample.shown);
  }
  return out;
}

// "zones/example.zone:12: the NSEC record", the evidence line of a record; "" when `rrset` is
// empty.
inline std::string where(const dns::RrsetView& rrset, std::string_view what) {
  if (rrset.empty()) {
    return "";
  }
  return fmt::format("{}: {}", rrset.location().to_string(), what);
}

// Passes a denial rule's findings to the sink (which caps them: FindingSink::room), grading those
// at the rule's default severity.
//
// The rule's default grade holds while validating resolvers validate the zone. A zone file
// checked with a --ds file that makes its delegation insecure (no DS of a supported algorithm
// and digest: RFC 4035 §5.2) is not validated by anyone: a denial fault that would make them
// fail (error, SERVFAIL) is a warning (NOERROR) until a usable DS is published.
class DenialSink {
public:
  DenialSink(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info) noexcept
      : m_ctx(ctx), m_sink(sink), m_info(info) {}

  // FindingSink::room at the default grade (see the class comment).
  bool room() { return m_sink.room(default_severity(), default_impact()); }
  // FindingSink::room for a finding the rule grades itself.
  bool room(Severity severity, ResolverImpact impact) { return m_sink.room(severity, impact); }

  // Reports `finding` at the rule's default severity and impact (see the class comment).
  void add(Finding finding) {
    if (!insecure_file()) {
      m_sink.add(std::move(finding));
      return;
    }
    finding.severity = default_severity();
    finding.resolver = default_impact();
    finding.evidence.push_back(
        "the --ds file gives the zone no DS of a supported algorithm and digest, so validating "
        "resolvers treat it as insecure: this breaks resolution only once such a DS is published");
    m_sink.add_graded(std::move(finding));
  }
  // Reports a finding the rule graded itself.
  void add_graded(Finding finding) { m_sink.add_graded(std::move(finding)); }

private:
  bool insecure_file() const noexcept {
    return m_ctx.zone_file() != nullptr && !m_ctx.dnssec().zone_validated && m_info.severity == Severity::error;
  }
  Severity default_severity() const noexcept { return insecure_file() ? Severity::warning : m_info.severity; }
  ResolverImpact default_impact() const noexcept { return insecure_file() ? k_unaffected : m_info.impact; }

  const RuleContext& m_ctx;
  FindingSink& m_sink;
  const RuleInfo& m_info;
};

// A denial rule's RuleCode::file: `Check(ctx, analysis, sink, info)` on the zone's denial
// analysis when the zone file is signed (denial_of), its findings graded by DenialSink.
template <void (*Check)(const RuleContext&, const DenialAnalysis&, DenialSink&, const RuleInfo&)>
void with_denial(const RuleContext& ctx, const ZoneFileInput& file, FindingSink& sink, const RuleInfo& info) {
  std::optional<DenialAnalysis> own;
  if (const DenialAnalysis* d = denial_of(file, own)) {
    DenialSink graded(ctx, sink, info);
    Check(ctx, *d, graded, info);
  }
}

// Whether `fault` is the records of a chain the zone does not use (see report_each).
inline bool is_leftover(const NsecFault& fault) noexcept {
  return fault.kind == NsecFaultKind::leftover;
}
inline bool is_leftover(const Nsec3Fault& fault) noexcept {
  return fault.kind == Nsec3FaultKind::leftover;
}
template <typename Fault> bool is_leftover(const Fault& /*fault*/) noexcept {
  return false;
}

// One finding per fault while the sink has room (past the cap a fault is only counted), each
// filled in by `describe(fault, finding)` and reported at the rule's default grade. describe
// returns the file:line of the record that shows the fault ("" for none), which leads the
// evidence.
//
// Except a leftover chain (the records of the kind of denial the zone does not use) is a warning under
// which resolution succeeds: servers answer denials from the chain in use, and the stray records
// are signed data like any other. Measured 2026-12-06 with BIND 9.18 and NSD 4.6 serving a zone of
// either kind with a signed stray record of the other, and Unbound 1.17 validating: every answer
// secure, NXDOMAIN and NODATA included; named-checkzone and nsd-checkzone load both zones.
template <typename Fault, typename Describe>
void report_each(DenialSink& sink, const std::vector<Fault>& faults, Describe&& describe) {
  for (const Fault& fault : faults) {
    const bool leftover = is_leftover(fault);
    if (leftover ? !sink.room(Severity::warning, k_unaffected) : !sink.room()) {
      continue;
    }
    Finding finding;
    if (std::string record = describe(fault, finding); !record.empty()) {
      finding.evidence.insert(finding.evidence.begin(), std::move(record));
    }
    if (leftover) {
      finding.evidence.emplace_back("servers answer denials from the chain in use, and validators take the stray "
                                    "records as any other signed data: remove them (a transition between NSEC and "
                                    "NSEC3 ends with one chain, RFC 5155 §10.4, §10.5)");
      grade_warning_unaffected(finding);
      sink.add_graded(std::move(finding));
    } else {
      sink.add(std::move(finding));
    }
  }
}

// "3 NSEC records in a zone whose denial of existence uses NSEC3 (NSEC3PARAM at the apex): a
// partial NSEC chain left over": records of `type` beside the chain of the other kind (`used`).
inline std::string leftover_message(std::size_t count, std::string_view type, std::string_view used) {
  return fmt::format("{} {} record{} in a zone whose denial of existence uses {}: a partial {} chain left over", count,
                     type, count == 1 ? "" : "s", used, type);
}

// Live audits: the chain gaps the servers' denials reveal (DenialCheck::gap_next), one finding
// per gap of `type` ("NSEC" or "NSEC3"), located at the name without a record, listing the
// servers and the questions that showed it. Graded like dnssec/denial-proof-invalid: an error
// when resolvers validate the zone, a warning while it is insecure.
inline void report_live_gaps(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info, std::string_view type) {
  struct Gap {
    std::string owner;
    std::vector<std::string> servers;
    std::vector<std::string> questions;
  };
  const ::zw::dnssec::ZoneDnssec& d = ctx.dnssec();
  std::map<std::string, Gap> gaps; // by the name without a record
  for (const ::zw::dnssec::DenialCheck& c : d.denials) {
    if (c.gap_type != type || c.gap_next.empty()) {
      continue;
    }
    Gap& g = gaps[c.gap_next];
    g.owner = c.gap_owner;
    for (const std::string& s : c.servers) {
      if (std::find(g.servers.begin(), g.servers.end(), s) == g.servers.end()) {
        g.servers.push_back(s);
      }
    }
    g.questions.push_back(fmt::format("{} {} ({})", c.qname, c.qtype, c.kind));
  }
  sink.overflow({.what = type == "NSEC" ? "NSEC chain gaps" : "NSEC3 chain gaps", .type = type});
  for (const auto& [next, g] : gaps) {
    const Severity severity = d.zone_validated ? Severity::error : Severity::warning;
    const ResolverImpact impact = d.zone_validated ? info.impact : k_unaffected;
    if (!sink.room(severity, impact)) {
      continue;
    }
    Finding f;
    f.location = at(ctx, g.servers.size() == 1 ? g.servers.front() : "", next, std::string(type));
    f.servers = g.servers;
    f.message = fmt::format("{} has no {} record on {}: the {} at {} points to it, and {} answered with that record "
                            "for names after it, which it does not cover; the chain is broken there",
                            next, type, fmt::join(g.servers, ", "), type, g.owner,
                            g.servers.size() == 1 ? "the server" : "the servers");
    f.evidence.push_back(fmt::format("denials that showed it: {}", fmt::join(g.questions, "; ")));
    f.evidence.push_back(d.zone_validated
                             ? "validating resolvers cannot prove that names in the gap do not exist: SERVFAIL"
                             : "validating resolvers treat the zone as insecure (no DS): this breaks resolution only "
                               "once a DS is published");
    f.severity = severity;
    f.resolver = impact;
    sink.add_graded(std::move(f));
  }
}

// The live half of dnssec/nsec-chain-broken (`Type` NSEC) and nsec3-chain-broken (NSEC3):
// `.live = &check_live_gaps<dns::rrtype::nsec>`.
template <std::uint16_t Type> void check_live_gaps(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info) {
  static_assert(Type == dns::rrtype::nsec || Type == dns::rrtype::nsec3);
  report_live_gaps(ctx, sink, info, Type == dns::rrtype::nsec ? "NSEC" : "NSEC3");
}

} // namespace zw::rules::denial_support
