#include "dnssec/zone_file_analysis.hpp"

#include <algorithm>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "crypto/dual_verifier.hpp"
#include "crypto/verifier.hpp"
#include "dns/serial.hpp"
#include "dnssec/canonical.hpp"
#include "dnssec/keys.hpp"
#include "dnssec/rrsig.hpp"
#include "dnssec/zone_analysis_internal.hpp"
#include "util/interrupt.hpp"

namespace zw::dnssec {

namespace {

// Names are dealt to the threads in blocks of this many, round robin: neighbouring names have
// similar RRsets, so every thread gets a similar share of the work without a shared queue.
constexpr std::size_t k_block = 64;
// Below this many names one thread is faster than starting more.
constexpr std::size_t k_min_names_per_thread = 2048;

// The apex DNSKEY RRset, every key parsed and loaded once (validator.hpp).
KeyRing load_zone_keys(const dns::ZoneStore& store, std::vector<std::string>& notes) {
  std::vector<dns::Bytes> rdata;
  if (const std::optional<dns::RrsetView> dnskeys = store.find(store.origin(), dns::rrtype::dnskey)) {
    for (std::size_t i = 0; i < dnskeys->size(); ++i) {
      const std::span<const std::uint8_t> r = dnskeys->rdata(i);
      rdata.emplace_back(r.begin(), r.end());
    }
  }
  KeyRing ring(store.origin(), rdata);
  for (const KeyRing::Key& k : ring.keys()) {
    if (!k.load_error.empty()) {
      notes.push_back(fmt::format("DNSKEY {} (algorithm {}): {}", k.tag, k.algorithm, k.load_error));
    }
  }
  return ring;
}

// What one verification thread found.
struct Partial {
  std::vector<ObservedSignature> kept;
  std::vector<SignedRrset> rrsets;
  ZoneFileStats stats;
  std::vector<char> signs_dnskey; // per zone key: an RRSIG over the apex DNSKEY RRset names it
  std::exception_ptr failure;
};

class Verifier {
public:
  Verifier(const dns::ZoneStore& store, const dns::ZoneLayout& layout, const KeyRing& keys,
           const ZoneFileOptions& options, std::int64_t keep_until)
      : m_store(store), m_layout(layout), m_keys(keys), m_options(options), m_keep_until(keep_until),
        m_apex_text(dns::name_to_text(store.origin())) {}

  // Verifies the names dealt to thread `index` of `count`.
  void run(unsigned index, unsigned count, Partial& out) const {
    out.signs_dnskey.assign(m_keys.keys().size(), 0);
    dns::Bytes scratch;
    scratch.reserve(4096);
    std::size_t ordinal = 0;
    const std::span<const dns::NameRole> roles = m_layout.roles();
    bool stopped = false;
    std::size_t unreported = 0; // names verified since the progress counter was last added to
    for (const dns::NameView name : m_store.names()) {
      const std::size_t i = ordinal++;
      if ((i / k_block) % count != index) {
        continue;
      }
      // SIGINT/SIGTERM (util/interrupt.hpp): the names left are counted, not verified; the first
      // block (the apex, whose DNSKEY RRset the key rules read) always is.
      stopped = stopped || (i >= k_block && i % k_block == 0 && util::stop_requested());
      if (stopped) {
        ++out.stats.names_not_verified;
        continue;
      }
      verify_name(name, roles[i], out, scratch);
      if (m_options.names_verified != nullptr && ++unreported == k_block) {
        m_options.names_verified->fetch_add(unreported, std::memory_order_relaxed);
        unreported = 0;
      }
    }
    if (m_options.names_verified != nullptr) {
      m_options.names_verified->fetch_add(unreported, std::memory_order_relaxed);
    }
  }

private:
  static bool served_and_signed(dns::NameRole role, std::uint16_t type) noexcept {
    switch (role) {
    case dns::NameRole::apex:
    case dns::NameRole::authoritative: return true;
    case dns::NameRole::delegation: // RFC 4035 §2.2: only DS and NSEC/NSEC3 are signed there
      return type == dns::rrtype::ds || type == dns::rrtype::nsec || type == dns::rrtype::nsec3;
    default: return false;
    }
  }

