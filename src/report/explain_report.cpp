// `zonewarden explain` output: a tree for people, DESIGN.md's JSON object for programs.

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/finding_json.hpp"
#include "util/json_fields.hpp"
#include "zonewarden/explain.hpp"

namespace zw {

namespace {

using nlohmann::json;

std::string verdict_line(const Explanation& e) {
  if (e.rcode == Rcode::none) {
    return "could not tell what a validating resolver answers";
  }
  return rcode_ede_text(ResolverImpact{e.rcode, e.ede});
}

std::string paint(const std::string& text, const char* code, bool colour) {
  return colour ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : text;
}

const char* status_colour(const std::string& status) {
  if (status == "secure") {
    return "32";
  }
  if (status == "bogus") {
    return "31;1";
  }
  return status == "insecure" ? "33" : "35";
}

} // namespace

std::string render_explain_text(const Explanation& e, bool colour) {
  std::string out = fmt::format("{} {}: {} ({})\n\n", e.name, e.type, verdict_line(e),
                                paint(e.status, status_colour(e.status), colour));
  for (std::size_t i = 0; i < e.chain.size(); ++i) {
    const ExplainLink& link = e.chain[i];
    const std::string indent =
        link.depth == 0 ? "" : std::string(3 * static_cast<std::size_t>(link.depth - 1), ' ') + "└─ ";
    const std::string what = link.kind == "zone" ? link.name : fmt::format("{} {}", link.name, link.type);
    const std::string label = link.kind == "denial" ? " (denied)" : "";
    out += fmt::format("{}{}{}  {}\n", indent, what, label, paint(link.status, status_colour(link.status), colour));
    const std::string pad(3 * static_cast<std::size_t>(link.depth) + 3, ' ');
    if (!link.reason.empty()) {
      out += fmt::format("{}{}\n", pad, link.reason);
    }
    if (!link.rules.empty()) {
      out += fmt::format("{}rules: {}\n", pad, fmt::join(link.rules, ", "));
    }
    if (!link.servers.empty()) {
      out += fmt::format("{}servers: {}\n", pad, fmt::join(link.servers, ", "));
    }
  }
  if (!e.findings.empty()) {
    out += "\nresponsible findings:\n";
    for (const Finding& f : e.findings) {
      out += fmt::format("  {} {} at {} {}: {}\n", to_string(f.severity), f.rule, f.location.owner,
                         f.location.type.empty() ? "-" : f.location.type, f.message);
      out += fmt::format("    resolver: {}\n", rcode_ede_text(f.resolver));
      if (!f.servers.empty()) {
        out += fmt::format("    servers: {}\n", fmt::join(f.servers, ", "));
      }
      for (const std::string& line : f.evidence) {
        out += fmt::format("    - {}\n", line);
      }
    }
  }
  if (!e.notes.empty()) {
    out += "\nnotes:\n";
    for (const std::string& n : e.notes) {
      out += fmt::format("  - {}\n", n);
    }
  }
  return out;
}

namespace {

using Link = ExplainLink;
// The members of a chain link written as they are (the type is null when empty).
constexpr std::tuple k_link_fields(util::JsonField("kind", &Link::kind), util::JsonField("name", &Link::name),
                                   util::JsonField("depth", &Link::depth), util::JsonField("status", &Link::status),
                                   util::JsonField("reason", &Link::reason), util::JsonField("servers", &Link::servers),
                                   util::JsonField("rules", &Link::rules));

} // namespace

std::string render_explain_json(const Explanation& e) {
  json chain = json::array();
  for (const ExplainLink& link : e.chain) {
    json out = util::fields_to_json<json>(link, k_link_fields);
    out["type"] = detail::null_if_empty<json>(link.type);
    chain.push_back(std::move(out));
  }
  json findings = json::array();
  for (const Finding& f : e.findings) {
    findings.push_back(detail::finding_json(f));
  }
  const json out{{"name", e.name},
                 {"type", e.type},
                 {"rcode", e.rcode == Rcode::none ? json(nullptr) : json(to_string(e.rcode))},
                 {"ede", e.ede == Ede::none ? json(nullptr) : json(static_cast<int>(e.ede))},
                 {"ede_text", e.ede == Ede::none ? json(nullptr) : json(ede_text(e.ede))},
                 {"status", e.status},
                 {"chain", std::move(chain)},
                 {"rules", e.rules},
                 {"findings", std::move(findings)},
                 {"notes", e.notes}};
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

} // namespace zw
