// dnssec/nsec-chain-broken: the NSEC chain of a signed zone file is incomplete or does not
// follow the canonical order of its names.
// User documentation: docs/rules/dnssec/nsec-chain-broken.md
#include "rules/dnssec/denial_support.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace denial_support;

// What kind of name a chain pointer lands on, when it is not one that needs an NSEC.
std::string_view role_problem(dns::NameRole role) {
  switch (role) {
  case dns::NameRole::below_delegation: return "glue or occluded data below a delegation";
  case dns::NameRole::below_dname: return "occluded data below a DNAME";
  case dns::NameRole::out_of_zone: return "outside the zone";
  default: return "";
  }
}

std::string bad_next_message(const RuleContext& ctx, const NsecFault& f) {
  std::string m = f.kind == NsecFaultKind::not_closed
                      ? fmt::format("the last NSEC, at {}, points to {} instead of back to the apex {}", text(f.name),
                                    text(f.next), ctx.zone_name())
                      : fmt::format("NSEC at {} points to {}", text(f.name), text(f.next));
  if (!f.next_exists) {
    m += ", which does not exist";
  } else if (const std::string_view problem = role_problem(f.next_role); !problem.empty()) {
    m += fmt::format(", which is {}", problem);
  }
  if (f.skipped.total > 0) {
    m += fmt::format(", but {} exist{} in between", join_sample(f.skipped), f.skipped.total == 1 ? "s" : "");
    if (f.skipped_without_nsec == f.skipped.total) {
      m += f.skipped.total == 1 ? " and has no NSEC" : " and have no NSEC";
    } else if (f.skipped_without_nsec > 0) {
      m += fmt::format(" ({} of them without an NSEC)", f.skipped_without_nsec);
    }
  }
  if (f.kind == NsecFaultKind::bad_next) {
    m += fmt::format("; the next name is {}", text(f.expected));
  }
  return m;
}

// Fills in the finding of one fault and returns its record's line.
std::string describe(const RuleContext& ctx, const NsecFault& f, Finding& out) {
  out.location = at(ctx, "", f.name.empty() ? ctx.zone_name() : text(f.name), "NSEC");
  const std::string record = where(f.record, "the NSEC record");
  switch (f.kind) {
  case NsecFaultKind::no_denial:
    out.message = "the zone is signed but has no NSEC or NSEC3 records: no negative answer (NXDOMAIN, "
                  "NODATA) and no wildcard answer can be proven";
    break;
  case NsecFaultKind::missing:
    out.message = fmt::format("{} has no NSEC record, but every name with authoritative data or a delegation "
                              "must have one",
                              text(f.name));
    if (!f.data.empty()) {
      out.evidence.push_back(where(f.data, fmt::format("first record of {}", text(f.name))));
    }
    break;
  case NsecFaultKind::bad_next:
  case NsecFaultKind::not_closed: out.message = bad_next_message(ctx, f); break;
  case NsecFaultKind::unexpected:
    out.message = fmt::format("NSEC at {}, which is {}: only authoritative names and delegation points have "
                              "NSEC records",
                              text(f.name), role_problem(f.role));
    break;
  case NsecFaultKind::duplicate:
    out.message = fmt::format("{} NSEC records at {}: a name has exactly one", f.count, text(f.name));
    break;
  case NsecFaultKind::leftover:
    out.message = leftover_message(f.count, "NSEC", "NSEC3 (NSEC3PARAM at the apex)");
    break;
  case NsecFaultKind::malformed:
    out.message = fmt::format("the NSEC record at {} does not parse (bad Next Domain Name)", text(f.name));
    break;
  }
  return record;
}

void check_nsec_chain_broken(const RuleContext& ctx, const DenialAnalysis& d, DenialSink& sink,
                             const RuleInfo& /*info*/) {
  report_each(sink, d.nsec, [&](const NsecFault& f, Finding& out) { return describe(ctx, f, out); });
}

} // namespace
extern const RuleCode nsec_chain_broken{.file = &with_denial<check_nsec_chain_broken>,
                                        .live = &check_live_gaps<dns::rrtype::nsec>};
} // namespace zw::rules::dnssec
