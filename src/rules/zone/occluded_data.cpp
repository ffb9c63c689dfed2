// zone/occluded-data: records at or below a delegation that are not glue, and signatures or NSEC
// records over glue.
// User documentation: docs/rules/zone/occluded-data.md
#include <algorithm>

#include "rules/zone/zone_support.hpp"

namespace zw::rules::zone {
namespace {

using namespace zone_support;

// True when one of the NS records of `ns` names `host`.
bool names_host(const dns::RrsetView& ns, Name host) noexcept {
  for (std::size_t i = 0; i < ns.size(); ++i) {
    const std::optional<Name> target = rdata_name(ns.rdata(i), 0);
    if (target && same_name(*target, host)) {
      return true;
    }
  }
  return false;
}

void check_occluded_data(const RuleContext& ctx, const ZoneFileInput& file, FindingSink& sink, const RuleInfo& info) {
  if (file.layout->delegations().empty()) {
    return;
  }
  const dns::ZoneStore& store = *file.store;
  const std::optional<dns::RrsetView> apex_ns = store.find(store.origin(), dns::rrtype::ns);

  // Every target of the zone's own NS RRsets (apex and delegations), sorted; built on first
  // need only, for addresses that neither their own delegation nor the apex names (sibling
  // glue, RFC 9471 §2.2). The spans point into the store.
  std::optional<std::vector<Name>> targets;
  const auto named_by_any_ns = [&](Name host) {
    if (!targets) {
      targets.emplace();
      for_each_name(file, [&](const dns::NameView& name, dns::NameRole role) {
        if (role != dns::NameRole::apex && role != dns::NameRole::delegation) {
          return;
        }
        if (const std::optional<dns::RrsetView> ns = name.find(dns::rrtype::ns)) {
          for (std::size_t i = 0; i < ns->size(); ++i) {
            if (const std::optional<Name> target = rdata_name(ns->rdata(i), 0)) {
              targets->push_back(*target);
            }
          }
        }
      });
      std::sort(targets->begin(), targets->end(), name_less);
    }
    return std::binary_search(targets->begin(), targets->end(), host, name_less);
  };

  dns::RrsetView cut_ns; // the NS RRset of the delegation whose subtree we are in
  for_each_name(file, [&](const dns::NameView& name, dns::NameRole role) {
    if (role == dns::NameRole::delegation) {
      cut_ns = name.find(dns::rrtype::ns).value_or(dns::RrsetView());
    } else if (role != dns::NameRole::below_delegation) {
      return;
    }
    const bool at_cut = role == dns::NameRole::delegation;
    const Name owner = name.owner();
    std::optional<bool> glue; // decided on the first address record
    const auto is_glue = [&] {
      if (!glue) {
        glue = (!cut_ns.empty() && names_host(cut_ns, owner)) || (apex_ns && names_host(*apex_ns, owner)) ||
               named_by_any_ns(owner);
      }
      return *glue;
    };

    std::vector<dns::RrsetView> occluded;
    bool stray_addresses = false;
    std::vector<std::string> signed_glue; // evidence: "file:line: RRSIG over A", NSEC records
    std::uint16_t signed_type = 0;        // RRSIG or NSEC, whichever came first
    for (const dns::RrsetView rrset : name.rrsets()) {
      const std::uint16_t type = rrset.type();
      // SOA: zone/soa-count. CNAME beside the cut's NS: zone/cname-and-other-data.
      if (type == dns::rrtype::soa || (at_cut && type == dns::rrtype::cname)) {
        continue;
      }
      // The parent's side of a cut: NS, DS and the NSEC that proves which (RFC 4035 §2.3).
      if (at_cut && (type == dns::rrtype::ns || type == dns::rrtype::ds || type == dns::rrtype::nsec)) {
        continue;
      }
      if (type == dns::rrtype::a || type == dns::rrtype::aaaa) {
        if (!is_glue()) {
          occluded.push_back(rrset);
          stray_addresses = true;
        }
        continue;
      }
      if (type == dns::rrtype::rrsig) {
        // RFC 4035 §2.2: only the DS and NSEC RRsets of a cut are signed; its NS RRset and glue
        // are not authoritative and must not be.
        for (std::size_t i = 0; i < rrset.size(); ++i) {
          const std::uint16_t covered = covered_type(rrset.rdata(i));
          if (at_cut && (covered == dns::rrtype::ds || covered == dns::rrtype::nsec)) {
            continue;
          }
          signed_glue.push_back(
              fmt::format("{}: {} RRSIG over {}", rrset.location(i).to_string(), text(owner), type_text(covered)));
          signed_type = signed_type != 0 ? signed_type : dns::rrtype::rrsig;
        }
        continue;
      }
      if (type == dns::rrtype::nsec) {
        signed_glue.push_back(where(rrset));
        signed_type = signed_type != 0 ? signed_type : dns::rrtype::nsec;
        continue;
      }
      occluded.push_back(rrset);
    }
    if (occluded.empty() && signed_glue.empty()) {
      return;
    }
    const std::string owner_text = text(owner);
    const std::string cut_text = cut_ns.empty() ? std::string("?") : text(cut_ns.owner());
    Finding f;
    if (!occluded.empty()) {
      std::vector<std::uint16_t> types;
      for (const dns::RrsetView& r : occluded) {
        types.push_back(r.type());
        f.evidence.push_back(where(r));
      }
      f.location = at(ctx, "", owner_text, type_text(types.front()));
      const std::string not_glue =
          stray_addresses ? fmt::format(" (no NS record names {}, so its addresses are not glue)", owner_text)
                          : std::string();
      if (at_cut) {
        f.message = fmt::format("{} holds {} beside its NS records: at a delegation the parent serves only NS, "
                                "DS and glue, so resolvers never see {}{}",
                                owner_text, join_types(types), types.size() == 1 ? "it" : "them", not_glue);
      } else {
        f.message = fmt::format("{} ({}) is below the delegation {}: resolvers ask the child zone for it and "
                                "never see these records{}",
                                owner_text, join_types(types), cut_text, not_glue);
      }
      if (!cut_ns.empty()) {
        f.evidence.push_back(where(cut_ns) + " (the delegation)");
      }
      f.evidence.insert(f.evidence.end(), signed_glue.begin(), signed_glue.end());
      // Neither BIND, Knot DNS nor NSD refuses such a file and no resolver fails because of it:
      // the data are simply never served. Only addresses (stale glue, the commonest case in
      // published zones): a notice; anything else was meant to be published: a warning.
      const bool only_addresses = std::all_of(occluded.begin(), occluded.end(), [](const dns::RrsetView& r) {
        return r.type() == dns::rrtype::a || r.type() == dns::rrtype::aaaa;
      });
      f.severity = only_addresses ? Severity::notice : Severity::warning;
      f.resolver = info.impact;
    } else {
      // Only signatures or NSEC over glue or the cut's NS: resolvers never ask for them, so
      // nothing fails; but the signer treated the delegation as authoritative data.
      f.location = at(ctx, "", owner_text, type_text(signed_type));
      f.message = at_cut ? fmt::format("the delegation {} has signatures over records other than DS and NSEC: "
                                       "the NS RRset of a delegation is not authoritative and is not signed",
                                       owner_text)
                         : fmt::format("glue {} carries RRSIG or NSEC records, as if {} were not delegated: glue "
                                       "is not authoritative and is neither signed nor part of the NSEC chain",
                                       owner_text, cut_text);
      f.evidence = signed_glue;
      f.evidence.push_back("re-sign the zone with a signer that knows the delegation (dnssec-signzone, "
                           "ldns-signzone and Knot DNS skip glue)");
      grade_warning_unaffected(f);
    }
    sink.add_graded(std::move(f));
  });
}

} // namespace
extern const RuleCode occluded_data{.file = &check_occluded_data};
} // namespace zw::rules::zone
