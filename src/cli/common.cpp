#include "cli/common.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "audit/state_spool.hpp"
#include "dns/rr.hpp"
#include "dns/rr_file.hpp"
#include "history/history_store.hpp"
#include "report/zone_spool.hpp"
#include "util/files.hpp"
#include "util/ip.hpp"
#include "util/text.hpp"
#include "util/time.hpp"
#include "zonewarden/report.hpp"

namespace zw::cli {

std::int64_t unix_seconds_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void add_now_option(CLI::App& cmd, std::string& now, std::string_view scope) {
  cmd.add_option("--now", now,
                 fmt::format("{}Evaluate signature times at this instant (2026-11-27T00:00:00Z, @unix)", scope));
}

void add_time_options(CLI::App& cmd, TimeArgs& args, std::string_view scope) {
  add_now_option(cmd, args.now, scope);
  cmd.add_option("--expiry-window", args.expiry_window,
                 fmt::format("{}Warn when signatures expire within this span, for every rule that reads it "
                             "(default: each rule's from the profile, 3d)",
                             scope));
}

Result<std::optional<std::int64_t>> parse_now(const std::string& now) {
  if (now.empty()) {
    return std::optional<std::int64_t>{};
  }
  ZW_TRY_ASSIGN(const std::int64_t t, in_context("--now", util::parse_time(now)));
  return std::optional<std::int64_t>{t};
}

void add_resolver_model_option(CLI::App& cmd, std::string& model) {
  cmd.add_option("--resolver-model", model,
                 "Whose answers the findings predict: unbound (default), bind, knot-resolver (docs/resolvers.md)");
}

Result<ResolverModel> parse_resolver_model(const std::string& text) {
  if (text.empty()) {
    return ResolverModel::unbound;
  }
  if (const std::optional<ResolverModel> m = resolver_model_from_string(text)) {
    return *m;
  }
  return fail(fmt::format("--resolver-model {}: expected unbound, bind or knot-resolver", util::quote_input(text)));
}

namespace {

Result<std::vector<probe::UserServer>> user_servers(const std::vector<std::string>& specs) {
  std::vector<probe::UserServer> out;
  for (const std::string& spec : specs) {
    const std::size_t eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
      return fail(fmt::format("--server {}: expected NAME=ADDRESS", util::quote_input(spec)));
    }
    ZW_TRY_ASSIGN(std::string name, dns::normalize_name(spec.substr(0, eq)));
    const auto address = util::normalize_ip(spec.substr(eq + 1));
    if (!address) {
      return fail(fmt::format("--server {}: {} is not an IP address", util::quote_input(spec),
                              util::quote_input(spec.substr(eq + 1))));
    }
    out.push_back(probe::UserServer{std::move(name), *address});
  }
  return out;
}

// IANA root trust anchors (https://data.iana.org/root-anchors/root-anchors.xml): KSK-2017 and
// KSK-2024. Used only when the user gives no --trust-anchor.
const std::vector<std::string> k_root_anchor = {
    ". 172800 IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D",
    ". 172800 IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16",
};

} // namespace

Result<std::vector<std::string>> load_trust_anchor(const std::string& path) {
  if (path.empty()) {
    return k_root_anchor;
  }
  ZW_TRY_ASSIGN(std::vector<std::string> rrs, dns::read_rr_file(path));
  if (rrs.empty()) {
    return fail(fmt::format("{}: no DS or DNSKEY record", path));
  }
  for (const std::string& text : rrs) {
    ZW_TRY_ASSIGN(const dns::Rr rr, dns::parse_rr(text));
    if (rr.type != dns::rrtype::ds && rr.type != dns::rrtype::dnskey) {
      return fail(
          fmt::format("{}: {} record in a trust anchor file (only DS and DNSKEY)", path, dns::type_to_text(rr.type)));
    }
    if (dns::name_to_text(rr.owner) != ".") {
      return fail(fmt::format("{}: anchor for {}: the walk starts at the root, so the anchor must be for \".\"", path,
                              dns::name_to_text(rr.owner)));
    }
  }
  return rrs;
}

