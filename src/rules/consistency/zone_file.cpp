// consistency/zone-file: a server serves data that differs from the zone file given with
// `audit --zone-file`: an RRset missing, stale or different, or one the file does not have.
// User documentation: docs/rules/consistency/zone-file.md
#include <algorithm>

#include <fmt/ranges.h>

#include "dns/serial.hpp"
#include "rules/rule_support.hpp"
#include "rules/zone/zone_support.hpp"
#include "rules/zone_file_diff.hpp"

namespace zw::rules::consistency {
namespace {

// At most this many records of one side are shown per server group; the rest are counted.
constexpr std::size_t k_shown_records = 5;

std::string sample(const std::vector<std::string>& records) {
  return util::list_first(records, k_shown_records, " | ");
}

std::optional<std::uint32_t> serial_of(const std::vector<std::string>& soa_rdata) {
  return soa_rdata.size() == 1 ? serial_of_soa_rdata(soa_rdata.front()) : std::nullopt;
}

// "the file's serial 2026120402 is newer than the server's 2026120401" (RFC 1982 arithmetic).
std::string serial_line(const ServerDifference& d) {
  const std::optional<std::uint32_t> file = serial_of(d.only_file);
  const std::optional<std::uint32_t> served = serial_of(d.only_server);
  if (!file || !served || *file == *served) {
    return "";
  }
  switch (dns::compare_serials(*file, *served)) {
  case dns::SerialOrder::newer:
    return fmt::format("SOA serial: the file's {} is newer than the served {} (the server has not loaded the file yet)",
                       *file, *served);
  case dns::SerialOrder::older:
    return fmt::format("SOA serial: the file's {} is older than the served {} (the file is stale)", *file, *served);
  default:
    return fmt::format("SOA serial: the file's {} and the served {} are 2^31 apart, which RFC 1982 leaves unordered",
                       *file, *served);
  }
}

std::string describe(const ServerDifference& d) {
  switch (d.kind) {
  case DiffKind::missing: return fmt::format("missing ({})", d.denial);
  case DiffKind::different:
    return fmt::format("different ({} record(s) only in the file, {} only on the server)", d.only_file.size(),
                       d.only_server.size());
  case DiffKind::extra: return "extra (not in the file)";
  }
  return "";
}

void check_zone_file(const RuleContext& ctx, FindingSink& sink, const RuleInfo& /*info*/) {
  const ZoneFileView* file = ctx.compared_zone_file();
  if (file == nullptr) {
    return;
  }
  for (const RrsetDifference& r : compare_zone_file(*file, ctx.live())) {
    std::vector<std::string> servers;
    std::vector<std::string> parts;
    Finding f;
    for (const ServerDifference& d : r.differences) {
      servers.insert(servers.end(), d.servers.begin(), d.servers.end());
      parts.push_back(fmt::format("{} on {}", describe(d), fmt::join(d.servers, ", ")));
      // The servers are named in the message; the evidence repeats them only when they differ
      // in more than one way.
      const std::string who = r.differences.size() > 1 ? fmt::format("{}", fmt::join(d.servers, ", "))
                              : d.servers.size() == 1  ? std::string("the server")
                                                       : std::string("the servers");
      if (!d.only_file.empty()) {
        f.evidence.push_back(fmt::format("{}: only in the file: {}", who, sample(d.only_file)));
      }
      if (!d.only_server.empty()) {
        f.evidence.push_back(fmt::format("{}: only on the server: {}", who, sample(d.only_server)));
      }
      if (r.type == "SOA" && r.owner == ctx.zone_name()) {
        if (const std::string line = serial_line(d); !line.empty()) {
          f.evidence.push_back(fmt::format("{}: {}", who, line));
        }
      }
      if (d.file_ttl && d.server_ttl && *d.file_ttl != *d.server_ttl) {
        f.evidence.push_back(fmt::format("{}: TTL {} (file {})", who, *d.server_ttl, *d.file_ttl));
      }
    }
    for (const std::string& line : r.ttl_only) {
      f.evidence.push_back(fmt::format("same records, other TTL on {}", line));
    }
    f.evidence.push_back(r.location.empty() ? fmt::format("zone file {}: no {} at {}", file->path, r.type, r.owner)
                                            : fmt::format("zone file: {}", r.location));
    f.location = at(ctx, servers.size() == 1 ? servers.front() : "", r.owner, r.type);
    f.servers = servers;
    f.message =
        fmt::format("{} {} differs from the zone file {}: {}", r.owner, r.type, file->path, fmt::join(parts, "; "));
    sink.add(std::move(f));
  }
}

} // namespace
extern const RuleCode zone_file{.check = &check_zone_file};
} // namespace zw::rules::consistency
