// DNSSEC analysis of one audited zone: every observed signature verified once (crypto::verify_dual:
// a second library asked on every rejection), DS -> DNSKEY links, and the chain of trust above the zone.

#include "dnssec/zone_analysis.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "dnssec/canonical.hpp"
#include "dnssec/denial_proof.hpp"
#include "dnssec/keys.hpp"
#include "dnssec/rrsig.hpp"
#include "dnssec/zone_analysis_internal.hpp"
#include "util/enum_names.hpp"
#include "util/text.hpp"

namespace zw::dnssec {

using util::EnumName;

constexpr auto k_chain_status_names =
    util::enum_names({EnumName(ChainStatus::secure, "secure"), EnumName(ChainStatus::insecure, "insecure"),
                      EnumName(ChainStatus::bogus, "bogus"), EnumName(ChainStatus::indeterminate, "indeterminate")});

std::string_view to_string(ChainStatus status) noexcept {
  return k_chain_status_names.text(status, "indeterminate");
}

namespace detail {

std::string lower_text(std::span<const std::uint8_t> wire) {
  return dns::name_to_text(dns::lowercased(wire));
}

// RRs parsed from presentation text; unparsable lines become notes, never crashes.
std::vector<dns::Rr> parse_all(const std::vector<std::string>& lines, std::vector<std::string>& notes) {
  std::vector<dns::Rr> out;
  for (const std::string& line : lines) {
    auto rr = dns::parse_rr(line);
    if (rr) {
      out.push_back(std::move(*rr));
    } else {
      notes.push_back(fmt::format("unparsable record ignored: {}", rr.error().message));
    }
  }
  return out;
}

// The DNSKEY RRset of a zone, from every answer that carries it: one KeyRing per zone.
KeyRing ring_of(const std::string& zone, const std::vector<dns::Rr>& dnskeys) {
  std::vector<dns::Bytes> rdata;
  rdata.reserve(dnskeys.size());
  for (const dns::Rr& rr : dnskeys) {
    rdata.push_back(rr.rdata);
  }
  const Result<dns::Bytes> apex = dns::name_from_text(zone);
  return KeyRing(apex ? std::span<const std::uint8_t>(*apex) : std::span<const std::uint8_t>(), rdata);
}

// Judges one RRSIG RR over `rrset` with the keys of `ring` (validator.hpp).
SignatureJudgement judge(const dns::Rr& sig, std::span<const dns::Rr> rrset, const KeyRing& ring, std::int64_t now,
                         dns::Bytes& scratch) {
  const std::optional<RrsigView> view = parse_rrsig_view(sig.rdata);
  const Result<RrsigFields> fields = parse_rrsig(sig);
  if (!view || !fields || rrset.empty()) {
    return malformed_signature();
  }
  return judge_signature(*view, rrset.front().owner, ring, now, scratch,
                         [&](dns::Bytes& out) { signed_data(*fields, rrset, sig, out); });
}

std::vector<dns::Rr> records(const std::vector<dns::Rr>& rrs, const std::string& owner, std::uint16_t type) {
  std::vector<dns::Rr> out;
  for (const dns::Rr& rr : rrs) {
    if (rr.type == type && lower_text(rr.owner) == owner) {
      out.push_back(rr);
    }
  }
  return out;
}

} // namespace detail

namespace {

using namespace detail;

// A response resolvers drop as malformed (RFC 6891 §6.1.1) contributes no data.
bool usable_answer(const Exchange& e) {
  return e.outcome == Outcome::answered && !e.tc && e.rcode == 0 && e.edns_faults.empty();
}

struct RrsetKey {
  std::string owner; // lower-case text
  std::uint16_t type;
  auto operator<=>(const RrsetKey&) const = default;
};

// Collects and verifies every signature seen in the answers, merged across servers.
class SignatureCollector {
public:
  SignatureCollector(const std::map<std::string, KeyRing>& rings, std::int64_t now, std::vector<std::string>& notes)
      : m_rings(&rings), m_now(now), m_notes(&notes) {}

