#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "audit/bundled_profiles.hpp"
#include "audit/config_tree.hpp"
#include "test_audit_support.hpp"
#include "util/files.hpp"
#include "zonewarden/policy.hpp"
#include "zonewarden/rule.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_audit_policy {

using namespace zw;
using zw::test::make_finding;
using zw::test::TempDir;

namespace {

void check_same_policy(const Policy& a, const Policy& b) {
  CHECK(a.name == b.name);
  CHECK(a.rules == b.rules);
  CHECK(a.severities == b.severities);
  CHECK(a.expiry_window_s == b.expiry_window_s);
  CHECK(a.allowed_algorithms == b.allowed_algorithms);
  CHECK(a.min_rsa_bits == b.min_rsa_bits);
  CHECK(a.max_nsec3_iterations == b.max_nsec3_iterations);
}

// The error for a policy file holding `content`: it must name the file and `key`.
void check_policy_error(const TempDir& dir, const std::string& file, const std::string& content,
                        const std::string& key) {
  CAPTURE(content);
  const std::string path = dir.write(file, content);
  const Result<Policy> policy = load_policy(path);
  REQUIRE_FALSE(policy.has_value());
  const std::string& message = policy.error().message;
  CAPTURE(message);
  CHECK(message.starts_with(path + ": key " + key + ": "));
  CHECK(message.find('\n') == std::string::npos);
  CHECK_FALSE(message.ends_with("."));
  // The same text in memory gives the same error.
  const ConfigFormat format = file.ends_with(".toml") ? ConfigFormat::toml : ConfigFormat::yaml;
  const Result<Policy> parsed = parse_policy(content, format, path);
  REQUIRE_FALSE(parsed.has_value());
  CHECK(parsed.error().message == message);
}

} // namespace

TEST_CASE("audit::bundled profiles equal their .toml files") {
  const std::vector<std::string> names = bundled_profile_names();
  CHECK(names == std::vector<std::string>{"default", "strict"});
  for (const audit::BundledProfile& profile : audit::bundled_profiles()) {
    CAPTURE(profile.name);
    const Result<std::string> file = util::read_file("profiles/" + std::string(profile.name) + ".toml");
    REQUIRE(file.has_value());
    CHECK(*file == profile.text);
    // Loaded by name (embedded) or by path (the file): the same policy.
    const Result<Policy> by_name = load_policy(std::string(profile.name));
    const Result<Policy> by_path = load_policy("profiles/" + std::string(profile.name) + ".toml");
    REQUIRE(by_name.has_value());
    REQUIRE(by_path.has_value());
    check_same_policy(*by_name, *by_path);
  }
}

TEST_CASE("audit::load_policy default") {
  const Result<Policy> policy = load_policy("default");
  REQUIRE(policy.has_value());
  CHECK(policy->name == "default");
  CHECK(policy->rules.empty());
  CHECK(policy->severities.empty());
  CHECK(policy->expiry_window_s == 3 * 86400);
  CHECK(policy->allowed_algorithms.empty());
  CHECK(policy->min_rsa_bits == 2048);
  CHECK(policy->max_nsec3_iterations == 0);
  for (const auto& rule : all_rules()) {
    CHECK(rule_enabled(*policy, rule->info().id));
  }
}

TEST_CASE("audit::load_policy strict") {
  const Result<Policy> policy = load_policy("strict");
  REQUIRE(policy.has_value());
  CHECK(policy->name == "strict");
  CHECK(policy->rules.empty());
  CHECK(policy->expiry_window_s == 14 * 86400);
  CHECK(policy->allowed_algorithms == std::vector<std::uint8_t>{8, 13, 14, 15, 16});
  CHECK(policy->min_rsa_bits == 3072);
  CHECK(policy->max_nsec3_iterations == 0);
  // Every lame, consistency and delegation rule whose default is a warning becomes an error.
  AuditResult result;
  ZoneResult zone;
  zone.zone = "example.";
  for (const auto& rule : all_rules()) {
    const RuleInfo& info = rule->info();
    zone.findings.push_back(make_finding(std::string(info.id), info.severity, "example.", "", "example.", "SOA"));
  }
  result.zones.push_back(zone);
  apply_policy(*policy, result);
  CHECK(result.policy == "strict");
  CHECK(result.zones[0].findings.size() == all_rules().size());
  for (const Finding& f : result.zones[0].findings) {
    CAPTURE(f.rule);
    const Severity base = find_rule(f.rule)->info().severity;
    const bool raised = f.rule.starts_with("delegation/") || f.rule.starts_with("consistency/");
    CHECK(f.severity == (raised ? Severity::error : base));
  }
}

