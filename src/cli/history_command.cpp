// `zonewarden history HISTORY runs|zone NAME|diff [A] [B]|prune --keep N`: what the runs
// recorded with --history say (docs/history.md).

#include "cli/history_command.hpp"

#include <algorithm>
#include <charconv>
#include <memory>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "cli/common.hpp"
#include "history/history_store.hpp"
#include "report/finding_json.hpp"
#include "report/html_markdown.hpp"
#include "report/html_svg.hpp"
#include "util/files.hpp"
#include "util/json_fields.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace zw::cli {

namespace {

using nlohmann::json;

struct HistoryArgs {
  std::string file;
  std::string action;
  std::vector<std::string> operands;
  std::string format = "text";
  std::int64_t keep = 0;

  // The subcommand, and its line in --help.
  static constexpr std::string_view k_command = "history";
  static constexpr std::string_view k_about = "What the runs recorded with --history say: runs, zone, diff, prune";
};

Result<std::int64_t> run_id(const std::string& text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 1) {
    return fail(fmt::format("history: run {}: not a run id (1, 2, ...; history FILE runs lists them)",
                            util::quote_input(text)));
  }
  return value;
}

using Stored = history::StoredFinding;
// The members written as they are; the rest are null when empty (finding_json).
constexpr std::tuple
    k_stored_finding_fields(util::JsonField("fingerprint", &Stored::fingerprint),
                            util::JsonField("rule", &Stored::rule), util::JsonField("severity", &Stored::severity),
                            util::JsonField("zone", &Stored::zone), util::JsonField("owner", &Stored::owner),
                            util::JsonField("type", &Stored::type), util::JsonField("message", &Stored::message));

json finding_json(const Stored& f) {
  json out = util::fields_to_json<json>(f, k_stored_finding_fields);
  out["server"] = detail::null_if_empty<json>(f.server);
  out["file"] = detail::null_if_empty<json>(f.file);
  out["line"] = f.line == 0 ? json(nullptr) : json(f.line);
  out["suppressed"] = detail::null_if_empty<json>(f.suppressed);
  return out;
}

// A JSON column as stored (soa_serials, dnskeys, ds), or null when empty or unreadable (a
// history edited by hand).
json stored_json(const std::string& text) {
  if (text.empty()) {
    return nullptr;
  }
  json parsed = json::parse(text, nullptr, false);
  return parsed.is_discarded() ? json(nullptr) : parsed;
}

// "warning  zone/ttl-mismatch  www.example. A  message": like the text report's finding line,
// with where it is, since lines of several zones meet here.
std::string finding_text(const history::StoredFinding& f) {
  std::string where = f.owner.empty() ? f.zone : f.owner;
  if (!f.type.empty()) {
    where += " " + f.type;
  }
  if (!f.server.empty()) {
    where += " @" + f.server;
  }
  return fmt::format("{:<7} {}  {}  {}", f.severity, f.rule, where, f.message);
}

Result<std::string> runs_output(history::HistoryStore& store, bool as_json) {
  ZW_TRY_ASSIGN(const std::vector<history::RunSummary> runs, store.runs());
  if (as_json) {
    json list = json::array();
    for (const history::RunSummary& r : runs) {
      list.push_back({{"id", r.id},
                      {"started", util::format_utc(r.started)},
                      {"finished", util::format_utc(r.finished)},
                      {"version", r.version},
                      {"command", r.command},
                      {"profile", r.profile},
                      {"exit_status", r.exit_status},
                      {"zones", r.zones},
                      {"errors", r.errors},
                      {"warnings", r.warnings},
                      {"notices", r.notices}});
    }
    return json{{"history", store.path()}, {"schema", history::k_schema_version}, {"runs", list}}.dump(2) + "\n";
  }
  std::string out = fmt::format("{:>5}  {:<20}  {:<7}  {:>5}  {:>6}  {:>8}  {:>7}  {}\n", "RUN", "STARTED", "COMMAND",
                                "ZONES", "ERRORS", "WARNINGS", "NOTICES", "EXIT");
  for (const history::RunSummary& r : runs) {
    out += fmt::format("{:>5}  {:<20}  {:<7}  {:>5}  {:>6}  {:>8}  {:>7}  {}\n", r.id, util::format_utc(r.started),
                       r.command, r.zones, r.errors, r.warnings, r.notices, r.exit_status);
  }
  out += fmt::format("{} run(s)\n", runs.size());
  return out;
}