  // Adds the answer section of `e`, as received from `server`, for data of zone `zone`.
  void add(const Exchange& e, const std::string& server, const std::string& zone) {
    if (e.outcome != Outcome::answered || e.tc || !e.aa || !e.edns_faults.empty()) {
      return;
    }
    if (e.rcode == 0) {
      add_section(e.answer, server, zone, false);
    }
    if (e.rcode == 0 || e.rcode == 3) {
      // The NSEC/NSEC3 records of a denial are zone data like any other: their signatures are
      // judged here, the proof they make by check_denials.
      add_section(e.authority, server, zone, true);
    }
  }

  // Adds the RRsets of one section (only NSEC and NSEC3 when `denial_only`) with their RRSIGs.
  void add_section(const std::vector<std::string>& section, const std::string& server, const std::string& zone,
                   bool denial_only) {
    std::map<RrsetKey, std::vector<dns::Rr>> rrsets;
    std::map<RrsetKey, std::vector<dns::Rr>> sigs;
    const auto wanted = [denial_only](std::uint16_t type) {
      return !denial_only || type == dns::rrtype::nsec || type == dns::rrtype::nsec3;
    };
    for (dns::Rr& rr : parse_all(section, *m_notes)) {
      const std::string owner = lower_text(rr.owner);
      if (rr.type == dns::rrtype::rrsig) {
        if (rr.rdata.size() >= 2) {
          const auto covered = static_cast<std::uint16_t>((rr.rdata[0] << 8) | rr.rdata[1]);
          if (wanted(covered)) {
            sigs[{owner, covered}].push_back(std::move(rr));
          }
        }
      } else if (wanted(rr.type)) {
        rrsets[{owner, rr.type}].push_back(std::move(rr));
      }
    }
    for (auto& [key, rrset] : rrsets) {
      if (!dns::name_is_at_or_below(key.owner, zone)) {
        continue; // a CNAME target or other data outside the zone: judged with its own zone
      }
      const auto it = sigs.find(key);
      if (it != sigs.end() && std::all_of(it->second.begin(), it->second.end(),
                                          [&](const dns::Rr& sig) { return signed_by_child(sig, zone); })) {
        continue; // data of a zone below this one, served by the same server
      }
      SignedRrset& summary = rrset_summary(zone, key);
      add_unique(summary.servers, server);
      if (it == sigs.end()) {
        if (!summary.has_usable && summary.reason == SigStatus::valid) {
          summary.reason = SigStatus::missing;
        }
        continue;
      }
      for (const dns::Rr& sig : it->second) {
        add_signature(sig, rrset, server, zone, key, summary);
      }
    }
  }

  std::vector<ObservedSignature> take_signatures() { return std::move(m_signatures); }
  std::vector<SignedRrset> take_rrsets() {
    std::vector<SignedRrset> out;
    for (auto& [key, r] : m_rrsets) {
      out.push_back(std::move(r));
    }
    return out;
  }

private:
  // True when the signer of `sig` is a zone strictly below `zone`.
  static bool signed_by_child(const dns::Rr& sig, const std::string& zone) {
    const std::optional<RrsigView> v = parse_rrsig_view(sig.rdata);
    if (!v) {
      return false;
    }
    const std::string signer = lower_text(v->signer);
    return signer != zone && dns::name_is_at_or_below(signer, zone);
  }

  static void add_unique(std::vector<std::string>& list, const std::string& item) {
    if (std::find(list.begin(), list.end(), item) == list.end()) {
      list.push_back(item);
    }
  }

  SignedRrset& rrset_summary(const std::string& zone, const RrsetKey& key) {
    const std::string id = zone + '|' + key.owner + '|' + std::to_string(key.type);
    auto [it, inserted] = m_rrsets.try_emplace(id);
    if (inserted) {
      it->second.zone = zone;
      it->second.owner = key.owner;
      it->second.type = dns::type_to_text(key.type);
    }
    return it->second;
  }

