// The audit engine: per zone, compute observations and DNSSEC results once, run every rule
// against them, grade and sort the findings.

#include <algorithm>
#include <atomic>
#include <exception>
#include <iterator>
#include <memory>
#include <optional>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "audit/collecting_sink.hpp"
#include "audit/engine_internal.hpp"
#include "audit/file_lines.hpp"
#include "crypto/dual_verifier.hpp"
#include "dns/rr.hpp"
#include "dns/zone_layout.hpp"
#include "dns/zone_loader.hpp"
#include "dnssec/denial.hpp"
#include "dnssec/rollover_state.hpp"
#include "dnssec/zone_analysis.hpp"
#include "dnssec/zone_file_analysis.hpp"
#include "rules/observations.hpp"
#include "rules/rule_context.hpp"
#include "rules/verdicts.hpp"
#include "util/interrupt.hpp"
#include "zonewarden/audit.hpp"

namespace zw {

namespace detail {

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

// Restates every finding's resolver impact for the resolver the user asked about (Unbound unless
// --resolver-model says otherwise).
void apply_resolver_model(ResolverModel model, std::vector<Finding>& findings) {
  for (Finding& f : findings) {
    f.resolver = rules::impact_for_model(model, f.rule, f.resolver);
  }
}

// Runs every rule that reads `inputs` on `ctx`; a rule that throws becomes internal/rule-failed.
namespace {

// One rule on `ctx`, its findings appended to `out`; a rule that throws is internal/rule-failed.
void run_rule(const Rule& rule, const RuleContext& ctx, std::vector<Finding>& out) {
  const RuleInfo& info = rule.info();
  audit::CollectingSink sink(info, std::string(ctx.zone_name()), out);
  try {
    rule.check(ctx, sink);
    sink.finish();
  } catch (const std::exception& e) {
    out.push_back(Finding{"internal/rule-failed",
                          Severity::error,
                          Location{ctx.zone_name(), "", ctx.zone_name(), ""},
                          fmt::format("rule {} failed: {}", info.id, e.what()),
                          {},
                          {},
                          {},
                          {}});
  }
}

} // namespace

void run_rules(const RuleContext& ctx, Inputs inputs, std::vector<Finding>& findings, unsigned jobs) {
  std::vector<const Rule*> rules;
  for (const auto& rule : all_rules()) {
    if (has_input(rule->info().inputs, inputs)) {
      rules.push_back(rule.get());
    }
  }
  jobs = static_cast<unsigned>(std::clamp<std::size_t>(jobs, 1, rules.size()));
  if (jobs == 1) {
    for (const Rule* rule : rules) {
      run_rule(*rule, ctx, findings);
    }
    return;
  }
  // Rules only read the context, so they run side by side, each into its own list; the lists
  // are joined in registry order, so the result does not depend on which thread ran what.
  std::vector<std::vector<Finding>> found(rules.size());
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i = next.fetch_add(1); i < rules.size(); i = next.fetch_add(1)) {
      run_rule(*rules[i], ctx, found[i]);
    }
  };
  {
    std::vector<std::jthread> pool;
    for (unsigned t = 1; t < jobs; ++t) {
      pool.emplace_back(work);
    }
    work();
  }
  for (std::vector<Finding>& list : found) {
    findings.insert(findings.end(), std::make_move_iterator(list.begin()), std::make_move_iterator(list.end()));
  }
}

RuleOptions rule_options_from(const EngineOptions& options) {
  RuleOptions r;
  static_cast<ProfileThresholds&>(r) = options;
  r.resolver_model = options.resolver_model;
  return r;
}

// The chain summary of ZoneResult from the analysis' links.
void copy_chain(const dnssec::ZoneDnssec& analysis, ZoneResult& result) {
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
}