void add_network_options(CLI::App& cmd, NetworkArgs& args, std::string_view server_help,
                         std::string_view deadline_help) {
  cmd.add_option("--hints", args.hints, "Root hints file (named.root format); default: built-in IANA hints");
  cmd.add_option("--trust-anchor", args.trust_anchor,
                 "Root trust anchor file (DS and/or DNSKEY RRs); default: built-in KSK-2017 and KSK-2024");
  cmd.add_option("--server", args.servers, std::string(server_help));
  cmd.add_option("--timeout", args.timeout, "Per-query timeout, retries included (2s, 500ms)")->capture_default_str();
  cmd.add_option("--retries", args.retries, "UDP retransmissions inside the timeout")->capture_default_str();
  cmd.add_option("--deadline", args.deadline, std::string(deadline_help))->capture_default_str();
  cmd.add_option("--max-in-flight", args.max_in_flight, "Queries in flight at once, all zones together (1-10000)")
      ->capture_default_str();
  cmd.add_option("--max-qps-per-server", args.max_qps_per_server,
                 "Queries per second sent to one server address at most, so that servers zones share are "
                 "not sent bursts their rate limiting answers with silence (0: no limit; 0-1000000)")
      ->capture_default_str();
}

Result<probe::ProbeOptions> probe_options(const NetworkArgs& args) {
  probe::ProbeOptions options;
  if (args.hints.empty()) {
    options.root_hints = probe::builtin_root_hints();
    options.public_hints = true;
  } else {
    ZW_TRY_ASSIGN(const std::string text, util::read_file(args.hints));
    auto hints = probe::parse_root_hints(text);
    if (!hints) {
      return fail(fmt::format("{}: {}", args.hints, util::quote_input(hints.error().message, 240)));
    }
    options.root_hints = std::move(*hints);
    options.public_hints = false;
  }
  ZW_TRY_ASSIGN(options.servers, user_servers(args.servers));
  ZW_TRY_ASSIGN(const std::int64_t timeout_ms, in_context("--timeout", util::parse_duration_ms(args.timeout)));
  if (timeout_ms < 10 || timeout_ms > 60'000) {
    return fail(fmt::format("--timeout {}: must be between 10ms and 60s", util::quote_input(args.timeout)));
  }
  if (args.max_in_flight < 1 || args.max_in_flight > 10'000) {
    return fail(fmt::format("--max-in-flight {}: must be between 1 and 10000", args.max_in_flight));
  }
  options.max_in_flight = args.max_in_flight;
  if (args.max_qps_per_server < 0 || args.max_qps_per_server > 1'000'000) {
    return fail(
        fmt::format("--max-qps-per-server {}: must be between 0 (no limit) and 1000000", args.max_qps_per_server));
  }
  options.max_qps_per_server = args.max_qps_per_server;
  if (args.retries < 0 || args.retries > 5) {
    return fail(fmt::format("--retries {}: must be between 0 and 5", args.retries));
  }
  ZW_TRY_ASSIGN(const std::int64_t deadline_ms, in_context("--deadline", util::parse_duration_ms(args.deadline)));
  if (deadline_ms < 100 || deadline_ms > std::int64_t{7} * 86'400'000) {
    return fail(fmt::format("--deadline {}: must be between 100ms and 7d", util::quote_input(args.deadline)));
  }
  options.timeout = std::chrono::milliseconds(timeout_ms);
  options.retries = args.retries;
  options.deadline = std::chrono::milliseconds(deadline_ms);
  return options;
}

namespace {
// Longest error line printed: room for a path, a quoted input and the reason.
constexpr std::size_t k_max_error_chars = 1000;
} // namespace

int report_error(const Error& error) {
  // The messages quote their input capped already (util::quote_input); this is the backstop
  // that keeps any message one line of bounded length.
  fmt::print(stderr, "zonewarden: {}\n", util::quote_input(error.message, k_max_error_chars));
  return k_exit_error;
}

