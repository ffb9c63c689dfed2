// Text reporter: what a person reads on a terminal. Colour only when asked (the CLI asks on a TTY).

#include <algorithm>

#include <fmt/format.h>

#include "report/pieces.hpp"
#include "zonewarden/report.hpp"

namespace zw {

namespace {

struct Palette {
  std::string_view red, yellow, cyan, bold, dim, reset;
};

const Palette k_colour{"\x1b[31m", "\x1b[33m", "\x1b[36m", "\x1b[1m", "\x1b[2m", "\x1b[0m"};
const Palette k_plain{"", "", "", "", "", ""};

std::string_view colour_of(Severity s, const Palette& p) {
  switch (s) {
  case Severity::error: return p.red;
  case Severity::warning: return p.yellow;
  case Severity::notice: return p.cyan;
  }
  return p.reset;
}

std::string rtt(const ServerRow& s) {
  return s.rtt_ms ? fmt::format("{:.1f} ms", *s.rtt_ms) : "-";
}

void server_table(std::string& out, const ZoneResult& z, const Palette& p) {
  if (z.servers.empty()) {
    out += "  no server was probed\n";
    return;
  }
  std::size_t name_w = 6;
  std::size_t addr_w = 7;
  for (const ServerRow& s : z.servers) {
    name_w = std::max(name_w, s.name.size());
    addr_w = std::max(addr_w, s.address.size());
  }
  out += fmt::format("  {}{:<{}}  {:<{}}  {:>10}  {:<3}  {:<8}  {:>9}  {:<11}  {:<11}{}\n", p.bold, "SERVER", name_w,
                     "ADDRESS", addr_w, "SERIAL", "AA", "RCODE", "RTT", "UDP", "TCP", p.reset);
  for (const ServerRow& s : z.servers) {
    out += fmt::format("  {:<{}}  {:<{}}  {:>10}  {:<3}  {:<8}  {:>9}  {:<11}  {:<11}\n", s.name, name_w, s.address,
                       addr_w, s.soa_serial ? std::to_string(*s.soa_serial) : "-", s.authoritative ? "yes" : "no",
                       s.rcode.empty() ? "-" : s.rcode, rtt(s), s.udp, s.tcp);
  }
}

} // namespace

Result<void> detail::write_text(const AuditResult& result, const TextOptions& options, const TextSink& write) {
  const Palette& p = options.colour ? k_colour : k_plain;
  std::string out;
  std::size_t counts[3] = {0, 0, 0};
  for (const ZoneResult& z : zones_of(result)) {
    ZW_TRY(detail::flush_if_full(out, write));
    if (result.command == "check") {
      // A zone file: no servers; the chain shown is the zone's own DS link (with --ds).
      out += fmt::format("{}{}{}  (zone file; DS link: {})\n", p.bold, z.zone, p.reset, z.chain);
    } else {
      out += fmt::format("{}{}{}  (chain of trust above: {})\n", p.bold, z.zone, p.reset, z.chain);
      server_table(out, z, p);
    }
    if (z.findings.empty()) {
      out += fmt::format("  {}no findings{}\n", p.dim, p.reset);
    }
    for (const Finding& f : z.findings) {
      ++counts[static_cast<int>(f.severity)];
      out += fmt::format("  {}{:<7}{} {}  {}\n", colour_of(f.severity, p), to_string(f.severity), p.reset, f.rule,
                         f.message);
      if (f.resolver.rcode != Rcode::none && f.resolver.rcode != Rcode::noerror) {
        out += fmt::format("          {}resolvers: {}{}\n", p.dim, rcode_ede_text(f.resolver), p.reset);
      }
      for (const std::string& e : f.evidence) {
        out += fmt::format("          {}- {}{}\n", p.dim, e, p.reset);
      }
    }
    for (const std::string& note : z.notes) {
      out += fmt::format("  {}note: {}{}\n", p.dim, note, p.reset);
    }
    out += "\n";
  }
  out += fmt::format("{} zone(s): {} error(s), {} warning(s), {} notice(s) in {:.2f} s\n", zones_of(result).size(),
                     counts[2], counts[1], counts[0], result.elapsed_s);
  return write(out);
}

std::string render_text(const AuditResult& result, const TextOptions& options) {
  return detail::collect([&](const TextSink& write) { return detail::write_text(result, options, write); });
}

} // namespace zw
