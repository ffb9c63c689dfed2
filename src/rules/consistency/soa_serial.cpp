// consistency/soa-serial: the zone's servers do not agree on the SOA serial.
// User documentation: docs/rules/consistency/soa-serial.md
#include <map>

#include <fmt/ranges.h>

#include "dns/serial.hpp"
#include "rules/rule_support.hpp"

namespace zw::rules::consistency {
namespace {

void check_soa_serial(const RuleContext& ctx, FindingSink& sink, const RuleInfo& /*info*/) {
  std::map<std::uint32_t, std::vector<std::string>> by_serial;
  for (const ServerState& s : ctx.servers().servers) {
    if (s.status == ServerStatus::ok && s.serial) {
      by_serial[*s.serial].push_back(s.label);
    }
  }
  if (by_serial.size() < 2) {
    return;
  }
  std::vector<std::uint32_t> serials;
  std::vector<std::string> summary;
  for (const auto& [serial, servers] : by_serial) {
    serials.push_back(serial);
    summary.push_back(fmt::format("{} on {}", serial, fmt::join(servers, ", ")));
  }
  const std::optional<std::uint32_t> newest = dns::newest_serial(serials);
  if (!newest) {
    // No serial is newer than all the others (RFC 1982): secondaries cannot tell which copy is
    // current, and which serial we called newest would depend on the order we looked in. One
    // finding for the zone.
    Finding f;
    f.location = at(ctx, "", ctx.zone_name(), "SOA");
    f.message = fmt::format("the servers' SOA serials cannot be ordered: under RFC 1982 arithmetic none of {} is "
                            "newer than all the others (they span half the serial space or more)",
                            fmt::join(serials, ", "));
    for (const auto& [serial, servers] : by_serial) {
      f.servers.insert(f.servers.end(), servers.begin(), servers.end());
    }
    f.evidence.push_back(fmt::format("serials seen: {}", fmt::join(summary, "; ")));
    f.evidence.push_back("secondaries and NOTIFY (RFC 1996) compare serials this way: a transfer between these "
                         "copies may go either way or not at all; bump every copy to one new serial");
    sink.add(std::move(f));
    return;
  }
  // One finding per server that lags: each is a separately fixable stale copy.
  for (const auto& [serial, servers] : by_serial) {
    if (serial == *newest) {
      continue;
    }
    for (const std::string& server : servers) {
      Finding f;
      f.location = at(ctx, server, ctx.zone_name(), "SOA");
      f.message = fmt::format("{} serves serial {} while the newest is {}", server, serial, *newest);
      f.servers = {server};
      f.evidence.push_back(fmt::format("serials seen: {}", fmt::join(summary, "; ")));
      sink.add(std::move(f));
    }
  }
}

} // namespace
extern const RuleCode soa_serial{.check = &check_soa_serial};
} // namespace zw::rules::consistency
