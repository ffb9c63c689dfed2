// Inline SVG for the HTML report: the chain of trust of one zone and the signature-expiry
// timeline of all zones. Hand-written SVG, no scripts; meaning never rests on colour alone
// (broken links are dashed and labelled), so the diagrams survive greyscale printing.

#include "report/html_svg.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "report/html_markdown.hpp"
#include "util/time.hpp"

namespace zw::detail {

namespace {

constexpr std::string_view k_ink = "#24292f";
constexpr std::string_view k_muted = "#57606a";
constexpr std::string_view k_red = "#cf222e";
constexpr std::string_view k_green = "#1a7f37";
constexpr std::string_view k_amber = "#9a6700";
constexpr std::string_view k_blue = "#0969da";

// IANA "DNS Security Algorithm Numbers" mnemonics (RFC 8624 §3.1 grades them).
std::string_view algorithm_name(std::uint8_t alg) {
  switch (alg) {
  case 1: return "RSAMD5";
  case 3: return "DSA";
  case 5: return "RSASHA1";
  case 6: return "DSA-NSEC3";
  case 7: return "RSASHA1-N3";
  case 8: return "RSASHA256";
  case 10: return "RSASHA512";
  case 12: return "ECC-GOST";
  case 13: return "ECDSAP256";
  case 14: return "ECDSAP384";
  case 15: return "ED25519";
  case 16: return "ED448";
  default: return "";
  }
}

// IANA "DS RR Type Digest Algorithms".
std::string digest_name(std::uint8_t type) {
  switch (type) {
  case 1: return "SHA-1";
  case 2: return "SHA-256";
  case 3: return "GOST";
  case 4: return "SHA-384";
  default: return fmt::format("digest {}", type);
  }
}

std::string status_colour(std::string_view status) {
  if (status == "secure") {
    return std::string(k_green);
  }
  if (status == "bogus") {
    return std::string(k_red);
  }
  if (status == "indeterminate") {
    return std::string(k_amber);
  }
  return std::string(k_muted);
}

// Shortens `text` to `max` characters with an ellipsis; the caller escapes.
std::string clip(std::string_view text, std::size_t max) {
  if (text.size() <= max) {
    return std::string(text);
  }
  return std::string(text.substr(0, max - 1)) + "\u2026";
}

std::string text_el(double x, double y, std::string_view text, std::string_view attrs) {
  return fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" {}>{}</text>", x, y, attrs, html_escape(text));
}

std::string line_el(double x1, double y1, double x2, double y2, std::string_view attrs) {
  return fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" {}/>", x1, y1, x2, y2, attrs);
}

constexpr double k_pill_w = 132;
constexpr double k_pill_h = 34;
constexpr double k_pill_gap = 12;
constexpr double k_box_pad = 14;
constexpr double k_box_gap = 64;
constexpr double k_char_w = 7.4; // 12px monospace, bold, generous

struct Pill {
  double x = 0;
  double y = 0;
  std::string line1;
  std::string line2;
  bool broken = false;
  std::string tooltip;
};

std::string pill_el(const Pill& p) {
  const std::string_view stroke = p.broken ? k_red : k_ink;
  std::string out = "<g class=\"pill\">";
  out += "<title>" + html_escape(p.tooltip) + "</title>";
  out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{}\" height=\"{}\" rx=\"5\" fill=\"#ffffff\" "
                     "stroke=\"{}\" stroke-width=\"{}\"{}/>",
                     p.x, p.y, k_pill_w, k_pill_h, stroke, p.broken ? 2 : 1.2,
                     p.broken ? " stroke-dasharray=\"5 3\"" : "");
  out += text_el(p.x + k_pill_w / 2, p.y + 14, p.line1,
                 fmt::format("text-anchor=\"middle\" font-weight=\"700\" fill=\"{}\"", p.broken ? k_red : k_ink));
  out += text_el(p.x + k_pill_w / 2, p.y + 28, p.line2, "text-anchor=\"middle\" font-size=\"10.5\" fill=\"#57606a\"");
  out += "</g>";
  return out;
}

double row_start(double box_x, double box_w, std::size_t n) {
  const double row_w = static_cast<double>(n) * k_pill_w + static_cast<double>(n > 0 ? n - 1 : 0) * k_pill_gap;
  return box_x + (box_w - row_w) / 2;
}

} // namespace