  void verify_name(const dns::NameView& name, dns::NameRole role, Partial& out, dns::Bytes& scratch) const {
    const bool apex = role == dns::NameRole::apex;
    for (const dns::RrsetView rrset : name.rrsets()) {
      if (rrset.type() == dns::rrtype::rrsig) {
        continue;
      }
      const dns::RrsetView sigs = name.rrsigs_covering(rrset.type());
      if (sigs.empty()) {
        continue;
      }
      if (!served_and_signed(role, rrset.type())) {
        out.stats.skipped += sigs.size();
        continue;
      }
      bool any_failing = false;
      bool any_usable = false;
      SigStatus reason = SigStatus::valid;
      std::int64_t best_expiration = 0;
      for (std::size_t s = 0; s < sigs.size(); ++s) {
        const SignatureJudgement j = verify_one(rrset, sigs, s, apex, out, scratch);
        if (j.status == SigStatus::valid) {
          any_usable = true;
          best_expiration = std::max(best_expiration, j.expiration_abs);
        } else {
          any_failing = true;
          reason = j.status;
        }
      }
      // Kept only when a rule may speak about the RRset: a failing signature, or validity that
      // ends within the window (rrsig-expiring-soon reads best_expiration).
      if (any_failing || (any_usable && best_expiration < m_keep_until)) {
        SignedRrset r;
        r.zone = m_apex_text;
        r.owner = dns::name_to_text(rrset.owner());
        r.type = dns::type_to_text(rrset.type());
        r.has_usable = any_usable;
        r.reason = any_usable ? SigStatus::valid : reason;
        r.best_expiration = best_expiration;
        r.source = rrset.location().to_string();
        out.rrsets.push_back(std::move(r));
      }
    }
  }

  SignatureJudgement verify_one(const dns::RrsetView& rrset, const dns::RrsetView& sigs, std::size_t s, bool apex,
                                Partial& out, dns::Bytes& scratch) const {
    ++out.stats.rrsigs;
    const std::span<const std::uint8_t> rdata = sigs.rdata(s);
    const std::optional<RrsigView> sig = parse_rrsig_view(rdata);
    if (!sig) {
      ++out.stats.malformed;
      const SignatureJudgement j = malformed_signature();
      keep(out, rrset, nullptr, j, sigs.location(s));
      return j;
    }
    const SignatureJudgement j = judge_signature(*sig, rrset.owner(), m_keys, m_options.now, scratch,
                                                 [&](dns::Bytes& data) { signed_data(*sig, rrset, rdata, data); });
    if (out.stats.earliest_expiration == 0 || j.expiration_abs < out.stats.earliest_expiration) {
      out.stats.earliest_expiration = j.expiration_abs;
    }
    const bool dnskey_set = apex && rrset.type() == dns::rrtype::dnskey;
    if (dnskey_set && j.key >= 0 && names_a_zone_key(j.status)) {
      out.signs_dnskey[static_cast<std::size_t>(j.key)] = 1;
    }
    switch (j.status) {
    case SigStatus::valid: ++out.stats.valid; break;
    case SigStatus::invalid:
    case SigStatus::wrong_signer:
    case SigStatus::labels_invalid: ++out.stats.invalid; break;
    case SigStatus::disagreement: ++out.stats.disagreements; break;
    case SigStatus::key_missing:
    case SigStatus::key_not_zone_key:
    case SigStatus::key_unusable:
    case SigStatus::key_revoked: ++out.stats.no_key; break;
    case SigStatus::unsupported_algorithm: ++out.stats.unsupported; break;
    case SigStatus::malformed:
    case SigStatus::missing: ++out.stats.malformed; break;
    case SigStatus::expired:
    case SigStatus::not_yet_valid: ++out.stats.out_of_window; break;
    }
    const bool interesting = j.status != SigStatus::valid || j.expiration_abs < m_keep_until || dnskey_set;
    if (interesting) {
      keep(out, rrset, &*sig, j, sigs.location(s));
    }
    return j;
  }

