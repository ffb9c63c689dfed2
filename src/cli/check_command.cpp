// `zonewarden check FILE...`: verify signed zone files before they are published.

#include "cli/check_command.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "cli/common.hpp"
#include "dns/rr.hpp"
#include "dns/rr_file.hpp"
#include "util/interrupt.hpp"
#include "util/progress.hpp"
#include "util/time.hpp"

namespace zw::cli {

namespace {

struct CheckArgs {
  std::vector<std::string> files;
  std::string origin;
  std::string ds;
  TimeArgs time;
  std::string resolver_model;
  int jobs = 0;
  bool quiet = false;
  OutputOptions output;

  // The subcommand, and its line in --help.
  static constexpr std::string_view k_command = "check";
  static constexpr std::string_view k_about = "Verify signed zone files before they are published";
};

// "example.com.zone: 123456 of 1000000 names verified (12%), about 45 s left", or while the file
// is still loading "example.com.zone: loading (12 s)". Called on the progress thread.
std::function<std::string()> progress_text(const std::string& file, const CheckProgress& progress) {
  using clock = std::chrono::steady_clock;
  const clock::time_point started = clock::now();
  return [&file, &progress, started, verifying_since = std::optional<clock::time_point>()]() mutable {
    const clock::time_point now = clock::now();
    const std::size_t total = progress.names_total.load();
    if (total == 0) {
      return fmt::format("zonewarden check: {}: loading ({} s)", file,
                         std::chrono::duration_cast<std::chrono::seconds>(now - started).count());
    }
    verifying_since = verifying_since.value_or(now);
    const std::size_t done = std::min(progress.names_verified.load(), total);
    std::string text =
        fmt::format("zonewarden check: {}: {} of {} names verified ({}%)", file, done, total, done * 100 / total);
    const double seconds = std::chrono::duration<double>(now - *verifying_since).count();
    if (done > 0 && done < total && seconds >= 1) {
      text +=
          fmt::format(", about {:.0f} s left", seconds * static_cast<double>(total - done) / static_cast<double>(done));
    }
    return text;
  };
}

// DS records from a DS file (`dnssec-dsfromkey` output, a dsset- file, any RR file): only DS
// lines count; anything else in it is an error, so a wrong file (a DNSKEY file, say) is caught.
// Fills check.ds_records and, for the evidence, check.ds_sources ("file:line").
Result<void> load_ds(const std::string& path, CheckOptions& check) {
  ZW_TRY_ASSIGN(std::vector<dns::RrLine> rrs, dns::read_rr_file_lines(path));
  if (rrs.empty()) {
    return fail(fmt::format("{}: no DS record", path));
  }
  for (dns::RrLine& line : rrs) {
    ZW_TRY_ASSIGN(const dns::Rr rr, dns::parse_rr(line.text));
    if (rr.type != dns::rrtype::ds) {
      return fail(fmt::format("{}:{}: {} record in a DS file (only DS)", path, line.line, dns::type_to_text(rr.type)));
    }
    check.ds_records.push_back(std::move(line.text));
    check.ds_sources.push_back(fmt::format("{}:{}", path, line.line));
  }
  return {};
}

Result<AuditResult> run(const CheckArgs& args, const Prepared& prepared) {
  const auto wall_start = std::chrono::steady_clock::now();
  const std::int64_t wall_now = unix_seconds_now();
  EngineOptions engine;
  ZW_TRY(apply_profile_thresholds(prepared, args.time.expiry_window, engine));
  ZW_TRY_ASSIGN(const std::optional<std::int64_t> now, parse_now(args.time.now));
  engine.now = now.value_or(wall_now);
  ZW_TRY_ASSIGN(engine.resolver_model, parse_resolver_model(args.resolver_model));
  if (args.files.empty()) {
    return fail("check: no zone file given");
  }
  if (args.jobs < 0 || args.jobs > 1024) {
    return fail(fmt::format("-j {}: must be between 0 (every core) and 1024", args.jobs));
  }
  if (!args.origin.empty() && args.files.size() > 1) {
    return fail("--origin names the apex of one zone: give one file with it");
  }
  CheckOptions check;
  check.jobs = static_cast<unsigned>(args.jobs);
  if (!args.origin.empty()) {
    ZW_TRY_ASSIGN(check.origin, dns::normalize_name(args.origin));
  }
  if (!args.ds.empty()) {
    ZW_TRY(load_ds(args.ds, check));
    check.ds_given = true;
    check.require_ds = args.files.size() == 1;
  }
  AuditResult result = start_check_result(engine);
  for (const std::string& file : args.files) {
    if (util::stop_requested()) {
      // Interrupted (SIGINT/SIGTERM) before this file: said, never skipped in silence.
      ZoneResult skipped;
      skipped.zone = check.origin.empty() ? file : check.origin;
      skipped.chain = "indeterminate";
      skipped.findings.push_back(
          Finding{"internal/audit-incomplete",
                  Severity::error,
                  Location{skipped.zone, "", skipped.zone, ""},
                  fmt::format("{} was not checked: interrupted by {}", file, util::stop_signal_name()),
                  {},
                  {},
                  {},
                  {}});
      result.zones.push_back(std::move(skipped));
      continue;
    }
    // A progress line on a terminal (standard error) for files that take more than a second.
    CheckProgress progress;
    std::optional<util::ProgressLine> line;
    if (!args.quiet && util::ProgressLine::on_terminal()) {
      check.progress = &progress;
      line.emplace(progress_text(file, progress));
    }
    Result<ZoneResult> zone = check_zone_file(file, check, engine);
    line.reset(); // erased before anything else is printed
    check.progress = nullptr;
    if (!zone) {
      return tl::unexpected<Error>(std::move(zone).error());
    }
    result.zones.push_back(std::move(*zone));
  }
  result.generated = wall_now;
  result.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

} // namespace

std::function<int()> add_check_command(CLI::App& app) {
  const auto [args, cmd] = add_subcommand<CheckArgs>(app);
  cmd->add_option("files", args->files, "Zone files (RFC 1035 master file format)")->required();
  cmd->add_option("--origin", args->origin, "Zone apex (default: the owner of the file's SOA)");
  cmd->add_option("--ds", args->ds, "File with the zone's DS records (dsset, dnssec-dsfromkey output)");
  add_time_options(*cmd, args->time);
  cmd->add_option("-j,--jobs", args->jobs, "Verification threads (default 0: every core)");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress line on standard error (shown only on a terminal)");
  add_resolver_model_option(*cmd, args->resolver_model);
  add_output_options(*cmd, args->output);
  return when_parsed(cmd, args, [](CheckArgs& args, const CLI::App& /*cmd*/) -> int {
    return prepare_run_emit(args.output, [&](Prepared& prepared) { return run(args, prepared); });
  });
}

} // namespace zw::cli
