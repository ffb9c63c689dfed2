#pragma once
// Shared by the signature rules: where a signature was seen and how bad its fault is.

#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

#include "rules/rule_support.hpp"
#include "rules/verdicts.hpp"

namespace zw::rules::dnssec_support {

using Sig = ::zw::dnssec::ObservedSignature;

// Location of a signature: the one server when only one showed it, else "" with all of them
// listed in the finding (zone data is the same fault wherever it is served).
inline Location signature_location(const RuleContext& ctx, const ::zw::dnssec::ObservedSignature& sig) {
  return Location{sig.zone.empty() ? ctx.zone_name() : sig.zone, sig.servers.size() == 1 ? sig.servers.front() : "",
                  sig.owner, sig.type};
}

// Grades a failing signature by what resolvers do with it:
// - the zone (or, for the DS, the parent) is not validated by resolvers (no DS, insecure chain):
//   a warning, resolution unaffected today;
// - every server that served this signature also served another one over the same RRset that
//   validates now: a warning, resolvers use that one;
// - otherwise validation fails for resolvers that reach those servers: an error with `impact`.
inline void grade_signature_fault(const RuleContext& ctx, const ::zw::dnssec::ObservedSignature& sig,
                                  ResolverImpact impact, Finding& f) {
  const ::zw::dnssec::ZoneDnssec& d = ctx.dnssec();
  const bool validated = sig.zone == ctx.zone_name() ? d.zone_validated : d.parent_validated;
  if (!validated) {
    grade_warning_unaffected(f);
    f.evidence.push_back(fmt::format("validating resolvers treat {} as insecure (no DS at its parent or an insecure "
                                     "chain above), so this breaks resolution only once a DS is published",
                                     sig.zone));
    return;
  }
  for (const ::zw::dnssec::SignedRrset& r : d.rrsets) {
    if (r.owner != sig.owner || r.type != sig.type || r.zone != sig.zone) {
      continue;
    }
    const bool covered = std::all_of(sig.servers.begin(), sig.servers.end(), [&](const std::string& s) {
      return std::find(r.usable_servers.begin(), r.usable_servers.end(), s) != r.usable_servers.end();
    });
    if (r.has_usable && covered) {
      grade_warning_unaffected(f);
      f.evidence.push_back("another signature over this RRset validates now at the same servers");
      return;
    }
  }
  f.severity = Severity::error;
  f.resolver = impact;
}

// Reports one group of failing signatures that share a root cause (one key, one signing run)
// as ONE finding: located at the most telling RRset (apex SOA, DNSKEY, NS, then the first in
// order), every affected RRset in the evidence, graded by the worst of its members.
inline void report_group(const RuleContext& ctx, FindingSink& sink,
                         const std::vector<const ::zw::dnssec::ObservedSignature*>& group, ResolverImpact impact,
                         const std::string& headline) {
  if (group.empty()) {
    return;
  }
  const auto rank = [&](const ::zw::dnssec::ObservedSignature* s) {
    const bool apex = s->owner == s->zone;
    const int type_rank = s->type == "SOA"      ? 0
                          : s->type == "DNSKEY" ? 1
                          : s->type == "NS"     ? 2
                          : s->type == "DS"     ? 3
                                                : 4;
    return std::tuple(apex ? 0 : 1, type_rank, s->owner, s->type);
  };
  std::vector<const ::zw::dnssec::ObservedSignature*> sorted = group;
  std::sort(sorted.begin(), sorted.end(), [&](const auto* a, const auto* b) { return rank(a) < rank(b); });
  Finding worst;
  worst.severity = Severity::notice;
  std::vector<std::string> rrsets;
  Finding f;
  for (const ::zw::dnssec::ObservedSignature* sig : sorted) {
    Finding graded;
    grade_signature_fault(ctx, *sig, impact, graded);
    if (graded.severity > worst.severity || (graded.severity == worst.severity && worst.evidence.empty())) {
      worst = graded;
    }
    const std::string rrset = fmt::format("{} {}", sig->owner, sig->type);
    if (std::find(rrsets.begin(), rrsets.end(), rrset) == rrsets.end()) {
      rrsets.push_back(rrset);
    }
    for (const std::string& server : sig->servers) {
      if (std::find(f.servers.begin(), f.servers.end(), server) == f.servers.end()) {
        f.servers.push_back(server);
      }
    }
  }
  const ::zw::dnssec::ObservedSignature& first = *sorted.front();
  f.location = Location{first.zone, f.servers.size() == 1 ? f.servers.front() : "", first.owner, first.type};
  f.severity = worst.severity;
  f.resolver = worst.resolver;
  const std::size_t shown = std::min<std::size_t>(rrsets.size(), 4);
  std::string list;
  for (std::size_t i = 0; i < shown; ++i) {
    list += (i == 0 ? "" : ", ") + rrsets[i];
  }
  if (rrsets.size() > shown) {
    list += fmt::format(" and {} more", rrsets.size() - shown);
  }
  f.message = fmt::format("{}: {}", headline, list);
  f.evidence = worst.evidence;
  if (rrsets.size() > 1) {
    std::string all;
    for (const std::string& r : rrsets) {
      all += (all.empty() ? "" : "; ") + r;
    }
    f.evidence.push_back(fmt::format("{} RRsets affected: {}", rrsets.size(), all));
  }
  // Zone files: where each RRSIG is (a live audit names the servers instead).
  constexpr std::size_t k_lines_shown = 10;
  std::size_t with_source = 0;
  for (const ::zw::dnssec::ObservedSignature* sig : sorted) {
    if (sig->source.empty()) {
      continue;
    }
    if (++with_source <= k_lines_shown) {
      f.evidence.push_back(fmt::format("{}: RRSIG {} over {} {}", sig->source, sig->key_tag, sig->owner, sig->type));
    }
  }
  if (with_source > k_lines_shown) {
    f.evidence.push_back(fmt::format("and {} more RRSIG records", with_source - k_lines_shown));
  }
  sink.add_graded(std::move(f));
}

// The shared shape of the signature rules: every parsed signature that `select` picks is put in
// the group named by `group_key` (one root cause: one key failing the same way), and each group
// becomes one finding whose message starts with `headline(first signature of the group)`.
template <typename Select, typename GroupKey, typename Headline>
void report_grouped(const RuleContext& ctx, FindingSink& sink, ResolverImpact impact, Select select, GroupKey group_key,
                    Headline headline) {
  std::map<std::string, std::vector<const ::zw::dnssec::ObservedSignature*>> groups;
  for (const ::zw::dnssec::ObservedSignature& sig : ctx.dnssec().signatures) {
    if (select(sig)) {
      groups[group_key(sig)].push_back(&sig);
    }
  }
  for (const auto& [key, group] : groups) {
    report_group(ctx, sink, group, impact, headline(*group.front()));
  }
}

inline std::string key_text(const ::zw::dnssec::ObservedSignature& sig) {
  return fmt::format("key {} (algorithm {})", sig.key_tag, sig.algorithm);
}

// The shared shape of dnssec/rrsig-expired and rrsig-not-yet-valid: the rule's signatures grouped
// by key and `instant(sig)` (the edge of the validity period crossed: one signing run), in two
// passes. Unbound accepts a signature a while beyond either edge (its skew tolerance); BIND and
// Knot Resolver do not. Signatures `within_unbound_skew` are still reported (resolvers fail on
// them), with the prediction for Unbound that they still resolve; `headline(sig, within_skew)`
// starts each message.
template <typename Instant, typename WithinSkew, typename Headline>
void report_validity_fault(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info, Instant instant,
                           WithinSkew within_unbound_skew, Headline headline) {
  const bool unbound = ctx.options().resolver_model == ResolverModel::unbound;
  for (const bool within_skew : {false, true}) {
    report_grouped(
        ctx, sink, within_skew ? k_unaffected : info.impact,
        [&](const Sig& sig) {
          return rule_for(sig.status) == info.id && (unbound && within_unbound_skew(sig)) == within_skew;
        },
        [&](const Sig& sig) { return fmt::format("{}|{}|{}|{}", sig.zone, sig.key_tag, sig.algorithm, instant(sig)); },
        [&](const Sig& sig) { return headline(sig, within_skew); });
  }
}

} // namespace zw::rules::dnssec_support