std::string chain_svg(const ZoneResult& zone, std::string_view id_prefix) {
  if (zone.chain_links.empty()) {
    return {};
  }
  const std::string pfx = html_escape(id_prefix);
  // Uniform rows across boxes so that the delegation arrows are horizontal.
  const double top = 8;
  const double ds_y = top + 56;
  const double key_y = ds_y + k_pill_h + 48;
  const double set_y = key_y + k_pill_h + 40;
  const double set_h = 24;
  // The audited zone's box names why it is bogus when no link of the diagram is broken.
  std::string bogus_reason;
  if (zone.chain_links.back().status == "bogus") {
    for (const Finding& f : zone.findings) {
      if (f.suppressed.empty() && f.severity == Severity::error && f.rule.starts_with("dnssec/") &&
          bogus_reason.find(f.rule) == std::string::npos) {
        bogus_reason += (bogus_reason.empty() ? "" : ", ") + f.rule;
      }
    }
  }
  const double reason_y = set_y + set_h + 14;
  const double box_h = set_y + set_h + (bogus_reason.empty() ? 12 : 36) - top;
  const double height = top + box_h + 8;

  std::vector<double> widths;
  for (const ChainLink& link : zone.chain_links) {
    const std::size_t n = std::max<std::size_t>({link.ds.size(), link.keys.size(), 1});
    const double pills = static_cast<double>(n) * k_pill_w + static_cast<double>(n - 1) * k_pill_gap + 2 * k_box_pad;
    const double name = static_cast<double>(std::min<std::size_t>(link.zone.size(), 34)) * k_char_w + 120;
    const bool last = &link == &zone.chain_links.back();
    const double reason =
        last && !bogus_reason.empty()
            ? static_cast<double>(std::min<std::size_t>(bogus_reason.size(), 60) + 10) * 6.4 + 2 * k_box_pad
            : 0.0;
    widths.push_back(std::max({pills, name, reason, 250.0}));
  }
  double width = 8;
  for (const double w : widths) {
    width += w + k_box_gap;
  }
  width = width - k_box_gap + 8;

  std::string desc;
  for (const ChainLink& link : zone.chain_links) {
    desc += (desc.empty() ? "" : " \u2192 ") + link.zone + " (" + link.status + ")";
  }

  std::string out = fmt::format(
      "<svg class=\"chain\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0:.0f} {1:.0f}\" width=\"{0:.0f}\" "
      "height=\"{1:.0f}\" role=\"img\" aria-labelledby=\"{2}-t {2}-d\" font-family=\"ui-monospace, 'DejaVu Sans Mono', "
      "Menlo, Consolas, monospace\" font-size=\"12\">",
      width, height, pfx);
  out += fmt::format("<title id=\"{}-t\">Chain of trust of {}</title><desc id=\"{}-d\">{}</desc>", pfx,
                     html_escape(zone.zone), pfx, html_escape(desc));
  out += fmt::format(
      "<defs><marker id=\"{0}-ok\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
      "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{1}\"/></marker>"
      "<marker id=\"{0}-bad\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
      "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{2}\"/></marker></defs>",
      pfx, k_ink, k_red);

  const std::string ok_line = fmt::format("stroke=\"{}\" stroke-width=\"1.4\" marker-end=\"url(#{}-ok)\"", k_ink, pfx);
  const std::string bad_line = fmt::format(
      "stroke=\"{}\" stroke-width=\"1.8\" stroke-dasharray=\"5 3\" marker-end=\"url(#{}-bad)\"", k_red, pfx);
  const std::string bad_text = fmt::format("font-size=\"10.5\" font-weight=\"700\" fill=\"{}\"", k_red);

  double x = 8;
  for (std::size_t li = 0; li < zone.chain_links.size(); ++li) {
    const ChainLink& link = zone.chain_links[li];
    const double w = widths[li];
    const bool bogus = link.status == "bogus";
    const std::string colour = status_colour(link.status);
    out += "<g class=\"link\">";
    // The zone's box; a bogus link is red and dashed.
    out +=
        fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" rx=\"8\" fill=\"{}\" "
                    "stroke=\"{}\" stroke-width=\"{}\"{}/>",
                    x, top, w, box_h, bogus ? "#fff5f5" : "#f6f8fa", colour, bogus ? 2.5 : 1.5,
                    bogus ? " stroke-dasharray=\"8 4\"" : (link.status == "secure" ? "" : " stroke-dasharray=\"2 3\""));
    out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"6\" fill=\"{}\"/>", x + 8, top,
                       w - 16, colour);
    out += "<title>" + html_escape(link.zone + ": " + link.status) + "</title>";
    out +=
        text_el(x + k_box_pad, top + 27, clip(link.zone, 34), "font-weight=\"700\" font-size=\"13\" fill=\"#24292f\"");
    const std::string status_label = (link.status == "secure"  ? "\u2713 "
                                      : link.status == "bogus" ? "\u2717 "
                                                               : "") +
                                     (bogus ? std::string("BOGUS") : link.status);
    out += text_el(x + w - k_box_pad, top + 27, status_label,
                   fmt::format("text-anchor=\"end\" font-weight=\"700\" font-size=\"11\" fill=\"{}\"", colour));
    out += text_el(x + k_box_pad, ds_y - 7, li == 0 ? "DS (trust anchor)" : "DS (at parent)",
                   "font-size=\"10\" fill=\"#57606a\"");
    out += text_el(x + k_box_pad, key_y - 6, "DNSKEY", "font-size=\"10\" fill=\"#57606a\"");

    // DS row.
    std::vector<Pill> ds_pills;
    double px = row_start(x, w, std::max<std::size_t>(link.ds.size(), 1));
    for (const ChainLink::Ds& ds : link.ds) {
      Pill p;
      p.x = px;
      p.y = ds_y;
      p.line1 = fmt::format("DS {}", ds.key_tag);
      p.line2 = fmt::format("alg {} \u00b7 {}", ds.algorithm, digest_name(ds.digest_type));
      p.broken = !ds.matches_key;
      p.tooltip = fmt::format("DS key tag {}, algorithm {} {}, digest type {} ({}){}", ds.key_tag, ds.algorithm,
                              algorithm_name(ds.algorithm), ds.digest_type, digest_name(ds.digest_type),
                              ds.matches_key ? ", matches a DNSKEY" : ", matches no DNSKEY of the zone");
      ds_pills.push_back(p);
      px += k_pill_w + k_pill_gap;
    }
    // DNSKEY row.
    std::vector<Pill> key_pills;
    px = row_start(x, w, std::max<std::size_t>(link.keys.size(), 1));
    for (const ChainLink::Key& key : link.keys) {
      Pill p;
      p.x = px;
      p.y = key_y;
      const std::string_view role = key.flags == 257 ? "KSK" : key.flags == 256 ? "ZSK" : "key";
      p.line1 = fmt::format("{} {}", role, key.key_tag);
      const std::string_view alg = algorithm_name(key.algorithm);
      p.line2 =
          alg.empty() ? fmt::format("alg {}", key.algorithm) : fmt::format("alg {} \u00b7 {}", key.algorithm, alg);
      p.broken = key.matched_by_ds && !key.signs_dnskey;
      p.tooltip = fmt::format("DNSKEY key tag {}, flags {} ({}), algorithm {} {}{}{}", key.key_tag, key.flags, role,
                              key.algorithm, alg, key.matched_by_ds ? ", matched by a DS" : "",
                              key.signs_dnskey ? ", signs the DNSKEY RRset" : ", does not sign the DNSKEY RRset");
      key_pills.push_back(p);
      px += k_pill_w + k_pill_gap;
    }

    if (link.ds.empty()) {
      const double ex = row_start(x, w, 1);
      out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{}\" height=\"{}\" rx=\"5\" fill=\"none\" "
                         "stroke=\"{}\" stroke-dasharray=\"3 3\"/>",
                         ex, ds_y, k_pill_w, k_pill_h, bogus ? k_red : k_muted);
      out += text_el(ex + k_pill_w / 2, ds_y + 21, "no DS", "text-anchor=\"middle\" fill=\"#57606a\"");
    }
    if (link.keys.empty()) {
      const double ex = row_start(x, w, 1);
      const bool missing = !link.ds.empty();
      out +=
          fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{}\" height=\"{}\" rx=\"5\" fill=\"none\" "
                      "stroke=\"{}\" stroke-dasharray=\"3 3\"{}/>",
                      ex, key_y, k_pill_w, k_pill_h, missing ? k_red : k_muted, missing ? " stroke-width=\"2\"" : "");
      out += text_el(ex + k_pill_w / 2, key_y + 21, missing ? "\u2717 no DNSKEY" : "no DNSKEY",
                     missing ? "text-anchor=\"middle\" font-weight=\"700\" fill=\"#cf222e\""
                             : "text-anchor=\"middle\" fill=\"#57606a\"");
    }

    // DS -> the DNSKEY it matches; a DS that matches none is a red dashed stub.
    for (std::size_t i = 0; i < link.ds.size(); ++i) {
      const ChainLink::Ds& ds = link.ds[i];
      const Pill& from = ds_pills[i];
      const double fx = from.x + k_pill_w / 2;
      std::size_t target = link.keys.size();
      for (std::size_t k = 0; k < link.keys.size() && ds.matches_key; ++k) {
        if (link.keys[k].key_tag == ds.key_tag && link.keys[k].algorithm == ds.algorithm) {
          target = k;
          break;
        }
      }
      if (target < link.keys.size()) {
        const Pill& to = key_pills[target];
        out += line_el(fx, ds_y + k_pill_h, to.x + k_pill_w / 2, key_y - 2, ok_line);
        out += text_el((fx + to.x + k_pill_w / 2) / 2 + 5, ds_y + k_pill_h + 26, "matches",
                       "font-size=\"10\" fill=\"#57606a\"");
      } else {
        out += line_el(fx, ds_y + k_pill_h, fx, ds_y + k_pill_h + 18, bad_line);
        out += text_el(fx, ds_y + k_pill_h + 31, "\u2717 matches no DNSKEY",
                       bad_text + (fx > x + w / 2 ? " text-anchor=\"end\"" : " text-anchor=\"start\""));
      }
    }

    // DNSKEY -> "signs DNSKEY RRset" marker; a DS-matched key that does not sign it is broken.
    bool set_signed_by_ds_key = false;
    bool any_signer = false;
    for (std::size_t k = 0; k < link.keys.size(); ++k) {
      const ChainLink::Key& key = link.keys[k];
      const double kx = key_pills[k].x + k_pill_w / 2;
      if (key.signs_dnskey) {
        any_signer = true;
        set_signed_by_ds_key = set_signed_by_ds_key || key.matched_by_ds;
        out += line_el(kx, key_y + k_pill_h, kx, set_y - 2, ok_line);
        out += text_el(kx + 5, key_y + k_pill_h + 22, "signs", "font-size=\"10\" fill=\"#57606a\"");
      } else if (key.matched_by_ds) {
        out += line_el(kx, key_y + k_pill_h, kx, set_y - 2, bad_line);
        // Label on the side facing the box's centre, so that it stays inside the box.
        const bool right_half = kx > x + w / 2;
        out += text_el(right_half ? kx - 6 : kx + 6, key_y + k_pill_h + 22, "\u2717 does not sign",
                       bad_text + (right_half ? " text-anchor=\"end\"" : ""));
      }
    }
    for (const Pill& p : ds_pills) {
      out += pill_el(p);
    }
    for (const Pill& p : key_pills) {
      out += pill_el(p);
    }

    // The DNSKEY RRset marker: intact only when a DS-matched key signs it (RFC 4035 §5.2).
    const bool set_broken = !link.keys.empty() && !link.ds.empty() && !set_signed_by_ds_key;
    const double set_x = x + k_box_pad;
    const double set_w = w - 2 * k_box_pad;
    out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" rx=\"4\" fill=\"{}\" "
                       "stroke=\"{}\"{}/>",
                       set_x, set_y, set_w, set_h, set_broken ? "#ffebe9" : (any_signer ? "#dafbe1" : "#eaeef2"),
                       set_broken ? k_red : (any_signer ? k_green : k_muted),
                       set_broken ? " stroke-width=\"2\" stroke-dasharray=\"5 3\"" : "");
    std::string set_label;
    if (link.keys.empty()) {
      set_label = "no DNSKEY RRset";
    } else if (set_broken) {
      set_label = any_signer ? "\u2717 no DS key signs DNSKEY RRset" : "\u2717 DNSKEY RRset unsigned";
    } else if (any_signer) {
      set_label = "\u2713 signs DNSKEY RRset";
    } else {
      set_label = "DNSKEY RRset unsigned";
    }
    out += text_el(set_x + set_w / 2, set_y + 16, set_label,
                   fmt::format("text-anchor=\"middle\" font-size=\"11\" font-weight=\"700\" fill=\"{}\"",
                               set_broken ? k_red : (any_signer ? k_green : k_muted)));
    if (li + 1 == zone.chain_links.size() && !bogus_reason.empty()) {
      out += text_el(x + k_box_pad, reason_y + 10, "\u2717 bogus: " + clip(bogus_reason, 60), bad_text);
    }
    out += "</g>";

    // Delegation arrow to the child: the parent publishes (and signs) the child's DS.
    if (li + 1 < zone.chain_links.size()) {
      const double ax = x + w;
      const double ay = ds_y + k_pill_h / 2;
      const bool child_bogus = zone.chain_links[li + 1].status == "bogus";
      out += line_el(ax + 4, ay, ax + k_box_gap - 4, ay, child_bogus ? bad_line : ok_line);
      out += text_el(ax + k_box_gap / 2, ay - 7, "DS", "text-anchor=\"middle\" font-size=\"10\" fill=\"#57606a\"");
    }
    x += w + k_box_gap;
  }
  out += "</svg>";
  return out;
}

