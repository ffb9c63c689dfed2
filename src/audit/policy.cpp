// Policy profiles: which rules run, at which severity, with which thresholds. Read from TOML
// or YAML through one schema (config_tree.hpp), applied to an AuditResult after the engine.

#include <algorithm>
#include <array>
#include <limits>
#include <span>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "audit/bundled_profiles.hpp"
#include "audit/config_tree.hpp"
#include "audit/finding_order.hpp"
#include "util/files.hpp"
#include "util/text.hpp"
#include "util/time.hpp"
#include "zonewarden/policy.hpp"
#include "zonewarden/rule.hpp"

namespace zw {

namespace {

using namespace audit; // ConfigNode, expect_kind, key_error
using Kind = ConfigNode::Kind;

Result<std::vector<std::string>> rule_patterns(const ConfigNode& node, std::string_view file, const std::string& key) {
  ZW_TRY(expect_kind(node, Kind::array, file, key));
  if (node.array.empty()) {
    return key_error(file, key, "empty list (leave the key out instead)");
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < node.array.size(); ++i) {
    const std::string element_key = fmt::format("{}[{}]", key, i);
    ZW_TRY(expect_kind(node.array[i], Kind::string, file, element_key));
    if (const std::string why = audit::check_rule_pattern(node.array[i].text); !why.empty()) {
      return key_error(file, element_key, why);
    }
    out.push_back(node.array[i].text);
  }
  return out;
}

Result<void> read_rules(const ConfigNode& node, std::string_view file, Policy& policy) {
  ZW_TRY(expect_kind(node, Kind::table, file, "rules"));
  std::vector<std::string> enable;
  std::vector<std::string> disable;
  for (const auto& [key, value] : node.table) {
    if (key == "enable") {
      ZW_TRY_ASSIGN(enable, rule_patterns(value, file, "rules.enable"));
    } else if (key == "disable") {
      ZW_TRY_ASSIGN(disable, rule_patterns(value, file, "rules.disable"));
    } else {
      return key_error(file, "rules." + key, "unknown key (expected enable or disable)");
    }
  }
  // `enable` names the rules that run: everything else is switched off first. `disable` comes
  // last, so it wins over `enable` whatever order the keys are written in.
  if (!enable.empty()) {
    policy.rules.emplace_back("*", false);
  }
  for (std::string& pattern : enable) {
    policy.rules.emplace_back(std::move(pattern), true);
  }
  for (std::string& pattern : disable) {
    policy.rules.emplace_back(std::move(pattern), false);
  }
  return {};
}

Result<void> read_severity(const ConfigNode& node, std::string_view file, Policy& policy) {
  ZW_TRY(expect_kind(node, Kind::table, file, "severity"));
  for (const auto& [pattern, value] : node.table) {
    const std::string key = "severity." + pattern;
    if (const std::string why = audit::check_rule_pattern(pattern); !why.empty()) {
      return key_error(file, key, why);
    }
    ZW_TRY(expect_kind(value, Kind::string, file, key));
    const std::optional<Severity> severity = severity_from_string(value.text);
    if (!severity) {
      return key_error(file, key, fmt::format("unknown severity \"{}\" (use error, warning or notice)", value.text));
    }
    policy.severities.emplace_back(pattern, *severity);
  }
  return {};
}

Result<std::int64_t> non_negative(const ConfigNode& node, std::string_view file, const std::string& key,
                                  std::int64_t max) {
  ZW_TRY(expect_kind(node, Kind::integer, file, key));
  if (node.integer < 0) {
    return key_error(file, key, fmt::format("{} is negative", node.integer));
  }
  if (node.integer > max) {
    return key_error(file, key, fmt::format("{} is above the largest allowed value, {}", node.integer, max));
  }
  return node.integer;
}

// A duration threshold: a string such as "3d", never negative.
Result<std::int64_t> duration(const ConfigNode& value, std::string_view file, const std::string& key) {
  ZW_TRY(expect_kind(value, Kind::string, file, key));
  if (value.text.starts_with('-')) {
    return key_error(file, key, fmt::format("\"{}\" is negative", value.text));
  }
  const Result<std::int64_t> seconds = util::parse_duration_s(value.text);
  if (!seconds) {
    return key_error(file, key,
                     fmt::format("\"{}\" is not a duration (a number with ms, s, m, h or d: \"7d\")", value.text));
  }
  return *seconds;
}

constexpr std::array<std::string_view, 5> k_thresholds = {"expiry_window", "cds_patience", "allowed_algorithms",
                                                          "min_rsa_bits", "max_nsec3_iterations"};

// Reads threshold `name` (one of k_thresholds) into `out`; `key` names it in messages.
Result<void> read_threshold(std::string_view name, const ConfigNode& value, std::string_view file,
                            const std::string& key, RuleThresholds& out) {
  if (name == "expiry_window") {
    ZW_TRY_ASSIGN(out.expiry_window_s, duration(value, file, key));
  } else if (name == "cds_patience") {
    ZW_TRY_ASSIGN(out.cds_patience_s, duration(value, file, key));
  } else if (name == "allowed_algorithms") {
    ZW_TRY(expect_kind(value, Kind::array, file, key));
    out.allowed_algorithms.clear();
    for (std::size_t i = 0; i < value.array.size(); ++i) {
      // RFC 4034 §2.1.3: the algorithm is an 8-bit field.
      ZW_TRY_ASSIGN(const std::int64_t algorithm,
                    non_negative(value.array[i], file, fmt::format("{}[{}]", key, i), 255));
      out.allowed_algorithms.push_back(static_cast<std::uint8_t>(algorithm));
    }
    std::sort(out.allowed_algorithms.begin(), out.allowed_algorithms.end());
    out.allowed_algorithms.erase(std::unique(out.allowed_algorithms.begin(), out.allowed_algorithms.end()),
                                 out.allowed_algorithms.end());
  } else if (name == "min_rsa_bits") {
    ZW_TRY_ASSIGN(const std::int64_t bits, non_negative(value, file, key, std::numeric_limits<unsigned>::max()));
    out.min_rsa_bits = static_cast<unsigned>(bits);
  } else if (name == "max_nsec3_iterations") {
    // RFC 5155 §3.1.3: the iterations field has 16 bits.
    ZW_TRY_ASSIGN(const std::int64_t iterations, non_negative(value, file, key, 65535));
    out.max_nsec3_iterations = static_cast<unsigned>(iterations);
  } else {
    return key_error(file, key, fmt::format("unknown key (expected {})", fmt::join(k_thresholds, ", ")));
  }
  return {};
}

Result<void> read_thresholds(const ConfigNode& node, std::string_view file, Policy& policy) {
  ZW_TRY(expect_kind(node, Kind::table, file, "thresholds"));
  for (const auto& [name, value] : node.table) {
    ZW_TRY(read_threshold(name, value, file, "thresholds." + name, policy));
  }
  return {};
}

// A rule's option as [options."ID"] gives it, read once [thresholds] is.
struct RuleOption {
  const RuleInfo* rule;
  std::string name;
  const ConfigNode* value;
  std::string key; // options."ID".name, for messages
};

// [options."ID"]: thresholds for one rule, which must be a rule id (no glob) whose catalog entry
// names the option (RuleInfo::options).
Result<std::vector<RuleOption>> read_options(const ConfigNode& node, std::string_view file) {
  ZW_TRY(expect_kind(node, Kind::table, file, "options"));
  std::vector<RuleOption> out;
  for (const auto& [id, table] : node.table) {
    const std::string rule_key = fmt::format("options.\"{}\"", id);
    const Rule* rule = find_rule(id);
    if (rule == nullptr) {
      return key_error(file, rule_key,
                       audit::is_glob(id) ? "a glob: options are given rule by rule"
                                          : "no such rule (zonewarden rules)");
    }
    ZW_TRY(expect_kind(table, Kind::table, file, rule_key));
    const RuleInfo& info = rule->info();
    for (const auto& [name, value] : table.table) {
      const std::string key = fmt::format("{}.{}", rule_key, name);
      if (std::find(info.options.begin(), info.options.end(), name) == info.options.end()) {
        return key_error(file, key,
                         info.options.empty() ? fmt::format("{} has no options", id)
                                              : fmt::format("{} has no option {} (its options: {})", id, name,
                                                            fmt::join(info.options, ", ")));
      }
      out.push_back(RuleOption{&info, name, &value, key});
    }
  }
  return out;
}

Result<Policy> policy_from_tree(const ConfigNode& root, std::string_view file, std::string default_name) {
  Policy policy;
  policy.name = std::move(default_name);
  std::vector<RuleOption> options;
  for (const auto& [key, value] : root.table) {
    if (key == "name") {
      ZW_TRY(expect_kind(value, Kind::string, file, key));
      if (value.text.empty()) {
        return key_error(file, key, "empty name");
      }
      policy.name = value.text;
    } else if (key == "rules") {
      ZW_TRY(read_rules(value, file, policy));
    } else if (key == "severity") {
      ZW_TRY(read_severity(value, file, policy));
    } else if (key == "thresholds") {
      ZW_TRY(read_thresholds(value, file, policy));
    } else if (key == "options") {
      ZW_TRY_ASSIGN(options, read_options(value, file));
    } else {
      return key_error(file, key, "unknown key (expected name, rules, severity, thresholds or options)");
    }
  }
  // A rule's own options start from [thresholds], wherever in the file that table stands.
  for (const RuleOption& option : options) {
    const RuleThresholds& profile = policy;
    RuleThresholds& own = policy.per_rule.try_emplace(std::string(option.rule->id), profile).first->second;
    ZW_TRY(read_threshold(option.name, *option.value, file, option.key, own));
  }
  return policy;
}

// The override for rule `id`, or nothing: the last matching entry wins.
std::optional<Severity> severity_override(const Policy& policy, std::string_view id) {
  std::optional<Severity> out;
  for (const auto& [pattern, severity] : policy.severities) {
    if (audit::glob_match(pattern, id)) {
      out = severity;
    }
  }
  return out;
}

} // namespace

std::vector<std::string> bundled_profile_names() {
  std::vector<std::string> out;
  for (const audit::BundledProfile& profile : audit::bundled_profiles()) {
    out.emplace_back(profile.name);
  }
  return out;
}

Result<Policy> load_policy(const std::string& name_or_path) {
  for (const audit::BundledProfile& profile : audit::bundled_profiles()) {
    if (profile.name == name_or_path) {
      const std::string file = fmt::format("profiles/{}.toml (bundled)", profile.name);
      ZW_TRY_ASSIGN(const ConfigNode root, audit::parse_toml(profile.text, file));
      return policy_from_tree(root, file, std::string(profile.name));
    }
  }
  if (name_or_path.find('/') == std::string::npos && name_or_path.find('.') == std::string::npos) {
    return fail(fmt::format("{}: no such profile (bundled: {}; or give a .toml or .yaml file)",
                            util::quote_input(name_or_path), fmt::join(bundled_profile_names(), ", ")));
  }
  ZW_TRY_ASSIGN(const ConfigFormat format, audit::config_format_of(name_or_path));
  ZW_TRY_ASSIGN(const std::string text, util::read_file(name_or_path));
  return parse_policy(text, format, name_or_path);
}

Result<Policy> parse_policy(std::string_view text, ConfigFormat format, const std::string& name) {
  ZW_TRY_ASSIGN(const ConfigNode root, audit::parse_config(text, format, name));
  return policy_from_tree(root, name, audit::file_stem(name));
}

bool rule_enabled(const Policy& policy, std::string_view id) {
  if (audit::is_tool_finding(id)) {
    return true;
  }
  bool enabled = true;
  for (const auto& [pattern, enable] : policy.rules) {
    if (audit::glob_match(pattern, id)) {
      enabled = enable;
    }
  }
  return enabled;
}

void apply_policy(const Policy& policy, ZoneResult& zone) {
  std::erase_if(zone.findings, [&](const Finding& f) { return !rule_enabled(policy, f.rule); });
  for (Finding& finding : zone.findings) {
    if (audit::is_tool_finding(finding.rule)) {
      continue;
    }
    if (const std::optional<Severity> severity = severity_override(policy, finding.rule)) {
      finding.severity = *severity;
    }
  }
  audit::sort_findings(zone.findings);
}

void apply_policy(const Policy& policy, AuditResult& result) {
  result.policy = policy.name;
  std::erase_if(result.rules_run, [&](const std::string& id) { return !rule_enabled(policy, id); });
  for (ZoneResult& zone : result.zones) {
    apply_policy(policy, zone);
  }
}

std::span<const std::string_view> threshold_names() noexcept {
  return k_thresholds;
}

void apply_thresholds(const Policy& policy, EngineOptions& options) {
  static_cast<ProfileThresholds&>(options) = policy;
}

} // namespace zw