// internal/crypto-disagreement: the primary verifier of the algorithm rejected a signature that
// the second accepts (crypto::verifiers_for names both). Our trouble, not the zone's; one finding
// per signature (there is normally none at all).
void report_disagreements(const dnssec::ZoneDnssec& analysis, const std::string& zone, std::vector<Finding>& out) {
  for (const dnssec::ObservedSignature& sig : analysis.signatures) {
    if (sig.status != dnssec::SigStatus::disagreement) {
      continue;
    }
    Finding f;
    f.rule = "internal/crypto-disagreement";
    f.severity = Severity::error;
    f.location = Location{sig.zone.empty() ? zone : sig.zone, sig.servers.size() == 1 ? sig.servers.front() : "",
                          sig.owner, sig.type};
    const crypto::VerifierPair verifiers = crypto::verifiers_for(sig.algorithm);
    f.message =
        fmt::format("{} rejects the RRSIG over {} {} by key {} (algorithm {}) but {} accepts it",
                    verifiers.primary.name(), sig.owner, sig.type, sig.key_tag, sig.algorithm, verifiers.second.name());
    f.servers = sig.servers;
    f.evidence.push_back("the signature is treated as not usable; the verdict is unconfirmed, so this is reported "
                         "as zonewarden's trouble (exit status 2)");
    out.push_back(std::move(f));
  }
}

// Never a bogus verdict with a clean report (DESIGN.md, "Verdicts"): every RRset the validator
// found bogus must have an error finding by the rule that reports its reason (rules::rule_for) or
// by a rule of the DS -> DNSKEY link, the root cause of everything below it; and a chain link
// shown as bogus must come with some error. Otherwise our rules missed a case: that is our bug,
// reported as internal/unreported-bogus (exit status 2), never a silent pass.
void check_verdicts_reported(const dnssec::ZoneDnssec& analysis, std::vector<Finding>& findings) {
  const auto has_error = [&](auto&& pred) {
    return std::any_of(findings.begin(), findings.end(),
                       [&](const Finding& f) { return f.severity == Severity::error && pred(f); });
  };
  std::vector<std::string> unexplained;
  for (const dnssec::SignedRrset& r : analysis.rrsets) {
    if (r.security != dnssec::ChainStatus::bogus) {
      continue;
    }
    const std::string_view rule = rules::rule_for(r);
    if (!has_error([&](const Finding& f) { return f.rule == rule || rules::is_key_set_rule(f.rule); })) {
      unexplained.push_back(fmt::format("{} {} ({}, expected {})", r.owner, r.type, dnssec::to_string(r.reason), rule));
    }
  }
  const bool link_bogus = !analysis.chain.empty() && analysis.chain.back().status == dnssec::ChainStatus::bogus;
  if (link_bogus && !has_error([](const Finding&) { return true; })) {
    unexplained.push_back(fmt::format("the chain of trust of {} is bogus", analysis.zone));
  }
  if (unexplained.empty()) {
    return;
  }
  Finding f;
  f.rule = "internal/unreported-bogus";
  f.severity = Severity::error;
  f.location = Location{analysis.zone, "", analysis.zone, ""};
  f.message = fmt::format("{} bogus verdict(s) of the validator have no error finding (a zonewarden bug): {}",
                          unexplained.size(), unexplained.front());
  f.evidence = std::move(unexplained);
  findings.push_back(std::move(f));
}

} // namespace detail