Result<std::string> zone_output(history::HistoryStore& store, const std::string& zone, bool as_json) {
  ZW_TRY_ASSIGN(const history::ZoneHistory h, store.zone_history(zone));
  if (as_json) {
    json present = json::array();
    for (const auto& p : h.present) {
      json f = finding_json(p.finding);
      f["first_seen_run"] = p.first_seen_run;
      f["first_seen"] = util::format_utc(p.first_seen);
      f["consecutive_runs"] = p.consecutive;
      present.push_back(std::move(f));
    }
    json fixed = json::array();
    for (const auto& x : h.fixed) {
      json f = finding_json(x.finding);
      f["last_seen_run"] = x.last_seen_run;
      f["fixed_run"] = x.fixed_run;
      f["fixed"] = util::format_utc(x.fixed);
      fixed.push_back(std::move(f));
    }
    json latest = {{"run", h.runs.back()}, {"chain", h.chain}};
    latest["soa_serials"] = stored_json(h.soa_serials);
    latest["dnskeys"] = stored_json(h.dnskeys);
    latest["ds"] = stored_json(h.ds);
    return json{{"zone", h.zone}, {"runs", h.runs}, {"latest", latest}, {"present", present}, {"fixed", fixed}}.dump(
               2) +
           "\n";
  }
  std::string out = fmt::format("{}  ({} run(s), latest {})\n", h.zone, h.runs.size(), h.runs.back());
  out += fmt::format("  chain: {}", h.chain);
  if (const json serials = stored_json(h.soa_serials); serials.is_array()) {
    out += fmt::format("; SOA serial(s): {}", fmt::join(serials.get<std::vector<std::uint32_t>>(), ", "));
  }
  if (const json keys = stored_json(h.dnskeys); keys.is_array()) {
    std::vector<std::string> text;
    for (const json& k : keys) {
      text.push_back(
          fmt::format("{} (alg {}, flags {})", k.value("key_tag", 0), k.value("algorithm", 0), k.value("flags", 0)));
    }
    out += fmt::format("; DNSKEY: {}", text.empty() ? "none" : fmt::format("{}", fmt::join(text, ", ")));
  }
  if (const json ds = stored_json(h.ds); ds.is_array()) {
    std::vector<std::string> text;
    for (const json& d : ds) {
      text.push_back(fmt::format("{} (alg {}, digest {})", d.value("key_tag", 0), d.value("algorithm", 0),
                                 d.value("digest_type", 0)));
    }
    out += fmt::format("; DS: {}", text.empty() ? "none" : fmt::format("{}", fmt::join(text, ", ")));
  }
  out += "\n";
  out += fmt::format("  present ({}):\n", h.present.size());
  for (const auto& p : h.present) {
    out += fmt::format("    {}\n      first seen run {} ({}), in {} consecutive run(s)\n", finding_text(p.finding),
                       p.first_seen_run, util::format_utc(p.first_seen), p.consecutive);
  }
  out += fmt::format("  fixed ({}):\n", h.fixed.size());
  for (const auto& x : h.fixed) {
    out += fmt::format("    {}\n      last seen run {}, fixed in run {} ({})\n", finding_text(x.finding),
                       x.last_seen_run, x.fixed_run, util::format_utc(x.fixed));
  }
  return out;
}

// "3 zones", "1 zone".
std::string zones_text(std::size_t n) {
  return fmt::format("{} zone{}", n, n == 1 ? "" : "s");
}

