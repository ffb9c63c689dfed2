// The HTML report's compliance section: each requirement, the rules that serve it (from their
// RuleInfo::compliance) and whether they ran and passed.
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "report/html_compliance.hpp"
#include "report/html_markdown.hpp"
#include "zonewarden/rule.hpp"

namespace zw {

namespace {

using detail::counts_towards_fail;
using detail::html_escape;

constexpr std::string_view k_order_core[] = {"dnssec/rrsig-", "dnssec/ds-", "dnssec/dnskey-"};
constexpr std::string_view k_order_algorithms[] = {"dnssec/algorithm-deprecated", "dnssec/algorithm-coverage"};
constexpr std::string_view k_order_servers[] = {"delegation/lame-", "delegation/ns-", "consistency/"};

constexpr report::Requirement k_requirements[] = {
    {"rfc9364", "Core DNSSEC validation: signatures valid, DS matches a key that signs the DNSKEY RRset", "RFC 9364",
     k_order_core},
    {"rfc8624", "Algorithm recommendations", "RFC 8624 / IANA", k_order_algorithms},
    {"rfc9276", "NSEC3 parameters (no extra iterations, no salt)", "RFC 9276", {}},
    {"rfc6781", "Signature timing: re-signed before expiry", "RFC 6781", {}},
    {"rfc7766", "DNS over TCP", "RFC 7766", {}},
    {"rfc2182", "Name server diversity and consistency", "RFC 2182", k_order_servers},
};

enum class RuleState { ran, not_run, not_registered };

struct ItemRule {
  std::string id;
  RuleState state;
  std::size_t failing = 0; // unsuppressed findings at warning or above
};

// The ids of the registered rules whose RuleInfo::compliance names `item`, in `item.order`.
std::vector<std::string_view> rules_serving(const report::Requirement& item) {
  std::vector<std::pair<std::size_t, std::string_view>> ranked;
  for (const std::unique_ptr<Rule>& rule : all_rules()) {
    const RuleInfo& info = rule->info();
    if (std::find(info.compliance.begin(), info.compliance.end(), item.id) == info.compliance.end()) {
      continue;
    }
    std::size_t rank = 0;
    while (rank < item.order.size() && !info.id.starts_with(item.order[rank])) {
      ++rank;
    }
    ranked.emplace_back(rank, info.id);
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string_view> ids;
  ids.reserve(ranked.size());
  for (const auto& [rank, id] : ranked) {
    ids.push_back(id);
  }
  return ids;
}

} // namespace

void detail::compliance_section(std::string& out, const AuditResult& r) {
  const std::set<std::string> ran(r.rules_run.begin(), r.rules_run.end());
  std::map<std::string, std::size_t> failing;
  std::map<std::string, std::set<std::size_t>> failing_zones;
  std::map<std::size_t, std::string> failing_names; // the zones with a failing finding only
  const ZoneResults all = zones_of(r);
  for (auto z = all.begin(); z != all.end(); ++z) {
    for (const Finding& f : z->findings) {
      if (counts_towards_fail(f) && f.severity >= Severity::warning) {
        ++failing[f.rule];
        failing_zones[f.rule].insert(z.index());
        failing_names.try_emplace(z.index(), z->zone);
      }
    }
  }

  out += "<section id=\"compliance\" aria-labelledby=\"compliance-h\"><h2 id=\"compliance-h\">Compliance</h2>\n";
  out += "<p class=\"small\">An item <strong>fails</strong> when any finding of its rules is at warning or above and "
         "not suppressed. It <strong>passes</strong> only when its rules ran; rules that are not implemented in this "
         "version, or were not selected, are shown as <em>not checked</em>.</p>\n";
  out += "<table><thead><tr><th scope=\"col\">Requirement</th><th scope=\"col\">Reference</th>"
         "<th scope=\"col\">Result</th><th scope=\"col\">Rules</th><th scope=\"col\">Failing zones</th>"
         "</tr></thead><tbody>\n";
  for (const report::Requirement& item : report::compliance_requirements()) {
    std::vector<ItemRule> rules;
    for (const std::string_view id : rules_serving(item)) {
      rules.push_back({std::string(id), ran.contains(std::string(id)) ? RuleState::ran : RuleState::not_run});
    }
    if (rules.empty()) {
      rules.push_back({std::string(item.id), RuleState::not_registered});
    }
    std::size_t ran_n = 0;
    std::size_t fail_n = 0;
    std::set<std::size_t> zones;
    for (ItemRule& ir : rules) {
      ran_n += ir.state == RuleState::ran ? 1 : 0;
      if (failing.contains(ir.id)) {
        ir.failing = failing[ir.id];
        fail_n += ir.failing;
        zones.insert(failing_zones[ir.id].begin(), failing_zones[ir.id].end());
      }
    }
    std::string_view cls = "nc";
    std::string_view verdict = "NOT CHECKED";
    if (fail_n > 0) {
      cls = "fail";
      verdict = "FAIL";
    } else if (ran_n == rules.size()) {
      cls = "pass";
      verdict = "PASS";
    } else if (ran_n > 0) {
      cls = "partial";
      verdict = "PASS (PARTLY CHECKED)";
    }
    std::string list = "<ul class=\"rules-list\">";
    for (const ItemRule& ir : rules) {
      std::string state;
      switch (ir.state) {
      case RuleState::ran:
        state = ir.failing > 0 ? fmt::format("<span class=\"st bad\">\u2717 {} finding{}</span>", ir.failing,
                                             ir.failing == 1 ? "" : "s")
                               : "<span class=\"st\">\u2713 ran</span>";
        break;
      case RuleState::not_run: state = "<span class=\"st\">not checked (not selected)</span>"; break;
      case RuleState::not_registered: state = "<span class=\"st\">not checked (not implemented)</span>"; break;
      }
      list += "<li><code>" + html_escape(ir.id) + "</code> " + state + "</li>";
    }
    list += "</ul>";
    std::string zl;
    std::size_t shown = 0;
    for (const std::size_t zi : zones) {
      if (shown == 8) {
        zl += fmt::format(" and {} more", zones.size() - shown);
        break;
      }
      zl += fmt::format("{}<a href=\"#zone-{}\" class=\"mono\">{}</a>", shown == 0 ? "" : ", ", zi,
                        html_escape(failing_names.at(zi)));
      ++shown;
    }
    if (zones.empty()) {
      zl = "<span class=\"note\">none</span>";
    }
    out += fmt::format("<tr><th scope=\"row\">{}</th><td>{}</td><td><span class=\"badge {}\">{}</span></td>"
                       "<td>{}</td><td>{}</td></tr>\n",
                       html_escape(item.name), html_escape(item.reference), cls, verdict, list, zl);
  }
  out += "</tbody></table>\n</section>\n";
}

// ---- per zone -----------------------------------------------------------------------------

std::span<const report::Requirement> report::compliance_requirements() noexcept {
  return k_requirements;
}

} // namespace zw
