// dnssec/ds-algorithm-missing: an algorithm signs the zone, but the --ds set has no usable DS
// of that algorithm (or no usable DS at all).
// User documentation: docs/rules/dnssec/ds-algorithm-missing.md
#include <set>

#include <fmt/ranges.h>

#include "rules/dnssec/key_support.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace key_support;
namespace reg = ::zw::dnssec;

// Algorithms of the zone keys that sign the zone: those of the RRSIGs over the apex SOA and
// DNSKEY RRsets (every algorithm that signs the zone signs both, RFC 4035 §2.2) that belong to
// an apex zone key. A key published ahead of an algorithm rollover signs nothing yet.
std::set<std::uint8_t> signing_algorithms(const dns::ZoneStore& store, const std::vector<ApexKey>& keys) {
  std::set<std::uint8_t> out;
  for (const std::uint16_t type : {dns::rrtype::soa, dns::rrtype::dnskey}) {
    const dns::RrsetView sigs = store.rrsigs_covering(store.origin(), type);
    for (std::size_t i = 0; i < sigs.size(); ++i) {
      const std::span<const std::uint8_t> rdata = sigs.rdata(i);
      if (rdata.size() < 3) {
        continue;
      }
      const std::uint8_t algorithm = rdata[2]; // RFC 4034 §3.1: type covered (2), algorithm (1)
      if (std::any_of(keys.begin(), keys.end(),
                      [&](const ApexKey& k) { return k.zone_key() && k.algorithm() == algorithm; })) {
        out.insert(algorithm);
      }
    }
  }
  return out;
}

void report_unusable_set(const RuleContext& ctx, FindingSink& sink, const std::vector<reg::DsRecord>& ds) {
  std::set<std::string> digests;
  for (const reg::DsRecord& d : ds) {
    digests.insert(reg::digest_text(d.digest_type));
  }
  Finding f;
  f.location = apex(ctx, "DS");
  f.servers.push_back("--ds");
  f.message =
      fmt::format("the --ds set has only digest types validators need not implement: {}", fmt::join(digests, ", "));
  for (const reg::DsRecord& d : ds) {
    f.evidence.push_back(d.text);
  }
  for (const reg::DigestInfo& d : reg::digest_registry()) {
    if (digests.contains(reg::digest_text(d.number)) && reg::delegation_discouraged(d.number)) {
      f.evidence.push_back(fmt::format("digest type {} is also {} for DNSSEC delegation (IANA registry as of {})",
                                       reg::digest_text(d.number), reg::to_string(d.use_delegation),
                                       reg::k_registry_snapshot.date));
    }
  }
  f.evidence.push_back("validators that do not implement these digests treat the DS RRset as absent and the zone "
                       "as insecure (RFC 4035 §5.2); SHA-256 (digest type 2) is the one every validator has");
  sink.add(std::move(f));
}

void check_ds_algorithm_missing(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info) {
  const ZoneFileInput* file = ctx.zone_file();
  if (file == nullptr || !file->ds_given || ctx.dnssec().ds.empty()) {
    return; // the parent's DS set is known only from --ds
  }
  const std::vector<ApexKey> keys = apex_keys(ctx);
  if (keys.empty()) {
    return; // unsigned zone: dnssec/ds-but-unsigned
  }
  const std::vector<reg::DsRecord>& ds = ctx.dnssec().ds;
  // RFC 4035 §5.2: a DS whose digest type a validator does not implement counts as absent.
  // Only SHA-1, SHA-256 and SHA-384 are ones every validator is expected to implement.
  const bool any_usable = std::any_of(
      ds.begin(), ds.end(), [](const reg::DsRecord& d) { return reg::digest_expected_in_validators(d.digest_type); });
  if (!any_usable) {
    report_unusable_set(ctx, sink, ds);
    return;
  }
  const std::set<std::uint8_t> signing = signing_algorithms(*file->store, keys);
  for (const std::uint8_t algorithm : signing) {
    bool any_of_algorithm = false;
    bool usable_of_algorithm = false;
    std::vector<std::string> digests;
    for (const reg::DsRecord& d : ds) {
      if (d.algorithm != algorithm) {
        continue;
      }
      any_of_algorithm = true;
      usable_of_algorithm = usable_of_algorithm || reg::digest_expected_in_validators(d.digest_type);
      digests.push_back(reg::digest_text(d.digest_type));
    }
    if (usable_of_algorithm) {
      continue;
    }
    std::set<std::string> ds_algorithms;
    for (const reg::DsRecord& d : ds) {
      ds_algorithms.insert(reg::algorithm_text(d.algorithm));
    }
    Finding f = finding(info, apex(ctx));
    f.servers.push_back("--ds");
    f.message = any_of_algorithm
                    ? fmt::format("algorithm {} signs the zone, but its DS records in the --ds set use only digest "
                                  "types validators need not implement: {}",
                                  reg::algorithm_text(algorithm), fmt::join(digests, ", "))
                    : fmt::format("algorithm {} signs the zone, but the --ds set has no DS for it (DS algorithms: {})",
                                  reg::algorithm_text(algorithm), fmt::join(ds_algorithms, ", "));
    for (const ApexKey& k : keys) {
      if (k.algorithm() == algorithm && k.zone_key()) {
        f.evidence.push_back(where(k));
      }
    }
    f.evidence.push_back(fmt::format("validators that implement {} but none of the DS algorithms treat the zone as "
                                     "insecure, so signing with it adds nothing for them (RFC 4035 §5.2, RFC 6840 "
                                     "§5.11)",
                                     reg::algorithm_name(algorithm)));
    sink.add_graded(std::move(f));
  }
}

} // namespace
extern const RuleCode ds_algorithm_missing{.check = &check_ds_algorithm_missing};
} // namespace zw::rules::dnssec
