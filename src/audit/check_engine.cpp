// `check`: one zone file loaded, verified on every core and judged by the zone-file rules, with
// the same engine internals as a live audit (engine_internal.hpp).

#include <algorithm>
#include <exception>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "audit/engine_internal.hpp"
#include "audit/file_lines.hpp"
#include "dns/rr.hpp"
#include "dns/zone_layout.hpp"
#include "dns/zone_loader.hpp"
#include "dnssec/denial.hpp"
#include "dnssec/zone_file_analysis.hpp"
#include "rules/rule_context.hpp"
#include "util/interrupt.hpp"
#include "zonewarden/audit.hpp"

namespace zw {

using namespace detail;

Result<ZoneResult> check_zone_file(const std::string& path, const CheckOptions& check, const EngineOptions& options) {
  dns::LoadOptions load;
  load.origin = check.origin;
  load.threads = check.jobs == 1 ? 1 : 2; // a large file is read in two halves at once
  ZW_TRY_ASSIGN(const dns::ZoneStore store, dns::load_zone_file(path, load));
  const dns::ZoneLayout layout = dns::ZoneLayout::compute(store);
  return check_zone_store(store, layout, path, check, options);
}

namespace detail {

Result<ZoneResult> check_zone_store(const dns::ZoneStore& store, const dns::ZoneLayout& layout, const std::string& path,
                                    const CheckOptions& check, const EngineOptions& options) {
  const std::string apex = dns::name_to_text(store.origin());

  dnssec::ZoneFileOptions analysis_options;
  analysis_options.now = options.now;
  analysis_options.keep_window_s = options.widest_expiry_window();
  analysis_options.ds_given = check.ds_given;
  analysis_options.jobs = check.jobs;
  if (check.progress != nullptr) {
    check.progress->names_verified.store(0);
    check.progress->names_total.store(store.name_count());
    analysis_options.names_verified = &check.progress->names_verified;
  }
  for (const std::string& text : check.ds_records) {
    // Each zone takes the DS records at its own apex; a DS file may hold several zones'.
    const std::size_t end = text.find_first_of(" \t");
    const auto owner = dns::normalize_name(text.substr(0, end));
    if (owner && *owner == apex) {
      analysis_options.ds_records.push_back(text);
    }
  }
  std::vector<std::string> notes;
  if (check.ds_given && analysis_options.ds_records.empty()) {
    if (check.require_ds) {
      return fail(fmt::format("--ds: no DS record for {} (the file's zone)", apex));
    }
    analysis_options.ds_given = false;
    notes.push_back(fmt::format("--ds holds no DS record for {}: checked without DS", apex));
  }
  // A failure of ours while verifying (a worker thread's exception) is reported as such, with a
  // report still written, never as a crash or a fault of the zone.
  // The denial chains need no signature verdict: they are analysed on one more thread while the
  // signatures are verified (unless --jobs 1 asked for one thread), and are ready for the rules.
  std::optional<dnssec::DenialAnalysis> denial;
  std::exception_ptr denial_failure;
  const auto analyse_chains = [&]() noexcept {
    try {
      denial.emplace(dnssec::analyse_denial(store, layout));
    } catch (...) {
      denial_failure = std::current_exception();
    }
  };
  std::optional<dnssec::ZoneFileDnssec> verified;
  try {
    std::jthread beside;
    if (check.jobs != 1) {
      beside = std::jthread(analyse_chains);
    }
    verified.emplace(dnssec::analyse_zone_file(store, layout, analysis_options));
  } catch (const std::exception& e) {
    ZoneResult failed;
    failed.zone = apex;
    failed.chain = "indeterminate";
    failed.findings.push_back(
        Finding{"internal/analysis-failed",
                Severity::error,
                Location{apex, "", apex, ""},
                fmt::format("{}: verifying the signatures of {} failed (a zonewarden bug): {}", apex, path, e.what()),
                {},
                {"nothing about the zone was judged"},
                {},
                {}});
    return failed;
  }
  const dnssec::ZoneFileDnssec& analysis = *verified;

  ZoneResult result;
  result.zone = apex;
  result.notes = analysis.dnssec.notes;
  result.notes.insert(result.notes.end(), notes.begin(), notes.end());
  if (store.duplicates_dropped() > 0) {
    result.notes.push_back(fmt::format("{} duplicate RRs ignored (RFC 2181 §5)", store.duplicates_dropped()));
  }
  const dnssec::ZoneFileStats& st = analysis.stats;
  result.notes.push_back(fmt::format("{}: {} names, {} RRsets, {} RRs; {} RRSIGs verified on {} thread(s): {} valid, "
                                     "{} invalid, {} without key, {} unsupported algorithm, {} malformed",
                                     path, store.name_count(), store.rrset_count(), store.size(), st.rrsigs, st.threads,
                                     st.valid, st.invalid, st.no_key, st.unsupported, st.malformed));
  if (st.earliest_expiration != 0) {
    result.earliest_expiration = st.earliest_expiration;
  }
  copy_chain(analysis.dnssec, result);
  result.chain = result.chain_links.empty() ? std::string("indeterminate") : result.chain_links.back().status;

  ZoneFileInput input;
  input.store = &store;
  input.layout = &layout;
  input.path = path;
  input.ds_given = analysis_options.ds_given;
  if (!denial && !denial_failure) {
    analyse_chains();
  }
  if (denial_failure) {
    std::rethrow_exception(denial_failure);
  }
  input.denial = &*denial; // once, for the four denial rules
  input.zonemd = &analysis.zonemd;
  // A bound of ours (bounded work, RFC 9276 §3.2): the chain is not judged, which the report
  // says as internal/audit-incomplete, with what validators do with that many iterations.
  std::optional<Finding> not_hashed;
  if (denial->nsec3_not_hashed != 0) {
    not_hashed =
        Finding{"internal/audit-incomplete",
                Severity::error,
                Location{apex, "", apex, "NSEC3PARAM"},
                fmt::format("{}: the bound on NSEC3 iterations hashed ({}) was reached: the chain uses {} additional "
                            "iterations, so it was not verified (no dnssec/nsec3-chain-broken or denial verdicts)",
                            apex, dnssec::k_max_hashed_iterations, denial->nsec3_not_hashed),
                {},
                {std::string(k_validators_on_iterations),
                 "dnssec/nsec3-parameters reports the iteration count as the zone's fault"},
                {},
                {}};
  }
  const RuleOptions rule_options = rule_options_from(options);
  const RuleContext ctx(apex, input, analysis.dnssec, options.now, rule_options);
  run_rules(ctx, Inputs::zone_file, result.findings,
            check.jobs != 0 ? check.jobs : std::thread::hardware_concurrency());
  report_disagreements(analysis.dnssec, apex, result.findings);
  check_verdicts_reported(analysis.dnssec, result.findings);
  apply_resolver_model(options.resolver_model, result.findings);
  if (not_hashed) {
    result.findings.push_back(std::move(*not_hashed));
  }
  point_at_file_lines(store, check, result.findings);
  if (st.names_not_verified > 0) {
    result.findings.push_back(
        Finding{"internal/audit-incomplete",
                Severity::error,
                Location{apex, "", apex, ""},
                fmt::format("{}: the check was interrupted by {}: the signatures of {} of {} names were not verified",
                            apex, util::stop_signal_name(), st.names_not_verified, store.name_count()),
                {},
                {"findings about the names not verified are missing; key findings may be wrong"},
                {},
                {}});
  }
  std::sort(result.findings.begin(), result.findings.end(), finding_order);
  return result;
}

} // namespace detail

} // namespace zw
