#pragma once
// What every rule file includes: the interface, the context, and small shared helpers.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "dns/rr.hpp"
#include "rules/rule_code.hpp"
#include "rules/rule_context.hpp"
#include "util/text.hpp"
#include "util/time.hpp"
#include "zonewarden/finding.hpp"
#include "zonewarden/rule.hpp"

namespace zw::rules {

// A location in the audited zone.
inline Location at(const RuleContext& ctx, std::string server, std::string owner, std::string type) {
  return Location{ctx.zone_name(), std::move(server), std::move(owner), std::move(type), {}, 0};
}

// A finding at `location` graded as the rule's catalog entry says (its default severity and
// resolver impact), for the sink calls that take a graded finding: add_graded and add_summary.
inline Finding finding(const RuleInfo& info, Location location) {
  Finding f;
  f.location = std::move(location);
  f.severity = info.severity;
  f.resolver = info.impact;
  return f;
}

// The resolver impact of a fault under which resolution still succeeds: NOERROR, no EDE.
inline constexpr ResolverImpact k_unaffected{Rcode::noerror, Ede::none};

// Grades `f` a warning under which resolution still succeeds (k_unaffected): resolvers route
// around the fault, or it breaks nothing while the zone is not validated.
inline void grade_warning_unaffected(Finding& f) {
  f.severity = Severity::warning;
  f.resolver = k_unaffected;
}

// A wire name as presentation text ("example.com.").
inline std::string text(std::span<const std::uint8_t> name) {
  return dns::name_to_text(name);
}

// Formats a unix time as RFC 3339 UTC ("2026-11-27T02:51:00Z").
inline std::string utc(std::int64_t unix_seconds) {
  return util::format_utc(unix_seconds);
}
// "3d 4h" / "5h 12m" / "42s": a span of time for messages.
inline std::string duration(std::int64_t seconds) {
  return util::format_duration(seconds);
}

// Reports every server address whose state is `status` as one finding each, saying what the
// server does ("refuses queries for the zone"). A lame server among working ones is a warning
// and resolvers route around it; when no server of the zone works, it is an error and
// resolution fails (SERVFAIL, EDE 22 "No Reachable Authority").
void report_lame(const RuleContext& ctx, FindingSink& sink, ServerStatus status);

// The whole of delegation/lame-refused, lame-servfail, lame-not-authoritative and
// protocol/malformed-response: `extern const RuleCode lame_refused{.check = &check_lame<ServerStatus::refused>};`.
template <ServerStatus Status> void check_lame(const RuleContext& ctx, FindingSink& sink, const RuleInfo& /*info*/) {
  report_lame(ctx, sink, Status);
}

// The resolver impact and severity when every server is unusable vs. only some.
ResolverImpact lame_impact(const RuleContext& ctx) noexcept;

} // namespace zw::rules
