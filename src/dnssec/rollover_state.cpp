// The state the rollover rules compare between runs, from one zone's snapshot and analysis.

#include "dnssec/rollover_state.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "dns/rr.hpp"
#include "dnssec/keys.hpp"
#include "util/text.hpp"

namespace zw::dnssec {

namespace {

bool usable(const Exchange& e) {
  return e.outcome == Outcome::answered && !e.tc && e.rcode == 0 && e.edns_faults.empty();
}

// "tag algorithm digest-type hex": DS and CDS RDATA alike (RFC 4034 §5.3, RFC 7344 §3.1).
std::string ds_like_text(std::span<const std::uint8_t> rdata) {
  if (rdata.size() < 4) {
    return util::to_hex(rdata);
  }
  return fmt::format("{} {} {} {}", (rdata[0] << 8) | rdata[1], rdata[2], rdata[3], util::to_hex(rdata.subspan(4)));
}

// What the zone's own servers answered: TTLs and the CDS set.
struct Answers {
  std::uint32_t dnskey_ttl = 0;
  std::uint32_t max_ttl = 0;
  std::set<std::string> cds;
};

Answers read_answers(const ZoneSnapshot& zone) {
  Answers out;
  const auto apex = dns::name_from_text(zone.zone);
  if (!apex) {
    return out;
  }
  for (const ServerProbe& probe : zone.servers) {
    for (const Exchange& e : probe.exchanges) {
      if (!usable(e) || !e.aa) {
        continue;
      }
      for (const std::string& line : e.answer) {
        const auto rr = dns::parse_rr(line);
        if (!rr || !dns::is_subdomain(rr->owner, *apex)) {
          continue;
        }
        out.max_ttl = std::max(out.max_ttl, rr->ttl);
        const bool at_apex = dns::names_equal(rr->owner, *apex);
        if (at_apex && rr->type == dns::rrtype::dnskey) {
          out.dnskey_ttl = std::max(out.dnskey_ttl, rr->ttl);
        } else if (at_apex && rr->type == dns::rrtype::cds) {
          out.cds.insert(ds_like_text(rr->rdata));
        }
      }
    }
  }
  return out;
}

std::uint32_t ds_ttl(const ZoneSnapshot& zone) {
  std::uint32_t ttl = 0;
  for (const ParentView& p : zone.parent_views) {
    if (!usable(p.ds)) {
      continue;
    }
    for (const std::string& line : p.ds.answer) {
      if (const auto rr = dns::parse_rr(line); rr && rr->type == dns::rrtype::ds) {
        ttl = std::max(ttl, rr->ttl);
      }
    }
  }
  return ttl;
}

// When the zone's first RRset stops validating unless re-signed, and the validity period of the
// signature that keeps it valid until then.
void observe_signing(const ZoneDnssec& analysis, RolloverState& state) {
  const SignedRrset* first = nullptr;
  for (const SignedRrset& r : analysis.rrsets) {
    if (r.zone == analysis.zone && r.has_usable && (first == nullptr || r.best_expiration < first->best_expiration)) {
      first = &r;
    }
  }
  if (first == nullptr) {
    return;
  }
  state.signed_until = first->best_expiration;
  for (const ObservedSignature& sig : analysis.signatures) {
    if (sig.zone == analysis.zone && sig.status == SigStatus::valid && sig.owner == first->owner &&
        sig.type == first->type && sig.expiration_abs == first->best_expiration) {
      state.validity = std::max(state.validity, sig.expiration_abs - sig.inception_abs);
    }
  }
}

} // namespace

std::string rollover_key_id(std::span<const std::uint8_t> dnskey_rdata) {
  if (dnskey_rdata.size() < 4) {
    return {};
  }
  // FNV-1a, 64 bits (offset basis 14695981039346656037, prime 1099511628211), over the algorithm
  // octet and the public key: the flags and protocol are left out.
  std::uint64_t hash = 14695981039346656037ULL;
  for (const std::uint8_t byte : dnskey_rdata.subspan(3)) {
    hash = (hash ^ byte) * 1099511628211ULL;
  }
  return fmt::format("{:016x}", hash);
}

RolloverState observe_rollover(const ZoneSnapshot& zone, const ZoneDnssec& analysis, std::int64_t now,
                               const RolloverState* previous) {
  RolloverState state;
  state.observed = now;
  const std::string& apex = analysis.zone;

  // Which keys (tag, algorithm) made valid signatures: over the DNSKEY RRset, and alone over
  // some other RRset of the zone.
  std::set<std::pair<std::uint16_t, std::uint8_t>> dnskey_signers;
  std::map<std::pair<std::string, std::string>, std::set<std::pair<std::uint16_t, std::uint8_t>>> data_signers;
  for (const ObservedSignature& sig : analysis.signatures) {
    if (sig.zone != apex || sig.status != SigStatus::valid) {
      continue;
    }
    if (!state.earliest_expiration || sig.expiration_abs < *state.earliest_expiration) {
      state.earliest_expiration = sig.expiration_abs;
    }
    if (sig.type == "DNSKEY" && sig.owner == apex) {
      dnskey_signers.emplace(sig.key_tag, sig.algorithm);
    } else {
      data_signers[{sig.owner, sig.type}].emplace(sig.key_tag, sig.algorithm);
    }
  }
  std::set<std::pair<std::uint16_t, std::uint8_t>> sole_signers;
  for (const auto& [rrset, signers] : data_signers) {
    if (signers.size() == 1) {
      sole_signers.insert(*signers.begin());
    }
  }

  std::vector<dns::Rr> key_rrs;
  for (const KeyRecord& k : analysis.keys) {
    const auto rr = dns::parse_rr(k.text);
    if (!rr) {
      continue;
    }
    const std::pair<std::uint16_t, std::uint8_t> tag{k.key_tag, k.algorithm};
    state.keys.push_back(RolloverState::Key{rollover_key_id(rr->rdata), k.key_tag, k.algorithm, k.flags,
                                            dnskey_signers.contains(tag), sole_signers.contains(tag)});
    key_rrs.push_back(*rr);
  }

  state.ds_known = analysis.ds_known;
  for (const DsRecord& d : analysis.ds) {
    const auto rr = dns::parse_rr(d.text);
    if (!rr || rr->rdata.size() < 4) {
      continue;
    }
    RolloverState::Ds ds{d.key_tag, d.algorithm, d.digest_type, util::to_hex(std::span(rr->rdata).subspan(4)), ""};
    for (const dns::Rr& key : key_rrs) {
      if (ds_matches(*rr, key)) {
        ds.key = rollover_key_id(key.rdata);
        break;
      }
    }
    state.ds.push_back(std::move(ds));
  }
  state.ds_ttl = ds_ttl(zone);

  Answers answers = read_answers(zone);
  state.dnskey_ttl = answers.dnskey_ttl;
  state.max_data_ttl = answers.max_ttl;
  state.cds.assign(answers.cds.begin(), answers.cds.end());

  state.cds_since = now;
  if (previous != nullptr) {
    if (previous->cds == state.cds && previous->cds_since != 0) {
      state.cds_since = std::min(previous->cds_since, now);
    }
  }

  observe_signing(analysis, state);
  carry_resigning(state, previous);
  return state;
}

void carry_resigning(RolloverState& state, const RolloverState* previous) {
  state.signed_until_since = state.observed;
  if (previous == nullptr || previous->observed >= state.observed) {
    // No earlier run (or a replay older than the history): nothing learned yet, or nothing to
    // learn from; what was learned stays.
    if (previous != nullptr) {
      state.refresh_floor = previous->refresh_floor;
      state.refreshes = previous->refreshes;
    }
    return;
  }
  if (state.signed_until && previous->signed_until == state.signed_until && previous->signed_until_since != 0) {
    state.signed_until_since = std::min(previous->signed_until_since, state.observed);
  }
  state.refresh_floor = previous->refresh_floor;
  state.refreshes = previous->refreshes;
  if (!state.signed_until || !previous->signed_until || state.validity <= 0 || previous->validity <= 0) {
    return; // not signed (or not seen) in one of the two runs: what was learned is kept as it was
  }
  // Another validity period is another signing policy, with a refresh point of its own.
  if (3 * std::abs(state.validity - previous->validity) > previous->validity) {
    state.refresh_floor = 0;
    state.refreshes = 0;
    return;
  }
  if (*state.signed_until <= *previous->signed_until) {
    return;
  }
  // Re-signed between the two runs. At the earlier run the margin was `before`; the signer
  // re-signed at some margin in (before - elapsed, before]. Only a refresh the signer made on its
  // own schedule says where that schedule is: one made while more than half the validity was left
  // is a re-sign after an edit (or by hand), and says nothing about when the signer refreshes.
  const std::int64_t before = *previous->signed_until - previous->observed;
  const std::int64_t lowest = before - (state.observed - previous->observed);
  if (2 * before >= previous->validity || lowest <= 0) {
    return;
  }
  state.refresh_floor = state.refreshes == 0 ? lowest : std::min(state.refresh_floor, lowest);
  ++state.refreshes;
}

} // namespace zw::dnssec
