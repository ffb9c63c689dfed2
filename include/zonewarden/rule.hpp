#pragma once
// The rule interface. One rule per file under src/rules/<area>/, listed with its metadata
// in src/rules/rules.toml (the catalog).
// A rule reads a RuleContext and writes to a FindingSink; it does no I/O, keeps no state and
// never reads the clock.

#include <cstddef>
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

// At most this many findings per rule and zone are reported one by one; the engine's sink
// holds back the rest and adds ONE summary finding that counts them (FindingSink::room).
inline constexpr std::size_t k_max_findings_per_rule = 50;

// How the findings a rule has past k_max_findings_per_rule are summed up: one finding at the
// zone apex with `type` ("" for none), "and N more <what> (only the first 50 are reported one
// by one)", graded like the worst of them. Its evidence names the first few held back by their
// location or, with `list_messages`, gives every one's message: for a rule whose findings all
// sit at one RRset (the apex DNSKEY RRset), where only the messages tell them apart.
struct Overflow {
  std::string_view what = "findings"; // plural noun: "names with occluded data below delegations"
  std::string_view type{};            // the summary's RR type: "NSEC3", "DNSKEY", ""
  bool list_messages = false;
};

// A rule's entry in the catalog (src/rules/rules.toml, the single source of truth for
// `zonewarden rules`, the docs index and the JSON output).
// Fields after `inputs` have defaults, so a rule names only those it needs.
struct RuleInfo {
  std::string_view id; // "area/kebab-name", never reused
  Severity severity;   // default severity; policy may override
  Stability stability;
  std::string_view summary;   // one line
  std::string_view reference; // "RFC 4035 §5.3.1"
  ResolverImpact impact;      // what a validating resolver answers because of it
  Inputs inputs;
  Overflow overflow{};                            // the summary of findings past the cap
  std::string_view since{};                       // the version that added the rule: "0.1.0"
  std::span<const std::string_view> tags{};       // subjects: "dnssec", "denial", "keys", ...
  std::span<const std::string_view> compliance{}; // ids of the requirements it serves (the HTML
                                                  // report's compliance section): "rfc9364"
  std::span<const std::string_view> options{};    // the profile thresholds it reads, which a profile
                                                  // may set for it alone ([options."ID"])
};

namespace detail {
class RuleContextImpl;
}

class RuleContext;

// Receives the findings of one rule on one zone. The engine fills in rule id, default
// severity and resolver impact from RuleInfo, and owns the cap: it reports the first
// k_max_findings_per_rule findings one by one and sums up the rest in one finding (see Overflow),
// so a rule never counts. A sink serves one rule on one thread.
class FindingSink {
public:
  virtual ~FindingSink() = default;
  // True when the next finding will be reported one by one. When false, the finding the rule was
  // about to build is counted as held back (at the rule's default severity and impact), and the
  // rule skips it: `if (!sink.room()) continue;` (adding it as well would count it twice).
  // Asking is optional: a finding added past the cap is counted all the same, it only cost its
  // message.
  virtual bool room() { return true; }
  // The same for a finding the rule grades itself as `severity` with `impact`.
  virtual bool room(Severity severity, ResolverImpact impact) {
    (void)severity;
    (void)impact;
    return true;
  }
  // Adds a rule's own summary of findings it grouped instead of reporting them one by one,
  // graded by the rule (a group of RRsets sharing one root cause, listed with file:line: more
  // telling than a count). It is not counted against the cap. Such a rule counts to
  // k_max_findings_per_rule itself: `room()` would count the grouped findings a second time.
  virtual void add_summary(Finding finding) { add_graded(std::move(finding)); }
  // Names the held-back findings of this run when they differ from RuleInfo::overflow (a rule
  // whose findings differ by input: NSEC chain faults in a file, NSEC chain gaps on the wire).
  virtual void overflow(Overflow summary) { (void)summary; }
  // Adds a finding; `rule`, `severity` and `resolver` are set from the rule's RuleInfo.
  virtual void add(Finding finding) = 0;
  // Adds a finding whose `severity` and `resolver` the rule graded itself (a lame server is a
  // warning while others answer, an error when none does); only `rule` is set.
  virtual void add_graded(Finding finding) = 0;

  // Convenience: a finding at `location` with a formatted message.
  template <typename... Args> void report(Location location, fmt::format_string<Args...> format, Args&&... args) {
    Finding finding;
    finding.location = std::move(location);
    finding.message = fmt::format(format, std::forward<Args>(args)...);
    add(std::move(finding));
  }
};

// A rule: its code (check) and its entry in the catalog (info), which the registry hands to the
// rule's factory. A rule class says `using Rule::Rule;`.
class Rule {
public:
  explicit Rule(const RuleInfo& info) noexcept : m_info(&info) {}
  virtual ~Rule() = default;
  Rule(const Rule&) = delete;
  Rule& operator=(const Rule&) = delete;
  const RuleInfo& info() const noexcept { return *m_info; }
  // Examines `ctx` and reports faults to `sink`. May throw only on our own bugs; the engine
  // turns an exception into `internal/rule-failed`.
  virtual void check(const RuleContext& ctx, FindingSink& sink) const = 0;

private:
  const RuleInfo* m_info;
};

// Every registered rule, in id order. The objects live as long as the program.
std::span<const std::unique_ptr<Rule>> all_rules();
// The rule with `id`, or nullptr.
const Rule* find_rule(std::string_view id) noexcept;

} // namespace zw
