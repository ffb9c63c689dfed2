// dnssec/nsec-bitmap-mismatch: an NSEC or NSEC3 type bitmap that does not list exactly the
// types its name has.
// User documentation: docs/rules/dnssec/nsec-bitmap-mismatch.md
#include "rules/dnssec/denial_support.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace denial_support;

std::string message(const BitmapFault& f) {
  const std::string record = f.nsec3 ? fmt::format("NSEC3 at {} (for {})", text(f.record.owner()), text(f.name))
                                     : fmt::format("NSEC at {}", text(f.name));
  if (f.malformed) {
    return fmt::format("{}: the type bitmap does not parse", record);
  }
  std::string m = record;
  if (!f.listed_absent.empty()) {
    const bool one = f.listed_absent.size() == 1;
    if (f.ent) {
      m += fmt::format(" lists {}, but the empty non-terminal {} owns no records", join_types(f.listed_absent),
                       text(f.name));
    } else if (f.role == dns::NameRole::delegation) {
      m += fmt::format(" lists {}, which {} not authoritative data at the delegation {}", join_types(f.listed_absent),
                       one ? "is" : "are", text(f.name));
    } else {
      m += fmt::format(" lists {}, which {} does not have", join_types(f.listed_absent), text(f.name));
    }
  }
  if (!f.present_unlisted.empty()) {
    m += fmt::format("{} omits {}, which {} has", f.listed_absent.empty() ? "" : ", and",
                     join_types(f.present_unlisted), text(f.name));
  }
  return m;
}

// Fills in the finding of one fault and returns its record's line.
std::string describe(const RuleContext& ctx, const BitmapFault& f, Finding& out) {
  out.location = at(ctx, "", text(f.record.owner()), f.nsec3 ? "NSEC3" : "NSEC");
  out.message = message(f);
  // RFC 4035 §5.4 / RFC 5155 §8.5: a NODATA proof is this bitmap without the queried type.
  if (!f.present_unlisted.empty()) {
    out.evidence.push_back(fmt::format("this record proves to resolvers that {} has no {}: answers that contain "
                                       "them conflict with the proof",
                                       text(f.name), join_types(f.present_unlisted)));
  }
  if (!f.listed_absent.empty()) {
    out.evidence.push_back(fmt::format("a NODATA answer for {} at {} cannot be proven with this record: "
                                       "validators find the type listed and reject the answer as bogus",
                                       join_types(f.listed_absent), text(f.name)));
  }
  return where(f.record, f.nsec3 ? "the NSEC3 record" : "the NSEC record");
}

void check_nsec_bitmap_mismatch(const RuleContext& ctx, const DenialAnalysis& d, DenialSink& sink,
                                const RuleInfo& /*info*/) {
  report_each(sink, d.bitmaps, [&](const BitmapFault& f, Finding& out) { return describe(ctx, f, out); });
}

} // namespace
extern const RuleCode nsec_bitmap_mismatch{.file = &with_denial<check_nsec_bitmap_mismatch>};
} // namespace zw::rules::dnssec
