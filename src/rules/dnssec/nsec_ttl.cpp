// dnssec/nsec-ttl: NSEC and NSEC3 records whose TTL is not the lesser of the SOA's TTL and its
// MINIMUM field (RFC 9077 §3).
// User documentation: docs/rules/dnssec/nsec-ttl.md
#include <algorithm>
#include <map>
#include <set>

#include "rules/zone/zone_support.hpp"
#include "rules/zone_signing.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace zone_support;

// File lines listed per TTL in the evidence; the rest are counted.
constexpr std::size_t k_lines_per_ttl = 5;

// The records of one TTL: how many, and where the first ones are.
struct TtlGroup {
  std::size_t count = 0;
  std::vector<std::string> lines;
};

void check_nsec_ttl(const RuleContext& ctx, const ZoneFileInput& file, FindingSink& sink, const RuleInfo& info) {
  const dns::ZoneStore& store = *file.store;
  const std::optional<dns::RrsetView> soa = store.find(store.origin(), dns::rrtype::soa);
  const std::optional<std::uint32_t> minimum = zone_signing::soa_minimum(store);
  if (!soa || !minimum) {
    return; // zone/soa-count
  }
  const std::uint32_t soa_ttl = soa->ttl(0);
  const std::uint32_t expected = std::min(soa_ttl, *minimum);

  // One root cause (the signer's TTL setting), one finding: the records are grouped by TTL.
  std::map<std::uint32_t, TtlGroup> wrong;
  std::size_t checked = 0;
  std::set<std::uint16_t> checked_types; // NSEC, NSEC3, or both in a zone with a leftover chain
  std::set<std::uint16_t> wrong_types;
  for_each_name(file, [&](const dns::NameView& name, dns::NameRole role) {
    // What servers never serve is not judged (zone/occluded-data, zone/out-of-zone-data).
    if (role == dns::NameRole::out_of_zone || role == dns::NameRole::below_delegation ||
        role == dns::NameRole::below_dname) {
      return;
    }
    for (const dns::RrsetView rrset : name.rrsets()) {
      if (rrset.type() != dns::rrtype::nsec && rrset.type() != dns::rrtype::nsec3) {
        continue;
      }
      checked_types.insert(rrset.type());
      for (std::size_t i = 0; i < rrset.size(); ++i) {
        ++checked;
        if (rrset.ttl(i) == expected) {
          continue;
        }
        wrong_types.insert(rrset.type());
        TtlGroup& group = wrong[rrset.ttl(i)];
        if (++group.count <= k_lines_per_ttl) {
          group.lines.push_back(rrset.location(i).to_string());
        }
      }
    }
  });
  if (wrong.empty()) {
    return;
  }

  std::size_t count = 0;
  Finding f;
  for (const auto& [ttl, group] : wrong) {
    count += group.count;
    f.evidence.push_back(fmt::format("TTL {} ({} record{}): {}", ttl, group.count, group.count == 1 ? "" : "s",
                                     util::list_first(group.lines, k_lines_per_ttl, ", ", group.count)));
  }
  const std::uint32_t longest = wrong.rbegin()->first;
  // The summary sits at the apex under the type of the records at fault (NSEC if both are).
  f.location = at(ctx, "", text(store.origin()), type_text(*wrong_types.begin()));
  f.message =
      fmt::format("{} of {} {} records have a TTL other than {}, the lesser of the SOA's TTL ({}) and its "
                  "MINIMUM ({}) that RFC 9077 requires",
                  count, checked, checked_types.size() == 2 ? "NSEC and NSEC3" : type_text(*checked_types.begin()),
                  expected, soa_ttl, *minimum);
  f.evidence.push_back(fmt::format("{}: the SOA (TTL {}, MINIMUM {})", soa->location().to_string(), soa_ttl, *minimum));
  if (longest > expected) {
    // Longer: a resolver caches the denial, and with aggressive use (RFC 8198) denies every
    // name the record covers, for longer than the zone's negative TTL: names added meanwhile
    // stay invisible. RFC 9077 §3 tells resolvers to cap it, older ones do not.
    f.severity = Severity::warning;
    f.evidence.push_back(fmt::format("resolvers that predate RFC 9077 cache these denials, and the names they "
                                     "cover (RFC 8198), for up to {} s instead of {} s: names added meanwhile stay "
                                     "invisible",
                                     longest, expected));
  } else {
    // Only shorter: denials expire sooner than they could; nothing is hidden.
    f.severity = Severity::notice;
    f.evidence.push_back("shorter than required: denials are re-asked sooner than the zone allows, nothing is hidden");
  }
  f.resolver = info.impact;
  sink.add_graded(std::move(f));
}

} // namespace
extern const RuleCode nsec_ttl{.file = &check_nsec_ttl};
} // namespace zw::rules::dnssec
