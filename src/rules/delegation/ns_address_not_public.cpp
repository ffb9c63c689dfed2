// delegation/ns-address-not-public: a name server address is not reachable from the Internet.
// User documentation: docs/rules/delegation/ns-address-not-public.md
#include "rules/rule_support.hpp"
#include "util/ip.hpp"

namespace zw::rules::delegation {
namespace {

void check_ns_address_not_public(const RuleContext& ctx, FindingSink& sink, const RuleInfo& /*info*/) {
  // Only meaningful for the public DNS: with a user's own hints (an internal or lab
  // hierarchy) private addresses are normal.
  if (!ctx.public_root_hints()) {
    return;
  }
  struct Bad {
    const NameServer* ns;
    std::string address;
    std::string reason;
  };
  std::vector<Bad> bad;
  std::size_t addresses = 0;
  for (const NameServer& ns : ctx.live().name_servers) {
    for (const std::string& address : ns.addresses) {
      ++addresses;
      if (const auto reason = util::non_public_reason(address)) {
        bad.push_back({&ns, address, *reason});
      }
    }
  }
  if (bad.empty()) {
    return;
  }
  if (bad.size() == addresses) {
    // No address a resolver on the Internet can reach: the zone does not resolve. One root
    // cause, one finding, listing every address.
    Finding f;
    f.location = at(ctx, "", ctx.zone_name(), "NS");
    f.message = fmt::format("every address of the zone's {} name server(s) is not globally reachable: "
                            "resolvers on the Internet can reach none of them",
                            ctx.live().name_servers.size());
    for (const Bad& b : bad) {
      const std::string label = server_label(b.ns->name, b.address);
      f.servers.push_back(label);
      f.evidence.push_back(fmt::format("{}: {}", label, b.reason));
    }
    f.severity = Severity::error;
    f.resolver = {Rcode::servfail, Ede::no_reachable_authority};
    sink.add_graded(std::move(f));
    return;
  }
  for (const Bad& b : bad) {
    const std::string label = server_label(b.ns->name, b.address);
    Finding f;
    f.location = at(ctx, label, b.ns->name, b.address.find(':') != std::string::npos ? "AAAA" : "A");
    f.message = fmt::format("name server {} has the address {}, which is {}: Internet resolvers cannot reach it",
                            b.ns->name, b.address, b.reason);
    f.servers = {label};
    sink.add(std::move(f)); // at the rule's default grade
  }
}

} // namespace
extern const RuleCode ns_address_not_public{.check = &check_ns_address_not_public};
} // namespace zw::rules::delegation
