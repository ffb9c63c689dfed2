// dnssec/algorithm-unsupported-here: zone keys or signatures of an algorithm this build cannot
// verify, so their signatures were not checked.
// User documentation: docs/rules/dnssec/algorithm-unsupported-here.md
#include <map>

#include <fmt/ranges.h>

#include "crypto/verifier.hpp"
#include "rules/dnssec/key_support.hpp"

namespace zw::rules::dnssec {
namespace {

using namespace key_support;
namespace reg = ::zw::dnssec;

static constexpr std::size_t k_listed = 8;

void check_algorithm_unsupported_here(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info) {
  const std::vector<ApexKey> keys = apex_keys(ctx);
  if (keys.empty()) {
    return; // live audit or unsigned zone
  }
  struct Group {
    std::vector<const ApexKey*> keys;
    std::size_t signatures = 0;
    std::vector<std::string> rrsets; // "owner TYPE", first few
  };
  std::map<std::uint8_t, Group> groups;
  for (const ApexKey& k : keys) {
    if (k.zone_key() && !crypto::is_supported_algorithm(k.algorithm())) {
      groups[k.algorithm()].keys.push_back(&k);
    }
  }
  // The analysis marks a signature `unsupported_algorithm` when a zone key with its tag and
  // algorithm exists but this build has no verifier for it; such a signature is neither valid
  // nor invalid here (and never dnssec/rrsig-invalid).
  for (const reg::ObservedSignature& sig : ctx.dnssec().signatures) {
    if (sig.status != reg::SigStatus::unsupported_algorithm) {
      continue;
    }
    Group& g = groups[sig.algorithm];
    ++g.signatures;
    const std::string rrset = fmt::format("{} {}", sig.owner, sig.type);
    if (g.rrsets.size() < k_listed && std::find(g.rrsets.begin(), g.rrsets.end(), rrset) == g.rrsets.end()) {
      g.rrsets.push_back(rrset);
    }
  }
  for (const auto& [algorithm, g] : groups) {
    std::vector<std::string> names;
    for (const ApexKey* k : g.keys) {
      names.push_back(fmt::format("{} ({})", k->tag(), role(*k)));
    }
    Finding f = finding(info, apex(ctx));
    f.message = fmt::format("this build cannot verify algorithm {}: {} zone key{}{}{}, {} RRSIG{} not checked",
                            reg::algorithm_text(algorithm), g.keys.size(), g.keys.size() == 1 ? "" : "s",
                            names.empty() ? "" : " ", names.empty() ? "" : fmt::format("[{}]", fmt::join(names, ", ")),
                            g.signatures, g.signatures == 1 ? "" : "s");
    for (const ApexKey* k : g.keys) {
      f.evidence.push_back(where(*k));
    }
    if (!g.rrsets.empty()) {
      f.evidence.push_back(fmt::format("signatures not checked over: {}{}", fmt::join(g.rrsets, ", "),
                                       g.rrsets.size() == k_listed ? ", ..." : ""));
    }
    f.evidence.push_back("validators that do not implement it treat data signed only with it as insecure "
                         "(RFC 4035 §5.2); other algorithms of the zone are checked as usual");
    sink.add_graded(std::move(f));
  }
}

} // namespace
extern const RuleCode algorithm_unsupported_here{.check = &check_algorithm_unsupported_here};
} // namespace zw::rules::dnssec