TEST_CASE("audit::load_policy TOML and YAML give the same policy") {
  TempDir dir;
  const std::string toml = dir.write("acme.toml", R"(
[rules]
enable = ["dnssec/*", "delegation/*"]
disable = ["delegation/ns-address-not-public"]

[severity]
"delegation/lame-*" = "error"
"dnssec/rrsig-expiring-soon" = "notice"

[thresholds]
expiry_window = "7d"
allowed_algorithms = [13, 8, 15]
min_rsa_bits = 2048
max_nsec3_iterations = 0
)");
  const std::string yaml = dir.write("acme.yaml", R"(
rules:
  enable: ["dnssec/*", "delegation/*"]
  disable:
    - delegation/ns-address-not-public
severity:
  "delegation/lame-*": error
  dnssec/rrsig-expiring-soon: notice
thresholds:
  expiry_window: 7d
  allowed_algorithms: [13, 8, 15]
  min_rsa_bits: 2048
  max_nsec3_iterations: 0
)");
  const Result<Policy> a = load_policy(toml);
  const Result<Policy> b = load_policy(yaml);
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  check_same_policy(*a, *b);
  CHECK(a->name == "acme"); // the file stem when the file names none
  // The same text in memory, under a name that is never opened.
  std::ifstream in(yaml, std::ios::binary);
  const std::string yaml_text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const Result<Policy> in_memory = parse_policy(yaml_text, ConfigFormat::yaml, "/nonexistent/acme.yaml");
  REQUIRE(in_memory.has_value());
  check_same_policy(*a, *in_memory);
  CHECK(a->expiry_window_s == 7 * 86400);
  CHECK(a->allowed_algorithms == std::vector<std::uint8_t>{8, 13, 15});
  // `enable` lists what runs; `disable` is applied after it.
  CHECK(rule_enabled(*a, "dnssec/rrsig-expired"));
  CHECK(rule_enabled(*a, "delegation/lame-refused"));
  CHECK_FALSE(rule_enabled(*a, "delegation/ns-address-not-public"));
  CHECK_FALSE(rule_enabled(*a, "protocol/tcp-unsupported"));
  CHECK(rule_enabled(*a, "internal/rule-failed"));
  // Severity entries keep the order they were written in (TOML tables are sorted maps).
  REQUIRE(a->severities.size() == 2);
  CHECK(a->severities[0].first == "delegation/lame-*");
  CHECK(a->severities[1].first == "dnssec/rrsig-expiring-soon");
  CHECK(a->severities[1].second == Severity::notice);

  const std::string named = dir.write("named.yml", "name: acme-prod\n");
  const Result<Policy> c = load_policy(named);
  REQUIRE(c.has_value());
  CHECK(c->name == "acme-prod");
  const Result<Policy> empty = load_policy(dir.write("empty.yaml", ""));
  REQUIRE(empty.has_value());
  CHECK(empty->name == "empty");
}

