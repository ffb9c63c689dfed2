#pragma once
// The inline SVG diagrams of the HTML report. Every text and attribute value is escaped.

#include <cstdint>
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
// warning window of `window_s` seconds shaded; "" when no zone has signatures.
std::string expiry_timeline_svg(const AuditResult& result, std::int64_t window_s);

// A zone's findings over its runs as a sparkline: one stacked bar per run (errors red, warnings
// amber, scaled to the largest total), oldest first, each with a tooltip naming its date; the last
// entry is the run being reported. "" when `runs` is empty.
std::string trend_svg(const std::vector<ReportHistory::Run>& runs);

} // namespace zw::detail
