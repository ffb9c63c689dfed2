#pragma once
// The inline SVG diagrams of the HTML report. Every text and attribute value is escaped.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zonewarden/audit.hpp"
#include "zonewarden/report.hpp"

namespace zw::detail {

// The chain of trust of `zone` (root first) as an inline <svg>, or "" when it has no links;
// `id_prefix` keeps its element ids unique in the document.
std::string chain_svg(const ZoneResult& zone, std::string_view id_prefix);

// One bar per zone with signatures, from `result.now` to its earliest RRSIG expiration, the
// warning window the result records (`expiry_window_s`) shaded; "" when no zone has signatures.
std::string expiry_timeline_svg(const AuditResult& result);

// A warning window for the reader: "3 d", "12 h", else "1d 6h" (util::format_duration).
std::string window_text(std::int64_t seconds);

// One bar of a chart of runs: the run's errors and warnings, its tooltip and the label under the
// bar ("" for none); both texts are escaped by the chart.
struct RunBar {
  std::int64_t errors = 0;
  std::int64_t warnings = 0;
  std::string title;
  std::string label;
};

// How a chart of runs is drawn: bar width, gap between bars and plot height in pixels; `scale`
// writes the largest total left of the plot and draws the axis with room for the labels;
// `css_class` ("" for none) classes the <svg>, `aria_label` names it for screen readers.
struct RunChartLayout {
  double bar = 6;
  double gap = 2;
  double plot = 20;
  bool scale = false;
  std::string_view css_class;
  std::string_view aria_label;
};

// One stacked bar per run, oldest left, errors (red) under warnings (amber), scaled to the
// largest total: each bar a <g> with its <title> and two rects classed "errors" and "warnings"
// over a baseline tick, so that a clean run shows too. "" when `runs` is empty. Shared by the
// HTML report's per-zone trend and `history runs --format html`.
std::string run_bars_svg(std::span<const RunBar> runs, const RunChartLayout& layout);

// A zone's findings over its runs as a sparkline: one stacked bar per run (errors red, warnings
// amber, scaled to the largest total), oldest first, each with a tooltip naming its date; the last
// entry is the run being reported. "" when `runs` is empty.
std::string trend_svg(const std::vector<ReportHistory::Run>& runs);

} // namespace zw::detail
