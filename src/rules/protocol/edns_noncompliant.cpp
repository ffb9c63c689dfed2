// protocol/edns-noncompliant: a name server answers EDNS queries without an OPT record.
// User documentation: docs/rules/protocol/edns-noncompliant.md
#include <algorithm>
#include <vector>

#include "rules/rule_support.hpp"

namespace zw::rules::protocol {
namespace {

// What resolvers make of a server whose answers carry no OPT record; `rcode` is one such answer's.
std::string_view effect_on_resolvers(int rcode) {
  if (rcode == 1) {
    return "FORMERR without OPT: the server does not implement EDNS (RFC 6891 §7), so it cannot serve DNSSEC "
           "records to resolvers (no DO bit) nor answers larger than 512 octets over UDP";
  }
  return "resolvers take the answer as from a server without EDNS: no DO bit, so no DNSSEC records can be "
         "trusted to come back, and a 512-octet UDP limit, so larger answers are truncated and retried over TCP";
}

void check_edns_noncompliant(const RuleContext& ctx, FindingSink& sink, const RuleInfo& /*info*/) {
  // Every query of the audit carries an OPT record (EDNS 0, DO=1, 1232 octets): RFC 6891
  // §6.1.1 says a compliant responder MUST include an OPT record in its response. A
  // responder that does not implement EDNS answers FORMERR without OPT (§7): the same finding.
  for (const ServerProbe& probe : ctx.live().servers) {
    std::size_t answered = 0;
    std::vector<const Exchange*> without;
    for (const Exchange& e : probe.exchanges) {
      if (e.outcome != Outcome::answered || !e.edns_faults.empty()) {
        continue; // no message, or a malformed one (protocol/malformed-response)
      }
      ++answered;
      if (!e.edns) {
        without.push_back(&e);
      }
    }
    if (without.empty()) {
      continue;
    }
    const std::string label = server_label(probe.name, probe.address);
    // The SOA answer when it is one of them: the query every server is judged by.
    const auto soa = std::find_if(without.begin(), without.end(), [](const Exchange* e) { return e->qtype == "SOA"; });
    const Exchange& first = soa != without.end() ? **soa : *without.front();
    Finding f;
    f.location = at(ctx, label, first.qname, first.qtype);
    f.servers = {label};
    f.message = fmt::format("{} answers EDNS queries without an OPT record ({} of its {} answers)", label,
                            without.size(), answered);
    f.evidence.push_back(fmt::format("for example {} {} over {}: {} without OPT", first.qname, first.qtype,
                                     to_string(first.transport), rcode_name(first.rcode)));
    f.evidence.emplace_back(effect_on_resolvers(first.rcode));
    sink.add(std::move(f));
  }
}

} // namespace
extern const RuleCode edns_noncompliant{.check = &check_edns_noncompliant};
} // namespace zw::rules::protocol