Result<void> finish_stdout() {
  return util::write_stdout({});
}

void guard_standard_descriptors() {
  for (const int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
    if (::fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
      // open() returns the lowest free descriptor: this one. Read-only, so writes to it fail.
      const int taken = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (taken != fd && taken >= 0) {
        ::close(taken);
      }
    }
  }
}

void add_output_options(CLI::App& cmd, OutputOptions& options) {
  std::string names;
  for (const std::string_view f : report_formats()) {
    names += (names.empty() ? "" : ", ") + std::string(f);
  }
  cmd.add_option("--format", options.format, "Output format(s), comma-separated: " + names)->capture_default_str();
  cmd.add_option("-o,--output", options.output, "Write the report to FILE (atomically)");
  cmd.add_option("--output-dir", options.output_dir, "Write every --format into DIR at once");
  cmd.add_option("--fail-on", options.fail_on, "Exit 1 on findings at or above: error, warning, notice, never")
      ->capture_default_str();
  cmd.add_option(
      "--profile", options.profile,
      "Policy profile: default, strict, or a TOML/YAML file (default: default; a saved result keeps its own)");
  cmd.add_option("--baseline", options.baseline,
                 "Previous JSON report, or history:HISTORY[#RUN] (a recorded run): only new findings count");
  cmd.add_option("--waivers", options.waivers, "Waiver file (TOML/YAML): accepted findings with reason and expiry");
  cmd.add_option("--history", options.history,
                 "Record the run in this history: an SQLite file (created on first use) or a postgresql:// URI");
  cmd.add_flag("--allow-incomplete", options.allow_incomplete,
               "Zones left unaudited (internal/audit-incomplete) are reported but do not make the exit status 2");
}

namespace {

// The runs of each zone the HTML report's trend shows besides the one being reported.
constexpr std::size_t k_trend_runs = 14;

// The latest recorded state of each of `zones`; none for a history not created yet (it is created
// when the run is recorded). An existing file is opened as the recording will open it: another
// process may be creating it at this moment. The states go to a temporary file (a fleet's would
// take about 500 bytes a zone in memory), or to a map when none can be made.
Result<std::shared_ptr<const PreviousStates>> history_states(const std::string& path,
                                                             std::span<const std::string> zones) {
  if (history::history_missing(path)) {
    return std::make_shared<const PreviousStateMap>();
  }
  ZW_TRY_ASSIGN(history::HistoryStore store, history::HistoryStore::open(path, true));
  if (auto spool = audit::StateSpool::create()) {
    ZW_TRY(store.each_rollover_state(
        zones, [&spool](const std::string& zone, std::string_view state) { return (*spool)->add(zone, state); }));
    return std::shared_ptr<const PreviousStates>(std::move(*spool));
  }
  ZW_TRY_ASSIGN(auto states, store.rollover_states(zones));
  return std::make_shared<const PreviousStateMap>(std::move(states));
}

} // namespace

void load_previous_states(Prepared& prepared, const OutputOptions& options, std::span<const std::string> zones) {
  if (options.history.empty()) {
    return;
  }
  // A history that cannot be read does not stop the run (the reports are written, as when it
  // cannot be written): emit() ends it with exit status 2.
  if (auto states = history_states(options.history, zones)) {
    prepared.previous = std::move(*states);
  } else {
    prepared.history_error = std::move(states).error();
  }
}

