// dnssec/key-tag-collision: two different apex DNSKEYs share a key tag and an algorithm.
// User documentation: docs/rules/dnssec/key-tag-collision.md
#include <map>
#include <utility>

#include <fmt/ranges.h>

#include "rules/dnssec/key_support.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace key_support;
namespace reg = ::zw::dnssec;

void check_key_tag_collision(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info) {
  // The tags are those of the DNSKEYs as published: a revoked key counts with its tag after
  // revocation, which is what RRSIGs and DS records name (RFC 5011 §3 changes the flags, and
  // the tag is computed over them, RFC 4034 App. B). The store holds each distinct RR once,
  // so two entries here are two different keys.
  const std::vector<ApexKey> keys = apex_keys(ctx);
  std::map<std::pair<std::uint16_t, std::uint8_t>, std::vector<const ApexKey*>> groups;
  for (const ApexKey& k : keys) {
    groups[{k.tag(), k.algorithm()}].push_back(&k);
  }
  for (const auto& [id, group] : groups) {
    if (group.size() < 2) {
      continue;
    }
    std::vector<std::string> roles;
    for (const ApexKey* k : group) {
      roles.push_back(role(*k));
    }
    Finding f = finding(info, apex(ctx));
    f.message = fmt::format("{} DNSKEYs share key tag {} and algorithm {} ({})", group.size(), id.first,
                            reg::algorithm_text(id.second), fmt::join(roles, "; "));
    for (const ApexKey* k : group) {
      f.evidence.push_back(where(*k));
    }
    f.evidence.push_back("validators must try each of these keys for every signature and DS naming this tag "
                         "(RFC 4034 App. B, RFC 4035 §5.3.1); since KeyTrap (CVE-2023-50387) resolvers cap "
                         "that work, and a colliding key uses up part of the budget");
    if (std::any_of(group.begin(), group.end(), [](const ApexKey* k) { return k->revoked(); })) {
      f.evidence.push_back("a revoked key collides with the tag it has after revocation (RFC 5011 §3)");
    }
    sink.add_graded(std::move(f));
  }
}

} // namespace
extern const RuleCode key_tag_collision{.check = &check_key_tag_collision};
} // namespace zw::rules::dnssec
