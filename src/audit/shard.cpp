// Shards of one audit (`audit --shard K/N`) and their merge (`report --merge`).

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "dns/rr.hpp"
#include "util/time.hpp"
#include "zonewarden/audit.hpp"

namespace zw {

std::size_t shard_of(std::string_view zone, std::size_t shards) {
  // FNV-1a, 64 bits (offset basis 14695981039346656037, prime 1099511628211).
  std::uint64_t hash = 14695981039346656037ULL;
  const auto add = [&hash](unsigned char c) {
    hash ^= c;
    hash *= 1099511628211ULL;
  };
  for (const char c : zone) {
    add(static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  if (zone.empty() || zone.back() != '.') {
    add('.');
  }
  return shards == 0 ? 0 : static_cast<std::size_t>(hash % shards);
}

Result<AuditResult> merge_headers(std::span<const std::pair<std::string, const AuditResult*>> parts) {
  if (parts.empty()) {
    return fail("--merge: no result to merge");
  }
  const std::string first_file = parts.front().first; // not bindings: clang 14's lambdas cannot capture them
  const AuditResult& first = *parts.front().second;
  AuditResult merged;
  static_cast<AuditHeader&>(merged) = first; // each part's header must match it (below)
  for (const auto& entry : parts) {
    const std::string& file = entry.first;
    const AuditResult& part = *entry.second;
    const auto differ = [&](std::string_view what, const std::string& mine, const std::string& theirs) {
      return fail(fmt::format("--merge: {} and {} differ in {} ({} and {}): they are not shards of one audit",
                              first_file, file, what, theirs, mine));
    };
    if (part.command != merged.command) {
      return differ("command", part.command, merged.command);
    }
    if (part.version != merged.version) {
      return differ("zonewarden version", part.version, merged.version);
    }
    if (part.policy != merged.policy) {
      return differ("policy", part.policy, merged.policy);
    }
    if (part.expiry_window_s != merged.expiry_window_s) {
      return differ("expiry window", util::format_duration(part.expiry_window_s),
                    util::format_duration(merged.expiry_window_s));
    }
    if (part.rules_run != merged.rules_run) {
      return differ("the rules that ran", fmt::format("{} rules", part.rules_run.size()),
                    fmt::format("{} rules", merged.rules_run.size()));
    }
    merged.now = std::min(merged.now, part.now);
    merged.generated = std::max(merged.generated, part.generated);
    merged.elapsed_s = std::max(merged.elapsed_s, part.elapsed_s);
  }
  return merged;
}

Result<std::vector<std::size_t>> merge_order(std::span<const std::string> zones, std::span<const std::string> files) {
  std::unordered_map<std::string_view, std::size_t> seen; // zone -> its first index
  std::vector<std::pair<dns::Bytes, std::size_t>> keyed;
  keyed.reserve(zones.size());
  for (std::size_t i = 0; i < zones.size(); ++i) {
    const auto [at, added] = seen.emplace(zones[i], i);
    if (!added) {
      return fail(fmt::format("--merge: zone {} is in both {} and {}: shards of one audit never share a zone", zones[i],
                              files[at->second], files[i]));
    }
    Result<dns::Bytes> wire = dns::name_from_text(zones[i]);
    if (!wire) {
      return fail(
          fmt::format("--merge: {} holds a zone whose name is not a domain name: {}", files[i], wire.error().message));
    }
    keyed.emplace_back(std::move(*wire), i);
  }
  // In canonical order (RFC 4034 §6.1), so that a merge reads the same whatever the shards.
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return dns::canonical_compare(a.first, b.first) < 0; });
  std::vector<std::size_t> order;
  order.reserve(keyed.size());
  for (const auto& [wire, index] : keyed) {
    order.push_back(index);
  }
  return order;
}

Result<AuditResult> merge_results(std::vector<std::pair<std::string, AuditResult>> parts) {
  std::vector<std::pair<std::string, const AuditResult*>> headers;
  std::vector<std::string> zones;
  std::vector<std::string> files;
  for (const auto& [file, part] : parts) {
    headers.emplace_back(file, &part);
    for (const ZoneResult& zone : part.zones) {
      zones.push_back(zone.zone);
      files.push_back(file);
    }
  }
  ZW_TRY_ASSIGN(AuditResult merged, merge_headers(headers));
  ZW_TRY_ASSIGN(const std::vector<std::size_t> order, merge_order(zones, files));
  std::vector<ZoneResult*> all;
  for (auto& entry : parts) {
    for (ZoneResult& zone : entry.second.zones) {
      all.push_back(&zone);
    }
  }
  for (const std::size_t i : order) {
    merged.zones.push_back(std::move(*all[i]));
  }
  return merged;
}

} // namespace zw
