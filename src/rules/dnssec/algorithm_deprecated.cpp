// dnssec/algorithm-deprecated: zone keys of an algorithm, or --ds digests, that the IANA
// registry (or the policy) says not to use.
// User documentation: docs/rules/dnssec/algorithm-deprecated.md
#include <map>

#include <fmt/ranges.h>

#include "rules/dnssec/key_support.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace key_support;
namespace reg = ::zw::dnssec;

std::vector<std::string> key_list(const std::vector<const ApexKey*>& group) {
  std::vector<std::string> out;
  out.reserve(group.size());
  for (const ApexKey* k : group) {
    out.push_back(fmt::format("{} ({})", k->tag(), role(*k)));
  }
  return out;
}

void add_key_evidence(Finding& f, const std::vector<const ApexKey*>& group) {
  for (const ApexKey* k : group) {
    f.evidence.push_back(where(*k));
  }
}

Finding policy_finding(const RuleContext& ctx, const RuleInfo& info, std::uint8_t algorithm,
                       const std::vector<const ApexKey*>& group, const std::vector<std::uint8_t>& allowed) {
  std::vector<std::string> allowed_text;
  allowed_text.reserve(allowed.size());
  for (const std::uint8_t a : allowed) {
    allowed_text.push_back(reg::algorithm_text(a));
  }
  Finding f = finding(info, apex(ctx));
  f.message = fmt::format("zone keys use algorithm {}, which is not allowed by policy (allowed: {}): key{} {}",
                          reg::algorithm_text(algorithm), fmt::join(allowed_text, ", "), group.size() > 1 ? "s" : "",
                          fmt::join(key_list(group), ", "));
  add_key_evidence(f, group);
  f.evidence.push_back("the profile's allowed_algorithms decides instead of the IANA recommendations");
  return f;
}

Finding registry_finding(const RuleContext& ctx, const RuleInfo& info, std::uint8_t algorithm,
                         const std::vector<const ApexKey*>& group) {
  const reg::AlgorithmInfo& a = *reg::find_algorithm(algorithm);
  const std::string verdict =
      a.zone_signing ? fmt::format("which the IANA registry marks {} for DNSSEC signing", reg::to_string(a.use_signing))
                     : std::string("which the IANA registry lists as not a zone-signing algorithm");
  Finding f = finding(info, apex(ctx));
  f.message = fmt::format("zone keys use algorithm {}, {}: key{} {}", reg::algorithm_text(algorithm), verdict,
                          group.size() > 1 ? "s" : "", fmt::join(key_list(group), ", "));
  add_key_evidence(f, group);
  f.evidence.push_back(fmt::format("IANA DNSSEC algorithm registry as of {}: {}", reg::k_registry_snapshot.date,
                                   reg::k_registry_snapshot.source));
  if (a.use_validation == reg::Recommendation::must_not || !a.zone_signing) {
    // RFC 4035 §5.2: a validator without a usable algorithm treats the zone as unsigned.
    f.resolver = {Rcode::noerror, Ede::unsupported_dnskey_algorithm};
    f.evidence.push_back(
        "\"Use for DNSSEC Validation\" is MUST NOT: validators treat data signed only with it as insecure "
        "(RFC 4035 §5.2)");
  } else if (algorithm == 5 || algorithm == 7) {
    f.evidence.push_back(
        "RFC 9905: validators still implement it, but some systems no longer validate SHA-1 signatures and treat "
        "it as unsupported; to them the zone is insecure unless another algorithm signs it");
  } else {
    f.evidence.push_back(fmt::format("\"Use for DNSSEC Validation\" is {}: validators still accept its signatures",
                                     reg::to_string(a.use_validation)));
  }
  return f;
}

void digest_findings(const RuleContext& ctx, const RuleInfo& info, FindingSink& sink) {
  const std::vector<reg::DsRecord>& ds = ctx.dnssec().ds;
  // A set with no digest validators implement makes the zone insecure: that is the finding
  // of dnssec/ds-algorithm-missing, which names the forbidden digests too (one root cause).
  if (std::none_of(ds.begin(), ds.end(),
                   [](const reg::DsRecord& d) { return reg::digest_expected_in_validators(d.digest_type); })) {
    return;
  }
  std::map<std::uint8_t, std::vector<const reg::DsRecord*>> by_digest;
  for (const reg::DsRecord& d : ds) {
    if (reg::delegation_discouraged(d.digest_type)) {
      by_digest[d.digest_type].push_back(&d);
    }
  }
  for (const auto& [digest, group] : by_digest) {
    const reg::DigestInfo& digest_info = *reg::find_digest(digest);
    std::vector<std::string> names;
    for (const reg::DsRecord* d : group) {
      names.push_back(fmt::format("{} (algorithm {})", d->key_tag, d->algorithm));
    }
    Finding f = finding(info, apex(ctx, "DS"));
    f.message =
        fmt::format("the DS set uses digest type {}, which the IANA registry marks {} for DNSSEC "
                    "delegation: DS {}",
                    reg::digest_text(digest), reg::to_string(digest_info.use_delegation), fmt::join(names, ", "));
    for (const reg::DsRecord* d : group) {
      for (const std::string& server : d->parent_servers) {
        if (std::find(f.servers.begin(), f.servers.end(), server) == f.servers.end()) {
          f.servers.push_back(server); // "--ds" for a zone file
        }
      }
      f.evidence.push_back(d->text);
      // The same key with an acceptable digest too: the fix is only to drop this one.
      const bool twin = std::any_of(ds.begin(), ds.end(), [&](const reg::DsRecord& o) {
        return o.key_tag == d->key_tag && o.algorithm == d->algorithm && !reg::delegation_discouraged(o.digest_type);
      });
      if (twin) {
        f.evidence.push_back(
            fmt::format("key {} also has a DS with an acceptable digest type: withdraw only the {} one", d->key_tag,
                        reg::digest_name(digest)));
      }
    }
    f.evidence.push_back(fmt::format("IANA DS digest algorithm registry as of {}: {}", reg::k_registry_snapshot.date,
                                     reg::k_registry_snapshot.source));
    sink.add_graded(std::move(f));
  }
}

void check_algorithm_deprecated(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info) {
  const std::vector<ApexKey> keys = apex_keys(ctx);
  if (keys.empty()) {
    return; // live audit or unsigned zone
  }
  // One finding per algorithm: the zone uses it, whatever the number of its keys.
  std::map<std::uint8_t, std::vector<const ApexKey*>> by_algorithm;
  for (const ApexKey& k : keys) {
    if (k.zone_key()) {
      by_algorithm[k.algorithm()].push_back(&k);
    }
  }
  const std::vector<std::uint8_t>& allowed = ctx.thresholds(info).allowed_algorithms;
  for (const auto& [algorithm, group] : by_algorithm) {
    if (!allowed.empty()) {
      if (std::find(allowed.begin(), allowed.end(), algorithm) == allowed.end()) {
        sink.add_graded(policy_finding(ctx, info, algorithm, group, allowed));
      }
    } else if (reg::signing_discouraged(algorithm)) {
      sink.add_graded(registry_finding(ctx, info, algorithm, group));
    }
  }
  if (ds_known(ctx)) {
    digest_findings(ctx, info, sink);
  }
}

} // namespace
extern const RuleCode algorithm_deprecated{.check = &check_algorithm_deprecated};
} // namespace zw::rules::dnssec