Result<std::string> diff_output(history::HistoryStore& store, const std::vector<std::string>& operands, bool as_json) {
  if (operands.size() > 2) {
    return fail("history diff: at most two runs (diff [RUN_A] [RUN_B])");
  }
  history::RunDiff d;
  if (operands.size() == 2) {
    ZW_TRY_ASSIGN(const std::int64_t from, run_id(operands[0]));
    ZW_TRY_ASSIGN(const std::int64_t to, run_id(operands[1]));
    ZW_TRY_ASSIGN(d, store.diff(from, to));
  } else {
    ZW_TRY_ASSIGN(const std::vector<history::RunSummary> runs, store.runs());
    if (operands.size() == 1) {
      // One run: against the run before it.
      ZW_TRY_ASSIGN(const std::int64_t to, run_id(operands[0]));
      std::int64_t from = 0;
      for (const history::RunSummary& r : runs) {
        if (r.id < to) {
          from = r.id;
        }
      }
      if (from == 0) {
        return fail(fmt::format("{}: no run before run {} to diff it against", store.path(), to));
      }
      ZW_TRY_ASSIGN(d, store.diff(from, to));
    } else {
      // Each zone's latest run against its run before: the runs of one night may be shards.
      if (runs.size() < 2) {
        return fail(fmt::format("{}: diff needs two runs, {} recorded", store.path(), runs.size()));
      }
      ZW_TRY_ASSIGN(d, store.diff_latest());
      if (d.zones == 0) {
        return fail(fmt::format("{}: no zone was recorded by two runs yet ({} runs): nothing to diff", store.path(),
                                runs.size()));
      }
    }
  }
  if (as_json) {
    const auto list = [](const std::vector<history::StoredFinding>& findings) {
      json out = json::array();
      for (const history::StoredFinding& f : findings) {
        out.push_back(finding_json(f));
      }
      return out;
    };
    const auto run = [](std::int64_t id) { return id != 0 ? json(id) : json(nullptr); };
    return json{{"from", run(d.from)},  {"to", run(d.to)},      {"zones", d.zones},       {"only_from", d.only_from},
                {"only_to", d.only_to}, {"new", list(d.added)}, {"fixed", list(d.fixed)}, {"still", list(d.still)}}
               .dump(2) +
           "\n";
  }
  std::string out =
      d.from != 0 ? fmt::format("run {} -> run {}: {} compared\n", d.from, d.to, zones_text(d.zones))
                  : fmt::format("each zone's latest run against the run before it: {} compared\n", zones_text(d.zones));
  // Zones one side did not look at are named, not counted as fixed or new.
  const auto not_compared = [&out](std::string_view why, const std::vector<std::string>& zones) {
    if (zones.empty()) {
      return;
    }
    out += fmt::format("not compared, {} ({}): {}\n", why, zones.size(), util::list_first(zones, 10, " "));
  };
  if (operands.empty()) {
    not_compared("recorded by one run only", d.only_to);
  } else {
    not_compared(fmt::format("only in run {}", d.from), d.only_from);
    not_compared(fmt::format("only in run {}", d.to), d.only_to);
  }
  const auto section = [&out](std::string_view title, const std::vector<history::StoredFinding>& findings) {
    out += fmt::format("{} ({}):\n", title, findings.size());
    for (const history::StoredFinding& f : findings) {
      out += fmt::format("  {}  {}\n", f.zone, finding_text(f));
    }
  };
  section("new", d.added);
  section("fixed", d.fixed);
  section("still present", d.still);
  return out;
}