namespace {

using namespace detail;

// What `audit --walk` did, for the zone's notes. Each starts with "walk complete", "walk
// incomplete" or "walk skipped" (docs/audit.md). An incomplete walk is said, never a silent
// partial pass; it is no finding: a limit reached is the user's choice, not the zone's fault.
std::string walk_note(const NsecWalk& walk) {
  switch (walk.status) {
  case WalkStatus::complete:
    return fmt::format("walk complete: {} names of the NSEC chain (followed on {}), their RRsets asked of every server",
                       walk.names, walk.server);
  case WalkStatus::incomplete:
    return fmt::format("walk incomplete: {}; {} names walked{}", walk.reason, walk.names,
                       walk.server.empty() ? "" : fmt::format(" (NSEC chain followed on {})", walk.server));
  case WalkStatus::skipped: return fmt::format("walk skipped: {}", walk.reason);
  }
  return "walk: unknown status";
}

// What the deadline, a signal or a bound left unknown in a zone's snapshot: server addresses
// whose SOA query was not made or not answered in time, questions not asked or cut off
// (Outcome::not_asked), and name-server names whose lookup was cut short.
struct Unasked {
  std::size_t servers = 0;
  std::size_t questions = 0;
  std::size_t names = 0;
};

Unasked count_unasked(const ZoneSnapshot& zone) {
  Unasked out;
  const auto not_asked = [](const Exchange& e) { return e.outcome == Outcome::not_asked && !e.qname.empty(); };
  std::set<std::pair<std::string, std::string>> probed;
  for (const ServerProbe& p : zone.servers) {
    probed.emplace(p.name, p.address);
    out.questions += static_cast<std::size_t>(std::count_if(p.exchanges.begin(), p.exchanges.end(), not_asked));
    const auto soa = std::find_if(p.exchanges.begin(), p.exchanges.end(), [&](const Exchange& e) {
      return e.qtype == "SOA" && e.qname == zone.zone && e.transport == Transport::udp;
    });
    out.servers += soa == p.exchanges.end() || soa->outcome == Outcome::not_asked ? 1 : 0;
  }
  for (const NameServer& ns : zone.name_servers) {
    for (const std::string& address : ns.addresses) {
      out.servers += probed.contains({ns.name, address}) ? 0 : 1;
    }
    out.names += ns.addresses.empty() && ns.resolution_error.starts_with(k_lookup_cut_short) ? 1 : 0;
  }
  for (const ParentView& v : zone.parent_views) {
    out.questions += (not_asked(v.referral) ? 1 : 0) + (not_asked(v.ds) ? 1 : 0);
  }
  for (const AncestorZone& a : zone.ancestors) {
    out.questions += (not_asked(a.dnskey) ? 1 : 0) + (not_asked(a.ds) ? 1 : 0);
  }
  return out;
}

std::string describe(const Unasked& u, const ZoneSnapshot& zone) {
  if (u.servers == 0 && u.questions == 0 && u.names == 0) {
    // Nothing recorded as unasked: the walk had not reached the servers (or never started,
    // past --max-zones-in-flight), or was waiting for answers, which are not recorded.
    return zone.servers.empty() ? "the walk stopped before it reached the zone's servers"
                                : "the walk was still waiting for answers";
  }
  std::string out =
      fmt::format("{} server address(es) and {} question(s) left unasked or cut off", u.servers, u.questions);
  if (u.names > 0) {
    out += fmt::format(", {} name-server name(s) not resolved", u.names);
  }
  return out;
}

// The evidence of every internal/audit-incomplete finding of a live audit: what "unknown" means.
constexpr std::string_view k_unknown_evidence =
    "what was not asked is unknown, never a fault: servers not asked get no delegation/lame-* finding, a chain of "
    "trust that needed an unasked answer is indeterminate, and findings about what was not asked may be missing";

// The zone file of `audit --zone-file`, rebuilt from the snapshot's copy of it, so that
// `--restore` replays the comparison and the file's validation without the file.
struct ComparedFile {
  dns::ZoneStore store;
  dns::ZoneLayout layout;
  rules::ZoneFileView view;
};

Result<std::unique_ptr<ComparedFile>> rebuild(const ZoneFileCopy& copy, const std::string& zone) {
  dns::ZoneStoreBuilder builder;
  for (const std::string& file : copy.files) {
    ZW_TRY(builder.add_file(file));
  }
  for (const ZoneFileRecord& record : copy.records) {
    ZW_TRY_ASSIGN(const dns::Rr rr, dns::parse_rr(record.rr));
    ZW_TRY(builder.add(rr, record.file, record.line));
  }
  ZW_TRY_ASSIGN(const dns::Bytes origin, dns::name_from_text(zone));
  auto out = std::make_unique<ComparedFile>();
  out->store = std::move(builder).finish(origin);
  out->layout = dns::ZoneLayout::compute(out->store);
  out->view = rules::zone_file_view(out->store, out->layout, copy.path);
  return out;
}

// The DS RRset the parent publishes for the zone (or --ds in an undelegated test): what the
// zone file is validated against, as the live zone is.
std::vector<std::string> live_ds(const ZoneSnapshot& zone) {
  if (zone.expected_ds) {
    return *zone.expected_ds;
  }
  std::vector<std::string> out;
  std::set<dns::Bytes> seen;
  for (const ParentView& view : zone.parent_views) {
    for (const std::string& text : view.ds.answer) {
      const Result<dns::Rr> rr = dns::parse_rr(text);
      if (rr && rr->type == dns::rrtype::ds && dns::name_to_text(dns::lowercased(rr->owner)) == zone.zone &&
          seen.insert(rr->rdata).second) {
        out.push_back(text);
      }
    }
  }
  return out;
}

// "Validates both": the zone file is judged by every zone-file rule, as `check` judges it, with
// the zone's live DS. A finding the live rules made too (same rule, owner and type) is kept once,
// the live one, with the file's location added; the others say they are about the file.
void validate_compared_file(const ZoneSnapshot& zone, const ComparedFile& file, const EngineOptions& options,
                            ZoneResult& result) {
  CheckOptions check;
  check.ds_records = live_ds(zone);
  check.ds_given = !check.ds_records.empty();
  check.require_ds = false;
  Result<ZoneResult> judged = check_zone_store(file.store, file.layout, file.view.path, check, options);
  if (!judged) {
    result.notes.push_back(fmt::format("zone file {}: not validated: {}", file.view.path, judged.error().message));
    return;
  }
  for (const std::string& note : judged->notes) {
    result.notes.push_back(fmt::format("zone file: {}", note));
  }
  const std::size_t live_count = result.findings.size();
  for (Finding& f : judged->findings) {
    std::string where = file.view.path;
    const Result<dns::Bytes> owner = dns::name_from_text(f.location.owner);
    if (owner && !f.location.type.empty()) {
      if (const auto rrset = file.store.find(*owner, dns::type_from_text(f.location.type))) {
        where = rrset->location().to_string();
      }
    }
    const auto live = std::find_if(
        result.findings.begin(), result.findings.begin() + static_cast<long>(live_count), [&](const Finding& l) {
          return l.rule == f.rule && l.location.owner == f.location.owner && l.location.type == f.location.type;
        });
    if (live != result.findings.begin() + static_cast<long>(live_count)) {
      live->evidence.push_back(fmt::format("also in the zone file: {}", where));
      continue;
    }
    f.location.zone = zone.zone;
    f.message = fmt::format("in the zone file {}: {}", file.view.path, f.message);
    f.evidence.push_back(fmt::format("zone file: {}", where));
    result.findings.push_back(std::move(f));
  }
}

ZoneResult audit_zone(const Snapshot& snapshot, const ZoneSnapshot& zone, const EngineOptions& options,
                      const RuleOptions& rule_options) {
  ZoneResult result;
  result.zone = zone.zone;
  result.notes = zone.walk_errors;
  if (zone.nsec_walk) {
    result.notes.push_back(walk_note(*zone.nsec_walk));
  }
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
  copy_chain(analysis, result);
  std::unique_ptr<ComparedFile> compared;
  if (zone.zone_file) {
    const ZoneFileCopy& copy = *zone.zone_file;
    if (auto rebuilt = rebuild(copy, zone.zone)) {
      compared = std::move(*rebuilt);
    } else {
      result.notes.push_back(fmt::format("zone file {}: not compared: {}", copy.path, rebuilt.error().message));
    }
    result.notes.push_back(fmt::format("zone file {}: {} of its {} authoritative RRsets asked of every server",
                                       copy.path, copy.asked, copy.rrsets));
    if (copy.asked < copy.rrsets) {
      result.notes.push_back(fmt::format("zone file {}: --zone-file-limit reached: {} RRsets were not asked, and are "
                                         "compared only where another query showed them",
                                         copy.path, copy.rrsets - copy.asked));
    }
  }
  RuleContext ctx(snapshot, zone, analysis, observations, options.now, rule_options,
                  compared ? &compared->view : nullptr);
  std::optional<RolloverState> previous; // read by the rules below
  if (options.previous != nullptr) {     // a run with a history: it records the zone's state
    previous = options.previous->find(zone.zone);
    const RolloverState* before = previous ? &*previous : nullptr;
    result.rollover = dnssec::observe_rollover(zone, analysis, options.now, before);
    ctx.set_rollover(&*result.rollover, before);
  }
  run_rules(ctx, Inputs::live, result.findings);
  report_disagreements(analysis, zone.zone, result.findings);
  check_verdicts_reported(analysis, result.findings);
  apply_resolver_model(options.resolver_model, result.findings);
  if (compared) {
    validate_compared_file(zone, *compared, options, result);
  }
  // Our own failures during the walk (an exception in the prober) are never the zone's fault:
  // each is internal/probe-failed, and the run exits 2; what was observed is still judged.
  for (const std::string& error : zone.walk_errors) {
    if (error.rfind("internal error", 0) == 0) {
      result.findings.push_back(Finding{"internal/probe-failed",
                                        Severity::error,
                                        Location{zone.zone, "", zone.zone, ""},
                                        fmt::format("{}: the prober failed (a zonewarden bug): {}", zone.zone, error),
                                        {},
                                        {"the observations of this zone are incomplete; findings about its "
                                         "servers may be missing or wrong"},
                                        {},
                                        {}});
    }
  }
  // Stopped by SIGINT/SIGTERM: what was observed is judged, but queries were never sent, so
  // servers may look unreachable and faults may be missing: the run exits 2.
  // The --deadline is a bound like the signal: a zone whose audit it cut short (not only its
  // --walk, which runs last and reports itself in a note) is incomplete, never a clean result.
  const bool walk_started = zone.nsec_walk && !zone.nsec_walk->reason.starts_with("the walk did not start");
  const Unasked unasked = count_unasked(zone);
  const auto incomplete = [&](std::string message, std::string hint) {
    result.findings.push_back(Finding{"internal/audit-incomplete",
                                      Severity::error,
                                      Location{zone.zone, "", zone.zone, ""},
                                      std::move(message),
                                      {},
                                      {std::string(k_unknown_evidence), std::move(hint)},
                                      {},
                                      {}});
  };
  bool stopped = false; // one finding for the deadline or the signal, whichever ended the audit
  std::set<std::string> bounds;
  for (const std::string& error : zone.walk_errors) {
    if (!stopped && error == "audit deadline reached" && !walk_started) {
      incomplete(fmt::format("{}: the audit did not finish within --deadline: {}", zone.zone, describe(unasked, zone)),
                 "raise --deadline");
      stopped = true;
    } else if (!stopped && error.starts_with(k_walk_interrupted)) {
      incomplete(fmt::format("{}: the audit was {}: {}", zone.zone, error, describe(unasked, zone)),
                 "queries after the signal were never sent");
      stopped = true;
    } else if (error.starts_with(k_bound_reached) && bounds.insert(error).second) {
      // "bound reached: --max-queries-per-zone (5000)": the bound's name and value.
      incomplete(fmt::format("{}: the bound {} was reached: {}", zone.zone, error.substr(k_bound_reached.size()),
                             describe(unasked, zone)),
                 "raise the bound, or audit fewer zones or names at once");
    }
  }
  // Never a silent pass: a zone the walk could not reach and no rule could judge is reported
  // as our own failure (exit status 2), with the walk's reason.
  if (result.findings.empty() && zone.servers.empty() && !zone.walk_errors.empty()) {
    result.findings.push_back(Finding{"internal/walk-incomplete",
                                      Severity::error,
                                      Location{zone.zone, "", zone.zone, ""},
                                      fmt::format("{}: could not audit: {}", zone.zone, zone.walk_errors.front()),
                                      {},
                                      zone.walk_errors,
                                      {},
                                      {}});
  }
  std::sort(result.findings.begin(), result.findings.end(), finding_order);
  return result;
}

// The header of a result of `command`, whose rules read `inputs`, judged with `options`.
AuditResult start_result(std::string_view command, Inputs inputs, const EngineOptions& options) {
  AuditResult result;
  result.version = ZW_VERSION;
  result.command = command;
  result.now = options.now;
  result.rules_run = rules_reading(inputs);
  result.expiry_window_s = options.for_rule(k_expiry_window_rule).expiry_window_s;
  return result;
}

} // namespace