  void keep(Partial& out, const dns::RrsetView& rrset, const RrsigView* sig, const SignatureJudgement& j,
            const dns::SourceLocation& where) const {
    ObservedSignature o;
    o.zone = m_apex_text;
    o.owner = dns::name_to_text(rrset.owner());
    o.type = dns::type_to_text(rrset.type());
    if (sig != nullptr) {
      o.key_tag = sig->key_tag;
      o.algorithm = sig->algorithm;
      o.signer = dns::name_to_text(sig->signer);
      o.inception = sig->inception;
      o.expiration = sig->expiration;
    }
    o.inception_abs = j.inception_abs;
    o.expiration_abs = j.expiration_abs;
    o.status = j.status;
    o.source = where.to_string();
    out.kept.push_back(std::move(o));
  }

  const dns::ZoneStore& m_store;
  const dns::ZoneLayout& m_layout;
  const KeyRing& m_keys;
  const ZoneFileOptions& m_options;
  std::int64_t m_keep_until;
  std::string m_apex_text;
};

// SOA EXPIRE of the apex SOA (RFC 1035 §3.3.13), 0 when absent or malformed.
std::int64_t soa_expire(const dns::ZoneStore& store) {
  const std::optional<dns::RrsetView> soa = store.find(store.origin(), dns::rrtype::soa);
  return soa ? dns::soa_field(soa->rdata(0), dns::SoaField::expire).value_or(0) : 0;
}

// --ds records for this zone, with whether each matches an apex DNSKEY.
void add_ds(const std::vector<std::string>& texts, const std::vector<dns::Rr>& keys, ZoneDnssec& out) {
  for (const std::string& text : texts) {
    const Result<dns::Rr> rr = dns::parse_rr(text);
    if (!rr || rr->type != dns::rrtype::ds) {
      out.notes.push_back(fmt::format("--ds: ignored {}", text));
      continue;
    }
    DsRecord d = ds_record(*rr);
    d.parent_servers.push_back("--ds");
    for (std::size_t k = 0; k < keys.size(); ++k) {
      if (ds_matches(*rr, keys[k])) {
        d.matches_key = true;
        out.keys[k].matched_by_ds = true;
      }
    }
    if (std::none_of(out.ds.begin(), out.ds.end(), [&](const DsRecord& e) { return e.text == d.text; })) {
      out.ds.push_back(std::move(d));
    }
  }
}

} // namespace

ZoneFileDnssec analyse_zone_file(const dns::ZoneStore& store, const dns::ZoneLayout& layout,
                                 const ZoneFileOptions& options) {
  ZoneFileDnssec result;
  ZoneDnssec& out = result.dnssec;
  const std::string apex = dns::name_to_text(store.origin());
  const KeyRing ring = load_zone_keys(store, out.notes);
  std::vector<dns::Rr> keys; // the same keys as RRs, in ring order
  for (const KeyRing::Key& k : ring.keys()) {
    dns::Rr rr;
    rr.owner.assign(store.origin().begin(), store.origin().end());
    rr.type = dns::rrtype::dnskey;
    rr.rdata = k.rdata;
    if (const std::optional<dns::RrsetView> set = store.find(store.origin(), dns::rrtype::dnskey)) {
      rr.ttl = set->ttl();
    }
    KeyRecord record;
    record.text = dns::to_text(rr);
    record.key_tag = k.tag;
    record.algorithm = k.algorithm;
    record.flags = k.flags;
    out.keys.push_back(std::move(record));
    keys.push_back(std::move(rr));
  }
  out.zone = apex;
  out.dnskey_answered = true; // the file is the zone: it "answers" for its DNSKEY RRset
  out.ds_known = options.ds_given;
  add_ds(options.ds_records, keys, out);

  unsigned threads = options.jobs != 0 ? options.jobs : std::max(1U, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(
      std::clamp<std::size_t>(store.name_count() / k_min_names_per_thread, 1, std::max(1U, threads)));
  const std::int64_t keep_until = options.now + options.keep_window_s + soa_expire(store);
  const Verifier verifier(store, layout, ring, options, keep_until);
  std::vector<Partial> partials(threads);
  // ZONEMD: no apex record naming a digest we compute, no digest work at all. Otherwise one more
  // thread walks every name in canonical order (the digest is one sequential stream, RFC 8976
  // §3.3.1.2) while the others verify signatures; on a signed zone it finishes long before them.
  result.zonemd = plan_zonemd(store);
  dns::Bytes sha384;
  dns::Bytes sha512;
  std::exception_ptr digest_failure;
  {
    std::vector<std::jthread> pool;
    if (result.zonemd.needs_digest()) {
      pool.emplace_back([&] {
        try {
          ZonemdDigests digests =
              digest_zone(store, layout.roles(), result.zonemd.need_sha384, result.zonemd.need_sha512);
          sha384 = std::move(digests.sha384);
          sha512 = std::move(digests.sha512);
        } catch (...) {
          digest_failure = std::current_exception();
        }
      });
    }
    for (unsigned t = 1; t < threads; ++t) {
      pool.emplace_back([&, t] {
        try {
          verifier.run(t, threads, partials[t]);
        } catch (...) {
          partials[t].failure = std::current_exception();
        }
      });
    }
    verifier.run(0, threads, partials[0]);
  }
  if (digest_failure) {
    std::rethrow_exception(digest_failure);
  }
  settle_zonemd(result.zonemd, sha384, sha512);
  ZoneFileStats& stats = result.stats;
  stats.threads = threads;
  for (Partial& p : partials) {
    if (p.failure) {
      std::rethrow_exception(p.failure);
    }
    stats.rrsigs += p.stats.rrsigs;
    stats.valid += p.stats.valid;
    stats.invalid += p.stats.invalid;
    stats.disagreements += p.stats.disagreements;
    stats.no_key += p.stats.no_key;
    stats.out_of_window += p.stats.out_of_window;
    stats.unsupported += p.stats.unsupported;
    stats.malformed += p.stats.malformed;
    stats.skipped += p.stats.skipped;
    stats.names_not_verified += p.stats.names_not_verified;
    if (p.stats.earliest_expiration != 0 &&
        (stats.earliest_expiration == 0 || p.stats.earliest_expiration < stats.earliest_expiration)) {
      stats.earliest_expiration = p.stats.earliest_expiration;
    }
    for (std::size_t k = 0; k < keys.size(); ++k) {
      out.keys[k].signs_dnskey = out.keys[k].signs_dnskey || p.signs_dnskey[k] != 0;
    }
    std::move(p.kept.begin(), p.kept.end(), std::back_inserter(out.signatures));
    std::move(p.rrsets.begin(), p.rrsets.end(), std::back_inserter(out.rrsets));
  }
  // Deterministic order whatever the thread count: canonical order is not needed, only stability.
  std::sort(out.signatures.begin(), out.signatures.end(), [](const ObservedSignature& a, const ObservedSignature& b) {
    return std::tie(a.owner, a.type, a.key_tag, a.algorithm, a.expiration) <
           std::tie(b.owner, b.type, b.key_tag, b.algorithm, b.expiration);
  });
  std::sort(out.rrsets.begin(), out.rrsets.end(), [](const SignedRrset& a, const SignedRrset& b) {
    return std::tie(a.owner, a.type) < std::tie(b.owner, b.type);
  });
  out.any_rrsig = stats.rrsigs > 0;
  // The file cannot tell what is above the zone. A pre-deploy check judges the zone as
  // validators will once it is (or while it is) delegated with a DS.
  out.above = ChainStatus::indeterminate;
  out.zone_validated = true;
  out.parent_validated = false;

  ChainLinkInfo link = detail::link_records(apex, out);
  const bool entry = detail::chain_enters(out);
  const bool all_usable =
      std::all_of(out.rrsets.begin(), out.rrsets.end(), [](const SignedRrset& r) { return r.has_usable; });
  if (!options.ds_given) {
    link.status = ChainStatus::indeterminate;
  } else if (out.ds.empty() || out.keys.empty() ||
             std::none_of(out.ds.begin(), out.ds.end(), [](const DsRecord& d) { return d.digest_supported; })) {
    // RFC 4035 §5.2: a DS set with no supported algorithm and digest makes the zone insecure.
    link.status = ChainStatus::insecure;
  } else {
    link.status = entry && all_usable && stats.invalid == 0 ? ChainStatus::secure : ChainStatus::bogus;
  }
  if (link.status == ChainStatus::insecure) {
    out.zone_validated = false; // resolvers will not validate the zone: faults are warnings
  }
  settle_security(out);
  out.chain.push_back(std::move(link));
  std::sort(out.notes.begin(), out.notes.end());
  out.notes.erase(std::unique(out.notes.begin(), out.notes.end()), out.notes.end());
  return result;
}

} // namespace zw::dnssec
