#pragma once
// Shared by the four denial-of-existence rules (nsec-chain-broken, nsec-bitmap-mismatch,
// nsec3-chain-broken, nsec3-parameters): the zone's DenialAnalysis, names and types as text,
// and the per-rule cap of 50 findings, which builds no message for a finding it holds back.

#include <algorithm>
#include <cstddef>
#include <map>
#include <cstdint>
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

// At most this many individual findings per rule and zone; the rest become one summary finding.
inline constexpr std::size_t k_max_findings = 50;

// The denial analysis of a SIGNED zone file: the engine's, or one computed into `own` when the
// engine gave none. nullptr when the rule has nothing to judge: a live audit, or an unsigned
// zone (no DNSKEY at the apex), which needs no NSEC or NSEC3.
inline const ::zw::dnssec::DenialAnalysis* denial_of(const RuleContext& ctx,
                                                     std::optional<::zw::dnssec::DenialAnalysis>& own) {
  const ZoneFileInput* file = ctx.zone_file();
  if (file == nullptr || file->store == nullptr || file->layout == nullptr) {
    return nullptr;
  }
  if (!file->store->find(file->store->origin(), dns::rrtype::dnskey)) {
    return nullptr;
  }
  if (file->denial != nullptr) {
    return file->denial;
  }
  own.emplace(::zw::dnssec::analyse_denial(*file->store, *file->layout));
  return &*own;
}

inline std::string text(Name name) { return dns::name_to_text(name); }

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

// Passes at most k_max_findings findings to the sink; the caller asks `room()` before building
// a finding, and `finish` adds ONE finding that counts the rest, so nothing is dropped silently.
//
// The rule's default grade holds while validating resolvers validate the zone. A zone file
// checked with a --ds file that makes its delegation insecure (no DS of a supported algorithm
// and digest: RFC 4035 §5.2) is not validated by anyone: a denial fault that would make them
// fail (error, SERVFAIL) is a warning (NOERROR) until a usable DS is published.
class Capped {
public:
  Capped(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info) noexcept
      : m_ctx(ctx), m_sink(sink), m_info(info) {}

  // True while individual findings are still reported; otherwise counts one held back at the
  // default severity.
  bool room() {
    if (m_reported < k_max_findings) {
      return true;
    }
    note_held_back(default_severity(), default_impact());
    return false;
  }
  // Same for a finding the rule grades itself as `severity` with `impact`.
  bool room(Severity severity, ResolverImpact impact) {
    if (m_reported < k_max_findings) {
      return true;
    }
    note_held_back(severity, impact);
    return false;
  }

  // Reports `finding` at the rule's default severity and impact (see the class comment).
  void add(Finding finding) {
    ++m_reported;
    if (!insecure_file()) {
      m_sink.add(std::move(finding));
      return;
    }
    finding.severity = default_severity();
    finding.resolver = default_impact();
    finding.evidence.push_back("the --ds file gives the zone no DS of a supported algorithm and digest, so validating "
                               "resolvers treat it as insecure: this breaks resolution only once such a DS is published");
    m_sink.add_graded(std::move(finding));
  }
  // Reports a finding the rule graded itself.
  void add_graded(Finding finding) {
    ++m_reported;
    m_sink.add_graded(std::move(finding));
  }

  // Adds the summary finding when findings were held back, at the zone apex with `type`;
  // `what` names them in the plural ("NSEC chain faults").
  void finish(std::string_view type, std::string_view what) {
    if (m_more == 0) {
      return;
    }
    Finding f;
    f.location = at(m_ctx, "", m_ctx.zone_name(), std::string(type));
    f.message = fmt::format("and {} more {} (only the first {} are reported one by one)", m_more, what, k_max_findings);
    f.severity = m_worst;
    f.resolver = m_worst_impact;
    m_sink.add_graded(std::move(f));
  }

private:
  bool insecure_file() const noexcept {
    return m_ctx.zone_file() != nullptr && !m_ctx.dnssec().zone_validated && m_info.severity == Severity::error;
  }
  Severity default_severity() const noexcept { return insecure_file() ? Severity::warning : m_info.severity; }
  ResolverImpact default_impact() const noexcept {
    return insecure_file() ? ResolverImpact{Rcode::noerror, Ede::none} : m_info.impact;
  }

  void note_held_back(Severity severity, ResolverImpact impact) {
    if (m_more == 0 || severity > m_worst) {
      m_worst = severity;
      m_worst_impact = impact;
    }
    ++m_more;
  }

  const RuleContext& m_ctx;
  FindingSink& m_sink;
  const RuleInfo& m_info;
  std::size_t m_reported = 0;
  std::size_t m_more = 0;
  Severity m_worst = Severity::notice;
  ResolverImpact m_worst_impact;
};

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
  std::map<std::string, Gap> gaps;  // by the name without a record
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
  Capped capped(ctx, sink, info);
  for (const auto& [next, g] : gaps) {
    const Severity severity = d.zone_validated ? Severity::error : Severity::warning;
    const ResolverImpact impact = d.zone_validated ? info.impact : ResolverImpact{Rcode::noerror, Ede::none};
    if (!capped.room(severity, impact)) {
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
    capped.add_graded(std::move(f));
  }
  capped.finish(type, fmt::format("{} chain gaps", type));
}

} // namespace zw::rules::denial_support
