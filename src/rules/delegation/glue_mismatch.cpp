// delegation/glue-mismatch: the parent's glue addresses differ from the zone's own A/AAAA.
// User documentation: docs/rules/delegation/glue-mismatch.md
#include <algorithm>
#include <set>

#include <fmt/ranges.h>

#include "rules/rule_support.hpp"
#include "util/ip.hpp"

namespace zw::rules::delegation {
namespace {

bool is_v6(const std::string& address) {
  return address.find(':') != std::string::npos;
}

// Addresses of `name` of one family, as the zone's working servers answer them authoritatively.
// Returns nullopt when no server gave an authoritative answer for that family.
std::optional<std::set<std::string>> child_addresses(const RuleContext& ctx, const std::string& name,
                                                     std::string_view qtype) {
  std::optional<std::set<std::string>> out;
  for (const ServerState& s : ctx.servers().servers) {
    if (s.status != ServerStatus::ok) {
      continue;
    }
    const Exchange* e = find_exchange(*s.probe, name, qtype, Transport::udp);
    if (e == nullptr || e->outcome != Outcome::answered || !e->aa || (e->rcode != 0 && e->rcode != 3)) {
      continue;
    }
    if (!out) {
      out.emplace();
    }
    for (const std::string& rr : records_of(e->answer, name, qtype)) {
      if (const auto ip = util::normalize_ip(rdata_text(rr))) {
        out->insert(*ip);
      }
    }
  }
  return out;
}

void check_glue_mismatch(const RuleContext& ctx, FindingSink& sink, const RuleInfo& /*info*/) {
  for (const NameServer& ns : ctx.live().name_servers) {
    if (ns.glue.empty()) {
      continue;
    }
    for (const auto& [family, qtype] : {std::pair{false, "A"}, std::pair{true, "AAAA"}}) {
      std::set<std::string> glue;
      for (const std::string& g : ns.glue) {
        if (is_v6(g) == family) {
          glue.insert(util::normalize_ip(g).value_or(g));
        }
      }
      const auto child = child_addresses(ctx, ns.name, qtype);
      // The zone is authoritative for in-bailiwick names only; compare when it answered.
      if (!child || glue == *child || (glue.empty() && child->empty())) {
        continue;
      }
      if (glue.empty()) {
        continue; // no glue of this family: nothing the parent says is wrong
      }
      Finding f;
      f.location = at(ctx, "", ns.name, qtype);
      f.message = fmt::format("glue for {} {} at the parent is [{}] but the zone says [{}]", ns.name, qtype,
                              fmt::join(glue, ", "), fmt::join(*child, ", "));
      f.evidence.push_back("resolvers first use the glue, then may replace it with the zone's own records");
      sink.add(std::move(f));
    }
  }
}

} // namespace
extern const RuleCode glue_mismatch{.check = &check_glue_mismatch};
} // namespace zw::rules::delegation
