// consistency/nsec3param: the zone's servers announce different NSEC3 parameters (NSEC3PARAM) or
// deny names with different chains, or a server's NSEC3PARAM names a chain its denials do not use.
// User documentation: docs/rules/consistency/nsec3param.md
#include <map>
#include <optional>
#include <set>

#include <fmt/ranges.h>

#include "rules/rule_support.hpp"

namespace zw::rules::consistency {
namespace {

// What one server address shows of the zone's denial of existence.
struct ServerDenial {
  std::string label;
  bool param_answered = false;  // the apex NSEC3PARAM query was answered authoritatively
  std::set<std::string> params; // NSEC3PARAM as "algorithm iterations salt" (flags aside)
  std::set<std::string> chains; // chains its denials use: "NSEC", "NSEC3 algorithm iterations salt"
};

// "1 0 -" from the RDATA of an NSEC3PARAM or NSEC3 RR (algorithm, flags, iterations, salt
// length, salt: RFC 5155 §3.2, §4.2): the flags differ between records of one chain (Opt-Out)
// and are not a parameter of it.
std::optional<std::string> parameters(const dns::Rr& rr) {
  const dns::Bytes& d = rr.rdata;
  if (d.size() < 5 || d.size() < 5u + d[4]) {
    return std::nullopt;
  }
  std::string salt = d[4] == 0 ? "-" : "";
  for (std::size_t i = 5; i < 5u + d[4]; ++i) {
    salt += fmt::format("{:02x}", d[i]);
  }
  return fmt::format("{} {} {}", d[0], (d[2] << 8) | d[3], salt);
}

ServerDenial observe(const ServerProbe& probe, const std::string& zone) {
  ServerDenial s;
  s.label = server_label(probe.name, probe.address);
  if (const Exchange* e = authoritative_answer(probe, zone, "NSEC3PARAM")) {
    s.param_answered = true;
    for (const std::string& text : records_of(e->answer, zone, "NSEC3PARAM")) {
      const Result<dns::Rr> rr = dns::parse_rr(text);
      if (const auto p = rr ? parameters(*rr) : std::nullopt) {
        s.params.insert(*p);
      }
    }
  }
  for (const Exchange& e : probe.exchanges) {
    if (e.outcome != Outcome::answered || !e.aa || (e.rcode != 0 && e.rcode != 3)) {
      continue;
    }
    for (const std::string& text : e.authority) {
      const Result<dns::Rr> rr = dns::parse_rr(text);
      if (!rr) {
        continue;
      }
      if (rr->type == dns::rrtype::nsec) {
        s.chains.insert("NSEC");
      } else if (rr->type == dns::rrtype::nsec3) {
        if (const auto p = parameters(*rr)) {
          s.chains.insert("NSEC3 " + *p);
        }
      }
    }
  }
  return s;
}

std::string params_text(const std::set<std::string>& params) {
  return params.empty() ? std::string("no NSEC3PARAM") : fmt::format("NSEC3PARAM {}", fmt::join(params, ", "));
}

std::string chains_text(const std::set<std::string>& chains) {
  return chains.empty() ? std::string("no denial seen") : fmt::format("denials with {}", fmt::join(chains, ", "));
}

// Servers grouped by what `describe` says of them: "A, B: <what>; C: <what>".
template <typename Describe>
std::vector<std::string> grouped(const std::vector<const ServerDenial*>& servers, Describe&& describe) {
  std::map<std::string, std::vector<std::string>> by_text;
  for (const ServerDenial* s : servers) {
    by_text[describe(*s)].push_back(s->label);
  }
  std::vector<std::string> out;
  out.reserve(by_text.size());
  for (const auto& [text, labels] : by_text) {
    out.push_back(fmt::format("{}: {}", fmt::join(labels, ", "), text));
  }
  return out;
}

void check_nsec3param(const RuleContext& ctx, FindingSink& sink, const RuleInfo& /*info*/) {
  std::vector<ServerDenial> servers;
  for (const ServerProbe& probe : ctx.live().servers) {
    servers.push_back(observe(probe, ctx.zone_name()));
  }
  std::vector<const ServerDenial*> with_params;
  std::vector<const ServerDenial*> with_chains;
  std::set<std::set<std::string>> param_sets;
  std::set<std::set<std::string>> chain_sets;
  for (const ServerDenial& s : servers) {
    if (s.param_answered) {
      with_params.push_back(&s);
      param_sets.insert(s.params);
    }
    if (!s.chains.empty()) {
      with_chains.push_back(&s);
      chain_sets.insert(s.chains);
    }
  }
  if (param_sets.size() > 1 || chain_sets.size() > 1) {
    // One root cause, copies of the zone out of step: one finding, whatever differs.
    Finding f;
    f.location = at(ctx, "", ctx.zone_name(), "NSEC3PARAM");
    f.message = param_sets.size() > 1 && chain_sets.size() > 1
                    ? "the servers announce different NSEC3 parameters and deny names with different chains"
                : param_sets.size() > 1 ? "the servers announce different NSEC3 parameters (NSEC3PARAM)"
                                        : "the servers deny names with different chains (NSEC/NSEC3 parameters)";
    for (const ServerDenial& s : servers) {
      if (s.param_answered || !s.chains.empty()) {
        f.servers.push_back(s.label);
      }
    }
    if (param_sets.size() > 1) {
      f.evidence.push_back(fmt::format(
          "NSEC3PARAM: {}",
          fmt::join(grouped(with_params, [](const ServerDenial& s) { return params_text(s.params); }), "; ")));
    }
    f.evidence.push_back(fmt::format(
        "denials: {}",
        fmt::join(grouped(with_chains, [](const ServerDenial& s) { return chains_text(s.chains); }), "; ")));
    sink.add(std::move(f));
    return;
  }
  // The same everywhere: does the NSEC3PARAM name a chain the denials use?
  if (with_params.empty() || with_chains.empty()) {
    return;
  }
  const std::set<std::string>& params = with_params.front()->params;
  const std::set<std::string>& chains = with_chains.front()->chains;
  std::vector<std::string> unused;
  for (const std::string& p : params) {
    if (!chains.contains("NSEC3 " + p)) {
      unused.push_back(p);
    }
  }
  if (unused.size() < params.size() || params.empty()) {
    return; // one NSEC3PARAM names the chain served (a second one is a chain being built)
  }
  Finding f;
  f.location = at(ctx, "", ctx.zone_name(), "NSEC3PARAM");
  f.message = fmt::format("the NSEC3PARAM ({}) names no chain the servers use: their denials come with {}",
                          fmt::join(unused, ", "), fmt::join(chains, ", "));
  for (const ServerDenial* s : with_chains) {
    f.servers.push_back(s->label);
  }
  f.evidence.push_back("an authoritative server looks its NSEC3 records up with the NSEC3PARAM parameters (RFC "
                       "5155 §4): secondaries and signers that follow it serve or build another chain");
  sink.add(std::move(f));
}

} // namespace
extern const RuleCode nsec3param{.check = &check_nsec3param};
} // namespace zw::rules::consistency
