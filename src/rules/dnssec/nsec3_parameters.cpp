// dnssec/nsec3-parameters: NSEC3PARAM missing, duplicated or disagreeing with the chain, and
// NSEC3 hash parameters against RFC 9276 (iterations, salt, Opt-Out).
// User documentation: docs/rules/dnssec/nsec3-parameters.md
#include "rules/dnssec/denial_support.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace denial_support;
using ::zw::dnssec::DenialAnalysis;
using ::zw::dnssec::Nsec3ParamFault;
using ::zw::dnssec::Nsec3ParamFaultKind;
using ::zw::dnssec::Nsec3Params;

// Above this many iterations validators stop validating the zone (RFC 9276 §3.2): BIND 9,
// Unbound, Knot Resolver and PowerDNS Recursor treat it as insecure, and a validator may answer
// SERVFAIL instead.
constexpr unsigned k_validator_limit = 150;

// What authoritative servers do when they cannot find the chain: negative answers go out
// without proofs, and validators answer SERVFAIL (EDE 12 "NSEC Missing").
constexpr ResolverImpact k_no_proofs{Rcode::servfail, Ede::nsec_missing};
constexpr ResolverImpact k_unaffected{Rcode::noerror, Ede::none};

std::string salt_text(const dns::Bytes& salt) {
  std::string s;
  for (const std::uint8_t b : salt) {
    s += fmt::format("{:02X}", b);
  }
  return s;
}

class Nsec3Parameters final : public Rule {
public:
  const RuleInfo& info() const noexcept override { return k_info; }
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    std::optional<DenialAnalysis> own;
    const DenialAnalysis* d = denial_of(ctx, own);
    if (d == nullptr) {
      return;
    }
    Capped capped(ctx, sink, k_info);
    const std::string apex = ctx.zone_name();
    const std::string chain = d->chain ? to_text(*d->chain) : std::string();
    for (const Nsec3ParamFault& f : d->params) {
      Finding out;
      out.location = at(ctx, "", apex, "NSEC3PARAM");
      switch (f.kind) {
      case Nsec3ParamFaultKind::missing:
        grade(out, Severity::error, k_no_proofs);
        out.message = fmt::format("the zone has {} NSEC3 records ({}) but no NSEC3PARAM at the apex: authoritative "
                                  "servers do not serve the chain, so negative answers carry no proof",
                                  d->nsec3_records, chain);
        out.evidence.push_back(where(f.record, "the first NSEC3 record"));
        break;
      case Nsec3ParamFaultKind::mismatch:
        grade(out, Severity::error, k_no_proofs);
        out.message = fmt::format("the NSEC3PARAM announces {}, but the NSEC3 chain uses {}: authoritative servers "
                                  "hash names with the NSEC3PARAM's parameters and find no proofs",
                                  to_text(f.params), chain);
        break;
      case Nsec3ParamFaultKind::flags_nonzero:
        if (f.count == 0) {
          grade(out, Severity::error, k_no_proofs);
          out.message = fmt::format("the NSEC3PARAM has flags {}: servers ignore an NSEC3PARAM whose flags are not 0 "
                                    "(RFC 5155 §4.1.2), so the chain is not served",
                                    f.params.flags);
        } else {
          grade(out, Severity::warning, k_unaffected);
          out.message = fmt::format("an NSEC3PARAM has flags {}, which servers ignore (RFC 5155 §4.1.2); another "
                                    "NSEC3PARAM with flags 0 is used",
                                    f.params.flags);
        }
        break;
      case Nsec3ParamFaultKind::multiple:
        grade(out, Severity::warning, k_unaffected);
        out.message = fmt::format("{} NSEC3PARAM records at the apex: servers use one of them; keep only the one of "
                                  "the complete chain ({})",
                                  f.count, chain);
        break;
      case Nsec3ParamFaultKind::unknown_algorithm:
        grade(out, Severity::error, k_no_proofs);
        out.message = fmt::format("the NSEC3 chain uses hash algorithm {}; only 1 (SHA-1) is defined and validators "
                                  "ignore NSEC3 records with any other (RFC 5155 §8.1)",
                                  f.params.algorithm);
        break;
      case Nsec3ParamFaultKind::malformed:
        grade(out, Severity::error, k_no_proofs);
        out.message = "the NSEC3PARAM record at the apex does not parse";
        break;
      case Nsec3ParamFaultKind::opt_out_unneeded:
        grade(out, Severity::notice, k_unaffected);
        out.location.type = "NSEC3";
        out.location.owner = text(f.record.owner());
        out.message = fmt::format("{} NSEC3 records set the Opt-Out flag, but the zone has no insecure delegation: "
                                  "Opt-Out only leaves names unproven here (RFC 9276 §3.1)",
                                  f.count);
        break;
      case Nsec3ParamFaultKind::opt_out_mixed:
        grade(out, Severity::notice, k_unaffected);
        out.location.type = "NSEC3";
        out.location.owner = text(f.record.owner());
        out.message = fmt::format("{} of the {} NSEC3 records set the Opt-Out flag, the others do not", f.count,
                                  d->chain_records);
        break;
      }
      if (f.kind != Nsec3ParamFaultKind::missing && f.kind != Nsec3ParamFaultKind::opt_out_unneeded &&
          f.kind != Nsec3ParamFaultKind::opt_out_mixed) {
        const std::string record = where(f.record, f.record.type() == dns::rrtype::nsec3param ? "the NSEC3PARAM record"
                                                                                            : "the first NSEC3 record");
        if (!record.empty()) {
          out.evidence.push_back(record);
        }
      }
      if (capped.room(out.severity, out.resolver)) {
        capped.add_graded(std::move(out));
      }
    }
    if (d->chain && d->nsec3_checked) {
      judge_hash_cost(ctx, *d, capped);
    }
    capped.finish("NSEC3PARAM", "NSEC3 parameter faults");
  }

