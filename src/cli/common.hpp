#pragma once
// What every command shares: exit codes, output and policy options, one-line errors.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "probe/walker.hpp"
#include "util/interrupt.hpp"
#include "zonewarden/audit.hpp"
#include "zonewarden/error.hpp"
#include "zonewarden/policy.hpp"

namespace zw::cli {

// DESIGN.md: 0 no finding at or above --fail-on, 1 such findings, 2 the tool could not do its job.
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_findings = 1;
inline constexpr int k_exit_error = 2;

// `result`, its error prefixed with `context` ("--now 2026-02-31: not a valid date"): the
// option comes first in the message, as STYLE.md §7 asks.
template <typename T> Result<T> in_context(std::string_view context, Result<T> result) {
  if (!result) {
    return fail(std::string(context) + " " + result.error().message);
  }
  return result;
}

// Prints "zonewarden: <message>" on stderr (one line, length capped); returns k_exit_error.
int report_error(const Error& error);

// Flushes standard output; an Error "standard output: <reason>" when anything written to it
// was lost (a full disk, /dev/full, a closed descriptor). main() calls it before exiting.
Result<void> finish_stdout();

// Makes sure descriptors 0, 1 and 2 are open before anything else is: a closed one would be
// taken by the next file we open, and a report meant for stdout would land in it. A closed
// standard output is filled with a read-only /dev/null, so writing the report fails loudly.
void guard_standard_descriptors();

struct OutputOptions {
  std::string format = "text";   // one format, or several separated by commas (with --output-dir)
  std::string output;            // file path; empty = stdout
  std::string output_dir;        // several formats at once: DIR/<command>.<ext>
  std::string fail_on = "error"; // error | warning | notice | never
  std::string profile;           // empty: "default" for a new audit; a saved result keeps its own
  std::string baseline;          // a JSON report, or history:FILE.sqlite[#RUN]
  std::string waivers;
  std::string history;           // --history FILE.sqlite: record the run there (docs/history.md)
  bool allow_incomplete = false; // --allow-incomplete: internal/audit-incomplete neither exits 2 nor counts
};

// Seconds since the Unix epoch, now.
std::int64_t unix_seconds_now();

// --now and --expiry-window, as given.
struct TimeArgs {
  std::string now;           // --now: judge signature times at this instant instead of the run's
  std::string expiry_window; // --expiry-window: empty: each rule's threshold from the profile
  bool given() const noexcept { return !now.empty() || !expiry_window.empty(); }
};

// Registers --now into `now`; `scope` starts its help ("Snapshots only: " where it applies to
// some inputs only).
void add_now_option(CLI::App& cmd, std::string& now, std::string_view scope = {});
// Registers --now and --expiry-window into `args`, `scope` as for add_now_option.
void add_time_options(CLI::App& cmd, TimeArgs& args, std::string_view scope = {});
// --now as a Unix time; nullopt when it was not given, an Error naming the option when it does not parse.
Result<std::optional<std::int64_t>> parse_now(const std::string& now);

// Registers --resolver-model (unbound | bind | knot-resolver) into `model`.
void add_resolver_model_option(CLI::App& cmd, std::string& model);
// The model named by `text` ("" is Unbound); an Error naming the accepted values otherwise.
Result<ResolverModel> parse_resolver_model(const std::string& text);

// Registers --format, -o/--output, --output-dir, --fail-on, --profile, --baseline, --waivers,
// --history.
void add_output_options(CLI::App& cmd, OutputOptions& options);

// What the output and policy options resolve to, checked before any work is done.
struct Prepared {
  std::vector<std::string> formats;
  Policy policy;
  bool profile_given = false; // --profile was on the command line
  std::optional<Baseline> baseline;
  std::vector<Waiver> waivers;
  // A live audit with --history: each audited zone's state as its latest recorded run saw it
  // (none for a new history), for the rollover rules (EngineOptions::previous); see
  // load_previous_states.
  std::shared_ptr<const PreviousStates> previous;
  std::optional<Error> history_error; // the history could not be read: exit 2 after the reports
};
Result<Prepared> prepare(const OutputOptions& options);

// The rules' thresholds as the profile sets them ([thresholds] and each rule's [options."ID"]),
// then `expiry_window` (--expiry-window; "" for none), which wins over the profile for every rule.
Result<void> apply_profile_thresholds(const Prepared& prepared, const std::string& expiry_window,
                                      EngineOptions& engine);

// With --history, reads the latest recorded state of each of `zones` (the zones a live audit is
// about to walk, its shard's only) into `prepared.previous`, or the reason it could not into
// `prepared.history_error`; nothing without --history.
void load_previous_states(Prepared& prepared, const OutputOptions& options, std::span<const std::string> zones);

// Grades one zone as emit() grades a result's: the policy (unless `with_policy` is false: a saved
// result keeps its own without --profile), then the waivers, then the baseline. A live audit
// grades each zone so as it is judged, before it is spooled (AuditResult::spooled).
void grade_zone(const Prepared& prepared, std::int64_t now, ZoneResult& zone, bool with_policy = true);

// Applies policy, waivers and baseline to `result` (a live audit's spooled zones are graded
// already; a saved result's are graded as they are read back), renders every format, writes
// all files atomically together (all replaced or none) or to stdout, and returns the exit status. A `saved_result`
// (already graded) is regraded only when --profile was given. With --history the run is recorded last, after the
// reports, with that exit status; a history that cannot be written is a one-line error, exit 2.
int emit(AuditResult& result, const OutputOptions& options, const Prepared& prepared, std::int64_t now,
         bool saved_result = false);

// The body of `audit` and `check` once their own arguments are checked: the output options
// (prepare), then `run(prepared)` -> Result<AuditResult> with SIGINT and SIGTERM caught (they
// stop the work; the reports of what was done are still written), then emit().
template <typename Run> int prepare_run_emit(const OutputOptions& output, Run&& run) {
  auto prepared = prepare(output);
  if (!prepared) {
    return report_error(prepared.error());
  }
  util::catch_stop_signals();
  auto result = std::forward<Run>(run)(*prepared);
  if (!result) {
    return report_error(result.error());
  }
  return emit(*result, output, *prepared, result->now);
}

// The network options of the commands that ask servers (audit, explain), as given.
struct NetworkArgs {
  std::string hints;                // --hints FILE; empty: the built-in IANA root hints
  std::string trust_anchor;         // --trust-anchor FILE; empty: the built-in root KSKs
  std::vector<std::string> servers; // --server NAME=ADDRESS (undelegated)
  std::string timeout = "2s";
  int retries = 1;
  std::string deadline = "120s";
  int max_in_flight = 200;    // --max-in-flight: queries in flight at once
  int max_qps_per_server = 0; // --max-qps-per-server: 0 = no limit
};

// Registers --hints, --trust-anchor, --server, --timeout, --retries, --max-in-flight,
// --max-qps-per-server and --deadline into `args`; what --server asks and what --deadline bounds
// differ by command and are said by `server_help` and `deadline_help`.
void add_network_options(CLI::App& cmd, NetworkArgs& args, std::string_view server_help,
                         std::string_view deadline_help);

// Checks `args` and turns them into probe options (root hints read and parsed); the error names
// the offending option or file.
Result<probe::ProbeOptions> probe_options(const NetworkArgs& args);

// The root trust anchor: the DS/DNSKEY records of `path` (all owned by "."), or the built-in
// IANA KSK-2017 and KSK-2024 DS records when `path` is empty.
Result<std::vector<std::string>> load_trust_anchor(const std::string& path);

// The subcommand `Args` describes (its static `k_command` and `k_about`), added to `app`, and the
// arguments its options fill, which the function main runs after parsing (`when_parsed`) shares:
// `const auto [args, cmd] = add_subcommand<CheckArgs>(app);`.
template <typename Args> std::pair<std::shared_ptr<Args>, CLI::App*> add_subcommand(CLI::App& app) {
  return {std::make_shared<Args>(), app.add_subcommand(std::string(Args::k_command), std::string(Args::k_about))};
}

// What main runs after parsing: -1 when `cmd` was not the subcommand given, else
// `body(*args, *cmd)`, whose result is the exit status.
template <typename Args, typename Body>
std::function<int()> when_parsed(CLI::App* cmd, std::shared_ptr<Args> args, Body body) {
  return
      [cmd, args = std::move(args), body = std::move(body)]() -> int { return cmd->parsed() ? body(*args, *cmd) : -1; };
}

} // namespace zw::cli