  void add_signature(const dns::Rr& sig, std::span<const dns::Rr> rrset, const std::string& server,
                     const std::string& zone, const RrsetKey& key, SignedRrset& summary) {
    // The same signature over the same data seen again at another server: verified once.
    std::string id = util::to_hex(sig.rdata) + '|' + zone;
    for (const dns::Rr& rr : rrset) {
      id += '|' + util::to_hex(rr.rdata);
    }
    if (const auto found = m_index.find(id); found != m_index.end()) {
      const ObservedSignature& seen = m_signatures[found->second];
      add_unique(m_signatures[found->second].servers, server);
      note(summary, seen.status, seen.expiration_abs, server);
      return;
    }
    ObservedSignature out;
    out.zone = zone;
    out.owner = key.owner;
    out.type = dns::type_to_text(key.type);
    out.servers.push_back(server);
    const auto fields = parse_rrsig(sig);
    if (!fields) {
      m_notes->push_back(fmt::format("malformed RRSIG over {} {}: {}", out.owner, out.type, fields.error().message));
      out.status = SigStatus::malformed;
    } else {
      out.key_tag = fields->key_tag;
      out.algorithm = fields->algorithm;
      out.signer = lower_text(fields->signer);
      out.inception = fields->inception;
      out.expiration = fields->expiration;
      static const KeyRing no_keys;
      const auto ring = m_rings->find(zone);
      const SignatureJudgement j = judge(sig, rrset, ring == m_rings->end() ? no_keys : ring->second, m_now, m_scratch);
      out.inception_abs = j.inception_abs;
      out.expiration_abs = j.expiration_abs;
      out.status = j.status;
    }
    note(summary, out.status, out.expiration_abs, server);
    m_index.emplace(std::move(id), m_signatures.size());
    m_signatures.push_back(std::move(out));
  }

  // Adds what one signature says to the verdict of its RRset.
  static void note(SignedRrset& summary, SigStatus status, std::int64_t expiration, const std::string& server) {
    if (status == SigStatus::valid) {
      summary.has_usable = true;
      summary.reason = SigStatus::valid;
      summary.best_expiration = std::max(summary.best_expiration, expiration);
      add_unique(summary.usable_servers, server);
    } else if (!summary.has_usable) {
      summary.reason = status;
    }
  }

