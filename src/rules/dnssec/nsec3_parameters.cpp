// dnssec/nsec3-parameters: NSEC3PARAM missing, duplicated or disagreeing with the chain, and
// NSEC3 hash parameters against RFC 9276 (iterations, salt, Opt-Out).
// User documentation: docs/rules/dnssec/nsec3-parameters.md
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/ranges.h>

#include "rules/dnssec/denial_support.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace denial_support;

// Above this many iterations validators stop validating the zone (RFC 9276 §3.2): BIND 9,
// Unbound, Knot Resolver and PowerDNS Recursor treat it as insecure, and a validator may answer
// SERVFAIL instead.
// Above this many iterations validators stop hashing and answer the zone's denials insecurely
// (RFC 9276 §3.2), measured in the lab (docs/resolvers.md): 150 for Unbound 1.17 and BIND 9.18
// with these key sizes, 50 for Knot Resolver 5.6.
constexpr unsigned validator_limit(ResolverModel model) noexcept {
  return model == ResolverModel::knot_resolver ? 50 : 150;
}

// What authoritative servers do when they cannot find the chain: negative answers go out
// without proofs, and validators answer SERVFAIL (EDE 12 "NSEC Missing").
constexpr ResolverImpact k_no_proofs{Rcode::servfail, Ede::nsec_missing};

// What validators do above their limit, for the evidence (measured in the lab, docs/resolvers.md).
constexpr std::string_view k_above_limit_evidence =
    "above their limit (Unbound 1.17 and BIND 9.18: 150 iterations for these key sizes; Knot Resolver "
    "5.6: 50) validators answer the zone's denials insecure: NXDOMAIN or NOERROR without AD and without "
    "EDE (measured); RFC 9276 §3.2 lets a validator answer SERVFAIL with EDE 27 instead. A forged "
    "denial is accepted";

// The hash parameters as seen on the wire, keyed for grouping (flags left out: NSEC3PARAM flags
// are 0, NSEC3 flags carry Opt-Out).
using ParamKey = std::tuple<std::uint8_t, std::uint16_t, dns::Bytes>;

ParamKey key_of(const Nsec3Params& p) {
  return {p.algorithm, p.iterations, p.salt};
}

std::string salt_text(const dns::Bytes& salt) {
  std::string s;
  for (const std::uint8_t b : salt) {
    s += fmt::format("{:02X}", b);
  }
  return s;
}

void grade(Finding& f, Severity severity, ResolverImpact impact) {
  f.severity = severity;
  f.resolver = impact;
}

// "200 additional iterations and a salt (5A57)"; "" when the parameters follow RFC 9276 §3.1.
std::string cost_text(const Nsec3Params& p, unsigned max) {
  std::string what;
  if (p.iterations > max) {
    what = fmt::format("{} additional iteration{}", p.iterations, p.iterations == 1 ? "" : "s");
  }
  if (!p.salt.empty()) {
    what += fmt::format("{}a salt ({})", what.empty() ? "" : " and ", salt_text(p.salt));
  }
  return what;
}

// Files and live alike, a warning either way (error means SERVFAIL or a zone servers refuse):
// above the validators' limit the zone's denials lose their protection but resolvers still
// answer (insecurely, no SERVFAIL: measured with Unbound 1.17); below it, work without benefit.
void grade_hash_cost(Finding& out, const Nsec3Params& p, const std::string& what, unsigned max, unsigned limit) {
  if (p.iterations > limit) {
    out.severity = Severity::warning;
    out.resolver = k_unaffected;
    out.message = fmt::format("the NSEC3 chain uses {}: above {} iterations validators treat the zone's denials as "
                              "insecure (RFC 9276 §3.2)",
                              what, limit);
    out.evidence.emplace_back(k_above_limit_evidence);
  } else {
    out.severity = Severity::warning;
    out.resolver = k_unaffected;
    out.message = fmt::format("the NSEC3 chain uses {}: RFC 9276 §3.1 says 0 additional iterations{} and an empty "
                              "salt; they cost servers and resolvers work and add no protection",
                              what, max > 0 ? fmt::format(" (policy: at most {})", max) : std::string());
  }
}

// RFC 9276 §3.1: NSEC3 SHOULD use 0 additional iterations and an empty salt; §3.2: validators
// may stop validating above a limit (150 today). One finding: the signer's settings.
void judge_hash_cost(const RuleContext& ctx, const DenialAnalysis& d, DenialSink& graded, const RuleInfo& info) {
  const Nsec3Params& p = *d.chain;
  const unsigned max = ctx.thresholds(info).max_nsec3_iterations;
  const bool too_many = p.iterations > max;
  const bool salted = !p.salt.empty();
  if (!too_many && !salted) {
    return;
  }
  Finding out;
  const dns::RrsetView& record = d.nsec3param.empty() ? d.first_nsec3 : d.nsec3param;
  out.location = at(ctx, "", record.empty() ? ctx.zone_name() : text(record.owner()),
                    d.nsec3param.empty() ? "NSEC3" : "NSEC3PARAM");
  const std::string what = cost_text(p, max);
  grade_hash_cost(out, p, what, max, validator_limit(ctx.options().resolver_model));
  if (!record.empty()) {
    out.evidence.push_back(where(record, d.nsec3param.empty() ? "the first NSEC3 record" : "the NSEC3PARAM record"));
  }
  if (graded.room(out.severity, out.resolver)) {
    graded.add_graded(std::move(out));
  }
}

