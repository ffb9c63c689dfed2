// `zonewarden audit ZONE...`: walk, probe, run the rules, report.

#include "cli/audit_command.hpp"

#include <array>
#include <chrono>
#include <fstream>
#include <memory>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_set>

#include <fmt/format.h>

#include "cli/common.hpp"
#include "dns/rr.hpp"
#include "dns/rr_file.hpp"
#include "probe/walker.hpp"
#include "report/zone_spool.hpp"
#include "util/files.hpp"
#include "util/ip.hpp"
#include "util/progress.hpp"
#include "util/text.hpp"
#include "util/time.hpp"
#include "util/workers.hpp"

namespace zw::cli {

namespace {

// One instance, its members in the order of `audit --help`.
struct AuditArgs { // NOLINT(clang-analyzer-optin.performance.Padding)
  std::vector<std::string> zones;
  std::string zones_from;
  NetworkArgs network;
  std::vector<std::string> names;  // --name NAME[/TYPE]
  bool walk = false;               // --walk
  std::int64_t walk_limit = 10000; // --walk-limit N
  bool walk_limit_given = false;
  std::vector<std::string> zone_files;   // --zone-file FILE or ZONE=FILE
  std::int64_t zone_file_limit = 100000; // --zone-file-limit N
  bool zone_file_limit_given = false;
  std::string ds;
  std::int64_t max_zones_in_flight = 500;    // --max-zones-in-flight N (0: every zone at once)
  std::int64_t max_queries_per_zone = 10000; // --max-queries-per-zone N
  std::int64_t max_queries = 20'000'000;     // --max-queries N
  TimeArgs time;
  std::string resolver_model;
  std::string save;
  std::string restore;
  bool quiet = false;
  std::string shard_text;                                   // --shard K/N
  std::optional<std::pair<std::size_t, std::size_t>> shard; // (K, N), parsed
  OutputOptions output;

