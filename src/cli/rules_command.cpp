// `zonewarden rules [ID]`: list every rule, or print one rule's documentation page.

#include "cli/rules_command.hpp"

#include <memory>

#include <fmt/format.h>

#include "cli/common.hpp"
#include "report/html_rule_docs.hpp"
#include "util/files.hpp"
#include "util/text.hpp"
#include "zonewarden/rule.hpp"

namespace zw::cli {

namespace {
// What a rule reads: "live" (audit), "zone-file" (check) or "both".
std::string_view inputs_text(Inputs inputs) noexcept {
  switch (inputs) {
  case Inputs::zone_file: return "zone-file";
  case Inputs::live: return "live";
  case Inputs::both: return "both";
  }
  return "?";
}
} // namespace

std::function<int()> add_rules_command(CLI::App& app) {
  auto id = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("rules", "List every rule, or show one rule's page");
  cmd->add_option("id", *id, "Rule id (dnssec/rrsig-expired)");
  return [id, cmd]() -> int {
    if (!cmd->parsed()) {
      return -1;
    }
    if (id->empty()) {
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
    const Rule* rule = find_rule(*id);
    if (rule == nullptr) {
      return report_error(
          Error{fmt::format("rules {}: no such rule (zonewarden rules lists them)", util::quote_input(*id))});
    }
    const RuleInfo& info = rule->info();
    fmt::print("{}\n\nseverity: {}\nresolver: {}{}\nreference: {}\nsummary: {}\n", info.id, to_string(info.severity),
               to_string(info.impact.rcode),
               info.impact.ede == Ede::none
                   ? ""
                   : fmt::format(", EDE {} ({})", static_cast<int>(info.impact.ede), ede_text(info.impact.ede)),
               info.reference, info.summary);
    // The page's main sections are built into the binary (the same text the HTML report uses).
    if (const detail::RuleDoc* doc = detail::find_rule_doc(info.id)) {
      fmt::print("\n## What it checks\n\n{}\n\n## Why resolution breaks\n\n{}\n\n## How to fix\n\n{}\n", doc->what,
                 doc->why, doc->fix);
    }
    fmt::print("\nfull page: docs/rules/{}.md\n", info.id);
    return k_exit_ok;
  };
}

} // namespace zw::cli
