// The chain of trust above an audited zone (anchor -> root DNSKEY -> DS -> ... -> the parent's
// DNSKEY RRset) and the zone's own link, for analyse_zone (zone_analysis.cpp).

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "dnssec/keys.hpp"
#include "dnssec/rrsig.hpp"
#include "dnssec/zone_analysis_internal.hpp"
#include "util/recent_answers.hpp"

namespace zw::dnssec::detail {

namespace {

// True when some RRSIG in `answer` over `rrset` (owner/type) is valid now by a key in
// `trusted_keys` of zone `zone`: the same judgement as every other signature (judge_signature,
// crypto::verify_dual).
bool validate_rrset(const std::string& zone, const std::vector<dns::Rr>& sigs, const std::vector<dns::Rr>& rrset,
                    const std::vector<dns::Rr>& trusted_keys, std::int64_t now, dns::Bytes& scratch) {
  const KeyRing ring = ring_of(zone, trusted_keys);
  return std::any_of(sigs.begin(), sigs.end(), [&](const dns::Rr& sig) {
    return judge(sig, rrset, ring, now, scratch).status == SigStatus::valid;
  });
}

// validate_rrset, remembering its answers of late, one memory per thread: the chain above every
// zone of a fleet is the same root and TLD, and was verified again for each zone below them
// (11% of an audit's CPU). The answer is a pure function of what goes into the memory's key:
// zone, owner, time, and every byte of the RRset, the keys and the signatures.
bool rrset_validated(const std::string& zone, const std::vector<dns::Rr>& answer, const std::vector<dns::Rr>& rrset,
                     const std::vector<dns::Rr>& trusted_keys, std::int64_t now, dns::Bytes& scratch) {
  if (rrset.empty()) {
    return false;
  }
  const std::string owner = lower_text(rrset.front().owner);
  std::vector<dns::Rr> sigs = records(answer, owner, dns::rrtype::rrsig);
  std::erase_if(sigs, [&](const dns::Rr& sig) {
    return sig.rdata.size() < 2 || ((sig.rdata[0] << 8) | sig.rdata[1]) != rrset.front().type;
  });
  std::string id;
  const auto put = [&id](std::span<const std::uint8_t> bytes) {
    const auto n = static_cast<std::uint32_t>(bytes.size());
    id.append(reinterpret_cast<const char*>(&n), sizeof n);
    id.append(bytes.begin(), bytes.end());
  };
  const auto put_rrs = [&](const std::vector<dns::Rr>& rrs) {
    id += fmt::format("|{}|", rrs.size());
    for (const dns::Rr& rr : rrs) {
      put(rr.owner);
      id += fmt::format("{}/{}/{}/", rr.type, rr.rclass, rr.ttl);
      put(rr.rdata);
    }
  };
  id = fmt::format("{}|{}|{}", zone, owner, now);
  put_rrs(rrset);
  put_rrs(trusted_keys);
  put_rrs(sigs);
  thread_local util::RecentAnswers<bool> known(1024);
  if (const bool* answer = known.find(id)) {
    return *answer;
  }
  const bool valid = validate_rrset(zone, sigs, rrset, trusted_keys, now, scratch);
  known.keep(std::move(id), valid);
  return valid;
}

// Summary of one link for reports: which DS match which keys, which keys sign the DNSKEY RRset.
ChainLinkInfo summarise_link(const std::string& zone, const std::vector<dns::Rr>& ds,
                             const std::vector<dns::Rr>& given_keys, const std::vector<dns::Rr>& answer) {
  ChainLinkInfo link;
  link.zone = zone;
  const std::vector<dns::Rr> dnskeys = records(answer, zone, dns::rrtype::dnskey);
  std::vector<RrsigFields> dnskey_sigs;
  for (const dns::Rr& sig : records(answer, zone, dns::rrtype::rrsig)) {
    if (auto f = parse_rrsig(sig); f && f->type_covered == dns::rrtype::dnskey) {
      dnskey_sigs.push_back(std::move(*f));
    }
  }
  for (const dns::Rr& d : ds) {
    ChainLinkInfo::Ds out;
    if (const auto f = parse_ds(d)) {
      out.key_tag = f->key_tag;
      out.algorithm = f->algorithm;
      out.digest_type = f->digest_type;
    }
    out.matches_key = std::any_of(dnskeys.begin(), dnskeys.end(), [&](const dns::Rr& k) { return ds_matches(d, k); });
    link.ds.push_back(out);
  }
  for (const dns::Rr& k : dnskeys) {
    ChainLinkInfo::Key out;
    out.key_tag = key_tag(k.rdata);
    if (const auto f = parse_dnskey(k)) {
      out.algorithm = f->algorithm;
      out.flags = f->flags;
    }
    out.matched_by_ds =
        std::any_of(ds.begin(), ds.end(), [&](const dns::Rr& d) { return ds_matches(d, k); }) ||
        std::any_of(given_keys.begin(), given_keys.end(), [&](const dns::Rr& g) { return g.rdata == k.rdata; });
    out.signs_dnskey = std::any_of(dnskey_sigs.begin(), dnskey_sigs.end(), [&](const RrsigFields& f) {
      return f.key_tag == out.key_tag && f.algorithm == out.algorithm;
    });
    link.keys.push_back(out);
  }
  return link;
}

} // namespace

// Walks anchor -> root DNSKEY -> DS -> ... -> the parent's DNSKEY RRset.
void evaluate_chain_above(const ZoneSnapshot& zone, const std::vector<std::string>& anchor_text, std::int64_t now,
                          ZoneDnssec& out) {
  if (zone.undelegated || zone.ancestors.empty()) {
    out.above = ChainStatus::indeterminate;
    out.above_reason = zone.undelegated ? "undelegated test: no parent was asked" : "the walk did not reach the parent";
    return;
  }
  std::vector<std::string> notes;
  const std::vector<dns::Rr> anchor = parse_all(anchor_text, notes);
  std::vector<dns::Rr> trusted_ds;
  std::vector<dns::Rr> trusted_keys_given;
  for (const dns::Rr& rr : anchor) {
    (rr.type == dns::rrtype::ds ? trusted_ds : trusted_keys_given).push_back(rr);
  }
  if (trusted_ds.empty() && trusted_keys_given.empty()) {
    out.above = ChainStatus::indeterminate;
    out.above_reason = "no trust anchor";
    return;
  }
  dns::Bytes scratch;
  // A question never asked or never answered is unknown, never "no" (a DS query the deadline did
  // not let us send is no proof that the delegation is insecure, RFC 4035 §5.2): the chain is
  // indeterminate from there.
  const auto unknown = [&out](const AncestorZone& a, const Exchange& e, std::string_view what) {
    out.above = ChainStatus::indeterminate;
    const std::string how = e.outcome == Outcome::answered
                                ? fmt::format("got RCODE {}{}", e.rcode, e.aa ? "" : " without AA")
                                : fmt::format("was not answered ({})", to_string(e.outcome));
    out.above_reason =
        fmt::format("the {} query for {} {}{}{}", what, a.zone, how, e.detail.empty() ? "" : ": ", e.detail);
  };
  for (std::size_t i = 0; i < zone.ancestors.size(); ++i) {
    const AncestorZone& a = zone.ancestors[i];
    // No answer, or an error RCODE, from the one server asked: a resolver would ask the others;
    // only an answer (NOERROR) whose keys do not validate proves the chain broken.
    if (a.dnskey.outcome != Outcome::answered || a.dnskey.rcode != 0) {
      unknown(a, a.dnskey, "DNSKEY");
      return;
    }
    if (i > 0) {
      // Only an authoritative NOERROR or NXDOMAIN answer can say that there is no DS.
      if (a.ds.outcome != Outcome::answered || !a.ds.aa || (a.ds.rcode != 0 && a.ds.rcode != 3)) {
        unknown(a, a.ds, "DS");
        return;
      }
      // The DS RRset for this ancestor, from its parent, signed by the parent's trusted keys.
      const std::vector<dns::Rr> ds_answer = parse_all(a.ds.answer, notes);
      trusted_ds = records(ds_answer, a.zone, dns::rrtype::ds);
      if (trusted_ds.empty()) {
        out.chain.push_back(summarise_link(a.zone, {}, {}, parse_all(a.dnskey.answer, notes)));
        out.chain.back().status = ChainStatus::insecure;
        out.above = ChainStatus::insecure;
        out.above_reason = fmt::format("{} has no DS at its parent: the delegation is insecure", a.zone);
        return;
      }
      trusted_keys_given.clear();
    }
    const std::vector<dns::Rr> answer = parse_all(a.dnskey.answer, notes);
    const std::vector<dns::Rr> dnskeys = records(answer, a.zone, dns::rrtype::dnskey);
    out.chain.push_back(summarise_link(a.zone, trusted_ds, trusted_keys_given, answer));
    out.chain.back().status = ChainStatus::secure; // until a check below says otherwise
    std::vector<dns::Rr> entry_keys;
    for (const dns::Rr& key : dnskeys) {
      const bool by_ds =
          std::any_of(trusted_ds.begin(), trusted_ds.end(), [&](const dns::Rr& ds) { return ds_matches(ds, key); });
      const bool given = std::any_of(trusted_keys_given.begin(), trusted_keys_given.end(),
                                     [&](const dns::Rr& k) { return k.rdata == key.rdata; });
      if (by_ds || given) {
        entry_keys.push_back(key);
      }
    }
    if (entry_keys.empty() || !rrset_validated(a.zone, answer, dnskeys, entry_keys, now, scratch)) {
      out.chain.back().status = ChainStatus::bogus;
      out.above = ChainStatus::bogus;
      out.above_reason = fmt::format("the DNSKEY RRset of {} (from {}) is not validated by {}", a.zone, a.server,
                                     i == 0 ? "the trust anchor" : "its DS");
      out.above_fault = {a.zone, a.zone, "DNSKEY", a.server};
      return;
    }
    if (i + 1 < zone.ancestors.size()) {
      const AncestorZone& next = zone.ancestors[i + 1];
      const std::vector<dns::Rr> ds_answer = parse_all(next.ds.answer, notes);
      const std::vector<dns::Rr> ds = records(ds_answer, next.zone, dns::rrtype::ds);
      if (!ds.empty() && !rrset_validated(a.zone, ds_answer, ds, dnskeys, now, scratch)) {
        out.chain.back().status = ChainStatus::bogus;
        out.above = ChainStatus::bogus;
        out.above_reason = fmt::format("the DS RRset of {} does not validate with the keys of {}", next.zone, a.zone);
        out.above_fault = {a.zone, next.zone, "DS", ""};
        return;
      }
    }
  }
  out.above = ChainStatus::secure;
}

// The audited zone's own link, from the analysis (DS union over the parent's servers, keys union
// over the zone's servers).
ChainLinkInfo link_records(const std::string& apex, const ZoneDnssec& d) {
  ChainLinkInfo link;
  link.zone = apex;
  link.ds.reserve(d.ds.size());
  for (const DsRecord& ds : d.ds) {
    link.ds.push_back({ds.key_tag, ds.algorithm, ds.digest_type, ds.matches_key});
  }
  link.keys.reserve(d.keys.size());
  for (const KeyRecord& k : d.keys) {
    link.keys.push_back({k.key_tag, k.algorithm, k.flags, k.matched_by_ds, k.signs_dnskey});
  }
  return link;
}

bool chain_enters(const ZoneDnssec& d) noexcept {
  return std::any_of(d.keys.begin(), d.keys.end(),
                     [](const KeyRecord& k) { return k.matched_by_ds && k.signs_dnskey; });
}

ChainLinkInfo zone_link(const std::string& apex, const ZoneDnssec& d) {
  ChainLinkInfo link = link_records(apex, d);
  if (d.above == ChainStatus::insecure || d.above == ChainStatus::bogus) {
    link.status = d.above;
  } else if (d.ds.empty()) {
    link.status = d.ds_known ? ChainStatus::insecure : ChainStatus::indeterminate;
  } else if (d.dnskey_unknown) {
    link.status = ChainStatus::indeterminate; // keys never asked for: no verdict
  } else {
    const bool entry = chain_enters(d);
    const bool all_usable = std::all_of(d.rrsets.begin(), d.rrsets.end(),
                                        [&](const SignedRrset& r) { return r.zone != apex || r.has_usable; });
    link.status = entry && all_usable && d.above == ChainStatus::secure ? ChainStatus::secure : ChainStatus::bogus;
    if (d.above == ChainStatus::indeterminate && entry && all_usable) {
      link.status = ChainStatus::indeterminate;
    }
  }
  return link;
}

} // namespace zw::dnssec::detail