TEST_CASE("audit::load_policy errors name the file and the key") {
  TempDir dir;
  // Each error class in both syntaxes where the syntax matters.
  check_policy_error(dir, "p.toml", "[colours]\nred = 1\n", "colours");
  check_policy_error(dir, "p.toml", "nmae = \"x\"\n", "nmae");
  check_policy_error(dir, "p.toml", "[rules]\nenabled = [\"dnssec/*\"]\n", "rules.enabled");
  check_policy_error(dir, "p.toml", "[thresholds]\nexpiry = \"3d\"\n", "thresholds.expiry");
  check_policy_error(dir, "p.toml", "[rules]\ndisable = [\"dnssec/rrsig-expired\", \"dnssec/no-such-rule\"]\n",
                     "rules.disable[1]");
  check_policy_error(dir, "p.toml", "[rules]\nenable = [\"dnsec/*\"]\n", "rules.enable[0]");
  check_policy_error(dir, "p.toml", "[rules]\nenable = []\n", "rules.enable");
  check_policy_error(dir, "p.toml", "[rules]\nenable = \"dnssec/*\"\n", "rules.enable");
  check_policy_error(dir, "p.toml", "[rules]\nenable = [13]\n", "rules.enable[0]");
  check_policy_error(dir, "p.toml", "[severity]\n\"dnssec/rrsig-expired\" = \"fatal\"\n",
                     "severity.dnssec/rrsig-expired");
  check_policy_error(dir, "p.toml", "[severity]\n\"dnssec/rrsig-expired\" = 2\n", "severity.dnssec/rrsig-expired");
  check_policy_error(dir, "p.toml", "[severity]\n\"dnssec/nope\" = \"error\"\n", "severity.dnssec/nope");
  check_policy_error(dir, "p.toml", "[severity]\n\"nothing/*\" = \"error\"\n", "severity.nothing/*");
  check_policy_error(dir, "p.toml", "[thresholds]\nexpiry_window = \"3 days\"\n", "thresholds.expiry_window");
  check_policy_error(dir, "p.toml", "[thresholds]\nexpiry_window = \"-3d\"\n", "thresholds.expiry_window");
  check_policy_error(dir, "p.toml", "[thresholds]\nexpiry_window = 3\n", "thresholds.expiry_window");
  check_policy_error(dir, "p.toml", "[thresholds]\nmin_rsa_bits = -1\n", "thresholds.min_rsa_bits");
  check_policy_error(dir, "p.toml", "[thresholds]\nmin_rsa_bits = \"2048\"\n", "thresholds.min_rsa_bits");
  check_policy_error(dir, "p.toml", "[thresholds]\nmin_rsa_bits = 2048.0\n", "thresholds.min_rsa_bits");
  check_policy_error(dir, "p.toml", "[thresholds]\nmax_nsec3_iterations = -5\n", "thresholds.max_nsec3_iterations");
  check_policy_error(dir, "p.toml", "[thresholds]\nmax_nsec3_iterations = 70000\n", "thresholds.max_nsec3_iterations");
  check_policy_error(dir, "p.toml", "[thresholds]\nallowed_algorithms = [8, -13]\n",
                     "thresholds.allowed_algorithms[1]");
  check_policy_error(dir, "p.toml", "[thresholds]\nallowed_algorithms = [8, 256]\n",
                     "thresholds.allowed_algorithms[1]");
  check_policy_error(dir, "p.toml", "name = \"\"\n", "name");
  check_policy_error(dir, "p.toml", "name = 3\n", "name");
  check_policy_error(dir, "p.yaml", "thresholds:\n  min_rsa_bits: \"2048\"\n", "thresholds.min_rsa_bits");
  check_policy_error(dir, "p.yaml", "thresholds:\n  min_rsa_bits: -1\n", "thresholds.min_rsa_bits");
  check_policy_error(dir, "p.yaml", "severity:\n  dnssec/rrsig-expired: fatal\n", "severity.dnssec/rrsig-expired");
  check_policy_error(dir, "p.yaml", "rules:\n  disable: [dnssec/no-such-rule]\n", "rules.disable[0]");
  check_policy_error(dir, "p.yaml", "rules: [dnssec/rrsig-expired]\n", "rules");
  check_policy_error(dir, "p.yml", "rules:\n  disable: [dnssec/rrsig-expired]\nrules:\n  enable: [\"*\"]\n", "rules");
  check_policy_error(dir, "p.yml", "unknown: 1\n", "unknown");
  check_policy_error(dir, "p.yml", "severity:\n  dnssec/rrsig-expired: error\n  dnssec/rrsig-expired: notice\n",
                     "severity.dnssec/rrsig-expired");
  check_policy_error(dir, "p.yml", "thresholds:\n  min_rsa_bits: 99999999999999999999999\n", "thresholds.min_rsa_bits");
  // [options."ID"]: a registered rule by its exact id, and only the thresholds its catalog entry names.
  check_policy_error(dir, "p.toml", "[options.\"dnssec/key-size-wek\"]\nmin_rsa_bits = 3072\n",
                     "options.\"dnssec/key-size-wek\"");
  check_policy_error(dir, "p.toml", "[options.\"dnssec/*\"]\nmin_rsa_bits = 3072\n", "options.\"dnssec/*\"");
  check_policy_error(dir, "p.toml", "[options.\"dnssec/key-size-weak\"]\nexpiry_window = \"7d\"\n",
                     "options.\"dnssec/key-size-weak\".expiry_window");
  check_policy_error(dir, "p.toml", "[options.\"dnssec/rrsig-expired\"]\nexpiry_window = \"7d\"\n",
                     "options.\"dnssec/rrsig-expired\".expiry_window");
  check_policy_error(dir, "p.toml", "[options.\"dnssec/key-size-weak\"]\nmin_rsa_bits = \"3072\"\n",
                     "options.\"dnssec/key-size-weak\".min_rsa_bits");
  check_policy_error(dir, "p.toml", "options = 3\n", "options");
  check_policy_error(dir, "p.toml", "[options]\n\"dnssec/key-size-weak\" = 3072\n", "options.\"dnssec/key-size-weak\"");
  check_policy_error(dir, "p.yaml", "options:\n  dnssec/nsec3-parameters:\n    max_nsec3_iterations: 70000\n",
                     "options.\"dnssec/nsec3-parameters\".max_nsec3_iterations");

  SUBCASE("syntax errors name the file and the line") {
    const std::string toml = dir.write("bad.toml", "[rules\n");
    const Result<Policy> a = load_policy(toml);
    REQUIRE_FALSE(a.has_value());
    CHECK(a.error().message.starts_with(toml + ":1:"));
    const std::string why = a.error().message.substr(a.error().message.find(": ") + 2);
    CHECK(std::islower(static_cast<unsigned char>(why.front())));
    const std::string yaml = dir.write("bad.yaml", "rules:\n  enable: [a\n");
    const Result<Policy> b = load_policy(yaml);
    REQUIRE_FALSE(b.has_value());
    CHECK(b.error().message.starts_with(yaml + ":"));
  }
  SUBCASE("unknown names, extensions and missing files") {
    const Result<Policy> name = load_policy("lenient");
    REQUIRE_FALSE(name.has_value());
    CHECK(name.error().message.starts_with("lenient: "));
    const std::string json = dir.write("p.json", "{}");
    const Result<Policy> ext = load_policy(json);
    REQUIRE_FALSE(ext.has_value());
    CHECK(ext.error().message.starts_with(json + ": "));
    const Result<Policy> missing = load_policy("/nonexistent/p.toml");
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().message.find("/nonexistent/p.toml") != std::string::npos);
  }
}

