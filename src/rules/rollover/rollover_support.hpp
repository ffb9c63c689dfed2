#pragma once
// Shared by the rollover rules (docs/rules/rollover/): the zone's state now and as its latest
// earlier run recorded it (--history), and how keys are named in their findings.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "rules/rule_support.hpp"

namespace zw::rules::rollover_support {

// Two observations of one zone, `elapsed` seconds apart.
struct Interval {
  const RolloverState& before;
  const RolloverState& now;
  std::int64_t elapsed = 0;

  // "5m ago (run at 2026-12-05 03:00:00 UTC)"
  std::string when_before() const {
    return fmt::format("{} ago (the run at {})", duration(elapsed), utc(before.observed));
  }

  // How long caches may still hold `what` as the earlier run saw it, with its TTL `ttl`:
  // "the old DS set may be cached until ... at the latest (TTL 1h 0m after this run)".
  std::string cached_until(std::string_view what, std::uint32_t ttl) const {
    return fmt::format("{} may be cached until {} at the latest (TTL {} after this run)", what, utc(now.observed + ttl),
                       duration(ttl));
  }
};

// The zone's two observations when there is an earlier one strictly before this run's "now";
// nullopt otherwise (no history, the zone's first run, or a replay older than the history).
inline std::optional<Interval> interval(const RuleContext& ctx) {
  const RolloverState* now = ctx.rollover();
  const RolloverState* before = ctx.previous_rollover();
  if (now == nullptr || before == nullptr || now->observed <= before->observed) {
    return std::nullopt;
  }
  return Interval{*before, *now, now->observed - before->observed};
}

inline const RolloverState::Key* find_key(const RolloverState& state, const std::string& id) {
  const auto k = std::find_if(state.keys.begin(), state.keys.end(),
                              [&](const RolloverState::Key& key) { return !id.empty() && key.id == id; });
  return k != state.keys.end() ? &*k : nullptr;
}

// The keys of `state` with this tag and algorithm (several only when tags collide).
inline std::vector<const RolloverState::Key*> keys_tagged(const RolloverState& state, std::uint16_t tag,
                                                          std::uint8_t algorithm) {
  std::vector<const RolloverState::Key*> out;
  for (const RolloverState::Key& k : state.keys) {
    if (k.key_tag == tag && k.algorithm == algorithm) {
      out.push_back(&k);
    }
  }
  return out;
}

// "key 12345 (algorithm 13, KSK)"
inline std::string key_text(const RolloverState::Key& k) {
  return fmt::format("key {} (algorithm {}, {})", k.key_tag, k.algorithm, (k.flags & 1U) != 0 ? "KSK" : "ZSK");
}

inline std::string join_keys(const std::vector<const RolloverState::Key*>& keys) {
  std::string out;
  for (const RolloverState::Key* k : keys) {
    out += (out.empty() ? "" : ", ") + key_text(*k);
  }
  return out;
}

} // namespace zw::rules::rollover_support
