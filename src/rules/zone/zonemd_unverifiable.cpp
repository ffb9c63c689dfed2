// zone/zonemd-unverifiable: the apex ZONEMD RRset only has records with schemes or hash algorithms
// no verifier supports (private use, reserved as in placeholders, unassigned): the zone's digest
// cannot be verified (RFC 8976 §4 steps 5b, 5c).
// User documentation: docs/rules/zone/zonemd-unverifiable.md
#include <algorithm>

#include "rules/zone/zonemd_support.hpp"

namespace zw::rules::zone {
namespace {

using namespace zonemd_support;

bool unsupported(const ZonemdRecord& r) noexcept {
  return r.status == ZonemdStatus::unsupported_scheme || r.status == ZonemdStatus::unsupported_hash;
}

void check_zonemd_unverifiable(const RuleContext& ctx, const ZoneFileInput& /*file*/, const ZonemdCheck& c,
                               FindingSink& sink, const RuleInfo& /*info*/) {
  // Only when every record is unsupported: a failing record is its own rule's finding, a
  // verified one makes the others irrelevant (§4).
  if (c.records.empty() || !std::all_of(c.records.begin(), c.records.end(), unsupported)) {
    return;
  }
  Finding f;
  f.location = at(ctx, "", ctx.zone_name(), "ZONEMD");
  f.message = fmt::format("the zone's ZONEMD record{} use{} only schemes or hash algorithms no verifier supports: the "
                          "digest cannot be verified",
                          c.records.size() == 1 ? "" : "s", c.records.size() == 1 ? "s" : "");
  for (const ZonemdRecord& r : c.records) {
    std::string why;
    if (r.status == ZonemdStatus::unsupported_scheme) {
      why = r.scheme == 0                        ? "scheme 0 is reserved: a placeholder left in place (RFC 8976 §3.1)"
            : r.scheme >= 240 && r.scheme <= 254 ? fmt::format("scheme {} is for private use", r.scheme)
                                                 : fmt::format("scheme {} is not SIMPLE (1)", r.scheme);
    } else {
      why = r.hash == 0 ? "hash algorithm 0 is reserved: a placeholder left in place (RFC 8976 §3.1)"
            : r.hash >= 240 && r.hash <= 254
                ? fmt::format("hash algorithm {} is for private use", r.hash)
                : fmt::format("hash algorithm {} is neither SHA-384 (1) nor SHA-512 (2)", r.hash);
    }
    f.evidence.push_back(fmt::format("{}: {}", describe(r), why));
  }
  f.evidence.emplace_back("verifiers treat the zone as having no usable ZONEMD: Unbound 1.17 (zonemd-check: yes) "
                          "serves it; Knot DNS 3.2 with zonemd-verify: on refuses it, as it refuses a zone without "
                          "ZONEMD (measured)");
  sink.add(std::move(f)); // at the rule's default grade
}

} // namespace
extern const RuleCode zonemd_unverifiable{.file = &with_zonemd<check_zonemd_unverifiable>};
} // namespace zw::rules::zone