TEST_CASE("audit::glob_match") {
  using audit::glob_match;
  CHECK(glob_match("*", "dnssec/rrsig-expired"));
  CHECK(glob_match("dnssec/*", "dnssec/rrsig-expired"));
  CHECK_FALSE(glob_match("dnssec/*", "delegation/lame-refused"));
  CHECK(glob_match("*/lame-*", "delegation/lame-refused"));
  CHECK(glob_match("*expired", "dnssec/rrsig-expired")); // `*` crosses the slash
  CHECK(glob_match("dnssec/rrsig-*-soon", "dnssec/rrsig-expiring-soon"));
  CHECK(glob_match("delegation/lame-?????ed", "delegation/lame-refused"));
  CHECK_FALSE(glob_match("delegation/lame-???", "delegation/lame-refused"));
  CHECK(glob_match("dnssec/rrsig-expired", "dnssec/rrsig-expired"));
  CHECK_FALSE(glob_match("dnssec/rrsig-expire", "dnssec/rrsig-expired"));
  CHECK_FALSE(glob_match("dnssec/rrsig-expired", "dnssec/rrsig-expire"));
  CHECK(glob_match("a**b", "ab"));
  CHECK(glob_match("*a*b*", "xxaxxbxx"));
  CHECK_FALSE(glob_match("*a*b", "xxaxxbxxc"));
  CHECK_FALSE(glob_match("[d]nssec/*", "dnssec/rrsig-expired")); // no character classes
  CHECK(glob_match("[d]nssec/*", "[d]nssec/x"));
  CHECK(glob_match("", ""));
  CHECK_FALSE(glob_match("", "x"));

  CHECK(audit::check_rule_pattern("delegation/lame-*").empty());
  CHECK(audit::check_rule_pattern("dnssec/rrsig-expired").empty());
  CHECK_FALSE(audit::check_rule_pattern("dnssec/rrsig-expire").empty());
  CHECK_FALSE(audit::check_rule_pattern("internal/*").empty());
}