AuditResult start_check_result(const EngineOptions& options) {
  return start_result("check", Inputs::zone_file, options);
}

AuditResult start_audit_result(const EngineOptions& options) {
  AuditResult result = start_result("audit", Inputs::live, options);
  if (options.previous == nullptr) {
    // Without a history the rules that compare with an earlier run (tag "history") check
    // nothing: they are not listed as run, so no report claims they passed.
    std::erase_if(result.rules_run, [](const std::string& id) {
      const Rule* rule = find_rule(id);
      return rule != nullptr &&
             std::find(rule->info().tags.begin(), rule->info().tags.end(), "history") != rule->info().tags.end();
    });
  }
  return result;
}

ZoneResult run_audit_rules_on_zone(const Snapshot& snapshot, const ZoneSnapshot& zone, const EngineOptions& options) {
  return audit_zone(snapshot, zone, options, rule_options_from(options));
}

AuditResult run_audit_rules(const Snapshot& snapshot, const EngineOptions& options) {
  AuditResult result = start_audit_result(options);
  const RuleOptions rule_options = rule_options_from(options);
  for (const ZoneSnapshot& zone : snapshot.zones) {
    result.zones.push_back(audit_zone(snapshot, zone, options, rule_options));
  }
  return result;
}

std::vector<std::string> rules_reading(Inputs inputs) {
  std::vector<std::string> ids;
  for (const auto& rule : all_rules()) {
    if (has_input(rule->info().inputs, inputs)) {
      ids.emplace_back(rule->info().id);
    }
  }
  return ids;
}

