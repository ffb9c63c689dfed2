// zone/zonemd-digest-mismatch: an apex ZONEMD record whose digest is not the digest of the zone
// (RFC 8976 §4 step 5f).
// User documentation: docs/rules/zone/zonemd-digest-mismatch.md
#include <algorithm>

#include "rules/zone/zonemd_support.hpp"

namespace zw::rules::zone {
namespace {

using namespace zonemd_support;

class ZonemdDigestMismatch final : public Rule {
public:
  const RuleInfo& info() const noexcept override { return k_info; }
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    const CheckRef ref(ctx);
    const ZonemdCheck* c = ref.get();
    if (c == nullptr) {
      return;
    }
    const std::size_t n = with_status(*c, ZonemdStatus::digest_mismatch).size();
    report_records(ctx, sink, *c, ZonemdStatus::digest_mismatch,
                   fmt::format("{} ZONEMD record{} at the apex publish{} a digest that is not the digest of the zone's "
                               "data: the zone changed after the digest was computed, or the digest is wrong",
                               n, n == 1 ? "" : "s", n == 1 ? "es" : ""),
                   [](const ZonemdRecord& r) {
                     const bool zeros = std::all_of(r.digest.begin(), r.digest.end(), [](std::uint8_t b) { return b == 0; });
                     return fmt::format("{}: published {}, computed {}{}", describe(r), dnssec::to_hex(r.digest),
                                        dnssec::to_hex(r.computed),
                                        zeros ? " (all zeros: a placeholder never updated, RFC 8976 §3.4)" : "");
                   });
  }

private:
  static constexpr RuleInfo k_info{
      .id = "zone/zonemd-digest-mismatch",
      .severity = Severity::error,
      .stability = Stability::stable,
      .summary = "the apex ZONEMD digest does not match the zone's data",
      .reference = "RFC 8976 §4",
      .impact = {Rcode::servfail, Ede::none},
      .inputs = Inputs::zone_file};
};

} // namespace
std::unique_ptr<Rule> make_zonemd_digest_mismatch() { return std::make_unique<ZonemdDigestMismatch>(); }
} // namespace zw::rules::zone