// How `f` grades: an error where servers serve no proof or validators ignore the chain.
Severity severity_of(const Nsec3ParamFault& f) {
  switch (f.kind) {
  case Nsec3ParamFaultKind::flags_nonzero:
    return f.count == 0 ? Severity::error : Severity::warning; // another NSEC3PARAM has flags 0
  case Nsec3ParamFaultKind::multiple: return Severity::warning;
  case Nsec3ParamFaultKind::opt_out_unneeded:
  case Nsec3ParamFaultKind::opt_out_mixed: return Severity::notice;
  case Nsec3ParamFaultKind::missing:
  case Nsec3ParamFaultKind::mismatch:
  case Nsec3ParamFaultKind::unknown_algorithm:
  case Nsec3ParamFaultKind::malformed: break;
  }
  return Severity::error;
}

std::string message_of(const Nsec3ParamFault& f, const DenialAnalysis& d, const std::string& chain) {
  switch (f.kind) {
  case Nsec3ParamFaultKind::missing:
    return fmt::format("the zone has {} NSEC3 records ({}) but no NSEC3PARAM at the apex: authoritative servers do "
                       "not serve the chain, so negative answers carry no proof",
                       d.nsec3_records, chain);
  case Nsec3ParamFaultKind::malformed: return "the NSEC3PARAM record at the apex does not parse";
  case Nsec3ParamFaultKind::mismatch:
    return fmt::format("the NSEC3PARAM announces {}, but the NSEC3 chain uses {}: authoritative servers hash names "
                       "with the NSEC3PARAM's parameters and find no proofs",
                       to_text(f.params), chain);
  case Nsec3ParamFaultKind::flags_nonzero:
    return f.count == 0 ? fmt::format("the NSEC3PARAM has flags {}: servers ignore an NSEC3PARAM whose flags are not "
                                      "0 (RFC 5155 §4.1.2), so the chain is not served",
                                      f.params.flags)
                        : fmt::format("an NSEC3PARAM has flags {}, which servers ignore (RFC 5155 §4.1.2); another "
                                      "NSEC3PARAM with flags 0 is used",
                                      f.params.flags);
  case Nsec3ParamFaultKind::multiple:
    return fmt::format("{} NSEC3PARAM records at the apex: servers use one of them; keep only the one of the "
                       "complete chain ({})",
                       f.count, chain);
  case Nsec3ParamFaultKind::opt_out_mixed:
    return fmt::format("{} of the {} NSEC3 records set the Opt-Out flag, the others do not", f.count, d.chain_records);
  case Nsec3ParamFaultKind::unknown_algorithm:
    return fmt::format("the NSEC3 chain uses hash algorithm {}; only 1 (SHA-1) is defined and validators ignore "
                       "NSEC3 records with any other (RFC 5155 §8.1)",
                       f.params.algorithm);
  case Nsec3ParamFaultKind::opt_out_unneeded:
    return fmt::format("{} NSEC3 records set the Opt-Out flag, but the zone has no insecure delegation: Opt-Out "
                       "only leaves names unproven here (RFC 9276 §3.1)",
                       f.count);
  }
  return {};
}

void check_nsec3_parameters(const RuleContext& ctx, const DenialAnalysis& d, DenialSink& graded, const RuleInfo& info) {
  const std::string chain = d.chain ? to_text(*d.chain) : std::string();
  for (const Nsec3ParamFault& f : d.params) {
    Finding out;
    const Severity severity = severity_of(f);
    grade(out, severity, severity == Severity::error ? k_no_proofs : k_unaffected);
    out.message = message_of(f, d, chain);
    if (f.kind == Nsec3ParamFaultKind::opt_out_unneeded || f.kind == Nsec3ParamFaultKind::opt_out_mixed) {
      out.location = at(ctx, "", text(f.record.owner()), "NSEC3"); // an NSEC3 record that sets the flag
    } else {
      out.location = at(ctx, "", ctx.zone_name(), "NSEC3PARAM");
      const std::string record = where(f.record, f.record.type() == dns::rrtype::nsec3param ? "the NSEC3PARAM record"
                                                                                            : "the first NSEC3 record");
      if (!record.empty()) {
        out.evidence.push_back(record);
      }
    }
    if (graded.room(out.severity, out.resolver)) {
      graded.add_graded(std::move(out));
    }
  }
  // Also a chain hashed too often to verify (above zw::dnssec::k_max_hashed_iterations): its cost
  // is this rule's finding, the unverified chain the engine's internal/audit-incomplete.
  if (d.chain && (d.nsec3_checked || d.nsec3_not_hashed != 0)) {
    judge_hash_cost(ctx, d, graded, info);
  }
}

