// zone/ttl-mismatch: the records of one RRset carry different TTLs.
// User documentation: docs/rules/zone/ttl-mismatch.md
#include <map>

#include "rules/zone/zone_support.hpp"

namespace zw::rules::zone {
namespace {

using namespace zone_support;

// File lines listed per TTL in the evidence; the rest are counted.
constexpr std::size_t k_lines_per_ttl = 10;

void check_ttl_mismatch(const RuleContext& ctx, const ZoneFileInput& file, FindingSink& sink,
                        const RuleInfo& /*info*/) {
  for_each_name(file, [&](const dns::NameView& name, dns::NameRole role) {
    // Servers never serve data outside the zone or below a DNAME (other rules say so).
    if (role == dns::NameRole::out_of_zone || role == dns::NameRole::below_dname) {
      return;
    }
    for (const dns::RrsetView rrset : name.rrsets()) {
      // The RRSIGs of one owner cover different types, each with that RRset's TTL: their
      // TTLs differ by design (RFC 4034 §3: one RRSIG RRset per covered type). SOA and CNAME
      // are singletons: more than one record is zone/soa-count's or zone/cname-and-other-data's
      // fault, and the TTLs are a detail of it.
      const std::uint16_t type = rrset.type();
      if (type == dns::rrtype::rrsig || type == dns::rrtype::soa || type == dns::rrtype::cname ||
          !rrset.ttls_differ()) {
        continue;
      }
      std::map<std::uint32_t, std::vector<std::size_t>> by_ttl;
      for (std::size_t i = 0; i < rrset.size(); ++i) {
        by_ttl[rrset.ttl(i)].push_back(i);
      }
      Finding f;
      f.location = at(ctx, "", text(rrset.owner()), type_text(rrset.type()));
      std::string ttls;
      std::size_t k = 0;
      for (const auto& [ttl, rrs] : by_ttl) {
        if (k > 0) {
          ttls += k + 1 == by_ttl.size() ? " and " : ", ";
        }
        ttls += std::to_string(ttl);
        ++k;
        std::vector<std::string> lines;
        for (std::size_t j = 0; j < rrs.size() && j < k_lines_per_ttl; ++j) {
          lines.push_back(rrset.location(rrs[j]).to_string());
        }
        f.evidence.push_back(fmt::format("TTL {} ({} record{}): {}", ttl, rrs.size(), rrs.size() == 1 ? "" : "s",
                                         util::list_first(lines, k_lines_per_ttl, ", ", rrs.size())));
      }
      f.message = fmt::format("{} {}: its {} records have TTLs {}; all records of an RRset must have the same TTL",
                              f.location.owner, f.location.type, rrset.size(), ttls);
      f.evidence.push_back(fmt::format("resolvers treat every record as having the lowest TTL, {} (RFC 2181 §5.2); "
                                       "BIND's loader changes them to the first TTL it reads",
                                       by_ttl.begin()->first));
      sink.add(std::move(f));
    }
  });
}

} // namespace
extern const RuleCode ttl_mismatch{.file = &check_ttl_mismatch};
} // namespace zw::rules::zone
