// HTML reporter: a self-contained compliance report for people (an auditor, a manager).
//
// One file, no external assets, no script: inline CSS and inline SVG only, so it opens offline
// and prints to PDF (@media print: page breaks between zones, nothing sticky, colours that keep
// their meaning in greyscale because every status is also written as text or drawn dashed).
// Zone data is hostile input: every string from the result goes through html_escape(), and a
// Content-Security-Policy forbids scripts and remote loads should an escape ever be missed.

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>

#include "report/fingerprint.hpp"
#include "report/html_compliance.hpp"
#include "report/html_markdown.hpp"
#include "report/html_rule_docs.hpp"
#include "report/html_svg.hpp"
#include "report/pieces.hpp"
#include "util/time.hpp"
#include "zonewarden/report.hpp"
#include "zonewarden/rule.hpp"

namespace zw {

// The stylesheet, src/report/html_report.css, embedded at build time (embed_text.py).
extern const std::string_view k_css;

namespace {

using detail::counts_towards_fail;
using detail::html_escape;

std::string time_text(std::int64_t unix_seconds) {
  if (unix_seconds <= 0) {
    return "unknown";
  }
  std::string s = util::format_utc(unix_seconds); // "2026-11-27T12:00:00Z"
  if (s.size() == 20) {
    s = s.substr(0, 10) + " " + s.substr(11, 8) + " UTC";
  }
  return s;
}

// The CSS class of a chain status; anything unexpected is "unknown".
std::string_view chain_class(std::string_view status) {
  for (const std::string_view known : {"secure", "insecure", "bogus", "indeterminate"}) {
    if (status == known) {
      return known;
    }
  }
  return "unknown";
}

// The zone's own DNSSEC status: its link in the chain when walked (`chain` is the status of the
// chain above the zone).
std::string zone_status(const ZoneResult& z) {
  if (!z.chain_links.empty() && !z.chain_links.back().status.empty()) {
    return z.chain_links.back().status;
  }
  return z.chain.empty() ? "unknown" : z.chain;
}

bool zone_fails(const ZoneResult& z) {
  return std::any_of(z.findings.begin(), z.findings.end(),
                     [](const Finding& f) { return counts_towards_fail(f) && f.severity == Severity::error; });
}

std::string rule_anchor(std::string_view id) {
  std::string out = "rule-";
  for (const char c : id) {
    out += (std::isalnum(static_cast<unsigned char>(c)) != 0)
               ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
               : '-';
  }
  return out;
}

// The report's wording: "none: ..." where the others say "resolution not affected".
// `items`, each escaped, as the items of the list `open_tag` opens (<ul ...> or <ol ...>).
std::string escaped_list(const std::vector<std::string>& items, std::string_view open_tag) {
  std::string out(open_tag);
  for (const std::string& item : items) {
    out += "<li>" + html_escape(item) + "</li>";
  }
  out += open_tag.starts_with("<ol") ? "</ol>" : "</ul>";
  return out;
}

std::string html_impact_text(const ResolverImpact& impact) {
  if (impact.rcode == Rcode::none) {
    return "none: resolution is not affected";
  }
  return rcode_ede_text(impact);
}

struct Counts {
  std::array<std::size_t, 3> by_severity{}; // unsuppressed, indexed by Severity
  std::size_t suppressed = 0;
  void add(const Finding& f) {
    if (counts_towards_fail(f)) {
      ++by_severity[static_cast<std::size_t>(f.severity)];
    } else {
      ++suppressed;
    }
  }
  std::size_t errors() const { return by_severity[2]; }
  std::size_t warnings() const { return by_severity[1]; }
  std::size_t notices() const { return by_severity[0]; }
};

Counts count(const ZoneResult& z) {
  Counts c;
  for (const Finding& f : z.findings) {
    c.add(f);
  }
  return c;
}

// Links inside a rule page: another rule's page becomes an in-report anchor when that rule is
// documented in this report; anything else (RFCs, files) is shown as text, keeping the report
// free of external references.
detail::LinkResolver rule_links(std::string_view from_id, const std::set<std::string>& documented) {
  const std::string area(from_id.substr(0, from_id.find('/')));
  return [area, &documented](std::string_view target) -> std::string {
    if (!target.ends_with(".md") || target.find("://") != std::string_view::npos) {
      return {};
    }
    std::string path(target.substr(0, target.size() - 3));
    std::string id;
    if (path.starts_with("../")) {
      id = path.substr(3);
    } else if (path.find('/') == std::string::npos) {
      id = area + "/" + path;
    } else {
      id = path;
    }
    return documented.contains(id) ? "#" + rule_anchor(id) : std::string();
  };
}

// ---- summary ------------------------------------------------------------------------------

// A zone's errors and warnings over its latest recorded runs and this one, for the trend column.
std::vector<ReportHistory::Run> zone_trend(const ReportHistory& history, const AuditResult& r, const ZoneResult& z) {
  std::vector<ReportHistory::Run> runs;
  if (const auto found = history.zones.find(z.zone); found != history.zones.end()) {
    runs = found->second;
  }
  ReportHistory::Run now{r.now, 0, 0}; // as the history counts: suppressed findings included
  for (const Finding& f : z.findings) {
    now.errors += f.severity == Severity::error ? 1 : 0;
    now.warnings += f.severity == Severity::warning ? 1 : 0;
  }
  runs.push_back(now);
  return runs;
}

void summary(std::string& out, const AuditResult& r, const ReportHistory* history) {
  Counts total;
  std::size_t failed = 0;
  const ZoneResults zones = zones_of(r);
  for (const ZoneResult& z : zones) {
    for (const Finding& f : z.findings) {
      total.add(f);
    }
    failed += zone_fails(z) ? 1 : 0;
  }
  const std::size_t passed = zones.size() - failed;
  out += "<section id=\"summary\" aria-labelledby=\"summary-h\"><h2 id=\"summary-h\">Summary</h2>\n";
  out += "<div class=\"cards\">";
  const auto card = [&](std::string_view cls, std::size_t n, std::string_view label) {
    out +=
        fmt::format("<div class=\"card {}\"><div class=\"n\">{}</div><div class=\"l\">{}</div></div>", cls, n, label);
  };
  card("", zones.size(), "zones audited");
  card(passed > 0 && failed == 0 ? "good" : "", passed, "zones pass");
  card(failed > 0 ? "bad" : "", failed, "zones fail");
  card(total.errors() > 0 ? "bad" : "", total.errors(), "errors");
  card(total.warnings() > 0 ? "warn" : "", total.warnings(), "warnings");
  card("", total.notices(), "notices");
  card("", total.suppressed, "suppressed");
  out += "</div>\n";
  out += "<p class=\"small\">A zone fails when it has at least one finding at severity <strong>error</strong> that is "
         "not suppressed (baseline or waiver). Counts by severity exclude suppressed findings.</p>\n";

  out += "<dl class=\"meta\">";
  const auto meta = [&](std::string_view k, const std::string& v) {
    out += fmt::format("<dt>{}</dt><dd>{}</dd>", k, v);
  };
  meta("Generated", html_escape(time_text(r.generated)));
  meta("Audit time (\u201cnow\u201d)",
       html_escape(time_text(r.now)) + " <span class=\"small\">the instant signature validity was judged at</span>");
  meta("Elapsed", fmt::format("{:.2f} s", r.elapsed_s));
  meta("Tool", html_escape(r.tool) + " " + html_escape(r.version.empty() ? "(version unknown)" : r.version));
  meta("Command", html_escape(r.command.empty() ? "-" : r.command));
  meta("Policy", "<code>" + html_escape(r.policy) + "</code>");
  meta("Rules run",
       fmt::format("{} <span class=\"small\">(listed in the compliance table)</span>", r.rules_run.size()));
  out += "</dl>\n";

  // Zone overview. The suppressed column only when something is suppressed, to fit A4.
  const bool any_suppressed = total.suppressed > 0;
  out += fmt::format("<h4 id=\"overview\">Zones</h4>\n<table class=\"overview\"><thead><tr><th scope=\"col\">Zone</th>"
                     "<th scope=\"col\">Result</th><th scope=\"col\">DNSSEC</th><th scope=\"col\">Errors</th>"
                     "<th scope=\"col\">Warnings</th><th scope=\"col\">Notices</th>{}"
                     "<th scope=\"col\">Earliest RRSIG expiry (UTC)</th>{}</tr></thead><tbody>\n",
                     any_suppressed ? "<th scope=\"col\">Suppressed</th>" : "",
                     history != nullptr ? "<th scope=\"col\">Trend</th>" : "");
  for (auto zone = zones.begin(); zone != zones.end(); ++zone) {
    const std::size_t i = zone.index();
    const ZoneResult& z = *zone;
    const Counts c = count(z);
    const bool fail = zone_fails(z);
    std::string expiry = "<span class=\"note\">no signatures</span>";
    if (z.earliest_expiration) {
      const bool expired = *z.earliest_expiration < r.now;
      const std::string stamp = util::format_utc(*z.earliest_expiration); // 2026-11-27T12:00:00Z
      expiry = fmt::format("<span class=\"mono nowrap{}\">{}</span>{}", expired ? " cell-bad" : "",
                           html_escape(stamp.size() == 20 ? stamp.substr(0, 10) + " " + stamp.substr(11, 5) : stamp),
                           expired ? " <strong class=\"cell-bad\">expired</strong>" : "");
    }
    const std::string chain = zone_status(z);
    out += fmt::format(
        "<tr><th scope=\"row\"><a href=\"#zone-{}\" class=\"mono\">{}</a></th>"
        "<td><span class=\"badge {}\">{}</span></td><td><span class=\"badge {}\">{}</span></td>"
        "<td class=\"num{}\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>{}<td>{}</td>{}</tr>\n",
        i, html_escape(z.zone), fail ? "fail" : "pass", fail ? "FAIL" : "PASS", html_escape(chain_class(chain)),
        html_escape(chain), c.errors() > 0 ? " cell-bad" : "", c.errors(), c.warnings(), c.notices(),
        any_suppressed ? fmt::format("<td class=\"num\">{}</td>", c.suppressed) : std::string(), expiry,
        history != nullptr ? "<td>" + detail::trend_svg(zone_trend(*history, r, z)) + "</td>" : std::string());
  }
  out += "</tbody></table>\n";
  if (history != nullptr) {
    out += "<p class=\"small\">Trend: each zone's errors (red) and warnings (amber) in its latest recorded runs of the "
           "run history and, last, in this run, suppressed findings included.</p>\n";
  }
  out += "</section>\n";
}

void servers(std::string& out, const ZoneResult& z) {
  out += "<h4>Servers</h4>\n";
  if (z.servers.empty()) {
    out += "<p class=\"note\">No server was probed.</p>\n";
    return;
  }
  out += "<table class=\"servers\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Address</th>"
         "<th scope=\"col\">SOA serial</th><th scope=\"col\">AA</th><th scope=\"col\">RCODE</th>"
         "<th scope=\"col\">RTT</th><th scope=\"col\">UDP</th><th scope=\"col\">TCP</th></tr></thead><tbody>\n";
  const auto bad_unless = [](bool ok) { return ok ? "" : " class=\"cell-bad\""; };
  for (const ServerRow& s : z.servers) {
    out += fmt::format(
        "<tr><td class=\"mono\">{}</td><td class=\"mono\">{}</td><td class=\"num\">{}</td><td{}>{}</td><td{}>{}</td>"
        "<td class=\"num\">{}</td><td{}>{}</td><td{}>{}</td></tr>\n",
        html_escape(s.name), html_escape(s.address), s.soa_serial ? std::to_string(*s.soa_serial) : "\u2013",
        bad_unless(s.authoritative), s.authoritative ? "yes" : "no", bad_unless(s.rcode == "NOERROR"),
        s.rcode.empty() ? "\u2013" : html_escape(s.rcode), s.rtt_ms ? fmt::format("{:.1f} ms", *s.rtt_ms) : "\u2013",
        bad_unless(s.udp == "ok" || s.udp.empty()), s.udp.empty() ? "\u2013" : html_escape(s.udp),
        bad_unless(s.tcp == "ok" || s.tcp.empty()), s.tcp.empty() ? "\u2013" : html_escape(s.tcp));
  }
  out += "</tbody></table>\n";
}

void chain(std::string& out, const ZoneResult& z, std::size_t index) {
  out += "<h4>Chain of trust</h4>\n";
  const std::string svg = detail::chain_svg(z, fmt::format("chain-{}", index));
  if (svg.empty()) {
    out += fmt::format("<p class=\"note\">No chain of trust to draw: the zone is {} (not walked from the root, "
                       "unsigned or not delegated).</p>\n",
                       html_escape(z.chain.empty() ? "of unknown status" : z.chain));
    return;
  }
  out += "<figure class=\"diagram\" style=\"margin:0\">" + svg + "</figure>\n";
  out += "<p class=\"legend\">Root first. Each box is a zone: its DS records (published by the parent) and its "
         "DNSKEYs (KSK = flags 257, ZSK = flags 256). Arrows: a DS to the key it matches, a key to the DNSKEY RRset it "
         "signs. Broken links are red, dashed and marked \u2717.</p>\n";
}

void finding(std::string& out, const Finding& f, const std::string& anchor, const std::set<std::string>& documented,
             const ReportHistory* history) {
  const std::string_view sev = to_string(f.severity);
  const bool suppressed = !f.suppressed.empty();
  out += fmt::format("<article class=\"finding {}{}\" id=\"{}\">\n<h5><span class=\"sev {}\">{}</span> "
                     "<code class=\"rule\">{}</code>{}</h5>\n",
                     sev, suppressed ? " suppressed" : "", anchor, sev,
                     sev == "error"     ? "\u2716 ERROR"
                     : sev == "warning" ? "\u25b2 WARNING"
                                        : "\u2139 NOTICE",
                     html_escape(f.rule), suppressed ? " <span class=\"tag-suppressed\">SUPPRESSED</span>" : "");
  out += "<p class=\"msg\">" + html_escape(f.message) + "</p>\n<dl class=\"facts\">";
  std::vector<std::string> servers = f.servers;
  if (servers.empty() && !f.location.server.empty()) {
    servers.push_back(f.location.server);
  }
  std::string server_text;
  for (const std::string& s : servers) {
    server_text += (server_text.empty() ? "" : ", ") + ("<span class=\"mono\">" + html_escape(s) + "</span>");
  }
  out += "<dt>Server</dt><dd>" + (server_text.empty() ? std::string("all servers alike (zone data)") : server_text) +
         "</dd>";
  if (!f.location.owner.empty() || !f.location.type.empty()) {
    out += "<dt>RRset</dt><dd class=\"mono\">" + html_escape(f.location.owner) + " " + html_escape(f.location.type) +
           "</dd>";
  }
  out += "<dt>Resolver impact</dt><dd>" + html_escape(html_impact_text(f.resolver)) + "</dd>";
  if (history != nullptr) {
    const auto seen = history->first_seen.find(detail::finding_fingerprint(f));
    out += "<dt>First seen</dt><dd>" +
           (seen != history->first_seen.end()
                ? fmt::format("<span class=\"mono\">{}</span> <span class=\"small\">(run history)</span>",
                              html_escape(time_text(seen->second)))
                : std::string("<strong>new</strong> in this run")) +
           "</dd>";
  }
  const Rule* rule = find_rule(f.rule);
  if (rule != nullptr) {
    const RuleInfo& info = rule->info();
    out += fmt::format("<dt>Rule</dt><dd>{} <span class=\"small\">({}; default severity {})</span></dd>",
                       html_escape(info.summary), html_escape(info.reference), to_string(info.severity));
  }
  out += "<dt>Suppressed</dt><dd>" +
         (suppressed ? html_escape(f.suppressed) : std::string("no: counts towards the result")) + "</dd>";
  if (!f.evidence.empty()) {
    out += "<dt>Evidence</dt><dd>" + escaped_list(f.evidence, "<ul class=\"evidence\">") + "</dd>";
  }
  out += "</dl>\n";
  const detail::RuleDoc* doc = detail::find_rule_doc(f.rule);
  if (f.rule.starts_with("internal/")) {
    // DESIGN.md: internal/* is the tool's own trouble, never the zone's.
    out +=
        "<div class=\"explain\"><p class=\"label\">What this means</p><p>zonewarden could not complete a check; "
        "this is a fault of the tool, not of the zone, and the result is incomplete. Re-run the audit and report the "
        "message if it persists.</p></div>\n";
  } else if (doc != nullptr) {
    const detail::LinkResolver links = rule_links(doc->id, documented);
    out += "<div class=\"explain\">";
    if (!doc->why.empty()) {
      out += "<p class=\"label\">Why resolution breaks</p>" +
             detail::markdown_to_html(detail::first_block(doc->why), links);
    }
    if (!doc->fix.empty()) {
      out += "<p class=\"label\">How to fix</p>" + detail::markdown_to_html(detail::first_block(doc->fix), links);
    }
    out += fmt::format("<p class=\"small\">Full explanation and fixes per server software: "
                       "<a href=\"#{}\">rule reference, {}</a></p>",
                       rule_anchor(f.rule), html_escape(f.rule));
    out += "</div>\n";
  }
  out += "</article>\n";
}

void zone_section(std::string& out, const AuditResult& r, const ZoneResult& z, std::size_t index,
                  const std::set<std::string>& documented, const ReportHistory* history) {
  const Counts c = count(z);
  const bool fail = zone_fails(z);
  const std::string chain_status = zone_status(z);
  out += fmt::format("<section class=\"zone\" id=\"zone-{}\" aria-labelledby=\"zone-{}-h\">\n<div class=\"zone-head\">"
                     "<h3 id=\"zone-{}-h\" class=\"mono\">{}</h3><span class=\"badge {}\">{}</span>"
                     "<span class=\"badge {}\">DNSSEC: {}</span><span class=\"counts\">{} error(s), {} warning(s), "
                     "{} notice(s){}</span></div>\n",
                     index, index, index, html_escape(z.zone), fail ? "fail" : "pass", fail ? "FAIL" : "PASS",
                     html_escape(chain_class(chain_status)), html_escape(chain_status), c.errors(), c.warnings(),
                     c.notices(), c.suppressed > 0 ? fmt::format(", {} suppressed", c.suppressed) : std::string());
  if (r.command == "check") {
    out += "<p class=\"note\">Checked from the zone file: no server was asked.</p>\n";
  } else {
    servers(out, z);
  }
  chain(out, z, index);
  out += fmt::format("<h4>Findings ({})</h4>\n", z.findings.size());
  if (z.findings.empty()) {
    out += "<p class=\"note\">No findings.</p>\n";
  }
  for (std::size_t i = 0; i < z.findings.size(); ++i) {
    finding(out, z.findings[i], fmt::format("zone-{}-f{}", index, i), documented, history);
  }
  if (!z.notes.empty()) {
    out += "<h4>Notes</h4>\n" + escaped_list(z.notes, "<ul>") + "\n";
  }
  out += "</section>\n";
}

// ---- rule reference -----------------------------------------------------------------------

void rule_reference(std::string& out, const std::set<std::string>& documented) {
  out += "<section id=\"rules\" aria-labelledby=\"rules-h\"><h2 id=\"rules-h\">Rule reference</h2>\n";
  if (documented.empty()) {
    out += "<p class=\"note\">No rule raised a finding.</p>\n</section>\n";
    return;
  }
  out += "<p class=\"small\">The documentation of every rule that raised a finding in this report "
         "(docs/rules/&lt;id&gt;.md, embedded at build time).</p>\n";
  for (const std::string& id : documented) {
    const detail::RuleDoc* doc = detail::find_rule_doc(id);
    const Rule* rule = find_rule(id);
    out += fmt::format("<article class=\"rule-doc\" id=\"{}\"><h3 class=\"mono\">{}</h3>\n", rule_anchor(id),
                       html_escape(id));
    if (rule != nullptr) {
      const RuleInfo& info = rule->info();
      out += fmt::format("<p>{} <span class=\"small\">\u00b7 {} \u00b7 default severity {} \u00b7 resolver impact: {}"
                         "</span></p>\n",
                         html_escape(info.summary), html_escape(info.reference), to_string(info.severity),
                         html_escape(html_impact_text(info.impact)));
    }
    if (doc == nullptr) {
      out += "<p class=\"note\">No documentation page is embedded for this rule.</p>\n";
    } else {
      const detail::LinkResolver links = rule_links(id, documented);
      out += "<h4>What it checks</h4>\n" + detail::markdown_to_html(doc->what, links);
      out += "<h4>Why resolution breaks</h4>\n" + detail::markdown_to_html(doc->why, links);
      out += "<h4>How to fix</h4>\n" + detail::markdown_to_html(doc->fix, links);
    }
    out += "</article>\n";
  }
  out += "</section>\n";
}

} // namespace

Result<void> detail::write_html(const AuditResult& result, const ReportHistory* history, const TextSink& write) {
  std::set<std::string> documented; // rules with a finding: their pages go into the appendix
  std::size_t failed = 0;
  std::size_t findings = 0;
  const ZoneResults zones = zones_of(result);
  for (const ZoneResult& z : zones) {
    for (const Finding& f : z.findings) {
      documented.insert(f.rule);
    }
    findings += z.findings.size();
    failed += zone_fails(z) ? 1 : 0;
  }
  const std::string title = fmt::format("zonewarden compliance report \u2013 {} zone{} \u2013 {}", zones.size(),
                                        zones.size() == 1 ? "" : "s", time_text(result.generated));

  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // No script, no remote anything: even a missed escape could not run code or phone home.
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
         "img-src data:\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"generator\" content=\"" + html_escape(result.tool + " " + result.version) + "\">\n";
  out += "<title>" + html_escape(title) + "</title>\n<style>" + std::string(k_css) + "</style>\n</head>\n<body>\n";

  out += "<header class=\"report\"><div class=\"page\">";
  out += fmt::format("<span class=\"verdict\"><span class=\"badge {}\">{}</span></span>", failed > 0 ? "fail" : "pass",
                     failed > 0 ? fmt::format("{} of {} zones FAIL", failed, zones.size())
                                : std::string("all zones PASS"));
  out += "<h1>DNSSEC and zone-health compliance report</h1>";
  out += fmt::format("<p>{} zone{} \u00b7 {} finding{} \u00b7 policy <code>{}</code> \u00b7 generated {} by {} {}</p>",
                     zones.size(), zones.size() == 1 ? "" : "s", findings, findings == 1 ? "" : "s",
                     html_escape(result.policy), html_escape(time_text(result.generated)), html_escape(result.tool),
                     html_escape(result.version));
  out += "</div></header>\n<main class=\"page\">\n";

  // The zone list is the overview table of the summary; the contents stay short for 1000 zones.
  out += "<nav class=\"toc\" aria-label=\"Contents\"><strong>Contents</strong><ol>"
         "<li><a href=\"#summary\">Summary</a> (<a href=\"#overview\">zone overview</a>)</li>"
         "<li><a href=\"#compliance\">Compliance</a></li><li><a href=\"#expiry\">Signature expiry</a></li>"
         "<li><a href=\"#zones\">Zones</a></li><li><a href=\"#rules\">Rule reference</a></li></ol></nav>\n";

  summary(out, result, history);
  detail::compliance_section(out, result);

  out += "<section id=\"expiry\" aria-labelledby=\"expiry-h\"><h2 id=\"expiry-h\">Signature expiry</h2>\n";
  const std::string timeline = detail::expiry_timeline_svg(result);
  if (timeline.empty()) {
    out += "<p class=\"note\">No zone served signatures, so there is nothing to expire.</p>\n";
  } else {
    out += "<figure class=\"diagram\" style=\"margin:0\">" + timeline + "</figure>\n";
    out += fmt::format(
        "<p class=\"legend\">One bar per signed zone, from now to its earliest RRSIG expiration. Bars inside the "
        "hatched warning window ({}, the one dnssec/rrsig-expiring-soon judged with) are amber and dashed; expired "
        "signatures are drawn left of now, red and hatched. Zones without signatures are omitted.</p>\n",
        detail::window_text(result.expiry_window_s));
  }
  out += "</section>\n";

  out += "<section id=\"zones\" aria-labelledby=\"zones-h\"><h2 id=\"zones-h\">Zones</h2>\n";
  if (zones.empty()) {
    out += "<p class=\"note\">No zone was audited.</p>\n";
  }
  for (auto zone = zones.begin(); zone != zones.end(); ++zone) {
    zone_section(out, result, *zone, zone.index(), documented, history);
    ZW_TRY(detail::flush_if_full(out, write));
  }
  out += "</section>\n";
  rule_reference(out, documented);
  out += fmt::format("<footer>Generated by {} {} from the audit result; severities are the tool's, graded with policy "
                     "<code>{}</code>. This file is self-contained and works offline.</footer>\n",
                     html_escape(result.tool), html_escape(result.version), html_escape(result.policy));
  out += "</main>\n</body>\n</html>\n";
  return write(out);
}

std::string render_html(const AuditResult& result, const ReportHistory* history) {
  return detail::collect([&](const TextSink& write) { return detail::write_html(result, history, write); });
}

} // namespace zw
