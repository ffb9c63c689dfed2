// consistency/soa-serial: the zone's servers do not agree on the SOA serial.
// User documentation: docs/rules/consistency/soa-serial.md
#include <map>

#include <fmt/ranges.h>

#include "rules/rule_support.hpp"

namespace zw::rules::consistency {
namespace {

// RFC 1982 serial number arithmetic: is `a` newer than `b`?
bool serial_newer(std::uint32_t a, std::uint32_t b) {
  return a != b && static_cast<std::int32_t>(a - b) > 0;
}

class SoaSerial final : public Rule {
public:
  const RuleInfo& info() const noexcept override { return k_info; }
  void check(const RuleContext& ctx, FindingSink& sink) const override {
    std::map<std::uint32_t, std::vector<std::string>> by_serial;
    for (const ServerState& s : ctx.servers().servers) {
      if (s.status == ServerStatus::ok && s.serial) {
        by_serial[*s.serial].push_back(s.label);
      }
    }
    if (by_serial.size() < 2) {
      return;
    }
    std::uint32_t newest = by_serial.begin()->first;
    for (const auto& [serial, servers] : by_serial) {
      if (serial_newer(serial, newest)) {
        newest = serial;
      }
    }
    std::vector<std::string> summary;
    for (const auto& [serial, servers] : by_serial) {
      summary.push_back(fmt::format("{} on {}", serial, fmt::join(servers, ", ")));
    }
    // One finding per server that lags: each is a separately fixable stale copy.
    for (const auto& [serial, servers] : by_serial) {
      if (serial == newest) {
        continue;
      }
      for (const std::string& server : servers) {
        Finding f;
        f.location = at(ctx, server, ctx.zone_name(), "SOA");
        f.message = fmt::format("{} serves serial {} while the newest is {}", server, serial, newest);
        f.servers = {server};
        f.evidence.push_back(fmt::format("serials seen: {}", fmt::join(summary, "; ")));
        sink.add(std::move(f));
      }
    }
  }

private:
  static constexpr RuleInfo k_info{
      .id = "consistency/soa-serial",
      .severity = Severity::warning,
      .stability = Stability::stable,
      .summary = "The zone's name servers serve different SOA serials",
      .reference = "RFC 1996 §4, RFC 1982",
      .impact = {Rcode::noerror, Ede::none},
      .inputs = Inputs::live};
};

} // namespace
std::unique_ptr<Rule> make_soa_serial() { return std::make_unique<SoaSerial>(); }
} // namespace zw::rules::consistency
