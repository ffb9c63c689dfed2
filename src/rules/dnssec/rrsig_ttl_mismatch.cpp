// dnssec/rrsig-ttl-mismatch: an RRset's TTL disagrees with its RRSIGs (Original TTL, validity).
// User documentation: docs/rules/dnssec/rrsig-ttl-mismatch.md
#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include <fmt/ranges.h>

#include "rules/zone_signing.hpp"

namespace zw::rules::dnssec {
namespace {

namespace zs = zone_signing;

// An RRset whose TTL differs from the Original TTL of its signatures.
struct OriginalTtlMismatch {
  dns::RrsetView rrset;
  std::uint32_t original_ttl = 0;
  std::uint16_t key_tag = 0;
};

// Live: an RRset served with a TTL above the Original TTL of an RRSIG over it, keyed by owner,
// type, served TTL, Original TTL and key tag; the servers that served it so.
using LiveKey = std::tuple<std::string, std::uint16_t, std::uint32_t, std::uint32_t, std::uint16_t>;

// The RRSIGs and the RRsets of one section of one answer.
struct SectionRrsets {
  std::map<std::pair<std::string, std::uint16_t>, std::uint32_t> ttl; // largest TTL of the RRset
  std::vector<std::pair<std::string, ::zw::dnssec::RrsigFields>> rrsigs;
};

// The RRsets (largest TTL each) and RRSIGs of one section, at or below the apex.
SectionRrsets read_section(const std::vector<std::string>& section, const dns::Bytes& apex) {
  SectionRrsets out;
  for (const std::string& text : section) {
    const Result<dns::Rr> rr = dns::parse_rr(text);
    if (!rr || !dns::is_subdomain(rr->owner, apex)) {
      continue;
    }
    std::string owner = dns::name_to_text(dns::lowercased(rr->owner));
    if (rr->type == dns::rrtype::rrsig) {
      if (Result<::zw::dnssec::RrsigFields> sig = ::zw::dnssec::parse_rrsig(*rr)) {
        out.rrsigs.emplace_back(std::move(owner), std::move(*sig));
      }
      continue;
    }
    std::uint32_t& ttl = out.ttl[{std::move(owner), rr->type}];
    ttl = std::max(ttl, rr->ttl);
  }
  return out;
}

void check_rrsig_ttl_mismatch(const RuleContext& ctx, const ZoneFileInput& file, FindingSink& sink,
                              const RuleInfo& info) {
  const dns::ZoneStore& store = *file.store;
  const zs::ApexKeys keys = zs::ApexKeys::of(store);
  if (!keys.zone_is_signed()) {
    return;
  }
  const std::int64_t now = ctx.now();
  const std::int64_t window = ctx.thresholds(info).expiry_window_s;
  const std::optional<std::uint32_t> expire = zs::soa_expire(store);
  std::vector<OriginalTtlMismatch> mismatches;
  mismatches.reserve(zs::k_finding_cap);
  zs::CappedRrsets capped;
  zs::KeyExpiryGroups outlived; // RRsets whose TTL outlives the signature that keeps them valid longest
  zs::for_each_rrset_to_sign(file, [&](const dns::NameView& name, const dns::RrsetView& rrset) {
    const std::uint32_t ttl = zs::max_ttl(rrset);
    const bool uneven = rrset.ttls_differ();
    bool mismatch = false;
    OriginalTtlMismatch first;
    bool usable = false;
    std::int64_t best = 0;
    std::uint16_t best_tag = 0;
    std::uint8_t best_algorithm = 0;
    zs::for_each_signature(name.rrsigs_covering(rrset.type()), [&](const ::zw::dnssec::RrsigView& sig) {
      if (!keys.by_active_key(sig)) {
        return; // cannot validate anyway: the signature analysis reports it
      }
      // RFC 4035 §2.2: the Original TTL (RFC 4034 §3.1.4) equals the TTL of the RRset. An
      // RRset whose RRs disagree among themselves (RFC 2181 §5.2) is zone/ttl-mismatch's
      // finding. The RRSIG RR's own TTL is not compared: signers lower it on purpose to the
      // signature validity period when that is shorter than the TTL (dnssec-signzone does).
      if (!mismatch && !uneven && ttl != sig.original_ttl) {
        mismatch = true;
        first = OriginalTtlMismatch{rrset, sig.original_ttl, sig.key_tag};
      }
      const std::int64_t inception = ::zw::dnssec::absolute_time(sig.inception, now);
      const std::int64_t expiration = ::zw::dnssec::absolute_time(sig.expiration, now);
      if (inception <= now && now <= expiration && (!usable || expiration > best)) {
        usable = true;
        best = expiration;
        best_tag = sig.key_tag;
        best_algorithm = sig.algorithm;
      }
    });
    if (mismatch && capped.admit(rrset, store.origin())) {
      mismatches.push_back(first);
    }
    // RFC 4035 §5.3.3: a validator caps the TTL of the data at the signature's expiration; a
    // cache that does not validate keeps the full TTL and hands out the data after its last
    // signature expired. Only RRsets whose best signature is outside the expiring-soon window
    // (that rule's finding), not expired (rrsig-expired's) and not ending before the SOA
    // EXPIRE (dnssec/rrsig-validity-below-soa-expire's, which tells of the TTL too): one root
    // cause, a validity too short, one finding.
    const std::int64_t remaining = best - now;
    if (usable && remaining > window && (!expire || remaining >= static_cast<std::int64_t>(*expire)) &&
        static_cast<std::int64_t>(ttl) > remaining) {
      outlived[{best_tag, best_algorithm}].add(rrset, store.origin(), best, now);
    }
  });
  for (const OriginalTtlMismatch& m : mismatches) {
    Finding f;
    f.location = zs::location_of(ctx, m.rrset);
    f.message = fmt::format("the {} RRset at {} has TTL {} but its RRSIG by key {} has Original TTL {}",
                            dns::type_to_text(m.rrset.type()), dns::name_to_text(m.rrset.owner()), m.rrset.ttl(),
                            m.key_tag, m.original_ttl);
    f.evidence.push_back(zs::source_line(m.rrset));
    f.evidence.push_back("the RRset was edited after signing: validating resolvers cap its TTL at the Original TTL "
                         "(RFC 4035 §5.3.3), other caches keep the served TTL");
    sink.add(std::move(f));
  }
  if (const zs::RrsetGroup& rest = capped.overflow(); !rest.empty()) {
    Finding f = finding(info, zs::location_of(ctx, rest.telling()));
    f.message = fmt::format("and {} more RRsets whose TTL differs from the Original TTL of their RRSIG: {}",
                            rest.size(), rest.list_text());
    rest.add_evidence(f);
    sink.add_summary(std::move(f));
  }
  for (const auto& [key, g] : outlived) {
    Finding f;
    f.location = zs::location_of(ctx, g.rrsets.telling());
    f.message = fmt::format("{} RRset(s) have a TTL (up to {}) longer than their signatures by key {} (algorithm {}) "
                            "remain valid (from {}, {}): {}",
                            g.rrsets.size(), duration(g.longest_ttl), key.first, zs::algorithm_text(key.second),
                            duration(g.earliest - now), utc(g.earliest), g.rrsets.list_text());
    f.evidence.push_back("caches that do not validate keep the data for its full TTL and hand it out after its "
                         "signatures expired, or without them; validating resolvers cap the TTL at the expiration "
                         "(RFC 4035 §5.3.3)");
    g.rrsets.add_evidence(f);
    // One finding per signing key that groups RRsets: like the overflow group above, it is not
    // counted against the engine's cap, so 50 single mismatches never hide it.
    f.severity = info.severity;
    f.resolver = info.impact;
    sink.add_summary(std::move(f));
  }
}

// RFC 4035 §2.2 and §5.3.3 on the wire: an authoritative server serves each RRset with the TTL
// of the zone, which the signer copied into the Original TTL. A served TTL ABOVE it is the
// fault that changes what caches do (a lower one is what every cache hands out); resolvers
// should cache the smaller, but Unbound 1.17 passes the served TTL through (tests/lab/README.md).
void check_rrsig_ttl_mismatch_live(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info) {
  const Result<dns::Bytes> apex = dns::name_from_text(ctx.zone_name());
  if (!apex) {
    return;
  }
  // Only signatures by an active key of the zone count, as on files: others cannot validate
  // and the signature rules report them.
  std::set<std::pair<std::uint16_t, std::uint8_t>> active;
  for (const ::zw::dnssec::KeyRecord& k : ctx.dnssec().keys) {
    if ((k.flags & 0x0100) != 0 && (k.flags & 0x0080) == 0) {
      active.insert({k.key_tag, k.algorithm});
    }
  }
  std::map<LiveKey, std::vector<std::string>> found;
  for_each_authoritative_section(ctx.live(), [&](const std::string& label, const std::vector<std::string>& section) {
    const SectionRrsets rrsets = read_section(section, *apex);
    for (const auto& [owner, sig] : rrsets.rrsigs) {
      const auto it = rrsets.ttl.find({owner, sig.type_covered});
      if (it == rrsets.ttl.end() || it->second <= sig.original_ttl || !dns::names_equal(sig.signer, *apex) ||
          !active.contains({sig.key_tag, sig.algorithm})) {
        continue;
      }
      std::vector<std::string>& servers =
          found[LiveKey{owner, sig.type_covered, it->second, sig.original_ttl, sig.key_tag}];
      if (std::find(servers.begin(), servers.end(), label) == servers.end()) {
        servers.push_back(label);
      }
    }
  });
  // One finding per RRset: the first key's Original TTL, every server that served it so.
  std::set<std::pair<std::string, std::uint16_t>> reported;
  std::size_t more = 0;
  std::vector<std::string> more_names;
  for (const auto& [key, servers] : found) {
    const auto& [owner, type, ttl, original, tag] = key;
    if (!reported.insert({owner, type}).second) {
      continue;
    }
    if (reported.size() > zs::k_finding_cap) {
      ++more;
      if (more_names.size() < 5) {
        more_names.push_back(fmt::format("{} {}", owner, dns::type_to_text(type)));
      }
      continue;
    }
    Finding f;
    f.location = at(ctx, servers.size() == 1 ? servers.front() : "", owner, dns::type_to_text(type));
    f.message = fmt::format("the {} RRset at {} is served with TTL {} but its RRSIG by key {} has Original TTL {}",
                            dns::type_to_text(type), owner, ttl, tag, original);
    f.servers = servers;
    f.evidence.push_back(fmt::format("served so by {}", fmt::join(servers, ", ")));
    f.evidence.push_back(fmt::format(
        "RFC 4035 §5.3.3: validating resolvers should cache it for at most {} s; Unbound 1.17 was measured to "
        "pass the served TTL {} through, and caches that do not validate keep it {} s",
        original, ttl, ttl));
    sink.add(std::move(f));
  }
  if (more > 0) {
    Finding f = finding(info, at(ctx, "", ctx.zone_name(), ""));
    f.message = fmt::format("and {} more RRsets served with a TTL above the Original TTL of their RRSIG: {}{}", more,
                            fmt::join(more_names, ", "), more > more_names.size() ? ", ..." : "");
    sink.add_summary(std::move(f));
  }
}

} // namespace
extern const RuleCode rrsig_ttl_mismatch{.file = &check_rrsig_ttl_mismatch, .live = &check_rrsig_ttl_mismatch_live};
} // namespace zw::rules::dnssec
