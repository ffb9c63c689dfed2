// Waivers: findings an operator accepted, for a reason and until a date. An expired waiver
// hides nothing and becomes a finding itself, so that acceptances are reviewed, not forgotten.

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "audit/config_tree.hpp"
#include "audit/finding_order.hpp"
#include "util/files.hpp"
#include "util/time.hpp"
#include "zonewarden/policy.hpp"

namespace zw {

namespace {

using namespace audit; // ConfigNode, expect_kind, key_error
using Kind = ConfigNode::Kind;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

// Names compare case-insensitively (RFC 4343) and people leave out the final dot.
std::string canonical_name(std::string_view name) {
  std::string out = lower(name);
  if (!out.empty() && out.back() != '.') {
    out.push_back('.');
  }
  return out;
}

// "ns1.example.com./192.0.2.1" -> name and address; the name is made canonical.
std::pair<std::string, std::string> split_server(std::string_view server) {
  const std::size_t slash = server.find('/');
  if (slash == std::string_view::npos) {
    return {canonical_name(server), ""};
  }
  return {canonical_name(server.substr(0, slash)), lower(server.substr(slash + 1))};
}

// RFC 3339 allows any UTC offset; util::parse_time reads UTC only, so the offset is split off
// here ("2026-12-31T12:00:00+02:00" is 10:00 UTC).
Result<std::int64_t> parse_expiry(std::string_view text) {
  std::int64_t offset_s = 0;
  if (text.size() == 25 && (text[19] == '+' || text[19] == '-') && text[22] == ':') {
    const std::string_view hh = text.substr(20, 2);
    const std::string_view mm = text.substr(23, 2);
    const auto digits = [](std::string_view s) {
      return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (digits(hh) && digits(mm)) {
      offset_s = ((hh[0] - '0') * 10 + (hh[1] - '0')) * 3600 + ((mm[0] - '0') * 10 + (mm[1] - '0')) * 60;
      if (text[19] == '-') {
        offset_s = -offset_s;
      }
      text = text.substr(0, 19);
    }
  }
  ZW_TRY_ASSIGN(const std::int64_t local, util::parse_time(text));
  return local - offset_s;
}

// "2026-12-31" for a midnight, the full UTC time otherwise.
std::string expiry_text(std::int64_t expires) {
  const std::string full = util::format_utc(expires);
  return expires % 86400 == 0 ? full.substr(0, 10) : full;
}

Result<Waiver> waiver_from_tree(const ConfigNode& node, std::string_view file, const std::string& key) {
  ZW_TRY(expect_kind(node, Kind::table, file, key));
  Waiver waiver;
  bool has_rule = false;
  bool has_reason = false;
  bool has_expires = false;
  for (const auto& [name, value] : node.table) {
    const std::string member = fmt::format("{}.{}", key, name);
    if (name == "expires") {
      if (value.kind != Kind::string && value.kind != Kind::datetime) {
        return key_error(file, member,
                         fmt::format("expected a date (\"2026-12-31\"), got {}", audit::kind_name(value.kind)));
      }
      const Result<std::int64_t> expires = parse_expiry(value.text);
      if (!expires) {
        return key_error(file, member,
                         fmt::format("\"{}\" is not a date (use 2026-12-31 or 2026-12-31T12:00:00Z)", value.text));
      }
      waiver.expires = *expires - value.offset_s;
      has_expires = true;
      continue;
    }
    ZW_TRY(expect_kind(value, Kind::string, file, member));
    const std::string& text = value.text;
    if (name == "rule") {
      if (const std::string why = audit::check_rule_pattern(text); !why.empty()) {
        return key_error(file, member, why);
      }
      waiver.rule = text;
      has_rule = true;
    } else if (name == "zone") {
      waiver.zone = text.empty() ? "" : canonical_name(text);
    } else if (name == "server") {
      waiver.server = text;
    } else if (name == "owner") {
      waiver.owner = text.empty() ? "" : canonical_name(text);
    } else if (name == "type") {
      waiver.type = upper(text);
    } else if (name == "reason") {
      if (text.find_first_not_of(" \t") == std::string::npos) {
        return key_error(file, member, "empty reason (say why the finding is accepted)");
      }
      waiver.reason = text;
      has_reason = true;
    } else {
      return key_error(file, member, "unknown key (expected rule, zone, server, owner, type, reason or expires)");
    }
  }
  if (!has_rule) {
    return key_error(file, key + ".rule", "missing (an exact rule id or a glob)");
  }
  if (!has_reason) {
    return key_error(file, key + ".reason", "missing (say why the finding is accepted)");
  }
  if (!has_expires) {
    return key_error(file, key + ".expires", "missing (every waiver ends: \"2026-12-31\")");
  }
  return waiver;
}

bool server_matches(std::string_view wanted, std::string_view server) {
  if (wanted.empty()) {
    return true;
  }
  if (server.empty()) {
    return false;
  }
  const auto [wanted_name, wanted_address] = split_server(wanted);
  const auto [name, address] = split_server(server);
  if (!wanted_address.empty()) {
    return wanted_address == address && wanted_name == name;
  }
  // No slash: a server name or an address alone.
  const std::string bare = lower(wanted);
  return wanted_name == name || bare == address;
}

bool waiver_matches(const Waiver& waiver, const Finding& finding, std::string_view zone) {
  if (audit::is_tool_finding(finding.rule) || !audit::glob_match(waiver.rule, finding.rule)) {
    return false;
  }
  if (!waiver.zone.empty() && waiver.zone != canonical_name(zone)) {
    return false;
  }
  if (!waiver.owner.empty() && waiver.owner != canonical_name(finding.location.owner)) {
    return false;
  }
  if (!waiver.type.empty() && waiver.type != upper(finding.location.type)) {
    return false;
  }
  return server_matches(waiver.server, finding.location.server);
}

Finding expired_finding(const Waiver& waiver, const std::string& zone) {
  Finding f;
  f.rule = "policy/waiver-expired";
  f.severity = Severity::warning;
  f.location = Location{zone, "", zone, ""};
  std::string scope;
  for (const auto& [label, value] : {std::pair<const char*, const std::string*>{"zone", &waiver.zone},
                                     {"server", &waiver.server},
                                     {"owner", &waiver.owner},
                                     {"type", &waiver.type}}) {
    if (!value->empty()) {
      scope += fmt::format(", {} {}", label, *value);
    }
  }
  f.message = fmt::format("waiver for {}{} expired on {} (reason: {}); its findings count again", waiver.rule, scope,
                          expiry_text(waiver.expires), waiver.reason);
  f.evidence.push_back("fix the findings, or renew the waiver with a new expiry date");
  f.resolver = ResolverImpact{Rcode::noerror, Ede::none};
  return f;
}

} // namespace

Result<std::vector<Waiver>> load_waivers(const std::string& path) {
  ZW_TRY_ASSIGN(const ConfigFormat format, audit::config_format_of(path));
  ZW_TRY_ASSIGN(const std::string text, util::read_file(path));
  return parse_waivers(text, format, path);
}

Result<std::vector<Waiver>> parse_waivers(std::string_view text, ConfigFormat format, const std::string& name) {
  ZW_TRY_ASSIGN(const ConfigNode root, audit::parse_config(text, format, name));
  // TOML spells a list of tables [[waiver]]; YAML has a plain list under "waivers:".
  const bool toml = format == ConfigFormat::toml;
  const std::string list_key = toml ? "waiver" : "waivers";
  std::vector<Waiver> out;
  for (const auto& [key, value] : root.table) {
    if (key != list_key) {
      return key_error(name, key,
                       fmt::format("unknown key (a waiver file has only {})", toml ? "[[waiver]] tables" : "waivers:"));
    }
    ZW_TRY(expect_kind(value, Kind::array, name, key));
    for (std::size_t i = 0; i < value.array.size(); ++i) {
      ZW_TRY_ASSIGN(Waiver waiver, waiver_from_tree(value.array[i], name, fmt::format("{}[{}]", key, i)));
      out.push_back(std::move(waiver));
    }
  }
  return out;
}

void apply_waivers(const std::vector<Waiver>& waivers, std::int64_t now, ZoneResult& zone) {
  for (const Waiver& waiver : waivers) {
    if (now >= waiver.expires) {
      if (waiver.zone.empty() || waiver.zone == canonical_name(zone.zone)) {
        zone.findings.push_back(expired_finding(waiver, zone.zone));
      }
      continue;
    }
    for (Finding& finding : zone.findings) {
      const std::string_view finding_zone = finding.location.zone.empty() ? zone.zone : finding.location.zone;
      if (finding.suppressed.empty() && waiver_matches(waiver, finding, finding_zone)) {
        finding.suppressed = fmt::format("waived: {} (until {})", waiver.reason, expiry_text(waiver.expires));
      }
    }
  }
  audit::sort_findings(zone.findings);
}

void apply_waivers(const std::vector<Waiver>& waivers, std::int64_t now, AuditResult& result) {
  for (ZoneResult& zone : result.zones) {
    apply_waivers(waivers, now, zone);
  }
}

} // namespace zw
