// dnssec/nsec3-chain-broken: the NSEC3 chain of a signed zone file misses hashed names, holds
// records of no name, or its ring of next-hashed-owner pointers is broken.
// User documentation: docs/rules/dnssec/nsec3-chain-broken.md
#include "rules/dnssec/denial_support.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace denial_support;

std::string hash_text(const ::zw::dnssec::Nsec3Hash& h) {
  return ::zw::dnssec::base32hex(h);
}

// "www.example." / "the empty non-terminal b.example."
std::string name_text(const Nsec3Fault& f) {
  return f.ent ? fmt::format("the empty non-terminal {}", text(f.name)) : text(f.name);
}

std::string bad_next_message(const Nsec3Fault& f) {
  std::string m =
      fmt::format("NSEC3 at {} (for {}) points to {}", text(f.record.owner()), text(f.name), hash_text(f.next));
  if (!f.next_name.empty()) {
    m += fmt::format(" ({})", text(f.next_name));
    if (!f.next_has_record) {
      m += ", which has no NSEC3";
    }
  } else {
    m += ", the hash of no name and no NSEC3";
  }
  if (f.skipped.total > 0) {
    m += fmt::format(", skipping {}", join_sample(f.skipped));
    if (f.skipped_missing == f.skipped.total) {
      m += f.skipped.total == 1 ? ", which has no NSEC3" : ", which have no NSEC3";
    } else if (f.skipped_missing > 0) {
      m += fmt::format(" ({} of them without an NSEC3)", f.skipped_missing);
    }
  }
  m += fmt::format("; the next hash is {}", hash_text(f.expected));
  if (!f.expected_name.empty()) {
    m += fmt::format(" ({})", text(f.expected_name));
  }
  if (f.skipped_optional > 0) {
    m += f.skipped_optional == 1 ? "; the name skipped is an insecure delegation, which needs an NSEC3 here because "
                                   "this record has no Opt-Out flag"
                                 : fmt::format("; {} names skipped are insecure delegations, which need an NSEC3 here "
                                               "because this record has no Opt-Out flag",
                                               f.skipped_optional);
  }
  return m;
}

// Fills in the finding of one fault and returns its record's line; `chain`: the NSEC3PARAM's
// parameters in text.
std::string describe(const RuleContext& ctx, const std::string& chain, const Nsec3Fault& f, Finding& out) {
  const std::string owner = f.kind == Nsec3FaultKind::missing ? text(f.name) : text(f.record.owner());
  out.location = at(ctx, "", owner, f.kind == Nsec3FaultKind::no_records ? "NSEC3PARAM" : "NSEC3");
  std::string record = where(f.record, "the NSEC3 record");
  switch (f.kind) {
  case Nsec3FaultKind::no_records:
    out.message = fmt::format("the NSEC3PARAM at the apex announces an NSEC3 chain ({}), but the zone has no "
                              "NSEC3 record",
                              chain);
    record = where(f.record, "the NSEC3PARAM record");
    break;
  case Nsec3FaultKind::missing:
    out.message = fmt::format("{} has no NSEC3: no record at {}.{}", name_text(f), hash_text(f.hash),
                              ctx.zone_name() == "." ? "" : ctx.zone_name());
    if (f.optional) {
      out.message += f.ent ? "; only insecure delegations lie below it, but the NSEC3 covering its hash has no "
                             "Opt-Out flag"
                           : "; it is an insecure delegation, but the NSEC3 covering its hash has no Opt-Out flag";
    }
    if (!f.data.empty()) {
      out.evidence.push_back(where(f.data, fmt::format("first record of {}", text(f.name))));
    }
    break;
  case Nsec3FaultKind::bad_next: out.message = bad_next_message(f); break;
  case Nsec3FaultKind::stray:
    out.message = fmt::format("NSEC3 at {} is the hash of no name in the zone: a leftover of a removed name or a "
                              "planted record",
                              text(f.record.owner()));
    break;
  case Nsec3FaultKind::foreign_params:
    out.message = fmt::format("{} NSEC3 record{} use{} {}, unlike the chain ({}): a second, partial chain that no "
                              "NSEC3PARAM announces",
                              f.count, f.count == 1 ? "" : "s", f.count == 1 ? "s" : "", to_text(f.params), chain);
    break;
  case Nsec3FaultKind::bad_owner:
    out.message = fmt::format("NSEC3 at {}: the owner is not a base32hex SHA-1 hash directly below the apex",
                              text(f.record.owner()));
    break;
  case Nsec3FaultKind::unknown_flags:
    out.message = fmt::format("NSEC3 at {} has flags {}: validators ignore NSEC3 records with flags other than 0 "
                              "and 1 (RFC 5155 §8.2)",
                              text(f.record.owner()), f.params.flags);
    break;
  case Nsec3FaultKind::duplicate:
    out.message = fmt::format("{} NSEC3 records at {}: an owner hash has exactly one", f.count, text(f.record.owner()));
    break;
  case Nsec3FaultKind::malformed:
    out.message = fmt::format("the NSEC3 record at {} does not parse", text(f.record.owner()));
    break;
  case Nsec3FaultKind::leftover:
    out.message = leftover_message(f.count, "NSEC3", "NSEC (no NSEC3PARAM, NSEC at the apex)");
    break;
  }
  return record;
}

void check_nsec3_chain_broken(const RuleContext& ctx, const DenialAnalysis& d, DenialSink& sink,
                              const RuleInfo& /*info*/) {
  const std::string chain = d.chain ? to_text(*d.chain) : std::string();
  report_each(sink, d.nsec3, [&](const Nsec3Fault& f, Finding& out) { return describe(ctx, chain, f, out); });
}

} // namespace
extern const RuleCode nsec3_chain_broken{.file = &with_denial<check_nsec3_chain_broken>,
                                         .live = &check_live_gaps<dns::rrtype::nsec3>};
} // namespace zw::rules::dnssec