namespace {

std::string relative(std::int64_t seconds) {
  const std::int64_t a = seconds < 0 ? -seconds : seconds;
  std::string span;
  if (a >= std::int64_t{2} * 86400) {
    span = fmt::format("{} d", a / 86400);
  } else if (a >= 86400) {
    span = fmt::format("{} d {} h", a / 86400, (a % 86400) / 3600);
  } else if (a >= 3600) {
    span = fmt::format("{} h", a / 3600);
  } else {
    span = fmt::format("{} min", a / 60);
  }
  return seconds < 0 ? "expired " + span + " ago" : "in " + span;
}

} // namespace

std::string window_text(std::int64_t seconds) {
  if (seconds > 0 && seconds % 86400 == 0) {
    return fmt::format("{} d", seconds / 86400);
  }
  if (seconds > 0 && seconds % 3600 == 0) {
    return fmt::format("{} h", seconds / 3600);
  }
  return util::format_duration(seconds);
}

std::string expiry_timeline_svg(const AuditResult& result) {
  const std::int64_t window_s = result.expiry_window_s;
  struct Row {
    std::size_t index;
    std::string zone;
    std::int64_t expiration;
  };
  std::vector<Row> rows;
  const ZoneResults zones = zones_of(result);
  for (auto z = zones.begin(); z != zones.end(); ++z) {
    if (z->earliest_expiration) {
      rows.push_back({z.index(), z->zone, *z->earliest_expiration});
    }
  }
  if (rows.empty()) {
    return {};
  }
  const std::int64_t now = result.now;
  std::int64_t t0 = now;
  std::int64_t t1 = now + window_s;
  std::size_t longest = 8;
  for (const Row& r : rows) {
    t0 = std::min(t0, r.expiration);
    t1 = std::max(t1, r.expiration);
    longest = std::max(longest, std::min<std::size_t>(r.zone.size(), 30));
  }
  const std::int64_t pad = (t1 - t0) / 25 + 3600;
  t0 -= pad;
  t1 += pad;

  const double width = 1000;
  const double label_w = static_cast<double>(longest) * 6.8 + 16;
  const double right = 130;
  const double plot_x = label_w;
  const double plot_w = width - label_w - right;
  const double top = 34;
  const double row_h = 20;
  const double plot_h = row_h * static_cast<double>(rows.size());
  const double height = top + plot_h + 34;
  const auto xof = [&](std::int64_t t) {
    return plot_x + plot_w * static_cast<double>(t - t0) / static_cast<double>(t1 - t0);
  };

  std::string out =
      fmt::format("<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0:.0f} {1:.0f}\" "
                  "width=\"{0:.0f}\" height=\"{1:.0f}\" role=\"img\" aria-labelledby=\"timeline-t timeline-d\" "
                  "font-family=\"system-ui, 'DejaVu Sans', sans-serif\" font-size=\"11\">",
                  width, height);
  out += "<title id=\"timeline-t\">Signature expiry timeline</title>";
  out += fmt::format("<desc id=\"timeline-d\">Earliest RRSIG expiration per zone relative to now ({}); the shaded "
                     "band is the warning window of {} days.</desc>",
                     html_escape(util::format_utc(now)), window_s / 86400);
  out += "<defs><pattern id=\"timeline-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
         "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fff8c5\"/>"
         "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#d4a72c\" stroke-width=\"2\"/></pattern>"
         "<pattern id=\"timeline-expired\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\" "
         "patternTransform=\"rotate(-45)\"><rect width=\"5\" height=\"5\" fill=\"#cf222e\"/>"
         "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"5\" stroke=\"#ffffff\" stroke-width=\"1.5\"/></pattern></defs>";

  // Axis ticks: the first step that gives at most 8 ticks.
  constexpr std::int64_t hour = 3600;
  constexpr std::int64_t day = 86400;
  constexpr std::array<std::int64_t, 13> steps{hour,     3 * hour, 6 * hour, 12 * hour, day,       2 * day,  7 * day,
                                               14 * day, 30 * day, 60 * day, 91 * day,  182 * day, 365 * day};
  std::int64_t step = steps.back();
  for (const std::int64_t s : steps) {
    if ((t1 - t0) / s <= 8) {
      step = s;
      break;
    }
  }
  const std::int64_t first = (t0 / step + (t0 % step > 0 ? 1 : 0)) * step;
  for (std::int64_t t = first; t <= t1; t += step) {
    const double tx = xof(t);
    out += line_el(tx, top - 4, tx, top + plot_h, "stroke=\"#d0d7de\" stroke-width=\"1\"");
    const std::string stamp = util::format_utc(t); // 2026-11-27T12:00:00Z
    const std::string label = step >= 86400 ? stamp.substr(0, 10) : stamp.substr(5, 5) + " " + stamp.substr(11, 5);
    out += text_el(tx, top + plot_h + 16, label, "text-anchor=\"middle\" fill=\"#57606a\"");
  }
  out += line_el(plot_x, top + plot_h, plot_x + plot_w, top + plot_h, "stroke=\"#57606a\" stroke-width=\"1\"");
  out += text_el(plot_x + plot_w, top + plot_h + 30, "UTC", "text-anchor=\"end\" font-size=\"10\" fill=\"#57606a\"");

  // The warning window, shaded from now.
  const double wx = xof(now);
  const double ww = xof(now + window_s) - wx;
  out += fmt::format("<rect class=\"window\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
                     "fill=\"url(#timeline-hatch)\" opacity=\"0.8\"><title>warning window ({})</title></rect>",
                     wx, top - 4, std::max(ww, 1.0), plot_h + 4, window_text(window_s));
  out += text_el(wx + std::max(ww, 1.0) + 4, top - 8, fmt::format("warning window ({})", window_text(window_s)),
                 "fill=\"#7d4e00\"");

  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    const double y = top + row_h * static_cast<double>(i);
    const std::int64_t left = r.expiration - now;
    if (i % 2 == 1) {
      out += fmt::format("<rect x=\"0\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" fill=\"#f6f8fa\" "
                         "opacity=\"0.6\"/>",
                         y, plot_x - 4, row_h);
    }
    out += fmt::format("<a href=\"#zone-{}\">", r.index);
    out += text_el(plot_x - 8, y + 14, clip(r.zone, 30), "text-anchor=\"end\" fill=\"#0969da\"");
    out += "</a>";
    std::string fill;
    std::string extra;
    double bx = 0;
    double bw = 0;
    if (left < 0) {
      fill = "url(#timeline-expired)";
      extra = fmt::format(" stroke=\"{}\" stroke-width=\"1.2\"", k_red);
      bx = xof(r.expiration);
      bw = wx - bx;
    } else {
      fill = std::string(left <= window_s ? "#bf8700" : k_blue);
      bx = wx;
      bw = xof(r.expiration) - wx;
      if (left <= window_s) {
        extra = " stroke=\"#7d4e00\" stroke-width=\"1.2\" stroke-dasharray=\"4 2\"";
      }
    }
    const std::string tip =
        fmt::format("{}: earliest RRSIG expiration {} ({})", r.zone, util::format_utc(r.expiration), relative(left));
    out += fmt::format("<rect class=\"bar\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"12\" rx=\"2\" "
                       "fill=\"{}\"{}><title>{}</title></rect>",
                       bx, y + 4, std::max(bw, 2.0), fill, extra, html_escape(tip));
    const std::string_view colour = left < 0 ? k_red : left <= window_s ? std::string_view("#7d4e00") : k_ink;
    const double lx = left < 0 ? wx + 6 : bx + std::max(bw, 2.0) + 6;
    out += text_el(lx, y + 14, relative(left),
                   fmt::format("fill=\"{}\"{}", colour, left <= window_s ? " font-weight=\"700\"" : ""));
  }

  // "now" on top of the bars.
  out += line_el(wx, top - 22, wx, top + plot_h + 4, "stroke=\"#24292f\" stroke-width=\"2\"");
  out += text_el(wx - 4, top - 12, "now " + util::format_utc(now).substr(0, 16) + "Z",
                 "text-anchor=\"end\" font-weight=\"700\" fill=\"#24292f\"");
  out += "</svg>";
  return out;
}

