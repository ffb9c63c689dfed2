// dnssec/rrsig-expiring-soon: the last working signature over an RRset expires within the window.
// User documentation: docs/rules/dnssec/rrsig-expiring-soon.md
#include "rules/rule_support.hpp"

namespace zw::rules::dnssec {
namespace {

class RrsigExpiringSoon final : public Rule {
public:
  const RuleInfo& info() const noexcept override { return k_info; }
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    const std::int64_t window = ctx.options().expiry_window_s;
    for (const ::zw::dnssec::SignedRrset& r : ctx.dnssec().rrsets) {
      // The RRset keeps validating until its latest usable signature expires; an RRset with no
      // usable signature at all is another rule's finding (expired, invalid, not yet valid).
      if (!r.has_usable || r.best_expiration - ctx.now() > window) {
        continue;
      }
      Finding f;
      f.location = Location{r.zone, r.servers.size() == 1 ? r.servers.front() : "", r.owner, r.type};
      f.servers = r.servers;
      f.message = fmt::format("the signatures over {} {} expire at {}, in {} (window {})", r.owner, r.type,
                              utc(r.best_expiration), duration(r.best_expiration - ctx.now()), duration(window));
      f.evidence.push_back("re-sign the zone before then, or resolvers will answer SERVFAIL (EDE 7)");
      sink.add(std::move(f));
    }
  }

private:
  static constexpr RuleInfo k_info{
      .id = "dnssec/rrsig-expiring-soon",
      .severity = Severity::warning,
      .stability = Stability::stable,
      .summary = "The signatures over an RRset expire within the warning window",
      .reference = "RFC 6781 §4.4.2",
      .impact = {Rcode::noerror, Ede::none},
      .inputs = Inputs::both};
};

} // namespace
std::unique_ptr<Rule> make_rrsig_expiring_soon() { return std::make_unique<RrsigExpiringSoon>(); }
} // namespace zw::rules::dnssec
