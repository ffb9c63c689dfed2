// `zonewarden report SAVED.json --format ...`: re-render a saved JSON result, or replay a saved
// snapshot through the rules, without touching the network.

#include "cli/report_command.hpp"

#include <chrono>
#include <memory>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/common.hpp"
#include "report/zone_spool.hpp"
#include "util/files.hpp"
#include "util/json_text.hpp"
#include "util/time.hpp"
#include "zonewarden/audit.hpp"
#include "zonewarden/report.hpp"
#include "zonewarden/snapshot.hpp"

namespace zw::cli {

namespace {

struct ReportArgs {
  std::vector<std::string> inputs;
  std::string input; // the one input without --merge
  bool merge = false;
  TimeArgs time; // snapshots only
  OutputOptions output;

  // The subcommand, and its line in --help.
  static constexpr std::string_view k_command = "report";
  static constexpr std::string_view k_about = "Re-render a saved JSON result or snapshot in any format, offline";
};

// A snapshot carries "kind": "zonewarden-snapshot"; a report carries "tool": "zonewarden". Told
// apart from the file read a piece at a time, without building the zones of either as a tree (a
// large fleet's report is hundreds of megabytes of text, ten times that as a tree).
Result<bool> is_snapshot(const std::string& path) {
  ZW_TRY_ASSIGN(std::ifstream in, util::open_input_file(path, util::k_max_report_bytes));
  const util::JsonElementSink drop = [](nlohmann::json&&, std::size_t) -> Result<void> { return {}; };
  auto head = util::parse_json_each(in, "zones", drop);
  if (!head) {
    return fail(fmt::format("{}: {}", path, head.error().message));
  }
  if (!head->is_object()) {
    return false;
  }
  const auto kind = head->find("kind");
  return kind != head->end() && kind->is_string() && kind->get<std::string>() == "zonewarden-snapshot";
}

// A saved result's zones go to a spool as they are read (a fleet's result is never whole in
// memory); `names` and `files`, when given, get each zone's name and `path`.
Result<AuditResult> read_spooled(const std::string& path, const std::shared_ptr<report::ZoneSpool>& spool,
                                 std::vector<std::string>* names = nullptr, std::vector<std::string>* files = nullptr) {
  return read_result_file(path, [&](ZoneResult&& zone) {
    if (names != nullptr) {
      names->push_back(zone.zone);
      files->push_back(path);
    }
    spool->put(spool->size(), std::move(zone));
  });
}

Result<AuditResult> load(const ReportArgs& args, const Prepared& prepared, bool& saved_result) {
  ZW_TRY_ASSIGN(const bool snapshot_file, is_snapshot(args.input));
  if (snapshot_file) {
    ZW_TRY_ASSIGN(const std::string text, util::read_file(args.input, util::k_max_report_bytes));
    auto snapshot = snapshot_from_json(text);
    if (!snapshot) {
      return fail(fmt::format("{}: {}", args.input, snapshot.error().message));
    }
    EngineOptions engine;
    ZW_TRY_ASSIGN(const std::optional<std::int64_t> now, parse_now(args.time.now));
    engine.now = now.value_or(snapshot->started_at);
    // The snapshot's rules run with the profile's thresholds, as in the audit that saved it.
    ZW_TRY(apply_profile_thresholds(prepared, args.time.expiry_window, engine));
    saved_result = false;
    AuditResult result = run_audit_rules(*snapshot, engine);
    result.generated = unix_seconds_now();
    return result;
  }
  if (args.time.given()) {
    return fail(fmt::format("{}: --now and --expiry-window apply to snapshots, not to saved results", args.input));
  }
  saved_result = true;
  auto spool = report::ZoneSpool::create(0);
  ZW_TRY_ASSIGN(AuditResult result, read_spooled(args.input, spool));
  result.spooled = std::move(spool);
  return result;
}

// --merge: the JSON results of the shards of one audit (audit --shard K/N --format json), their
// zones spooled as they are read and merged in canonical order.
Result<AuditResult> load_merged(const ReportArgs& args) {
  if (args.time.given()) {
    return fail("--now and --expiry-window apply to snapshots, not to the saved results --merge reads");
  }
  auto spool = report::ZoneSpool::create(0);
  std::vector<AuditResult> headers;
  std::vector<std::string> names;
  std::vector<std::string> files;
  for (const std::string& file : args.inputs) {
    ZW_TRY_ASSIGN(const bool snapshot_file, is_snapshot(file));
    if (snapshot_file) {
      return fail(fmt::format("{}: a snapshot: --merge reads JSON results (audit --shard K/N --format json)", file));
    }
    ZW_TRY_ASSIGN(AuditResult header, read_spooled(file, spool, &names, &files));
    headers.push_back(std::move(header));
  }
  std::vector<std::pair<std::string, const AuditResult*>> parts;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    parts.emplace_back(args.inputs[i], &headers[i]);
  }
  ZW_TRY_ASSIGN(AuditResult merged, merge_headers(parts));
  ZW_TRY_ASSIGN(std::vector<std::size_t> order, merge_order(names, files));
  merged.spooled = std::make_shared<const report::DerivedZones>(std::move(spool), std::move(order), nullptr);
  return merged;
}

} // namespace

std::function<int()> add_report_command(CLI::App& app) {
  const auto [args, cmd] = add_subcommand<ReportArgs>(app);
  cmd->add_option("saved", args->inputs,
                  "A JSON report (--format json) or a snapshot (audit --save); with --merge, the JSON reports of "
                  "every shard")
      ->required();
  cmd->add_flag("--merge", args->merge,
                "Combine the JSON reports of the shards of one audit (audit --shard K/N) into one report: "
                "zones sorted by name, none in two shards");
  add_time_options(*cmd, args->time, "Snapshots only: ");
  add_output_options(*cmd, args->output);
  return when_parsed(cmd, args, [](ReportArgs& args, const CLI::App& /*cmd*/) -> int {
    auto prepared = prepare(args.output);
    if (!prepared) {
      return report_error(prepared.error());
    }
    if (!args.merge && args.inputs.size() != 1) {
      return report_error(Error{"report: one saved result or snapshot at a time; several JSON reports of the "
                                "shards of one audit need --merge"});
    }
    args.input = args.inputs.front();
    bool saved_result = true;
    auto result = args.merge ? load_merged(args) : load(args, *prepared, saved_result);
    if (!result) {
      return report_error(result.error());
    }
    return emit(*result, args.output, *prepared, result->now, saved_result);
  });
}

} // namespace zw::cli