TEST_CASE("audit::apply_policy") {
  Policy policy;
  policy.name = "acme";
  policy.rules = {{"delegation/*", false}, {"delegation/lame-*", true}, {"delegation/lame-servfail", false}};
  policy.severities = {{"dnssec/*", Severity::notice},
                       {"dnssec/rrsig-expired", Severity::warning},
                       {"dnssec/rrsig-*", Severity::error},
                       {"protocol/*", Severity::error},
                       {"*", Severity::notice},
                       {"protocol/tcp-unsupported", Severity::warning}};

  AuditResult result;
  result.rules_run = {"delegation/lame-refused", "delegation/lame-servfail", "delegation/ns-mismatch",
                      "dnssec/ds-but-unsigned",  "dnssec/rrsig-expired",     "protocol/tcp-unsupported"};
  ZoneResult zone;
  zone.zone = "example.";
  zone.findings = {
      make_finding("delegation/lame-refused", Severity::warning, "example.", "ns1./192.0.2.1", "example.", "SOA"),
      make_finding("delegation/lame-servfail", Severity::warning, "example.", "ns2./192.0.2.2", "example.", "SOA"),
      make_finding("delegation/ns-mismatch", Severity::warning, "example.", "", "example.", "NS"),
      make_finding("dnssec/ds-but-unsigned", Severity::error, "example.", "", "example.", "DS"),
      make_finding("dnssec/rrsig-expired", Severity::error, "example.", "", "example.", "SOA"),
      make_finding("protocol/tcp-unsupported", Severity::error, "example.", "ns1./192.0.2.1", "example.", "SOA"),
      make_finding("internal/rule-failed", Severity::error, "example.", "", "example.", ""),
  };
  result.zones.push_back(zone);

  CHECK(rule_enabled(policy, "delegation/lame-refused"));
  CHECK_FALSE(rule_enabled(policy, "delegation/lame-servfail"));
  CHECK_FALSE(rule_enabled(policy, "delegation/ns-mismatch"));
  CHECK(rule_enabled(policy, "dnssec/rrsig-expired"));

  apply_policy(policy, result);
  CHECK(result.policy == "acme");
  CHECK(result.rules_run == std::vector<std::string>{"delegation/lame-refused", "dnssec/ds-but-unsigned",
                                                     "dnssec/rrsig-expired", "protocol/tcp-unsupported"});
  const std::vector<Finding>& f = result.zones[0].findings;
  std::vector<std::pair<std::string, Severity>> got;
  for (const Finding& finding : f) {
    got.emplace_back(finding.rule, finding.severity);
  }
  // Last matching entry wins; internal/* is neither dropped nor regraded; sorted worst first.
  CHECK(got == std::vector<std::pair<std::string, Severity>>{
                   {"internal/rule-failed", Severity::error},
                   {"protocol/tcp-unsupported", Severity::warning},
                   {"delegation/lame-refused", Severity::notice},
                   {"dnssec/ds-but-unsigned", Severity::notice},
                   {"dnssec/rrsig-expired", Severity::notice},
               });

  Policy internal_off;
  internal_off.rules = {{"*", false}};
  apply_policy(internal_off, result);
  REQUIRE(result.zones[0].findings.size() == 1);
  CHECK(result.zones[0].findings[0].rule == "internal/rule-failed");
  CHECK(result.rules_run.empty());
}

TEST_CASE("audit::apply_thresholds") {
  const Result<Policy> strict = load_policy("strict");
  REQUIRE(strict.has_value());
  EngineOptions options;
  apply_thresholds(*strict, options);
  CHECK(options.expiry_window_s == 14 * 86400);
}

