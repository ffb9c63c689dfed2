// consistency/dnskey-set: the zone's servers serve different DNSKEY, CDS or CDNSKEY RRsets, or a
// CDS/CDNSKEY that matches no DNSKEY.
// User documentation: docs/rules/consistency/dnskey-set.md
#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include <fmt/ranges.h>

#include "dnssec/keys.hpp"
#include "dnssec/rrsig.hpp"
#include "rules/rule_support.hpp"

namespace zw::rules::consistency {
namespace {

// A key as resolvers match it to an RRSIG: key tag and algorithm (RFC 4035 §5.3.1).
using KeyId = std::pair<std::uint16_t, std::uint8_t>;

// What one server address answered, authoritatively, at the apex.
struct ServerKeys {
  std::string label;
  bool answered = false;        // the DNSKEY query was answered authoritatively
  std::set<dns::Bytes> dnskeys; // RDATA
  std::vector<dns::Rr> dnskey_rrs;
  std::set<dns::Bytes> cds; // RDATA
  std::vector<dns::Rr> cds_rrs;
  bool cds_answered = false;
  std::set<dns::Bytes> cdnskey;
  bool cdnskey_answered = false;
  // Every RRset of the zone's data (not the DNSKEY RRset) this server served with RRSIGs by
  // the apex: the keys that sign it.
  std::map<std::pair<std::string, std::uint16_t>, std::set<KeyId>> signed_rrsets;
};

// RRs of `type` owned by the apex in the answer of `e`.
std::vector<dns::Rr> apex_records(const Exchange& e, const dns::Bytes& apex, std::uint16_t type) {
  std::vector<dns::Rr> out;
  for (const std::string& text : e.answer) {
    Result<dns::Rr> rr = dns::parse_rr(text);
    if (rr && rr->type == type && dns::names_equal(rr->owner, apex)) {
      out.push_back(std::move(*rr));
    }
  }
  return out;
}

std::string key_text(const dns::Bytes& rdata) {
  if (rdata.size() < 4) {
    return "malformed key";
  }
  const std::uint16_t flags = static_cast<std::uint16_t>((rdata[0] << 8) | rdata[1]);
  return fmt::format("{} (flags {}, algorithm {})", ::zw::dnssec::key_tag(rdata), flags, rdata[3]);
}

std::string keys_text(const std::set<dns::Bytes>& keys) {
  std::vector<std::string> parts;
  parts.reserve(keys.size());
  for (const dns::Bytes& k : keys) {
    parts.push_back(key_text(k));
  }
  return parts.empty() ? std::string("no DNSKEY") : fmt::format("key tags {}", fmt::join(parts, ", "));
}

// RFC 8078 §4: the "delete" sentinels, "0 0 0 00" (CDS) and "0 3 0 AA==" (CDNSKEY).
bool is_delete_cds(const dns::Bytes& rdata) {
  return rdata.size() == 5 && rdata[0] == 0 && rdata[1] == 0 && rdata[2] == 0 && rdata[3] == 0 && rdata[4] == 0;
}
bool is_delete_cdnskey(const dns::Bytes& rdata) {
  return rdata.size() == 5 && rdata[0] == 0 && rdata[1] == 0 && rdata[2] == 3 && rdata[3] == 0 && rdata[4] == 0;
}

// Servers grouped by identical sets: "A, B: <what>; C: <what>".
template <typename Describe>
std::vector<std::string> grouped(const std::vector<ServerKeys>& servers, const std::set<dns::Bytes> ServerKeys::*set,
                                 bool ServerKeys::*answered, Describe&& describe) {
  std::map<std::set<dns::Bytes>, std::vector<std::string>> by_set;
  for (const ServerKeys& s : servers) {
    if (s.*answered) {
      by_set[s.*set].push_back(s.label);
    }
  }
  std::vector<std::string> out;
  out.reserve(by_set.size());
  for (const auto& [keys, labels] : by_set) {
    out.push_back(fmt::format("{}: {}", fmt::join(labels, ", "), describe(keys)));
  }
  return out;
}

ServerKeys observe(const ServerProbe& probe, const std::string& zone, const dns::Bytes& apex) {
  ServerKeys s;
  s.label = server_label(probe.name, probe.address);
  if (const Exchange* e = authoritative_answer(probe, zone, "DNSKEY")) {
    s.answered = true;
    s.dnskey_rrs = apex_records(*e, apex, dns::rrtype::dnskey);
    for (const dns::Rr& rr : s.dnskey_rrs) {
      s.dnskeys.insert(rr.rdata);
    }
  }
  if (const Exchange* e = authoritative_answer(probe, zone, "CDS")) {
    s.cds_answered = true;
    s.cds_rrs = apex_records(*e, apex, dns::rrtype::cds);
    for (const dns::Rr& rr : s.cds_rrs) {
      s.cds.insert(rr.rdata);
    }
  }
  if (const Exchange* e = authoritative_answer(probe, zone, "CDNSKEY")) {
    s.cdnskey_answered = true;
    for (const dns::Rr& rr : apex_records(*e, apex, dns::rrtype::cdnskey)) {
      s.cdnskey.insert(rr.rdata);
    }
  }
  // The keys that sign the zone's data on this server, from every authoritative answer.
  for (const Exchange& e : probe.exchanges) {
    if (e.outcome != Outcome::answered || !e.aa) {
      continue;
    }
    for (const std::vector<std::string>* section : {&e.answer, &e.authority}) {
      for (const std::string& text : *section) {
        Result<dns::Rr> rr = dns::parse_rr(text);
        if (!rr || rr->type != dns::rrtype::rrsig || !dns::is_subdomain(rr->owner, apex)) {
          continue;
        }
        const Result<::zw::dnssec::RrsigFields> sig = ::zw::dnssec::parse_rrsig(*rr);
        if (!sig || sig->type_covered == dns::rrtype::dnskey || !dns::names_equal(sig->signer, apex)) {
          continue;
        }
        const std::string owner = dns::name_to_text(dns::lowercased(rr->owner));
        s.signed_rrsets[{owner, sig->type_covered}].insert({sig->key_tag, sig->algorithm});
      }
    }
  }
  return s;
}

// RFC 4035 §5.3.1: a resolver validates data from one server with the DNSKEY RRset it fetched,
// maybe from another. An RRset none of whose signing keys is in that set is bogus (EDE 9).
void judge_dnskeys(const RuleContext& ctx, const std::vector<ServerKeys>& servers, FindingSink& sink) {
  std::set<std::set<dns::Bytes>> distinct;
  for (const ServerKeys& s : servers) {
    if (s.answered) {
      distinct.insert(s.dnskeys);
    }
  }
  if (distinct.size() < 2) {
    return;
  }
  const std::vector<std::string> sets = grouped(servers, &ServerKeys::dnskeys, &ServerKeys::answered,
                                                [](const std::set<dns::Bytes>& k) { return keys_text(k); });
  bool broken = false;
  for (const ServerKeys& b : servers) {
    if (!b.answered) {
      continue;
    }
    std::set<KeyId> held;
    for (const dns::Bytes& k : b.dnskeys) {
      if (k.size() >= 4) {
        held.insert({::zw::dnssec::key_tag(k), k[3]});
      }
    }
    // The data of other servers that no key of b's set can validate.
    std::set<KeyId> missing;
    std::vector<std::string> sources;
    std::string example;
    for (const ServerKeys& a : servers) {
      if (&a == &b) {
        continue;
      }
      bool from_a = false;
      for (const auto& [rrset, keys] : a.signed_rrsets) {
        if (std::none_of(keys.begin(), keys.end(), [&](const KeyId& k) { return held.contains(k); })) {
          missing.insert(keys.begin(), keys.end());
          from_a = true;
          if (example.empty()) {
            example = fmt::format("{} {}", rrset.first, dns::type_to_text(rrset.second));
          }
        }
      }
      if (from_a) {
        sources.push_back(a.label);
      }
    }
    if (missing.empty()) {
      continue;
    }
    broken = true;
    std::vector<std::string> tags;
    tags.reserve(missing.size());
    for (const KeyId& k : missing) {
      tags.push_back(fmt::format("{} (algorithm {})", k.first, k.second));
    }
    Finding f;
    f.location = at(ctx, b.label, ctx.zone_name(), "DNSKEY");
    f.severity = Severity::error;
    f.resolver = {Rcode::servfail, Ede::dnskey_missing};
    f.message = fmt::format("{} serves a DNSKEY RRset without key {}, which signs the zone's data on {}: resolvers "
                            "that fetch the DNSKEY RRset from {} cannot validate that data",
                            b.label, fmt::join(tags, ", "), fmt::join(sources, ", "), b.label);
    f.servers = {b.label};
    f.evidence.push_back(fmt::format("for example {} as served by {}", example, sources.front()));
    for (const std::string& line : sets) {
      f.evidence.push_back("DNSKEY RRset of " + line);
    }
    f.evidence.push_back("a validating resolver answers SERVFAIL (EDE 9 \"DNSKEY Missing\") for that data until "
                         "both RRsets expire from its cache (RFC 4035 §5.3.1)");
    sink.add_graded(std::move(f));
  }
  if (broken) {
    return; // one root cause: the error findings above already list the sets
  }
  Finding f;
  f.location = at(ctx, "", ctx.zone_name(), "DNSKEY");
  f.message = fmt::format("the zone's servers serve {} different DNSKEY RRsets", distinct.size());
  for (const ServerKeys& s : servers) {
    if (s.answered) {
      f.servers.push_back(s.label);
    }
  }
  for (const std::string& line : sets) {
    f.evidence.push_back("DNSKEY RRset of " + line);
  }
  f.evidence.push_back("every key that signs the zone's data is in every server's set, so resolution works; the "
                       "copies are out of step (a key rollover half done, or a server that is not updated)");
  sink.add(std::move(f));
}

void judge_differing(const RuleContext& ctx, const std::vector<ServerKeys>& servers, FindingSink& sink,
                     const std::set<dns::Bytes> ServerKeys::*set, bool ServerKeys::*answered, std::string_view type) {
  std::set<std::set<dns::Bytes>> distinct;
  for (const ServerKeys& s : servers) {
    if (s.*answered) {
      distinct.insert(s.*set);
    }
  }
  if (distinct.size() < 2) {
    return;
  }
  Finding f;
  f.location = at(ctx, "", ctx.zone_name(), std::string(type));
  f.message = fmt::format("the zone's servers serve {} different {} RRsets", distinct.size(), type);
  const bool is_cds = type == "CDS";
  for (const std::string& line : grouped(servers, set, answered, [&](const std::set<dns::Bytes>& records) {
         std::vector<std::string> parts;
         for (const dns::Bytes& r : records) {
           if (is_cds) {
             parts.push_back(r.size() >= 4 ? fmt::format("{} (algorithm {}, digest type {})",
                                                         static_cast<unsigned>((r[0] << 8) | r[1]), r[2], r[3])
                                           : std::string("malformed"));
           } else {
             parts.push_back(key_text(r));
           }
         }
         return parts.empty() ? std::string("none") : fmt::format("key tags {}", fmt::join(parts, ", "));
       })) {
    f.evidence.push_back(fmt::format("{} RRset of {}", type, line));
  }
  for (const ServerKeys& s : servers) {
    if (s.*answered) {
      f.servers.push_back(s.label);
    }
  }
  f.evidence.push_back("the parent sees a different request depending on the server it asks and must not act "
                       "until all agree (RFC 7344 §4.1, RFC 8078 §3)");
  sink.add(std::move(f));
}

// RFC 7344 §4, RFC 8078 §3: the parent (or its agent) reads CDS/CDNSKEY from the child's servers
// and must see the same everywhere, each matching a DNSKEY of the zone.
void judge_cds(const RuleContext& ctx, const std::vector<ServerKeys>& servers, FindingSink& sink) {
  judge_differing(ctx, servers, sink, &ServerKeys::cds, &ServerKeys::cds_answered, "CDS");
  judge_differing(ctx, servers, sink, &ServerKeys::cdnskey, &ServerKeys::cdnskey_answered, "CDNSKEY");
  // CDS/CDNSKEY that match no DNSKEY of the same server's set; one finding per record, listing
  // the servers that serve it.
  std::map<std::pair<std::string, dns::Bytes>, std::vector<std::string>> orphans;
  for (const ServerKeys& s : servers) {
    if (!s.answered) {
      continue;
    }
    for (const dns::Rr& cds : s.cds_rrs) {
      if (is_delete_cds(cds.rdata)) {
        continue;
      }
      const bool matched = std::any_of(s.dnskey_rrs.begin(), s.dnskey_rrs.end(),
                                       [&](const dns::Rr& key) { return ::zw::dnssec::ds_matches(cds, key); });
      if (!matched) {
        orphans[{"CDS", cds.rdata}].push_back(s.label);
      }
    }
    for (const dns::Bytes& cdnskey : s.cdnskey) {
      if (!is_delete_cdnskey(cdnskey) && !s.dnskeys.contains(cdnskey)) {
        orphans[{"CDNSKEY", cdnskey}].push_back(s.label);
      }
    }
  }
  for (const auto& [record, labels] : orphans) {
    const dns::Bytes& rdata = record.second;
    Finding f;
    f.location = at(ctx, labels.size() == 1 ? labels.front() : "", ctx.zone_name(), record.first);
    if (record.first == "CDS") {
      const std::uint16_t tag = rdata.size() >= 2 ? static_cast<std::uint16_t>((rdata[0] << 8) | rdata[1]) : 0;
      f.message = fmt::format("a CDS for key {} (algorithm {}) matches no DNSKEY the server publishes", tag,
                              rdata.size() >= 3 ? rdata[2] : 0);
    } else {
      f.message = fmt::format("a CDNSKEY for key {} is not in the DNSKEY RRset the server publishes", key_text(rdata));
    }
    f.servers = labels;
    f.evidence.push_back(fmt::format("served by {}", fmt::join(labels, ", ")));
    f.evidence.push_back("the parent must not act on it (RFC 7344 §4.1); a parent that published the DS it asks "
                         "for would make the zone bogus");
    sink.add(std::move(f));
  }
}

void check_dnskey_set(const RuleContext& ctx, FindingSink& sink, const RuleInfo& /*info*/) {
  const Result<dns::Bytes> apex = dns::name_from_text(ctx.zone_name());
  if (!apex) {
    return;
  }
  std::vector<ServerKeys> servers;
  for (const ServerProbe& probe : ctx.live().servers) {
    servers.push_back(observe(probe, ctx.zone_name(), *apex));
  }
  judge_dnskeys(ctx, servers, sink);
  judge_cds(ctx, servers, sink);
}

} // namespace
extern const RuleCode dnskey_set{.check = &check_dnskey_set};
} // namespace zw::rules::consistency