Result<ZoneFileForAudit> load_zone_file_for_audit(const std::string& path, const std::string& zone,
                                                  std::uint64_t limit) {
  dns::LoadOptions load;
  load.origin = zone;
  ZW_TRY_ASSIGN(const dns::ZoneStore store, dns::load_zone_file(path, load));
  const dns::ZoneLayout layout = dns::ZoneLayout::compute(store);
  ZoneFileForAudit out;
  out.copy.path = path;
  out.copy.files = store.files();
  for (const dns::RrsetView rrset : store.rrsets()) {
    const std::vector<dns::Rr> rrs = rrset.materialize();
    for (std::size_t i = 0; i < rrs.size(); ++i) {
      const dns::SourceLocation where = rrset.location(i);
      const auto file = std::find(out.copy.files.begin(), out.copy.files.end(), where.file);
      out.copy.records.push_back(ZoneFileRecord{
          dns::to_text(rrs[i]),
          static_cast<std::uint16_t>(file == out.copy.files.end() ? 0 : file - out.copy.files.begin()), where.line});
    }
  }
  const std::vector<std::pair<std::string, std::string>> questions =
      rules::zone_file_questions(rules::zone_file_view(store, layout, path));
  out.copy.rrsets = questions.size();
  out.copy.asked = std::min<std::uint64_t>(limit, questions.size());
  out.questions.assign(questions.begin(), questions.begin() + static_cast<long>(out.copy.asked));
  return out;
}

std::size_t count_at_or_above(const AuditResult& result, Severity threshold) noexcept {
  std::size_t n = 0;
  for (const ZoneResult& z : zones_of(result)) {
    n += static_cast<std::size_t>(std::count_if(z.findings.begin(), z.findings.end(), [threshold](const Finding& f) {
      return f.severity >= threshold && f.suppressed.empty();
    }));
  }
  return n;
}

} // namespace zw
