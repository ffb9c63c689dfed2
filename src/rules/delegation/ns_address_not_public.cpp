// delegation/ns-address-not-public: a name server address is not reachable from the Internet.
// User documentation: docs/rules/delegation/ns-address-not-public.md
#include "rules/rule_support.hpp"
#include "util/ip.hpp"

namespace zw::rules::delegation {
namespace {

class NsAddressNotPublic final : public Rule {
public:
  const RuleInfo& info() const noexcept override { return k_info; }
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    // Only meaningful for the public DNS: with a user's own hints (an internal or lab
    // hierarchy) private addresses are normal.
    if (!ctx.public_root_hints()) {
      return;
    }
    for (const NameServer& ns : ctx.live().name_servers) {
      for (const std::string& address : ns.addresses) {
        const auto reason = util::non_public_reason(address);
        if (!reason) {
          continue;
        }
        const std::string label = server_label(ns.name, address);
        Finding f;
        f.location = at(ctx, label, ns.name, address.find(':') != std::string::npos ? "AAAA" : "A");
        f.message = fmt::format("name server {} has the address {}, which is {}: Internet resolvers cannot reach it",
                                ns.name, address, *reason);
        f.servers = {label};
        sink.add(std::move(f));
      }
    }
  }

private:
  static constexpr RuleInfo k_info{
      .id = "delegation/ns-address-not-public",
      .severity = Severity::warning,
      .stability = Stability::stable,
      .summary = "A name server address is private, reserved or otherwise not globally reachable",
      .reference = "RFC 6890, RFC 1918",
      .impact = {Rcode::noerror, Ede::none},
      .inputs = Inputs::live};
};

} // namespace
std::unique_ptr<Rule> make_ns_address_not_public() { return std::make_unique<NsAddressNotPublic>(); }
} // namespace zw::rules::delegation