  // The subcommand, and its line in --help.
  static constexpr std::string_view k_command = "audit";
  static constexpr std::string_view k_about = "Walk the delegation of each zone and audit every authoritative server";
};

// A numeric bound of the audit: its option, the field it sets, its range and what it bounds.
struct Bound {
  std::string_view option;
  std::int64_t AuditArgs::*value;
  std::int64_t min;
  std::int64_t max;
  std::string_view help;
};
constexpr std::array k_bounds{
    Bound{"--walk-limit", &AuditArgs::walk_limit, 1, 1'000'000, "With --walk: names walked per zone at most"},
    Bound{"--zone-file-limit", &AuditArgs::zone_file_limit, 1, 10'000'000,
          "With --zone-file: RRsets of each file asked at most"},
    Bound{"--max-zones-in-flight", &AuditArgs::max_zones_in_flight, 0, 10'000'000,
          "Zones walked at once at most; each that ends starts the next, and without --save is judged and its "
          "observations freed at once, so memory follows this, not the fleet; 0: all at once"},
    Bound{"--max-queries-per-zone", &AuditArgs::max_queries_per_zone, 1, 100'000'000,
          "Questions asked of one zone's servers at most, beyond those of --name, --zone-file and --walk"},
    Bound{"--max-queries", &AuditArgs::max_queries, 1, 1'000'000'000, "Queries sent in the whole run at most"},
};

// "K/N": shard K (0 to N-1) of N, N from 1 to 100000 (a Kubernetes Indexed Job's completion
// index, a Slurm array's task id).
Result<std::pair<std::size_t, std::size_t>> parse_shard(const std::string& text) {
  const auto bad = [&text] {
    return fail(fmt::format("--shard {}: want K/N, shard K (0 to N-1) of N shards, N from 1 to 100000",
                            util::quote_input(text)));
  };
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size() || slash > 6 || text.size() - slash > 7) {
    return bad();
  }
  const auto number = [](std::string_view digits) -> std::optional<std::size_t> {
    std::size_t value = 0;
    for (const char c : digits) {
      if (c < '0' || c > '9') {
        return std::nullopt;
      }
      value = value * 10 + static_cast<std::size_t>(c - '0');
    }
    return value;
  };
  const auto k = number(std::string_view(text).substr(0, slash));
  const auto n = number(std::string_view(text).substr(slash + 1));
  if (!k || !n || *n < 1 || *n > 100'000 || *k >= *n) {
    return bad();
  }
  return std::pair{*k, *n};
}

// "zonewarden audit: 1234 of 10000 zones done (12%), 41 zones/s, 56789 queries, about 213 s
// left". Zones are walked together, so the estimate assumes the pace so far. Called on the
// progress thread.
std::function<std::string()> progress_text(const probe::WalkProgress& progress) {
  using clock = std::chrono::steady_clock;
  return [&progress, started = clock::now()]() {
    const std::size_t total = progress.zones_total.load(std::memory_order_relaxed);
    const std::size_t done = std::min(progress.zones_done.load(std::memory_order_relaxed), total);
    const std::uint64_t queries = progress.queries.load(std::memory_order_relaxed);
    if (total == 0) {
      return std::string("zonewarden audit: starting");
    }
    std::string text = fmt::format("zonewarden audit: {} of {} zone{} done ({}%)", done, total, total == 1 ? "" : "s",
                                   done * 100 / total);
    const double seconds = std::chrono::duration<double>(clock::now() - started).count();
    if (seconds >= 1) {
      text += fmt::format(", {:.0f} zones/s", static_cast<double>(done) / seconds);
    }
    text += fmt::format(", {} quer{}", queries, queries == 1 ? "y" : "ies");
    if (done > 0 && done < total && seconds >= 1) {
      text +=
          fmt::format(", about {:.0f} s left", seconds * static_cast<double>(total - done) / static_cast<double>(done));
    }
    return text;
  };
}

Result<std::vector<std::string>> zone_list(const AuditArgs& args) {
  std::vector<std::string> raw = args.zones;
  if (!args.zones_from.empty()) {
    ZW_TRY_ASSIGN(const std::string text, util::read_file(args.zones_from));
    std::size_t line_no = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
      const std::size_t end = std::min(text.find('\n', start), text.size());
      std::string line = text.substr(start, end - start);
      ++line_no;
      start = end + 1;
      if (const std::size_t hash = line.find_first_of("#;"); hash != std::string::npos) {
        line.erase(hash);
      }
      const std::size_t a = line.find_first_not_of(" \t\r");
      if (a == std::string::npos) {
        continue;
      }
      const std::size_t b = line.find_last_not_of(" \t\r");
      raw.push_back(line.substr(a, b - a + 1));
    }
  }
  std::vector<std::string> zones;
  std::unordered_set<std::string> seen; // a fleet's list has 100,000 zones: no quadratic search
  for (const std::string& z : raw) {
    ZW_TRY_ASSIGN(std::string name, dns::normalize_name(z));
    if (seen.insert(name).second) {
      zones.push_back(std::move(name));
    }
  }
  return zones;
}

// `--zone-file FILE` (one zone audited) or `--zone-file ZONE=FILE`: each file loaded by check's
// loader before the first packet is sent, as its zone; a file that does not load is an Error.
Result<std::vector<std::pair<std::string, ZoneFileForAudit>>> load_zone_files(const AuditArgs& args,
                                                                              const std::vector<std::string>& zones) {
  std::vector<std::pair<std::string, ZoneFileForAudit>> out;
  for (const std::string& spec : args.zone_files) {
    std::string zone;
    std::string path = spec;
    if (const std::size_t eq = spec.find('='); eq != std::string::npos) {
      const Result<std::string> name = dns::normalize_name(spec.substr(0, eq));
      if (name && std::find(zones.begin(), zones.end(), *name) != zones.end()) {
        zone = *name;
        path = spec.substr(eq + 1);
      }
    }
    if (zone.empty()) {
      if (zones.size() != 1) {
        return fail(fmt::format("--zone-file {}: several zones are audited: say which, ZONE=FILE", spec));
      }
      zone = zones.front();
    }
    if (std::any_of(out.begin(), out.end(), [&](const auto& z) { return z.first == zone; })) {
      return fail(fmt::format("--zone-file {}: {} has a zone file already", spec, zone));
    }
    ZW_TRY_ASSIGN(ZoneFileForAudit file,
                  load_zone_file_for_audit(path, zone, static_cast<std::uint64_t>(args.zone_file_limit)));
    out.emplace_back(zone, std::move(file));
  }
  return out;
}

// `window`: --expiry-window, which wins over the profile's thresholds.
EngineOptions engine_options(const Prepared& prepared, std::optional<std::int64_t> now_override,
                             std::optional<std::int64_t> window, ResolverModel model, std::int64_t started_at) {
  EngineOptions engine;
  apply_thresholds(prepared.policy, engine); // the key and NSEC3 rules judge live audits too
  engine.now = now_override.value_or(started_at);
  if (window) {
    engine.override_expiry_window(*window);
  }
  engine.resolver_model = model;
  engine.previous = prepared.previous.get();
  return engine;
}

AuditResult finish(AuditResult result, std::chrono::steady_clock::time_point wall_start) {
  result.generated = unix_seconds_now();
  result.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

Result<AuditResult> run(const AuditArgs& args, Prepared& prepared) {
  const auto wall_start = std::chrono::steady_clock::now();
  std::optional<std::int64_t> window;
  if (!args.time.expiry_window.empty()) {
    ZW_TRY_ASSIGN(window, in_context("--expiry-window", util::parse_duration_s(args.time.expiry_window)));
  }
  ZW_TRY_ASSIGN(const std::optional<std::int64_t> now_override, parse_now(args.time.now));
  ZW_TRY_ASSIGN(const ResolverModel model, parse_resolver_model(args.resolver_model));
  ZW_TRY_ASSIGN(std::vector<std::string> zones, zone_list(args));
  if (args.shard) {
    if (!args.restore.empty()) {
      return fail("--shard splits the zones of a live audit: not with --restore");
    }
    if (zones.empty()) {
      return fail("audit: no zone given (ZONE... or --zones-from FILE)");
    }
    const std::size_t k = args.shard->first;
    const std::size_t n = args.shard->second;
    std::erase_if(zones, [k, n](const std::string& zone) { return shard_of(zone, n) != k; });
  }

  Snapshot snapshot;
  if (!args.restore.empty() && !args.names.empty()) {
    return fail("--name asks the servers, so it needs a live audit, not --restore");
  }
  if (!args.restore.empty() && args.walk) {
    return fail("--walk asks the servers, so it needs a live audit, not --restore");
  }
  if (args.walk_limit_given && !args.walk) {
    return fail("--walk-limit bounds --walk: give --walk too");
  }
  if (!args.restore.empty() && !args.zone_files.empty()) {
    return fail("--zone-file asks the servers for the file's RRsets, so it needs a live audit, not --restore "
                "(the snapshot replays the comparison it recorded)");
  }
  if (args.zone_file_limit_given && args.zone_files.empty()) {
    return fail("--zone-file-limit bounds --zone-file: give --zone-file too");
  }
  for (const Bound& bound : k_bounds) {
    if (const std::int64_t value = args.*bound.value; value < bound.min || value > bound.max) {
      return fail(fmt::format("{} {}: must be between {} and {}", bound.option, value, bound.min, bound.max));
    }
  }
  if (!args.restore.empty()) {
    // Replay: no network at all; "now" is when the snapshot was taken unless --now says otherwise.
    ZW_TRY_ASSIGN(const std::string text, util::read_file(args.restore, util::k_max_report_bytes));
    auto restored = snapshot_from_json(text);
    if (!restored) {
      return fail(fmt::format("{}: {}", args.restore, restored.error().message));
    }
    snapshot = std::move(*restored);
    if (!zones.empty()) {
      std::erase_if(snapshot.zones, [&](const ZoneSnapshot& z) {
        return std::find(zones.begin(), zones.end(), z.zone) == zones.end();
      });
      if (snapshot.zones.empty()) {
        return fail(fmt::format("{}: none of the given zones is in the snapshot", args.restore));
      }
    }
  } else {
    if (zones.empty() && !args.shard) {
      return fail("audit: no zone given (ZONE... or --zones-from FILE)");
    }
    ZW_TRY_ASSIGN(probe::ProbeOptions options, probe_options(args.network));
    ZW_TRY_ASSIGN(const std::vector<std::string> anchor, load_trust_anchor(args.network.trust_anchor));
    ZW_TRY_ASSIGN(options.name_queries, probe::plan_name_queries(zones, args.names));
    ZW_TRY_ASSIGN(auto zone_files, load_zone_files(args, zones));
    for (const auto& [zone, file] : zone_files) {
      // Asked like --name queries: every server address of the zone, DO=1; the walker drops
      // the questions it asks anyway.
      for (const auto& [owner, type] : file.questions) {
        options.name_queries.push_back(probe::NameQuery{.zone = zone, .qname = owner, .qtype = type});
      }
    }
    options.walk = args.walk;
    options.walk_limit = static_cast<std::uint64_t>(args.walk_limit);
    options.max_queries_per_zone = static_cast<std::uint64_t>(args.max_queries_per_zone);
    options.max_queries = static_cast<std::uint64_t>(args.max_queries);
    if (!args.ds.empty()) {
      if (options.servers.empty()) {
        return fail("--ds is for undelegated tests: give the servers with --server NAME=ADDRESS");
      }
      ZW_TRY_ASSIGN(std::vector<std::string> ds, dns::read_rr_file(args.ds));
      options.expected_ds = std::move(ds);
    }
    // What the rollover rules compare with: the history's states of these zones only.
    load_previous_states(prepared, args.output, zones);
    if (zones.empty()) {
      // A shard the hash gave no zone (every argument checked all the same): an empty result,
      // as valid to merge as any other.
      return finish(start_audit_result(engine_options(prepared, now_override, window, model, unix_seconds_now())),
                    wall_start);
    }
    options.max_zones_in_flight = static_cast<std::size_t>(args.max_zones_in_flight);
    // A progress line on a terminal (standard error) for audits that take more than a second.
    probe::WalkProgress progress;
    std::optional<util::ProgressLine> line;
    if (!args.quiet && util::ProgressLine::on_terminal()) {
      // The total is known now: the line's first draw (at once with ZW_PROGRESS_DELAY_MS=0) must
      // not race the walk's own store of it.
      progress.zones_total.store(zones.size(), std::memory_order_relaxed);
      options.progress = &progress;
      line.emplace(progress_text(progress));
    }
    // What the rules read besides the zone itself.
    snapshot.trust_anchor = anchor;
    snapshot.tool_version = ZW_VERSION;
    // Only a walk from the built-in public root is about the public DNS; an undelegated test
    // (--server) walks nothing, and a user's --hints describe an internal or lab hierarchy.
    snapshot.public_root_hints = options.public_hints && options.servers.empty();
    const auto attach_file = [&zone_files](ZoneSnapshot& z) {
      for (auto& [zone, file] : zone_files) {
        if (z.zone == zone) {
          z.zone_file = std::move(file.copy);
        }
      }
    };
    // Without --save nothing needs the observations once judged: each zone is judged and graded as
    // its walk ends and its result goes to a temporary file (report::ZoneSpool) until the reports,
    // so memory follows the zones in flight, not the fleet.
    std::shared_ptr<report::ZoneSpool> spool;
    EngineOptions engine = engine_options(prepared, now_override, window, model, unix_seconds_now());
    // The walk runs on one thread; the other cores judge the zones it hands over (a zone's
    // verdict depends on its snapshot and the engine's options only). When they are all busy
    // and a few zones wait, the walk thread judges the next one itself, so the zones waiting
    // stay few and memory still follows the zones in flight.
    const std::size_t judges =
        args.save.empty() && zones.size() > 1 ? std::min<std::size_t>(std::thread::hardware_concurrency(), 9) : 1;
    util::Workers workers(judges > 0 ? judges - 1 : 0, 2 * judges);
    if (args.save.empty()) {
      spool = report::ZoneSpool::create(zones.size());
      if (!spool->in_memory_reason().empty()) {
        fmt::print(stderr, "zonewarden: no temporary file for the judged zones ({}): they are kept in memory\n",
                   spool->in_memory_reason());
      }
      options.on_zone = [&](std::size_t zi, ZoneSnapshot&& z) {
        attach_file(z);
        auto zone = std::make_shared<ZoneSnapshot>(std::move(z));
        const auto judge = [&spool, &snapshot, &engine, &prepared, zi, zone] {
          ZoneResult judged = run_audit_rules_on_zone(snapshot, *zone, engine);
          grade_zone(prepared, engine.now, judged);
          spool->put(zi, std::move(judged));
        };
        if (!workers.submit(judge)) {
          judge();
        }
      };
    }
    Result<Snapshot> walked = probe::audit_walk(zones, options);
    workers.join(); // every zone handed over is judged (a judge's exception is rethrown here)
    line.reset();   // erased before anything else is printed
    options.progress = nullptr;
    if (!walked) {
      return tl::unexpected<Error>(std::move(walked).error());
    }
    if (args.save.empty()) {
      AuditResult result = start_audit_result(engine);
      for (std::size_t zi = 0; zi < zones.size(); ++zi) {
        if (!spool->has(zi)) {
          return fail(fmt::format("internal error: the walk never handed over zone {}", zones[zi]));
        }
      }
      result.spooled = std::move(spool);
      return finish(std::move(result), wall_start);
    }
    walked->trust_anchor = std::move(snapshot.trust_anchor);
    walked->tool_version = std::move(snapshot.tool_version);
    walked->public_root_hints = snapshot.public_root_hints;
    snapshot = std::move(*walked);
    for (ZoneSnapshot& z : snapshot.zones) {
      attach_file(z);
    }
  }
  if (!args.save.empty()) {
    ZW_TRY(util::write_file_atomically(args.save, snapshot_to_json(snapshot)));
  }
  EngineOptions engine = engine_options(prepared, now_override, window, model, snapshot.started_at);
  if (!args.restore.empty()) {
    // A replay observes nothing new: it neither compares with the history's states nor records
    // one (docs/history.md), so the next live run compares with the last live one.
    engine.previous = nullptr;
  }
  return finish(run_audit_rules(snapshot, engine), wall_start);
}

} // namespace

std::function<int()> add_audit_command(CLI::App& app) {
  const auto [args, cmd] = add_subcommand<AuditArgs>(app);
  cmd->add_option("zones", args->zones, "Zones to audit (example.com)");
  cmd->add_option("--zones-from", args->zones_from, "File with one zone per line (# comments)");
  add_network_options(*cmd, args->network, "Undelegated test: audit exactly NAME=ADDRESS (repeatable)",
                      "Deadline for the whole audit");
  cmd->add_option("--name", args->names,
                  "Also ask every server of the zone NAME is in for NAME, of TYPE or else A and AAAA "
                  "(NAME[/TYPE], repeatable)");
  cmd->add_flag("--walk", args->walk,
                "Also follow the NSEC chain of each zone and ask every server for every RRset of every name");
  cmd->add_option("--zone-file", args->zone_files,
                  "Compare what every server serves with this zone file, and validate it too (FILE with one "
                  "zone, ZONE=FILE with several; repeatable)");
  cmd->add_option("--ds", args->ds, "Undelegated test: file with the DS records to expect");
  for (const Bound& bound : k_bounds) {
    cmd->add_option(std::string(bound.option), (*args).*bound.value,
                    fmt::format("{} ({}-{})", bound.help, bound.min, bound.max))
        ->capture_default_str();
  }
  add_time_options(*cmd, args->time);
  add_resolver_model_option(*cmd, args->resolver_model);
  cmd->add_option("--save", args->save, "Write the observed snapshot as JSON to FILE");
  cmd->add_option("--restore", args->restore, "Re-run the rules on a saved snapshot, without network");
  cmd->add_option("--shard", args->shard_text,
                  "Audit only shard K (0 to N-1) of N: the zones whose name hashes to K (FNV-1a modulo N), so "
                  "that N machines or jobs split one fleet; combine their JSON with report --merge");
  cmd->add_flag("-q,--quiet", args->quiet,
                "No progress line on standard error (shown only on a terminal, for audits of more than a second)");
  add_output_options(*cmd, args->output);
  return when_parsed(cmd, args, [](AuditArgs& args, const CLI::App& cmd) -> int {
    args.walk_limit_given = cmd.count("--walk-limit") > 0;
    args.zone_file_limit_given = cmd.count("--zone-file-limit") > 0;
    if (cmd.count("--shard") > 0) {
      auto shard = parse_shard(args.shard_text);
      if (!shard) {
        return report_error(shard.error());
      }
      args.shard = *shard;
    }
    // Every argument and file is checked before the first packet is sent.
    return prepare_run_emit(args.output, [&](Prepared& prepared) { return run(args, prepared); });
  });
}

} // namespace zw::cli