// `runs --format html`: a self-contained page (no script, no fetch) with the errors and warnings
// of every run as stacked bars, oldest left, and the runs table.
std::string runs_html(const std::string& path, const std::vector<history::RunSummary>& runs) {
  std::vector<detail::RunBar> bars;
  bars.reserve(runs.size());
  const std::size_t label_every = runs.size() / 30 + 1;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const history::RunSummary& r = runs[i];
    bars.push_back(detail::RunBar{r.errors, r.warnings,
                                  fmt::format("run {}, {}: {} error(s), {} warning(s), exit {}", r.id,
                                              util::format_utc(r.started), r.errors, r.warnings, r.exit_status),
                                  i % label_every == 0 ? std::to_string(r.id) : std::string()});
  }
  const std::string svg =
      detail::run_bars_svg(bars, detail::RunChartLayout{.bar = 18,
                                                        .gap = 6,
                                                        .plot = 160,
                                                        .scale = true,
                                                        .css_class = "",
                                                        .aria_label = "errors and warnings per run"});
  std::string rows;
  for (const history::RunSummary& r : runs) {
    rows += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                        "</tr>\n",
                        r.id, util::format_utc(r.started), detail::html_escape(r.command), r.zones, r.errors,
                        r.warnings, r.notices, r.exit_status);
  }
  return fmt::format(R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>zonewarden history: {0}</title>
<style>body{{font-family:sans-serif;margin:2em}}td,th{{padding:0 .8em;text-align:right}}
.key span{{display:inline-block;width:1em;height:1em;vertical-align:middle;margin:0 .3em 0 1em}}</style></head>
<body><h1>zonewarden history</h1><p>{0}: {1} run(s)</p>
<p class="key"><span style="background:#cf222e"></span>errors<span style="background:#9a6700"></span>warnings</p>
{2}<table><thead><tr><th>run</th><th>started</th><th>command</th><th>zones</th><th>errors</th><th>warnings</th>
<th>notices</th><th>exit</th></tr></thead><tbody>
{3}</tbody></table></body></html>
)",
                     detail::html_escape(path), runs.size(), svg, rows);
}

Result<std::string> run(const HistoryArgs& args) {
  if (args.format != "text" && args.format != "json" && args.format != "html") {
    return fail(fmt::format("--format {}: history prints text, json or html", util::quote_input(args.format)));
  }
  if (args.format == "html" && args.action != "runs") {
    return fail(fmt::format("--format html: only for history FILE runs (a trend chart), not {}",
                            util::quote_input(args.action)));
  }
  const bool as_json = args.format == "json";
  const auto operands = [&args](std::size_t n, const char* usage) -> Result<void> {
    if (args.operands.size() != n) {
      return fail(fmt::format("history {}: usage: history FILE {}", args.action, usage));
    }
    return {};
  };
  if (args.action != "runs" && args.action != "zone" && args.action != "diff" && args.action != "prune") {
    return fail(fmt::format("history {}: unknown action (runs, zone NAME, diff [A] [B], prune --keep N)",
                            util::quote_input(args.action)));
  }
  ZW_TRY_ASSIGN(history::HistoryStore store, history::HistoryStore::open(args.file, false));
  if (args.action == "runs") {
    ZW_TRY(operands(0, "runs"));
    if (args.format == "html") {
      ZW_TRY_ASSIGN(const std::vector<history::RunSummary> runs, store.runs());
      return runs_html(store.path(), runs);
    }
    return runs_output(store, as_json);
  }
  if (args.action == "zone") {
    ZW_TRY(operands(1, "zone NAME"));
    return zone_output(store, args.operands[0], as_json);
  }
  if (args.action == "diff") {
    return diff_output(store, args.operands, as_json);
  }
  ZW_TRY(operands(0, "prune --keep N"));
  ZW_TRY_ASSIGN(const std::int64_t deleted, store.prune(args.keep));
  return as_json ? json{{"deleted_runs", deleted}, {"kept", args.keep}}.dump(2) + "\n"
                 : fmt::format("{} run(s) deleted, the newest {} kept\n", deleted, args.keep);
}

} // namespace

std::function<int()> add_history_command(CLI::App& app) {
  const auto [args, cmd] = add_subcommand<HistoryArgs>(app);
  cmd->add_option("file", args->file, "The history --history wrote: an SQLite file or a postgresql:// URI")->required();
  cmd->add_option("action", args->action, "What to show: runs, zone, diff, prune")->required();
  cmd->add_option("operands", args->operands,
                  "zone: NAME; diff: [RUN_A] [RUN_B] (default: each zone's latest run against its run before)");
  cmd->add_option("--format", args->format, "Output format (html: runs only, a trend chart): text, json, html")
      ->capture_default_str();
  cmd->add_option("--keep", args->keep, "prune: keep the newest N runs, delete the rest");
  return when_parsed(cmd, args, [](HistoryArgs& args, const CLI::App& /*cmd*/) -> int {
    auto out = run(args);
    if (!out) {
      return report_error(out.error());
    }
    if (auto written = util::write_stdout(*out); !written) {
      return report_error(written.error());
    }
    return k_exit_ok;
  });
}

} // namespace zw::cli