  const std::map<std::string, KeyRing>* m_rings;
  std::int64_t m_now;
  std::vector<std::string>* m_notes;
  dns::Bytes m_scratch;
  std::vector<ObservedSignature> m_signatures;
  std::unordered_map<std::string, std::size_t> m_index;
  std::map<std::string, SignedRrset> m_rrsets;
};

// The NSEC/NSEC3 records of a section (with `sigs`, the Labels field of the RRSIGs over the answer
// RRset at `qname`, for wildcard detection).
std::vector<dns::Rr> denial_records(const std::vector<dns::Rr>& section) {
  std::vector<dns::Rr> out;
  for (const dns::Rr& rr : section) {
    if (rr.type == dns::rrtype::nsec || rr.type == dns::rrtype::nsec3) {
      out.push_back(rr);
    }
  }
  return out;
}

// Checks the proof behind every denial (and wildcard answer) the zone's servers gave, as a
// validator does (RFC 4035 §5.4, RFC 5155 §8). Only for a zone that publishes DNSKEYs: an
// unsigned zone proves nothing. Proofs that hash NSEC3 more than Unbound's limit are left to
// dnssec/nsec3-parameters (validators treat them as insecure, RFC 9276 §3.2).
void check_denials(const ZoneSnapshot& zone, ZoneDnssec& out) {
  if (out.keys.empty()) {
    return;
  }
  const Result<dns::Bytes> apex = dns::name_from_text(zone.zone);
  if (!apex) {
    return;
  }
  std::map<std::string, DenialCheck> found; // qname|qtype|fault
  std::vector<std::string> ignored;
  for (const ServerProbe& probe : zone.servers) {
    const std::string label = fmt::format("{}/{}", probe.name, probe.address);
    for (const Exchange& e : probe.exchanges) {
      if (e.outcome != Outcome::answered || e.tc || !e.aa || !e.edns_faults.empty() || (e.rcode != 0 && e.rcode != 3) ||
          !dns::name_is_at_or_below(e.qname, zone.zone)) {
        continue;
      }
      const Result<dns::Bytes> qname = dns::name_from_text(e.qname);
      const std::uint16_t qtype = dns::type_from_text(e.qtype);
      if (!qname || qtype == 0) {
        continue;
      }
      const std::vector<dns::Rr> answer = parse_all(e.answer, ignored);
      ResponseKind kind = ResponseKind::nxdomain;
      unsigned wildcard_labels = 0;
      if (e.rcode == 0) {
        bool answered = false;
        for (const dns::Rr& rr : answer) {
          if (!dns::names_equal(rr.owner, *qname)) {
            continue;
          }
          if (rr.type == qtype || rr.type == dns::rrtype::cname) {
            answered = true;
          }
          const std::optional<RrsigView> sig =
              rr.type == dns::rrtype::rrsig ? parse_rrsig_view(rr.rdata) : std::nullopt;
          // A query for the wildcard owner itself ("*.example.", asked by --name or --walk) is
          // answered by an exact match whose RRSIG Labels field leaves out the "*" (RFC 4034
          // §3.1.3): not a synthesis, so nothing is denied.
          const bool literal_wildcard = rr.owner.size() > 1 && rr.owner[0] == 1 && rr.owner[1] == '*' && sig &&
                                        static_cast<unsigned>(sig->labels) + 1U == dns::label_count(rr.owner);
          if (sig && (sig->type_covered == qtype || sig->type_covered == dns::rrtype::cname) &&
              sig->labels < dns::label_count(rr.owner) && !literal_wildcard) {
            wildcard_labels = sig->labels; // RFC 4035 §5.3.4: synthesised from a wildcard
          }
        }
        if (answered && wildcard_labels == 0) {
          continue; // a plain answer: nothing denied
        }
        kind = answered ? ResponseKind::wildcard_answer : ResponseKind::nodata;
      }
      ++out.denials_checked;
      const std::vector<dns::Rr> records = denial_records(parse_all(e.authority, ignored));
      ProofResult r = check_denial_proof(*qname, qtype, kind, *apex, records, wildcard_labels);
      if (!r.ok() && kind == ResponseKind::nodata) {
        // NODATA may come from a wildcard that lacks the type (RFC 4035 §3.1.3.4).
        const ProofResult w = check_denial_proof(*qname, qtype, ResponseKind::wildcard_nodata, *apex, records);
        if (w.ok()) {
          r = w;
        }
      }
      if (r.ok() || r.fault == ProofFault::too_many_iterations || r.fault == ProofFault::unsupported_hash) {
        continue;
      }
      const std::string key = fmt::format("{}|{}|{}", e.qname, e.qtype, to_string(r.fault));
      DenialCheck& d = found[key];
      if (d.qname.empty()) {
        d.qname = e.qname;
        d.qtype = e.qtype;
        d.kind = std::string(to_string(kind));
        d.fault = std::string(to_string(r.fault));
        d.detail = r.detail;
        if (!r.gap_next.empty()) {
          d.gap_type = std::any_of(records.begin(), records.end(),
                                   [](const dns::Rr& rr) { return rr.type == dns::rrtype::nsec3; })
                           ? "NSEC3"
                           : "NSEC";
          d.gap_owner = r.gap_owner;
          d.gap_next = r.gap_next;
        }
      }
      if (std::find(d.servers.begin(), d.servers.end(), label) == d.servers.end()) {
        d.servers.push_back(label);
      }
    }
  }
  for (auto& [key, d] : found) {
    out.denials.push_back(std::move(d));
  }
}

} // namespace

bool names_a_zone_key(SigStatus status) noexcept {
  return status != SigStatus::key_missing && status != SigStatus::wrong_signer && status != SigStatus::malformed &&
         status != SigStatus::missing;
}

void settle_security(ZoneDnssec& d) {
  for (SignedRrset& r : d.rrsets) {
    const bool own = r.zone == d.zone;
    // An unknown chain counts as validated (zone_validated): better to over-report than to hide.
    const bool validated = own ? d.zone_validated : d.parent_validated;
    if (!validated) {
      r.security = ChainStatus::insecure;
    } else if (!r.has_usable) {
      // A signature this build cannot check (or one the two verifiers disagree on) leaves the
      // verdict open; anything else without a usable signature is bogus.
      const bool open = r.reason == SigStatus::unsupported_algorithm || r.reason == SigStatus::disagreement;
      r.security = open ? ChainStatus::indeterminate : ChainStatus::bogus;
    } else {
      r.security = d.above == ChainStatus::secure ? ChainStatus::secure : ChainStatus::indeterminate;
    }
  }
}

ZoneDnssec analyse_zone(const ZoneSnapshot& zone, const std::vector<std::string>& trust_anchor, std::int64_t now) {
  ZoneDnssec out;
  const std::string apex = zone.zone;
  out.zone = apex;
  // The keys each signature is judged against: the zone's DNSKEY RRset as every server answered
  // it (a key on any server counts), and each ancestor's for the signatures of its data.
  std::map<std::string, std::vector<dns::Rr>> dnskeys;
  for (const ServerProbe& probe : zone.servers) {
    for (const Exchange& e : probe.exchanges) {
      if (usable_answer(e) && e.aa && e.qtype == "DNSKEY") {
        for (dns::Rr& rr : records(parse_all(e.answer, out.notes), apex, dns::rrtype::dnskey)) {
          dnskeys[apex].push_back(std::move(rr));
        }
      }
    }
  }
  for (const AncestorZone& a : zone.ancestors) {
    for (dns::Rr& rr : records(parse_all(a.dnskey.answer, out.notes), a.zone, dns::rrtype::dnskey)) {
      dnskeys[a.zone].push_back(std::move(rr));
    }
  }
  std::map<std::string, KeyRing> rings;
  for (const auto& [name, keys] : dnskeys) {
    rings.emplace(name, ring_of(name, keys));
  }
  SignatureCollector collector(rings, now, out.notes);
  const auto keys_answered = [&apex](const Exchange& e) {
    return e.qtype == "DNSKEY" && e.qname == apex && usable_answer(e) && e.aa;
  };
  const auto keys_not_asked = [&apex](const ServerProbe& p) {
    return std::none_of(p.exchanges.begin(), p.exchanges.end(), [&apex](const Exchange& e) {
      return e.qtype == "DNSKEY" && e.qname == apex && e.outcome != Outcome::not_asked;
    });
  };
  out.dnskey_unknown = std::any_of(zone.servers.begin(), zone.servers.end(), keys_not_asked) &&
                       std::none_of(zone.servers.begin(), zone.servers.end(), [&](const ServerProbe& p) {
                         return std::any_of(p.exchanges.begin(), p.exchanges.end(), keys_answered);
                       });
  if (out.dnskey_unknown) {
    out.notes.push_back(fmt::format("the signatures of {} were not judged: no server answered its DNSKEY query "
                                    "before the audit ended",
                                    apex));
  }
  for (const ServerProbe& probe : zone.servers) {
    const std::string label = fmt::format("{}/{}", probe.name, probe.address);
    for (const Exchange& e : probe.exchanges) {
      if (!out.dnskey_unknown) {
        collector.add(e, label, apex);
      }
      out.any_rrsig = out.any_rrsig || std::any_of(e.answer.begin(), e.answer.end(), [](const std::string& rr) {
                        return rr.find("\tRRSIG\t") != std::string::npos || rr.find(" RRSIG ") != std::string::npos;
                      });
      if (e.qtype == "DNSKEY" && usable_answer(e) && e.aa) {
        out.dnskey_answered = true;
      }
    }
  }
  for (const ParentView& p : zone.parent_views) {
    collector.add(p.ds, fmt::format("{}/{}", p.name, p.address), zone.parent);
  }
  out.signatures = collector.take_signatures();
  out.rrsets = collector.take_rrsets();

  // DS set: union over every parent server (or --ds in an undelegated test).
  std::map<std::string, DsRecord> ds_by_rdata;
  const auto add_ds = [&](const dns::Rr& rr, const std::string& source) {
    DsRecord& d = ds_by_rdata[util::to_hex(rr.rdata)];
    if (d.text.empty()) {
      d = ds_record(rr);
    }
    if (std::find(d.parent_servers.begin(), d.parent_servers.end(), source) == d.parent_servers.end()) {
      d.parent_servers.push_back(source);
    }
  };
  if (apex == ".") {
    // The root has no parent: its "DS" is the trust anchor (DS records, or DNSKEYs taken as given).
    out.ds_known = true;
    for (const dns::Rr& rr : parse_all(trust_anchor, out.notes)) {
      if (rr.type == dns::rrtype::ds) {
        add_ds(rr, "trust anchor");
      }
    }
  } else if (zone.undelegated) {
    if (zone.expected_ds) {
      out.ds_known = true;
      for (const dns::Rr& rr : parse_all(*zone.expected_ds, out.notes)) {
        if (rr.type == dns::rrtype::ds) {
          add_ds(rr, "--ds");
        }
      }
    }
  } else {
    for (const ParentView& p : zone.parent_views) {
      if (p.ds.outcome == Outcome::answered && (p.ds.rcode == 0 || p.ds.rcode == 3)) {
        out.ds_known = true;
      }
      if (usable_answer(p.ds)) {
        for (const dns::Rr& rr : records(parse_all(p.ds.answer, out.notes), apex, dns::rrtype::ds)) {
          add_ds(rr, fmt::format("{}/{}", p.name, p.address));
        }
      }
    }
  }

  // Keys: union over the zone's servers.
  std::map<std::string, KeyRecord> keys_by_rdata;
  for (const ServerProbe& probe : zone.servers) {
    const std::string label = fmt::format("{}/{}", probe.name, probe.address);
    for (const Exchange& e : probe.exchanges) {
      if (!(usable_answer(e) && e.aa && e.qtype == "DNSKEY")) {
        continue;
      }
      for (const dns::Rr& rr : records(parse_all(e.answer, out.notes), apex, dns::rrtype::dnskey)) {
        KeyRecord& k = keys_by_rdata[util::to_hex(rr.rdata)];
        if (k.text.empty()) {
          k.text = dns::to_text(rr);
          k.key_tag = key_tag(rr.rdata);
          if (const auto f = parse_dnskey(rr)) {
            k.algorithm = f->algorithm;
            k.flags = f->flags;
          }
          for (auto& [ds_key, ds] : ds_by_rdata) {
            const auto ds_rr = dns::parse_rr(ds.text);
            if (ds_rr && ds_matches(*ds_rr, rr)) {
              ds.matches_key = true;
              k.matched_by_ds = true;
            }
          }
        }
        if (std::find(k.servers.begin(), k.servers.end(), label) == k.servers.end()) {
          k.servers.push_back(label);
        }
      }
    }
  }
  for (auto& entry : keys_by_rdata) {
    auto& k = entry.second; // not a structured binding: clang 14 cannot capture those in a lambda
    k.signs_dnskey = std::any_of(out.signatures.begin(), out.signatures.end(), [&](const ObservedSignature& s) {
      return s.type == "DNSKEY" && s.owner == apex && s.key_tag == k.key_tag && s.algorithm == k.algorithm &&
             names_a_zone_key(s.status);
    });
    out.keys.push_back(std::move(k));
  }
  for (auto& [rdata, d] : ds_by_rdata) {
    out.ds.push_back(std::move(d));
  }
  if (apex == ".") {
    out.above = ChainStatus::secure; // nothing above the root but the trust anchor itself
  } else {
    evaluate_chain_above(zone, trust_anchor, now, out);
  }
  // An undetermined chain counts as validated: better to over-report than to hide a fault.
  out.parent_validated = out.above != ChainStatus::insecure;
  out.zone_validated = !out.ds.empty() && out.parent_validated;
  check_denials(zone, out);
  settle_security(out);
  out.chain.push_back(zone_link(apex, out));
  std::sort(out.notes.begin(), out.notes.end());
  out.notes.erase(std::unique(out.notes.begin(), out.notes.end()), out.notes.end());
  return out;
}

DsRecord ds_record(const dns::Rr& rr) {
  DsRecord d;
  d.text = dns::to_text(rr);
  if (const auto f = parse_ds(rr)) {
    d.key_tag = f->key_tag;
    d.algorithm = f->algorithm;
    d.digest_type = f->digest_type;
    // SHA-1, SHA-256, SHA-384 (RFC 4034, 4509, 6605); GOST (3, RFC 5933) is not implemented.
    d.digest_supported = (f->digest_type == 1 || f->digest_type == 2 || f->digest_type == 4) &&
                         crypto::is_supported_algorithm(f->algorithm);
  } else {
    d.digest_supported = false;
  }
  return d;
}

} // namespace zw::dnssec
