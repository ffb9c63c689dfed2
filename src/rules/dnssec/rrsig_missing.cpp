// dnssec/rrsig-missing: an RRset that must be signed has no RRSIG at all.
// User documentation: docs/rules/dnssec/rrsig-missing.md
#include "rules/zone_signing.hpp"

namespace zw::rules::dnssec {
namespace {

namespace zs = zone_signing;

class RrsigMissing final : public Rule {
public:
  const RuleInfo& info() const noexcept override { return k_info; }
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    const ZoneFileInput* file = ctx.zone_file();
    if (file == nullptr || file->store == nullptr || file->layout == nullptr) {
      return;
    }
    const dns::ZoneStore& store = *file->store;
    const std::optional<dns::RrsetView> dnskeys = store.find(store.origin(), dns::rrtype::dnskey);
    if (!dnskeys) {
      return; // an unsigned zone: nothing must be signed
    }
    // RFC 4035 §2.2: every authoritative RRset (and DS, NSEC, NSEC3 at a cut) carries an RRSIG.
    // Any RRSIG over the type counts here, even by a key the apex does not publish: such a
    // signature cannot validate, and the zone-file analysis reports it as unverifiable.
    std::size_t to_sign = 0;
    std::size_t signed_count = 0;
    std::vector<dns::RrsetView> missing;
    missing.reserve(zs::k_finding_cap);
    zs::CappedRrsets capped;
    zs::for_each_rrset_to_sign(*file, [&](const dns::NameView& name, const dns::RrsetView& rrset) {
      ++to_sign;
      if (!name.rrsigs_covering(rrset.type()).empty()) {
        ++signed_count;
      } else if (capped.admit(rrset, store.origin())) {
        missing.push_back(rrset);
      }
    });
    if (missing.empty()) {
      return;
    }
    if (signed_count == 0) {
      // One root cause: keys were added but the zone was never signed (or its signatures were
      // stripped, e.g. by a tool that re-wrote the zone). One finding, not one per RRset.
      Finding f;
      f.location = zs::location_of(ctx, *dnskeys);
      f.message = fmt::format("the apex publishes {} DNSKEY record(s) but none of the {} RRsets that must be signed "
                              "has an RRSIG: the zone was never signed",
                              dnskeys->size(), to_sign);
      f.evidence.push_back(zs::source_line(*dnskeys));
      f.evidence.push_back("validating resolvers that reach this zone through a DS answer SERVFAIL for every name");
      sink.add(std::move(f));
      return;
    }
    for (const dns::RrsetView& rrset : missing) {
      Finding f;
      f.location = zs::location_of(ctx, rrset);
      f.message = fmt::format("no RRSIG covers the {} RRset at {} ({} of {} RRsets that must be signed are signed)",
                              dns::type_to_text(rrset.type()), dns::name_to_text(rrset.owner()), signed_count, to_sign);
      f.evidence.push_back(zs::source_line(rrset));
      sink.add(std::move(f));
    }
    const zs::RrsetGroup& rest = capped.overflow();
    if (!rest.empty()) {
      Finding f;
      f.location = zs::location_of(ctx, rest.telling());
      f.message =
          fmt::format("and {} more RRsets that must be signed have no RRSIG: {}", rest.size(), rest.list_text());
      rest.add_evidence(f);
      sink.add(std::move(f));
    }
  }

private:
  static constexpr RuleInfo k_info{
      .id = "dnssec/rrsig-missing",
      .severity = Severity::error,
      .stability = Stability::stable,
      .summary = "An RRset that must be signed has no RRSIG",
      .reference = "RFC 4035 §2.2",
      .impact = {Rcode::servfail, Ede::rrsigs_missing},
      .inputs = Inputs::zone_file};
};

} // namespace
std::unique_ptr<Rule> make_rrsig_missing() { return std::make_unique<RrsigMissing>(); }
} // namespace zw::rules::dnssec
