#pragma once
// What every rule file includes: the interface, the context, and small shared helpers.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "dns/rr.hpp"
#include "rules/rule_context.hpp"
#include "util/time.hpp"
#include "zonewarden/finding.hpp"
#include "zonewarden/rule.hpp"

namespace zw::rules {

// A location in the audited zone.
inline Location at(const RuleContext& ctx, std::string server, std::string owner, std::string type) {
  return Location{ctx.zone_name(), std::move(server), std::move(owner), std::move(type), {}, 0};
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
std::string duration(std::int64_t seconds);

// Reports every server address whose state is `status` as one finding each. A lame server among
// working ones is a warning and resolvers route around it; when no server of the zone works,
// it is an error and resolution fails (SERVFAIL, EDE 22 "No Reachable Authority").
void report_lame(const RuleContext& ctx, FindingSink& sink, ServerStatus status, std::string_view what);

// A rule that is report_lame for one server state: delegation/lame-refused, lame-servfail,
// lame-not-authoritative and protocol/malformed-response differ only in `status` and `what`.
std::unique_ptr<Rule> make_lame_rule(const RuleInfo& info, ServerStatus status, std::string_view what);

// The factory of rule class `R` that the catalog calls: `make_NAME(info) { return make_rule<R>(info); }`.
template <typename R> std::unique_ptr<Rule> make_rule(const RuleInfo& info) {
  return std::make_unique<R>(info);
}

// The resolver impact and severity when every server is unusable vs. only some.
ResolverImpact lame_impact(const RuleContext& ctx) noexcept;

// The zone file input when a zone-file rule can run: `check` with a store and its layout.
inline const ZoneFileInput* zone_file(const RuleContext& ctx) noexcept {
  const ZoneFileInput* file = ctx.zone_file();
  return file != nullptr && file->store != nullptr && file->layout != nullptr ? file : nullptr;
}

// A rule that judges the zone file (`check`): check_file is handed it, loaded with its store and
// layout. In a live audit it runs check_live, which reports nothing unless the rule says
// otherwise.
class ZoneFileRule : public Rule {
public:
  using Rule::Rule;
  void check(const RuleContext& ctx, FindingSink& sink) const final {
    if (ctx.zone_file() == nullptr) {
      check_live(ctx, sink);
    } else if (const ZoneFileInput* file = zone_file(ctx)) {
      check_file(ctx, *file, sink);
    }
  }

protected:
  virtual void check_file(const RuleContext& ctx, const ZoneFileInput& file, FindingSink& sink) const = 0;
  virtual void check_live(const RuleContext& ctx, FindingSink& sink) const {
    (void)ctx;
    (void)sink;
  }
};

} // namespace zw::rules
