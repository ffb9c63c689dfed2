// `zonewarden rules [ID]`: list every rule, or print one rule's documentation page.

#include "cli/rules_command.hpp"

#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/common.hpp"
#include "report/html_rule_docs.hpp"
#include "util/enum_names.hpp"
#include "util/files.hpp"
#include "util/text.hpp"
#include "zonewarden/rule.hpp"

namespace zw::cli {

namespace {

struct RulesArgs {
  std::string id; // empty: every rule
  std::string format = "text";

  // The subcommand, and its line in --help.
  static constexpr std::string_view k_command = "rules";
  static constexpr std::string_view k_about = "List every rule, or show one rule's page";
};

// What a rule reads: "live" (audit), "zone-file" (check) or "both".
using util::EnumName;

constexpr auto k_inputs_names = util::enum_names(
    {EnumName(Inputs::zone_file, "zone-file"), EnumName(Inputs::live, "live"), EnumName(Inputs::both, "both")});

std::string_view inputs_text(Inputs inputs) noexcept {
  return k_inputs_names.text(inputs, "?");
}

nlohmann::json strings(std::span<const std::string_view> values) {
  nlohmann::json out = nlohmann::json::array();
  for (const std::string_view v : values) {
    out.push_back(std::string(v));
  }
  return out;
}

// One rule as JSON (`rules --format json`): its registry entry and, with `page`, the sections
// of its page built into the binary.
nlohmann::json rule_json(const RuleInfo& info, bool page) {
  nlohmann::json resolver = {{"rcode", std::string(to_string(info.impact.rcode))}};
  if (info.impact.ede != Ede::none) {
    resolver["ede"] = static_cast<int>(info.impact.ede);
    resolver["ede_text"] = std::string(ede_text(info.impact.ede));
  }
  nlohmann::json out = {
      {"id", std::string(info.id)},
      {"severity", std::string(to_string(info.severity))},
      {"stability", info.stability == Stability::stable ? "stable" : "preview"},
      {"summary", std::string(info.summary)},
      {"reference", std::string(info.reference)},
      {"resolver", std::move(resolver)},
      {"inputs", std::string(inputs_text(info.inputs))},
      {"since", std::string(info.since)},
      {"tags", strings(info.tags)},
      {"compliance", strings(info.compliance)},
      {"options", strings(info.options)},
      {"page", fmt::format("docs/rules/{}.md", info.id)},
  };
  if (const detail::RuleDoc* doc = page ? detail::find_rule_doc(info.id) : nullptr) {
    out["what"] = std::string(doc->what);
    out["why"] = std::string(doc->why);
    out["fix"] = std::string(doc->fix);
  }
  return out;
}
} // namespace

std::function<int()> add_rules_command(CLI::App& app) {
  const auto [args, cmd] = add_subcommand<RulesArgs>(app);
  cmd->add_option("id", args->id, "Rule id (dnssec/rrsig-expired)");
  cmd->add_option("--format", args->format,
                  "text, or json: every rule's registry entry (severity, resolver impact, inputs, since, tags, "
                  "compliance, options), with its page's sections for one rule")
      ->capture_default_str();
  return when_parsed(cmd, args, [](const RulesArgs& args, const CLI::App& /*cmd*/) -> int {
    const std::string& id = args.id;
    const std::string& format = args.format;
    if (format != "text" && format != "json") {
      return report_error(Error{fmt::format("rules --format {}: expected text or json", util::quote_input(format))});
    }
    if (format == "json") {
      nlohmann::json out;
      if (id.empty()) {
        out = nlohmann::json::array();
        for (const auto& rule : all_rules()) {
          out.push_back(rule_json(rule->info(), false));
        }
      } else if (const Rule* rule = find_rule(id)) {
        out = rule_json(rule->info(), true);
      } else {
        return report_error(
            Error{fmt::format("rules {}: no such rule (zonewarden rules lists them)", util::quote_input(id))});
      }
      fmt::print("{}\n", out.dump(2));
      return k_exit_ok;
    }
    if (id.empty()) {
      fmt::print("{:<40} {:<8} {:<28} {:<9} {}\n", "RULE", "SEVERITY", "RESOLVER", "INPUTS", "SUMMARY");
      for (const auto& rule : all_rules()) {
        const RuleInfo& info = rule->info();
        const std::string impact = info.impact.ede == Ede::none ? std::string(to_string(info.impact.rcode))
                                                                : fmt::format("{} EDE {}", to_string(info.impact.rcode),
                                                                              static_cast<int>(info.impact.ede));
        fmt::print("{:<40} {:<8} {:<28} {:<9} {}\n", info.id, to_string(info.severity), impact,
                   inputs_text(info.inputs), info.summary);
      }
      return k_exit_ok;
    }
    const Rule* rule = find_rule(id);
    if (rule == nullptr) {
      return report_error(
          Error{fmt::format("rules {}: no such rule (zonewarden rules lists them)", util::quote_input(id))});
    }
    const RuleInfo& info = rule->info();
    fmt::print("{}\n\nseverity: {}\nresolver: {}\nreference: {}\nsummary: {}\n", info.id, to_string(info.severity),
               rcode_ede_text(info.impact), info.reference, info.summary);
    // The page's main sections are built into the binary (the same text the HTML report uses).
    if (const detail::RuleDoc* doc = detail::find_rule_doc(info.id)) {
      fmt::print("\n## What it checks\n\n{}\n\n## Why resolution breaks\n\n{}\n\n## How to fix\n\n{}\n", doc->what,
                 doc->why, doc->fix);
    }
    fmt::print("\nfull page: docs/rules/{}.md\n", info.id);
    return k_exit_ok;
  });
}

} // namespace zw::cli