Result<Prepared> prepare(const OutputOptions& options) {
  Prepared out;
  std::size_t start = 0;
  while (start <= options.format.size()) {
    const std::size_t comma = std::min(options.format.find(',', start), options.format.size());
    std::string f = options.format.substr(start, comma - start);
    start = comma + 1;
    if (f.empty()) {
      continue;
    }
    bool known = false;
    for (const std::string_view k : report_formats()) {
      known = known || k == f;
    }
    if (!known) {
      return fail(fmt::format("--format {}: unknown format", util::quote_input(f)));
    }
    if (std::find(out.formats.begin(), out.formats.end(), f) == out.formats.end()) {
      out.formats.push_back(std::move(f));
    }
  }
  if (out.formats.empty()) {
    return fail("--format: no format given");
  }
  if (!options.output.empty() && !options.output_dir.empty()) {
    return fail("--output and --output-dir: give one of them");
  }
  if (out.formats.size() > 1 && options.output_dir.empty()) {
    return fail(fmt::format("--format {}: several formats need --output-dir DIR", util::quote_input(options.format)));
  }
  if (!options.output_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(options.output_dir, ec);
    if (ec || !std::filesystem::is_directory(options.output_dir)) {
      return fail(fmt::format("--output-dir {}: {}", options.output_dir, ec ? ec.message() : "not a directory"));
    }
  }
  if (options.fail_on != "never" && !severity_from_string(options.fail_on)) {
    return fail(fmt::format("--fail-on {}: use error, warning, notice or never", util::quote_input(options.fail_on)));
  }
  out.profile_given = !options.profile.empty();
  ZW_TRY_ASSIGN(out.policy, load_policy(out.profile_given ? options.profile : "default"));
  if (!options.baseline.empty()) {
    ZW_TRY_ASSIGN(Baseline baseline, options.baseline.starts_with("history:")
                                         ? history::load_history_baseline(options.baseline)
                                         : load_baseline(options.baseline));
    out.baseline = std::move(baseline);
  }
  if (!options.waivers.empty()) {
    ZW_TRY_ASSIGN(out.waivers, load_waivers(options.waivers));
  }
  return out;
}

namespace {

// After the reports, so a history that cannot be written never costs the night's reports.
Result<void> record_history(const std::string& path, const AuditResult& result, int status) {
  const std::int64_t finished = unix_seconds_now();
  history::RunMeta meta;
  meta.finished = finished;
  meta.started = finished - static_cast<std::int64_t>(std::llround(std::max(0.0, result.elapsed_s)));
  meta.exit_status = status;
  ZW_TRY_ASSIGN(history::HistoryStore store, history::HistoryStore::open(path, true));
  ZW_TRY(store.record_run(result, meta));
  return {};
}

} // namespace

Result<void> apply_profile_thresholds(const Prepared& prepared, const std::string& expiry_window,
                                      EngineOptions& engine) {
  apply_thresholds(prepared.policy, engine);
  if (!expiry_window.empty()) {
    ZW_TRY_ASSIGN(const std::int64_t window, in_context("--expiry-window", util::parse_duration_s(expiry_window)));
    engine.override_expiry_window(window);
  }
  return {};
}

void grade_zone(const Prepared& prepared, std::int64_t now, ZoneResult& zone, bool with_policy) {
  if (with_policy) {
    apply_policy(prepared.policy, zone);
  }
  apply_waivers(prepared.waivers, now, zone);
  if (prepared.baseline) {
    apply_baseline(*prepared.baseline, zone);
  }
}