// Live: the NSEC3PARAM answers at the apex and the NSEC3 records of the denial probes (and any
// other authoritative answer), per server address.
void check_nsec3_parameters_live(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info) {
  const Result<dns::Bytes> apex = dns::name_from_text(ctx.zone_name());
  if (!apex) {
    return;
  }
  const unsigned max = ctx.thresholds(info).max_nsec3_iterations;
  std::map<ParamKey, std::vector<std::string>> param_servers; // from NSEC3PARAM
  std::map<ParamKey, std::vector<std::string>> chain_servers; // from NSEC3 records
  std::map<ParamKey, Nsec3Params> params;
  std::set<dns::Bytes> opt_out, no_opt_out; // NSEC3 owners by Opt-Out flag
  std::string opt_out_owner;
  const auto add = [](std::vector<std::string>& v, const std::string& label) {
    if (std::find(v.begin(), v.end(), label) == v.end()) {
      v.push_back(label);
    }
  };
  for_each_authoritative_section(ctx.live(), [&](const std::string& label, const std::vector<std::string>& section) {
    for (const std::string& text : section) {
      const Result<dns::Rr> rr = dns::parse_rr(text);
      if (!rr || !dns::is_subdomain(rr->owner, *apex)) {
        continue;
      }
      if (rr->type == dns::rrtype::nsec3param && dns::names_equal(rr->owner, *apex)) {
        if (const std::optional<Nsec3Params> p = ::zw::dnssec::parse_nsec3param(rr->rdata); p && p->flags == 0) {
          params.emplace(key_of(*p), *p);
          add(param_servers[key_of(*p)], label);
        }
      } else if (rr->type == dns::rrtype::nsec3) {
        if (const std::optional<::zw::dnssec::Nsec3Rdata> n = ::zw::dnssec::parse_nsec3(rr->rdata)) {
          Nsec3Params p = n->params;
          params.emplace(key_of(p), p);
          add(chain_servers[key_of(p)], label);
          const dns::Bytes owner = dns::lowercased(rr->owner);
          if ((p.flags & 0x01) != 0) {
            opt_out.insert(owner);
            if (opt_out_owner.empty()) {
              opt_out_owner = dns::name_to_text(owner);
            }
          } else {
            no_opt_out.insert(owner);
          }
        }
      }
    }
  });
  for (const auto& [key, p] : params) {
    const std::string what = cost_text(p, max);
    if (what.empty()) {
      continue;
    }
    const auto in_param = param_servers.find(key);
    const auto in_chain = chain_servers.find(key);
    std::vector<std::string> servers;
    if (in_param != param_servers.end()) {
      servers = in_param->second;
    }
    if (in_chain != chain_servers.end()) {
      for (const std::string& s : in_chain->second) {
        add(servers, s);
      }
    }
    Finding out;
    out.location = at(ctx, "", ctx.zone_name(), in_param != param_servers.end() ? "NSEC3PARAM" : "NSEC3");
    grade_hash_cost(out, p, what, max, validator_limit(ctx.options().resolver_model));
    out.servers = servers;
    if (in_param != param_servers.end()) {
      out.evidence.push_back(fmt::format("NSEC3PARAM {} served by {}", to_text(p), fmt::join(in_param->second, ", ")));
    }
    if (in_chain != chain_servers.end()) {
      out.evidence.push_back(
          fmt::format("NSEC3 records with {} in the denials of {}", to_text(p), fmt::join(in_chain->second, ", ")));
    }
    sink.add_graded(std::move(out));
  }
  // RFC 5155 §6: Opt-Out is a property of the chain; a mix among the records the denial probes
  // returned is the file rule's opt_out_mixed. Whether the zone has insecure delegations (the
  // file rule's opt_out_unneeded) cannot be seen from a few answers.
  if (!opt_out.empty() && !no_opt_out.empty()) {
    Finding out;
    out.location = at(ctx, "", opt_out_owner, "NSEC3");
    grade(out, Severity::notice, k_unaffected);
    out.message = fmt::format("{} of the {} NSEC3 records seen in denials set the Opt-Out flag, the others do not",
                              opt_out.size(), opt_out.size() + no_opt_out.size());
    sink.add_graded(std::move(out));
  }
}

} // namespace
extern const RuleCode nsec3_parameters{.file = &with_denial<check_nsec3_parameters>,
                                       .live = &check_nsec3_parameters_live};
} // namespace zw::rules::dnssec
