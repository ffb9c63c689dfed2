// dnssec/rrsig-validity-below-soa-expire: signatures end before a cut-off secondary stops serving.
// User documentation: docs/rules/dnssec/rrsig-validity-below-soa-expire.md
#include <algorithm>
#include <array>
#include <map>
#include <utility>

#include "rules/zone_signing.hpp"

namespace zw::rules::dnssec {
namespace {

namespace zs = zone_signing;

// The latest-expiring usable signature of one algorithm over one RRset.
struct Best {
  std::uint8_t algorithm = 0;
  std::uint16_t key_tag = 0;
  std::int64_t expiration = 0;
};

// On a tie in expiration, which signature the finding names, whatever the order of the RRSIGs or
// of the key tags: the SEP key's (KSK) over the apex DNSKEY RRset, a non-SEP key's (ZSK) over
// everything else, as each key's own signing schedule is what must be fixed.
bool preferred(const zs::ApexKeys& keys, const dns::RrsetView& rrset, std::uint16_t candidate, std::uint16_t current) {
  const auto sep = [&](std::uint16_t tag) {
    return std::any_of(keys.keys().begin(), keys.keys().end(),
                       [&](const ::zw::dnssec::KeyRing::Key& k) { return k.tag == tag && k.sep(); });
  };
  const bool want_sep = rrset.type() == dns::rrtype::dnskey;
  return sep(candidate) == want_sep && sep(current) != want_sep;
}

void check_rrsig_validity_below_soa_expire(const RuleContext& ctx, const ZoneFileInput& file, FindingSink& sink,
                                           const RuleInfo& info) {
  const dns::ZoneStore& store = *file.store;
  const zs::ApexKeys keys = zs::ApexKeys::of(store);
  const std::optional<std::uint32_t> expire = zs::soa_expire(store);
  if (!keys.zone_is_signed() || !expire) {
    return;
  }
  const std::int64_t now = ctx.now();
  const std::int64_t window = ctx.thresholds(info).expiry_window_s;
  zs::KeyExpiryGroups groups; // the signatures of one key that end too early: one finding
  zs::for_each_rrset_to_sign(file, [&](const dns::NameView& name, const dns::RrsetView& rrset) {
    // Per algorithm, the signature that keeps the RRset valid longest (RFC 6840 §5.11: a
    // validator that supports only that algorithm relies on it). Few algorithms per RRset.
    std::array<Best, 8> best{};
    std::size_t count = 0;
    zs::for_each_signature(name.rrsigs_covering(rrset.type()), [&](const ::zw::dnssec::RrsigView& sig) {
      if (!keys.by_active_key(sig)) {
        return; // cannot validate anyway: the signature analysis reports it
      }
      const std::int64_t inception = ::zw::dnssec::absolute_time(sig.inception, now);
      const std::int64_t expiration = ::zw::dnssec::absolute_time(sig.expiration, now);
      if (inception > now || expiration < now) {
        return; // not usable now: rrsig-not-yet-valid, rrsig-expired
      }
      const auto used = best.begin() + static_cast<std::ptrdiff_t>(count);
      const auto slot = std::find_if(best.begin(), used, [&](const Best& b) { return b.algorithm == sig.algorithm; });
      if (slot == used) {
        if (count == best.size()) {
          return; // more algorithms than any zone uses: the first ones are judged
        }
        ++count;
        *slot = Best{sig.algorithm, sig.key_tag, expiration};
      } else if (expiration > slot->expiration ||
                 (expiration == slot->expiration && preferred(keys, rrset, sig.key_tag, slot->key_tag))) {
        *slot = Best{sig.algorithm, sig.key_tag, expiration};
      }
    });
    for (std::size_t i = 0; i < count; ++i) {
      const std::int64_t remaining = best[i].expiration - now;
      // Inside the warning window is dnssec/rrsig-expiring-soon's finding: one root cause.
      if (remaining <= window || remaining >= static_cast<std::int64_t>(*expire)) {
        continue;
      }
      // The same short validity also lets caches outlive the signatures (ttl_outlives); it is
      // said here, not as a second finding by dnssec/rrsig-ttl-mismatch (one root cause, one finding).
      groups[{best[i].key_tag, best[i].algorithm}].add(rrset, store.origin(), best[i].expiration, now);
    }
  });
  const std::optional<dns::RrsetView> soa = store.find(store.origin(), dns::rrtype::soa);
  for (const auto& [key, g] : groups) {
    Finding f;
    f.location = zs::location_of(ctx, g.rrsets.telling());
    const std::string when = g.earliest == g.latest
                                 ? fmt::format("expire at {}, in {}", utc(g.earliest), duration(g.earliest - now))
                                 : fmt::format("expire between {} and {}, in {} to {}", utc(g.earliest), utc(g.latest),
                                               duration(g.earliest - now), duration(g.latest - now));
    f.message = fmt::format("the signatures by key {} (algorithm {}) over {} RRset(s) {}, sooner than the SOA EXPIRE "
                            "of {}: {}",
                            key.first, zs::algorithm_text(key.second), g.rrsets.size(), when, duration(*expire),
                            g.rrsets.list_text());
    f.evidence.push_back(fmt::format("{}: SOA EXPIRE {} ({})", soa ? soa->location().to_string() : std::string("?"),
                                     *expire, duration(*expire)));
    f.evidence.push_back(fmt::format("a secondary that loses its primary now keeps serving the zone for {}, with "
                                     "expired signatures for the last {}: SERVFAIL (EDE 7) at validating resolvers",
                                     duration(*expire), duration(now + *expire - g.earliest)));
    if (g.ttl_outlives > 0) {
      f.evidence.push_back(fmt::format("{} of these RRsets have a TTL (up to {}) longer than the remaining validity: "
                                       "caches that do not validate keep them past the expiration",
                                       g.ttl_outlives, duration(g.longest_ttl)));
    }
    g.rrsets.add_evidence(f);
    sink.add(std::move(f));
  }
}

} // namespace
extern const RuleCode rrsig_validity_below_soa_expire{.file = &check_rrsig_validity_below_soa_expire};
} // namespace zw::rules::dnssec
