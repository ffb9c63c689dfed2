#pragma once
// The rule interface. One rule per file under src/rules/<area>/, listed in src/rules/rules.def.
// A rule reads a RuleContext and writes to a FindingSink; it does no I/O, keeps no state and
// never reads the clock.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "zonewarden/finding.hpp"

namespace zw {

enum class Stability : std::uint8_t { stable, preview };

// What a rule reads: a zone file (`check`), a live snapshot (`audit`), or both.
enum class Inputs : std::uint8_t { zone_file = 1, live = 2, both = 3 };

constexpr Inputs operator|(Inputs a, Inputs b) noexcept {
  return static_cast<Inputs>(static_cast<std::uint8_t>(a) | static_cast<std::uint8_t>(b));
}
constexpr bool has_input(Inputs set, Inputs one) noexcept {
  return (static_cast<std::uint8_t>(set) & static_cast<std::uint8_t>(one)) != 0;
}

// The single source of truth for `zonewarden rules`, the docs index and the JSON output.
struct RuleInfo {
  std::string_view id;        // "area/kebab-name", never reused
  Severity severity;          // default severity; policy may override
  Stability stability;
  std::string_view summary;   // one line
  std::string_view reference; // "RFC 4035 §5.3.1"
  ResolverImpact impact;      // what a validating resolver answers because of it
  Inputs inputs;
};

namespace detail {
class RuleContextImpl;
}

class RuleContext;

// Receives the findings of one rule on one zone. The engine fills in rule id, default
// severity and resolver impact from RuleInfo.
class FindingSink {
public:
  virtual ~FindingSink() = default;
  // Adds a finding; `rule`, `severity` and `resolver` are set from the rule's RuleInfo.
  virtual void add(Finding finding) = 0;
  // Adds a finding whose `severity` and `resolver` the rule graded itself (a lame server is a
  // warning while others answer, an error when none does); only `rule` is set.
  virtual void add_graded(Finding finding) = 0;

  // Convenience: a finding at `location` with a formatted message.
  template <typename... Args>
  void report(Location location, fmt::format_string<Args...> format, Args&&... args) {
    Finding finding;
    finding.location = std::move(location);
    finding.message = fmt::format(format, std::forward<Args>(args)...);
    add(std::move(finding));
  }
};

class Rule {
public:
  virtual ~Rule() = default;
  virtual const RuleInfo& info() const noexcept = 0;
  // Examines `ctx` and reports faults to `sink`. May throw only on our own bugs; the engine
  // turns an exception into `internal/rule-failed`.
  virtual void check(const RuleContext& ctx, FindingSink& sink) const = 0;
};

// Every registered rule, in id order. The objects live as long as the program.
std::span<const std::unique_ptr<Rule>> all_rules();
// The rule with `id`, or nullptr.
const Rule* find_rule(std::string_view id) noexcept;

} // namespace zw
