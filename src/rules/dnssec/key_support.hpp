#pragma once
// Shared by the key and algorithm rules (algorithm-deprecated, algorithm-unsupported-here,
// ds-algorithm-missing, key-revoked, key-size-weak, key-tag-collision): the apex DNSKEYs of a
// zone file with their parsed fields and the file:line they come from.

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "dns/rr.hpp"
#include "dns/zone_store.hpp"
#include "dnssec/algorithm_registry.hpp"
#include "dnssec/keys.hpp"
#include "dnssec/rrsig.hpp"
#include "rules/rule_support.hpp"

namespace zw::rules::key_support {

// One DNSKEY of the zone apex, as ZoneDnssec::keys lists it.
struct ApexKey {
  const ::zw::dnssec::KeyRecord* record = nullptr;
  dns::Rr rr;                        // parsed from record->text; empty when that failed
  ::zw::dnssec::DnskeyFields fields; // valid when `parsed`
  bool parsed = false;
  std::string source; // "zone.db:12", or "" when not found in the store

  std::uint16_t tag() const noexcept { return record->key_tag; }
  std::uint8_t algorithm() const noexcept { return record->algorithm; }
  // Zone Key flag (RFC 4034 §2.1.1): only such keys may sign the zone's data.
  bool zone_key() const noexcept { return (record->flags & 0x0100) != 0; }
  bool sep() const noexcept { return (record->flags & 0x0001) != 0; }
  // REVOKE flag (RFC 5011 §3).
  bool revoked() const noexcept { return (record->flags & 0x0080) != 0; }
};

// The apex DNSKEYs of the zone, in ZoneDnssec::keys order: the file's, or the union of what the
// zone's servers answered in a live audit (`source` is then empty). Empty for an unsigned zone:
// key rules return quietly then.
inline std::vector<ApexKey> apex_keys(const RuleContext& ctx) {
  std::vector<ApexKey> keys;
  const ZoneFileInput* file = ctx.zone_file();
  const dns::ZoneStore* store = file != nullptr ? file->store : nullptr;
  const std::optional<dns::RrsetView> dnskeys =
      store != nullptr ? store->find(store->origin(), dns::rrtype::dnskey) : std::nullopt;
  for (const ::zw::dnssec::KeyRecord& record : ctx.dnssec().keys) {
    ApexKey k;
    k.record = &record;
    if (Result<dns::Rr> rr = dns::parse_rr(record.text)) {
      k.rr = std::move(*rr);
      if (const Result<::zw::dnssec::DnskeyFields> f = ::zw::dnssec::parse_dnskey(k.rr)) {
        k.fields = *f;
        k.parsed = true;
      }
      if (dnskeys) {
        for (std::size_t i = 0; i < dnskeys->size(); ++i) {
          const std::span<const std::uint8_t> rdata = dnskeys->rdata(i);
          if (std::equal(rdata.begin(), rdata.end(), k.rr.rdata.begin(), k.rr.rdata.end())) {
            k.source = dnskeys->location(i).to_string();
            break;
          }
        }
      }
    }
    keys.push_back(std::move(k));
  }
  return keys;
}

// True when the parent's DS set is known: `--ds` for a zone file, the parent's answer live.
inline bool ds_known(const RuleContext& ctx) {
  const ZoneFileInput* file = ctx.zone_file();
  return file != nullptr ? file->ds_given : ctx.dnssec().ds_known && !ctx.dnssec().ds.empty();
}

// "KSK", "ZSK" (by the SEP flag, RFC 4034 §2.1.1), or "non-zone key"; ", revoked" appended.
inline std::string role(const ApexKey& key) {
  std::string r = !key.zone_key() ? "non-zone key" : key.sep() ? "KSK" : "ZSK";
  if (key.revoked()) {
    r += ", revoked";
  }
  return r;
}

// "key 12345 (ECDSAP256SHA256, KSK)".
inline std::string describe(const ApexKey& key) {
  return fmt::format("key {} ({}, {})", key.tag(), ::zw::dnssec::algorithm_name(key.algorithm()), role(key));
}

// An evidence line naming where the key is: "key 12345 (ECDSAP256SHA256, KSK) at zone.db:12".
inline std::string where(const ApexKey& key) {
  return key.source.empty() ? describe(key) : fmt::format("{} at {}", describe(key), key.source);
}

// The finding location of the apex DNSKEY RRset (or of another apex RRset, `type`).
inline Location apex(const RuleContext& ctx, std::string type = "DNSKEY") {
  return at(ctx, "", ctx.zone_name(), std::move(type));
}

} // namespace zw::rules::key_support