TEST_CASE("audit::load_policy reads thresholds for one rule ([options.\"ID\"])") {
  // The rule's own values start from [thresholds], written before or after; other rules keep
  // the profile's.
  const std::string text = "[options.\"dnssec/key-size-weak\"]\nmin_rsa_bits = 4096\n"
                           "[options.\"dnssec/rrsig-expiring-soon\"]\nexpiry_window = \"10d\"\n"
                           "[thresholds]\nmin_rsa_bits = 3072\nexpiry_window = \"5d\"\nmax_nsec3_iterations = 10\n";
  const Result<Policy> policy = parse_policy(text, ConfigFormat::toml, "p.toml");
  REQUIRE(policy.has_value());
  CHECK(policy->min_rsa_bits == 3072);
  CHECK(policy->expiry_window_s == 5 * 86400);
  REQUIRE(policy->per_rule.size() == 2);
  const RuleThresholds& weak = policy->for_rule("dnssec/key-size-weak");
  CHECK(weak.min_rsa_bits == 4096);
  CHECK(weak.expiry_window_s == 5 * 86400);
  CHECK(weak.max_nsec3_iterations == 10);
  const RuleThresholds& soon = policy->for_rule("dnssec/rrsig-expiring-soon");
  CHECK(soon.expiry_window_s == 10 * 86400);
  CHECK(soon.min_rsa_bits == 3072);
  CHECK(policy->for_rule("dnssec/rrsig-ttl-mismatch").expiry_window_s == 5 * 86400);
  CHECK(policy->widest_expiry_window() == 10 * 86400);

  // The YAML spelling reads the same.
  const Result<Policy> yaml =
      parse_policy("options:\n  dnssec/key-size-weak:\n    min_rsa_bits: 4096\n", ConfigFormat::yaml, "p.yaml");
  REQUIRE(yaml.has_value());
  CHECK(yaml->for_rule("dnssec/key-size-weak").min_rsa_bits == 4096);
  CHECK(yaml->min_rsa_bits == 2048);

  // The engine gets them; --expiry-window then wins for every rule.
  EngineOptions options;
  apply_thresholds(*policy, options);
  CHECK(options.for_rule("dnssec/key-size-weak").min_rsa_bits == 4096);
  options.override_expiry_window(86400);
  CHECK(options.expiry_window_s == 86400);
  CHECK(options.for_rule("dnssec/rrsig-expiring-soon").expiry_window_s == 86400);
  CHECK(options.widest_expiry_window() == 86400);
}

TEST_CASE("audit::count_at_or_above ignores suppressed findings") {
  AuditResult result;
  ZoneResult zone;
  zone.zone = "example.";
  zone.findings = {make_finding("dnssec/rrsig-expired", Severity::error, "example.", "", "example.", "SOA"),
                   make_finding("dnssec/rrsig-invalid", Severity::error, "example.", "", "example.", "NS"),
                   make_finding("delegation/ns-mismatch", Severity::warning, "example.", "", "example.", "NS")};
  result.zones.push_back(zone);
  CHECK(count_at_or_above(result, Severity::error) == 2);
  CHECK(count_at_or_above(result, Severity::notice) == 3);
  result.zones[0].findings[0].suppressed = "baseline";
  result.zones[0].findings[2].suppressed = "waived: known (until 2027-01-01)";
  CHECK(count_at_or_above(result, Severity::error) == 1);
  CHECK(count_at_or_above(result, Severity::notice) == 1);
  CHECK(result.zones[0].findings.size() == 3); // suppressed, not removed
}

TEST_CASE("audit::parse_yaml bounds alias expansion, size and depth") {
  // Billion laughs: 300 bytes that expand to 10^9 values through aliases.
  std::string laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  const std::string names = "abcdefghi";
  for (std::size_t i = 1; i < names.size(); ++i) {
    const char prev = names[i - 1];
    laughs += fmt::format("{0}: &{0} [*{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}]\n", names[i], prev);
  }
  const Result<audit::ConfigNode> expanded = audit::parse_yaml(laughs, "laughs.yaml");
  REQUIRE_FALSE(expanded.has_value());
  CHECK(expanded.error().message.rfind("laughs.yaml: more than ", 0) == 0);
  // Deep nesting, in both syntaxes.
  const Result<audit::ConfigNode> deep =
      audit::parse_yaml("a: " + std::string(200, '[') + std::string(200, ']'), "deep.yaml");
  REQUIRE_FALSE(deep.has_value());
  CHECK(deep.error().message.rfind("deep.yaml", 0) == 0);
  const Result<audit::ConfigNode> deep_toml =
      audit::parse_toml("a = " + std::string(200, '[') + std::string(200, ']'), "deep.toml");
  REQUIRE_FALSE(deep_toml.has_value());
  CHECK(deep_toml.error().message.rfind("deep.toml", 0) == 0);
  // A moderate use of aliases is still fine.
  CHECK(audit::parse_yaml("a: &a [1, 2]\nb: *a\n", "ok.yaml").has_value());
}

TEST_CASE("audit::load_policy caps the input it quotes") {
  TempDir dir;
  const std::string path = dir.write("long.yaml", std::string(100000, 'k') + ": 1\n");
  const Result<Policy> policy = load_policy(path);
  REQUIRE_FALSE(policy.has_value());
  CHECK(policy.error().message.size() < path.size() + 400);
}

} // namespace zw_test_audit_policy
