// zone/cname-and-other-data: a CNAME owner with other data, more than one CNAME, or a CNAME at
// the apex.
// User documentation: docs/rules/zone/cname-and-other-data.md
#include "rules/zone/zone_support.hpp"

namespace zw::rules::zone {
namespace {

using namespace zone_support;

// Types that may share an owner with a CNAME: the DNSSEC records that prove and sign it
// (RFC 4035 §2.5: RRSIG, NSEC; NSEC3 lives at hashed owners but is harmless) and their
// predecessors that RFC 2181 §10.1 allowed (SIG, KEY, NXT).
constexpr bool allowed_beside_cname(std::uint16_t type) noexcept {
  return type == dns::rrtype::cname || type == dns::rrtype::rrsig || type == dns::rrtype::nsec ||
         type == dns::rrtype::nsec3 || type == 24 /* SIG */ || type == 25 /* KEY */ || type == 30 /* NXT */;
}

void check_cname_and_other_data(const RuleContext& ctx, const ZoneFileInput& file, FindingSink& sink,
                                const RuleInfo& /*info*/) {
  for_each_name(file, [&](const dns::NameView& name, dns::NameRole role) {
    // Below a cut or a DNAME the data is occluded and reported as such; out of zone it is
    // ignored by servers (zone/occluded-data, zone/data-below-dname, zone/out-of-zone-data).
    if (role != dns::NameRole::apex && role != dns::NameRole::authoritative && role != dns::NameRole::delegation) {
      return;
    }
    const std::optional<dns::RrsetView> cname = name.find(dns::rrtype::cname);
    if (!cname) {
      return;
    }
    std::vector<dns::RrsetView> others;
    for (const dns::RrsetView rrset : name.rrsets()) {
      if (!allowed_beside_cname(rrset.type())) {
        others.push_back(rrset);
      }
    }
    const bool apex = role == dns::NameRole::apex;
    if (others.empty() && cname->size() == 1 && !apex) {
      return;
    }
    Finding f;
    f.location = at(ctx, "", text(name.owner()), "CNAME");
    std::vector<std::uint16_t> other_types;
    other_types.reserve(others.size());
    for (const dns::RrsetView& o : others) {
      other_types.push_back(o.type());
    }
    std::string what = apex ? "a CNAME at the zone apex" : "a CNAME";
    if (!others.empty()) {
      what += fmt::format(" beside {}", join_types(other_types));
    }
    if (cname->size() > 1) {
      what += fmt::format("{}{} CNAME records where an alias has exactly one target", what.empty() ? "" : "; ",
                          cname->size());
    }
    if (apex) {
      what += ": the apex holds the zone's SOA and NS, and an alias cannot share its owner";
    }
    f.message = fmt::format("{} has {}", f.location.owner, what);
    for (std::size_t i = 0; i < cname->size(); ++i) {
      const std::optional<Name> target = rdata_name(cname->rdata(i), 0);
      f.evidence.push_back(fmt::format("{}: {} CNAME {}", cname->location(i).to_string(), f.location.owner,
                                       target ? text(*target) : std::string("?")));
    }
    for (const dns::RrsetView& o : others) {
      f.evidence.push_back(where(o));
    }
    f.evidence.push_back("BIND, Knot DNS and NSD refuse to load a zone with this fault");
    sink.add(std::move(f));
  });
}

} // namespace
extern const RuleCode cname_and_other_data{.file = &check_cname_and_other_data};
} // namespace zw::rules::zone