namespace {

int emit_graded(AuditResult& result, const OutputOptions& options, const Prepared& prepared, std::int64_t now,
                bool saved_result) {
  // A fresh audit is always graded by a policy; a saved result keeps the one it was graded
  // with unless --profile asks for another.
  if (prepared.profile_given || !saved_result) {
    apply_policy(prepared.policy, result);
  }
  apply_waivers(prepared.waivers, now, result);
  if (prepared.baseline) {
    apply_baseline(*prepared.baseline, result);
  }
  // Spooled zones: a live audit's were graded as they were judged; a saved result's (report) are
  // graded as they are read back, by the same steps.
  if (saved_result && result.spooled) {
    const bool with_policy = prepared.profile_given;
    result.spooled = std::make_shared<const report::DerivedZones>(
        std::move(result.spooled), std::vector<std::size_t>{},
        [&prepared, now, with_policy](ZoneResult& zone) { grade_zone(prepared, now, zone, with_policy); });
  }
  const Severity threshold = severity_from_string(options.fail_on).value_or(Severity::error);
  // Every format is rendered first and every file written to a temporary beside its target;
  // only when all are on disk are they renamed into place, so a failure (a full disk, an
  // unwritable file) leaves every earlier report as it was.
  std::vector<util::FileToWrite> files;
  std::string to_stdout;
  // The HTML report's trends from the history (before this run is recorded in it). A history
  // that cannot be read leaves them out, and the run ends with exit status 2 after the reports.
  std::optional<ReportHistory> trends;
  std::optional<Error> history_error = prepared.history_error;
  if (!history_error && !options.history.empty() && !history::history_missing(options.history) &&
      std::find(prepared.formats.begin(), prepared.formats.end(), "html") != prepared.formats.end()) {
    auto read = [&]() -> Result<ReportHistory> {
      ZW_TRY_ASSIGN(history::HistoryStore store, history::HistoryStore::open(options.history, true));
      return store.report_history(result, k_trend_runs);
    }();
    if (read) {
      trends = std::move(*read);
    } else {
      history_error = std::move(read).error();
    }
  }
  for (const std::string& format : prepared.formats) {
    RenderOptions render_options;
    render_options.fail_on = threshold;
    render_options.history = trends ? &*trends : nullptr;
    std::string path = options.output;
    if (!options.output_dir.empty()) {
      path =
          (std::filesystem::path(options.output_dir) / fmt::format("{}.{}", result.command, format_extension(format)))
              .string();
    }
    render_options.colour =
        path.empty() && format == "text" && ::isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
    if (!path.empty()) {
      // Rendered as the file is written (a fleet's JSON is never whole in memory).
      files.push_back(util::FileToWrite{
          std::move(path), {}, [format, render_options, &result](const util::FileToWrite::Sink& write) -> Result<void> {
            try {
              return render_to(format, result, render_options, write);
            } catch (const ZoneSourceError& e) {
              return fail(e.what()); // every file is then left as it was
            }
          }});
      continue;
    }
    auto rendered = render(format, result, render_options);
    if (!rendered) {
      return report_error(rendered.error());
    }
    to_stdout += *rendered;
  }
  if (auto written = util::write_files_atomically(files); !written) {
    return report_error(written.error());
  }
  if (!to_stdout.empty()) {
    if (auto written = util::write_stdout(to_stdout); !written) {
      return report_error(written.error());
    }
  }
  // --allow-incomplete: a zone the deadline, a signal or a bound left unaudited is in the report
  // but changes neither the exit status nor the count (a nightly job over thousands of zones
  // does not fail for the few cut short); every other internal/* finding, our own failure,
  // still exits 2.
  const auto counted = [&](const Finding& f) {
    return !(options.allow_incomplete && f.rule == "internal/audit-incomplete");
  };
  std::size_t failing = 0;
  std::optional<std::string> ours; // the message of the first internal/* finding
  for (const ZoneResult& z : zones_of(result)) {
    for (const Finding& f : z.findings) {
      if (!counted(f)) {
        continue;
      }
      failing += f.severity >= threshold && f.suppressed.empty() ? 1 : 0;
      if (!ours && f.rule.starts_with("internal/")) {
        ours = f.message;
      }
    }
  }
  int status = options.fail_on == "never" || failing == 0 ? k_exit_ok : k_exit_findings;
  if (ours) {
    fmt::print(stderr, "zonewarden: {}\n", *ours);
    status = k_exit_error;
  }
  if (history_error) {
    return report_error(*history_error);
  }
  if (!options.history.empty()) {
    if (auto recorded = record_history(options.history, result, status); !recorded) {
      return report_error(recorded.error());
    }
  }
  return status;
}

} // namespace

int emit(AuditResult& result, const OutputOptions& options, const Prepared& prepared, std::int64_t now,
         bool saved_result) {
  try {
    return emit_graded(result, options, prepared, now, saved_result);
  } catch (const ZoneSourceError& e) {
    // The spooled zones could not be read back (an I/O error on the temporary file): no report
    // is half-written (files are renamed into place only when all are complete).
    return report_error(Error{e.what()});
  }
}

} // namespace zw::cli