private:
  static void grade(Finding& f, Severity severity, ResolverImpact impact) {
    f.severity = severity;
    f.resolver = impact;
  }

  // RFC 9276 §3.1: NSEC3 SHOULD use 0 additional iterations and an empty salt; §3.2: validators
  // may stop validating above a limit (150 today). One finding: the signer's settings.
  static void judge_hash_cost(const RuleContext& ctx, const DenialAnalysis& d, Capped& capped) {
    const Nsec3Params& p = *d.chain;
    const unsigned max = ctx.options().max_nsec3_iterations;
    const bool too_many = p.iterations > max;
    const bool salted = !p.salt.empty();
    if (!too_many && !salted) {
      return;
    }
    Finding out;
    const dns::RrsetView& record = d.nsec3param.empty() ? d.first_nsec3 : d.nsec3param;
    out.location = at(ctx, "", record.empty() ? ctx.zone_name() : text(record.owner()),
                      d.nsec3param.empty() ? "NSEC3" : "NSEC3PARAM");
    std::string what;
    if (too_many) {
      what = fmt::format("{} additional iteration{}", p.iterations, p.iterations == 1 ? "" : "s");
    }
    if (salted) {
      what += fmt::format("{}a salt ({})", what.empty() ? "" : " and ", salt_text(p.salt));
    }
    if (p.iterations > k_validator_limit) {
      out.severity = Severity::error;
      // EDE 27 "Unsupported NSEC3 Iterations Value" (RFC 9276 §3.2).
      out.resolver = {Rcode::servfail, Ede::unsupported_nsec3_iterations};
      out.message = fmt::format("the NSEC3 chain uses {}: above {} iterations validators treat the zone as insecure "
                                "or answer SERVFAIL with EDE 27 \"Unsupported NSEC3 Iterations Value\" (RFC 9276 §3.2)",
                                what, k_validator_limit);
    } else {
      out.severity = Severity::warning;
      out.resolver = k_unaffected;
      out.message = fmt::format("the NSEC3 chain uses {}: RFC 9276 §3.1 says 0 additional iterations{} and an empty "
                                "salt; they cost servers and resolvers work and add no protection",
                                what, max > 0 ? fmt::format(" (policy: at most {})", max) : std::string());
    }
    if (!record.empty()) {
      out.evidence.push_back(where(record, d.nsec3param.empty() ? "the first NSEC3 record" : "the NSEC3PARAM record"));
    }
    if (capped.room(out.severity, out.resolver)) {
      capped.add_graded(std::move(out));
    }
  }

  static constexpr RuleInfo k_info{
      .id = "dnssec/nsec3-parameters",
      .severity = Severity::warning,
      .stability = Stability::stable,
      .summary = "NSEC3PARAM missing or unlike the chain; NSEC3 iterations or salt against RFC 9276",
      .reference = "RFC 9276 §3.1",
      .impact = {Rcode::noerror, Ede::none},
      .inputs = Inputs::zone_file};
};

} // namespace
std::unique_ptr<Rule> make_nsec3_parameters() { return std::make_unique<Nsec3Parameters>(); }
} // namespace zw::rules::dnssec