std::string run_bars_svg(std::span<const RunBar> runs, const RunChartLayout& layout) {
  if (runs.empty()) {
    return {};
  }
  std::int64_t top = 1;
  for (const RunBar& r : runs) {
    top = std::max(top, r.errors + r.warnings);
  }
  const double left = layout.scale ? 40.0 : 0.0;  // the largest total, right-aligned
  const double below = layout.scale ? 18.0 : 1.0; // the baseline, and the labels under it
  const double width = left + static_cast<double>(runs.size()) * (layout.bar + layout.gap) - layout.gap;
  const double height = layout.plot + below;
  std::string out =
      fmt::format("<svg{} width=\"{:.0f}\" height=\"{:.0f}\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" "
                  "aria-label=\"{}\">",
                  layout.css_class.empty() ? std::string() : fmt::format(" class=\"{}\"", layout.css_class), width,
                  height, width, height, html_escape(layout.aria_label));
  if (layout.scale) {
    out += text_el(left - 4, 10, std::to_string(top),
                   fmt::format("text-anchor=\"end\" font-size=\"10\" fill=\"{}\"", k_muted));
    out += line_el(left, layout.plot, width, layout.plot, fmt::format("stroke=\"{}\"", k_muted));
  }
  const auto scaled = [&](std::int64_t n) { return layout.plot * static_cast<double>(n) / static_cast<double>(top); };
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const RunBar& r = runs[i];
    const double x = left + static_cast<double>(i) * (layout.bar + layout.gap);
    const double errors = scaled(r.errors);
    const double warnings = scaled(r.warnings);
    out += fmt::format("<g><title>{}</title>", html_escape(r.title));
    out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"1\" fill=\"{}\"/>", x, layout.plot,
                       layout.bar, k_muted);
    out +=
        fmt::format("<rect class=\"errors\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"/>",
                    x, layout.plot - errors, layout.bar, errors, k_red);
    out += fmt::format(
        "<rect class=\"warnings\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"/>", x,
        layout.plot - errors - warnings, layout.bar, warnings, k_amber);
    if (!r.label.empty()) {
      out += text_el(x + layout.bar / 2, layout.plot + 14, r.label, "text-anchor=\"middle\" font-size=\"10\"");
    }
    out += "</g>";
  }
  return out + "</svg>";
}

std::string trend_svg(const std::vector<ReportHistory::Run>& runs) {
  std::vector<RunBar> bars;
  bars.reserve(runs.size());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const ReportHistory::Run& r = runs[i];
    bars.push_back(RunBar{r.errors,
                          r.warnings,
                          fmt::format("{}{}: {} error(s), {} warning(s)", util::format_utc(r.started).substr(0, 10),
                                      i + 1 == runs.size() ? " (this run)" : "", r.errors, r.warnings),
                          {}});
  }
  const std::string aria = fmt::format("errors and warnings over the last {} runs", runs.size());
  return run_bars_svg(
      bars, RunChartLayout{.bar = 6, .gap = 2, .plot = 20, .scale = false, .css_class = "trend", .aria_label = aria});
}

} // namespace zw::detail
