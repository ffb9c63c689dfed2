// zone/zonemd-digest-mismatch: an apex ZONEMD record whose digest is not the digest of the zone
// (RFC 8976 §4 step 5f).
// User documentation: docs/rules/zone/zonemd-digest-mismatch.md
#include <algorithm>
#include <string>
#include <utility>

#include "rules/zone/zonemd_support.hpp"

namespace zw::rules::zone {
namespace {

using namespace zonemd_support;

// Passes findings on with one more evidence line (when not empty).
class AppendEvidence final : public FindingSink {
public:
  AppendEvidence(FindingSink& next, std::string line) : m_next(next), m_line(std::move(line)) {}
  bool room() override { return m_next.room(); }
  bool room(Severity severity, ResolverImpact impact) override { return m_next.room(severity, impact); }
  void add(Finding finding) override { m_next.add(with_line(std::move(finding))); }
  void add_graded(Finding finding) override { m_next.add_graded(with_line(std::move(finding))); }

private:
  Finding with_line(Finding f) const {
    if (!m_line.empty()) {
      f.evidence.push_back(m_line);
    }
    return f;
  }
  FindingSink& m_next;
  std::string m_line;
};

void check_zonemd_digest_mismatch(const RuleContext& ctx, const ZoneFileInput& file, const ZonemdCheck& c,
                                  FindingSink& sink, const RuleInfo& /*info*/) {
  if (with_status(c, ZonemdStatus::digest_mismatch).empty()) {
    return;
  }
  // RRsets whose RRs have different TTLs (RFC 2181 §5.2) are where digest implementations part:
  // canonical form keeps each RR's TTL (ours, ldns), dnspython digests the RRset's lowest.
  std::size_t mixed_ttls = 0;
  std::string first_mixed;
  for (const dns::RrsetView rrset : file.store->rrsets()) {
    if (rrset.ttls_differ() && mixed_ttls++ == 0) {
      first_mixed = zone_support::where(rrset);
    }
  }
  AppendEvidence with_ttl_note(sink, mixed_ttls == 0
                                         ? std::string()
                                         : fmt::format("{} RRset{} of the zone mix TTLs (first: {}): the digest "
                                                       "uses each RR's own TTL, as canonical form does; a tool that "
                                                       "merges TTLs first computes another digest (zone/ttl-mismatch)",
                                                       mixed_ttls, mixed_ttls == 1 ? "" : "s", first_mixed));
  report_records(
      ctx, with_ttl_note, c, ZonemdStatus::digest_mismatch,
      [](std::size_t n) {
        return fmt::format("{} ZONEMD record{} at the apex publish{} a digest that is not the digest of "
                           "the zone's data: the zone changed after the digest was computed, or the digest "
                           "is wrong",
                           n, n == 1 ? "" : "s", n == 1 ? "es" : "");
      },
      [](const ZonemdRecord& r) {
        const bool zeros = std::all_of(r.digest.begin(), r.digest.end(), [](std::uint8_t b) { return b == 0; });
        return fmt::format("{}: published {}, computed {}{}", describe(r), util::to_hex(r.digest),
                           util::to_hex(r.computed),
                           zeros ? " (all zeros: a placeholder never updated, RFC 8976 §3.4)" : "");
      });
}

} // namespace
extern const RuleCode zonemd_digest_mismatch{.file = &with_zonemd<check_zonemd_digest_mismatch>};
} // namespace zw::rules::zone
