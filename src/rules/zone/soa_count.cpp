// zone/soa-count: the apex holds exactly one SOA record, and no other name of the zone holds one.
// User documentation: docs/rules/zone/soa-count.md
#include "rules/zone/zone_support.hpp"

namespace zw::rules::zone {
namespace {

using namespace zone_support;

// SERIAL of an SOA RDATA (RFC 1035 §3.3.13): the first 32-bit field after MNAME and RNAME.
std::optional<std::uint32_t> soa_serial(Name rdata) noexcept {
  const std::optional<Name> mname = rdata_name(rdata, 0);
  const std::optional<Name> rname = mname ? rdata_name(rdata, mname->size()) : std::nullopt;
  if (!rname) {
    return std::nullopt;
  }
  const std::size_t at = mname->size() + rname->size();
  if (rdata.size() < at + 20) {
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(rdata[at]) << 24 | static_cast<std::uint32_t>(rdata[at + 1]) << 16 |
         static_cast<std::uint32_t>(rdata[at + 2]) << 8 | rdata[at + 3];
}

std::string serial_text(Name rdata) {
  const std::optional<std::uint32_t> serial = soa_serial(rdata);
  return serial ? std::to_string(*serial) : std::string("?");
}

void check_soa_count(const RuleContext& ctx, const ZoneFileInput& file, FindingSink& sink, const RuleInfo& /*info*/) {
  const dns::ZoneStore& store = *file.store;
  const Name apex = store.origin();
  const std::string apex_text = text(apex);

  // The apex first, so that its finding is never the one the cap holds back.
  const std::optional<dns::NameView> top = store.find_name(apex);
  const std::optional<dns::RrsetView> soa = top ? top->find(dns::rrtype::soa) : std::nullopt;
  if (!soa) {
    Finding f;
    f.location = at(ctx, "", apex_text, "SOA");
    f.message = fmt::format("no SOA record at the apex {}", apex_text);
    if (!top) {
      f.evidence.push_back(fmt::format("{}: the apex {} owns no records at all; is this the file of another "
                                       "zone? (the origin is --origin, else the first SOA's owner, else a "
                                       "name taken from the file name)",
                                       file.path, apex_text));
    } else {
      f.evidence.push_back(
          fmt::format("{}: {} records, none of them an SOA at {}", file.path, store.size(), apex_text));
    }
    f.evidence.push_back("BIND, Knot DNS and NSD refuse to load a zone without an SOA at its apex");
    sink.add(std::move(f));
  } else if (soa->size() > 1) {
    // Exact duplicates were merged on load (RFC 2181 §5), so these differ in RDATA.
    Finding f;
    f.location = at(ctx, "", apex_text, "SOA");
    std::string serials;
    for (std::size_t i = 0; i < soa->size(); ++i) {
      serials += (i == 0 ? "" : i + 1 == soa->size() ? " and " : ", ") + serial_text(soa->rdata(i));
      f.evidence.push_back(fmt::format("{}: SOA serial {}", soa->location(i).to_string(), serial_text(soa->rdata(i))));
    }
    f.message = fmt::format("the apex {} holds {} different SOA records (serials {}); a zone has exactly one",
                            apex_text, soa->size(), serials);
    f.evidence.push_back("BIND and NSD refuse to load the zone (\"multiple RRs of singleton type\")");
    sink.add(std::move(f));
  }

  for_each_name(file, [&](const dns::NameView& name, dns::NameRole role) {
    // Out-of-zone SOAs are zone/out-of-zone-data: servers skip them.
    if (role == dns::NameRole::apex || role == dns::NameRole::out_of_zone) {
      return;
    }
    const std::optional<dns::RrsetView> below = name.find(dns::rrtype::soa);
    if (!below) {
      return;
    }
    Finding f;
    f.location = at(ctx, "", text(name.owner()), "SOA");
    f.message = fmt::format("SOA record at {}, below the apex {}: an SOA belongs only at the apex of its zone{}",
                            f.location.owner, apex_text,
                            role == dns::NameRole::below_delegation
                                ? " (this one is inside a delegation: it belongs in the child zone's own file)"
                                : "");
    f.evidence.push_back(where(*below));
    f.evidence.push_back("BIND and NSD refuse to load the zone file (\"SOA record not at top of zone\")");
    sink.add(std::move(f));
  });
}

} // namespace
extern const RuleCode soa_count{.file = &check_soa_count};
} // namespace zw::rules::zone
