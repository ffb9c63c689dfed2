// rollover/ds-change-too-soon: the parent's DS set changed less than its TTL ago, and no DS of the
// old set names a key that signs the DNSKEY RRset now.
// User documentation: docs/rules/rollover/ds-change-too-soon.md
#include "rules/rollover/rollover_support.hpp"

namespace zw::rules::rollover {
namespace {

using rollover_support::find_key;

std::string ds_list(const std::vector<RolloverState::Ds>& set) {
  if (set.empty()) {
    return "none";
  }
  std::string out;
  for (const RolloverState::Ds& d : set) {
    out += fmt::format("{}{} {} {}", out.empty() ? "" : ", ", d.key_tag, d.algorithm, d.digest_type);
  }
  return out;
}

bool same_set(std::vector<RolloverState::Ds> a, std::vector<RolloverState::Ds> b) {
  const auto key = [](const RolloverState::Ds& d) { return std::tie(d.key_tag, d.algorithm, d.digest_type, d.digest); };
  const auto less = [&](const RolloverState::Ds& x, const RolloverState::Ds& y) { return key(x) < key(y); };
  const auto equal = [&](const RolloverState::Ds& x, const RolloverState::Ds& y) { return key(x) == key(y); };
  std::sort(a.begin(), a.end(), less);
  std::sort(b.begin(), b.end(), less);
  a.erase(std::unique(a.begin(), a.end(), equal), a.end());
  b.erase(std::unique(b.begin(), b.end(), equal), b.end());
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), equal);
}

void check_ds_change_too_soon(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info) {
  const auto iv = rollover_support::interval(ctx);
  if (!iv || !iv->before.ds_known || !iv->now.ds_known || iv->elapsed >= iv->before.ds_ttl ||
      same_set(iv->before.ds, iv->now.ds)) {
    return;
  }
  // Only the old DS records that led to a key mattered to resolvers: without one, the old set
  // validated nothing and nobody holds a working chain through it.
  std::vector<const RolloverState::Ds*> old_links;
  for (const RolloverState::Ds& d : iv->before.ds) {
    if (!d.key.empty()) {
      old_links.push_back(&d);
    }
  }
  const auto signs_now = [&](const RolloverState::Ds* d) {
    const RolloverState::Key* k = find_key(iv->now, d->key);
    return k != nullptr && k->signs_dnskey;
  };
  if (old_links.empty() || std::any_of(old_links.begin(), old_links.end(), signs_now)) {
    return;
  }
  Finding f;
  f.location = at(ctx, "", ctx.zone_name(), "DS");
  f.severity = info.severity;
  // Unbound: a DS set none of whose keys is in the DNSKEY RRset is EDE 9 (DNSKEY Missing); a key
  // there that no longer signs the DNSKEY RRset is EDE 10 (RRSIGs Missing). LAB-NOTES.md.
  const bool old_key_present = std::any_of(old_links.begin(), old_links.end(), [&](const RolloverState::Ds* d) {
    return find_key(iv->now, d->key) != nullptr;
  });
  f.resolver = {Rcode::servfail, old_key_present ? Ede::rrsigs_missing : Ede::dnskey_missing};
  f.message = fmt::format("the parent's DS set changed less than its TTL ({}) ago, and no key the old DS set named "
                          "signs the DNSKEY RRset now: resolvers that cached the old DS set fail the zone until it "
                          "expires from their caches",
                          duration(iv->before.ds_ttl));
  f.evidence.push_back(fmt::format("DS set {}: {}; now: {} (key tag, algorithm, digest type)", iv->when_before(),
                                   ds_list(iv->before.ds), ds_list(iv->now.ds)));
  f.evidence.push_back(iv->cached_until("the old DS set", iv->before.ds_ttl));
  for (const RolloverState::Ds* d : old_links) {
    const RolloverState::Key* k = find_key(iv->now, d->key);
    f.evidence.push_back(k == nullptr ? fmt::format("key {} (algorithm {}), named by the old DS, is no longer in "
                                                    "the DNSKEY RRset",
                                                    d->key_tag, d->algorithm)
                                      : fmt::format("key {} (algorithm {}), named by the old DS, is still in the "
                                                    "DNSKEY RRset but no longer signs it",
                                                    d->key_tag, d->algorithm));
  }
  f.evidence.push_back("RFC 7583 §3.3: keep signing the DNSKEY RRset with the key of the old DS until the old DS "
                       "set has expired from caches (its TTL after the change at the parent)");
  sink.add_graded(std::move(f));
}

} // namespace
extern const RuleCode ds_change_too_soon{.check = &check_ds_change_too_soon};
} // namespace zw::rules::rollover
