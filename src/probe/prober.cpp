// The walker's prober: asks every server of a zone at every address and records the
// ServerProbe/Exchange data of the snapshot (and the parent views); `audit --walk`'s NSEC chain.

#include <algorithm>

#include <fmt/format.h>

#include "dns/rr.hpp"
#include "probe/walker_internal.hpp"
#include "snapshot/probe_queries.hpp"

namespace zw::probe::detail {

asio::awaitable<ParentView> Walker::parent_view(Addr server, std::string zone_name) {
  ParentView view;
  view.name = server.name;
  view.address = server.address;
  std::vector<asio::awaitable<std::vector<Exchange>>> tasks;
  tasks.push_back(ask_udp_then_tcp(server, zone_name, "NS"));
  tasks.push_back(ask_udp_then_tcp(server, zone_name, "DS"));
  const std::vector<std::vector<Exchange>> got = co_await gather(std::move(tasks), m_deadline);
  // After a truncated UDP answer the TCP one is the parent's full word, unless TCP failed.
  const auto pick = [](const std::vector<Exchange>& exchanges) {
    if (exchanges.empty()) {
      return Exchange{}; // not asked: the deadline ended the view first
    }
    return exchanges.back().outcome == Outcome::answered ? exchanges.back() : exchanges.front();
  };
  view.referral = pick(got[0]);
  view.ds = pick(got[1]);
  co_return view;
}

NameServer& Walker::name_server(std::size_t zi, const std::string& name) {
  std::vector<NameServer>& list = zone(zi).name_servers;
  for (NameServer& ns : list) {
    if (ns.name == name) {
      return ns;
    }
  }
  NameServer ns;
  ns.name = name;
  list.push_back(std::move(ns));
  return list.back();
}

std::vector<std::string> Walker::in_zone_names(std::size_t zi) {
  std::vector<std::string> names;
  for (const NameServer& ns : zone(zi).name_servers) {
    if (dns::name_is_at_or_below(ns.name, zone(zi).zone)) {
      names.push_back(ns.name);
    }
  }
  return names;
}

asio::awaitable<void> Walker::query_into(std::size_t zi, std::size_t si, std::string qname, std::string qtype, bool tcp,
                                         bool counted) {
  Addr server{zone(zi).servers[si].name, zone(zi).servers[si].address};
  std::vector<Exchange> got;
  if (counted && walk_of(zi).queries >= m_options.max_queries_per_zone) {
    m_bounds_hit.insert(bound_name("--max-queries-per-zone", m_options.max_queries_per_zone));
    got.push_back(not_asked_exchange(qname, qtype, tcp ? Transport::tcp : Transport::udp,
                                     bound_detail("--max-queries-per-zone", m_options.max_queries_per_zone)));
  } else if (tcp) {
    walk_of(zi).queries += counted ? 1 : 0;
    got.push_back(co_await ask(server, qname, qtype, Transport::tcp));
  } else {
    walk_of(zi).queries += counted ? 1 : 0;
    got = co_await ask_udp_then_tcp(server, qname, qtype);
  }
  // By index: other coroutines may grow `servers` while this one waited.
  for (Exchange& ex : got) {
    zone(zi).servers[si].exchanges.push_back(std::move(ex));
  }
}

// The queries below and beside the apex, for the DNSSEC analysis, as (qname, qtype) pairs:
// - CDS, CDNSKEY (RFC 7344 §4, RFC 8078) and NSEC3PARAM (RFC 5155 §4) at the apex, to compare
//   across servers;
// - denial probes whose authority sections carry the NSEC/NSEC3 proofs and their RRSIGs
//   (RFC 4035 §3.1.3): a name that does not exist (NXDOMAIN, §3.1.3.2), and type NULL at the apex
//   and at the first in-zone name server name, names that exist and own no NULL (NODATA,
//   §3.1.3.1). The name server name is chosen once per zone, so every server is asked the same;
// - the --name queries of this zone, unless already asked.
std::vector<std::pair<std::string, std::string>> Walker::depth_queries(std::size_t zi) {
  const std::string apex = zone(zi).zone;
  std::vector<std::pair<std::string, std::string>> out;
  for (const char* qtype : {"CDS", "CDNSKEY", "NSEC3PARAM"}) {
    out.emplace_back(apex, qtype);
  }
  if (const std::optional<std::string> name = snapshot::denial_probe_name(apex, m_started_at)) {
    out.emplace_back(*name, snapshot::k_nxdomain_probe_qtype);
  }
  out.emplace_back(apex, snapshot::k_nodata_probe_qtype);
  if (walk_of(zi).nodata_name.empty()) {
    for (const std::string& name : in_zone_names(zi)) {
      // The smallest name, so that the choice does not depend on which parent answered first.
      if (name != apex && (walk_of(zi).nodata_name.empty() || name < walk_of(zi).nodata_name)) {
        walk_of(zi).nodata_name = name;
      }
    }
  }
  if (!walk_of(zi).nodata_name.empty()) {
    out.emplace_back(walk_of(zi).nodata_name, snapshot::k_nodata_probe_qtype);
  }
  return out;
}

// Asks every (name, address) not asked yet, over UDP (TCP after TC=1), all at once: SOA, NS,
// DNSKEY and the A/AAAA of the in-zone name server names, and SOA over TCP, which decide the
// server's state and are sent first; then the depth_queries and the --name queries.
asio::awaitable<void> Walker::probe_servers(std::size_t zi, std::vector<Addr> servers) {
  const std::string apex = zone(zi).zone;
  const std::vector<std::string> glue_names = in_zone_names(zi);
  std::vector<std::size_t> indices;
  for (const Addr& server : servers) {
    if (!walk_of(zi).probed.insert({server.name, server.address}).second) {
      continue;
    }
    ServerProbe probe;
    probe.name = server.name;
    probe.address = server.address;
    zone(zi).servers.push_back(std::move(probe));
    indices.push_back(zone(zi).servers.size() - 1);
  }
  if (indices.empty()) {
    co_return;
  }
  std::set<std::pair<std::string, std::string>> planned;
  std::vector<asio::awaitable<void>> queries;
  for (const std::size_t si : indices) {
    for (const char* qtype : {"SOA", "NS", "DNSKEY"}) {
      queries.push_back(query_into(zi, si, apex, qtype, false));
      planned.emplace(apex, qtype);
    }
    for (const std::string& name : glue_names) {
      queries.push_back(query_into(zi, si, name, "A", false));
      queries.push_back(query_into(zi, si, name, "AAAA", false));
      planned.emplace(name, "A");
      planned.emplace(name, "AAAA");
    }
    queries.push_back(query_into(zi, si, apex, "SOA", true));
  }
  // The limiter serves in order: under load the queries that decide a server's state go first.
  std::vector<std::pair<std::string, std::string>> extra;
  for (auto& query : depth_queries(zi)) {
    if (planned.insert(query).second) {
      extra.push_back(std::move(query));
    }
  }
  const std::size_t counted = extra.size(); // the --name and --zone-file questions follow, not counted
  for (const NameQuery& q : m_options.name_queries) {
    if (q.zone == apex && planned.emplace(q.qname, q.qtype).second) {
      extra.emplace_back(q.qname, q.qtype);
    }
  }
  for (const std::size_t si : indices) {
    for (std::size_t qi = 0; qi < extra.size(); ++qi) {
      const auto& [qname, qtype] = extra[qi];
      if (qname == walk_of(zi).nodata_name && qtype == snapshot::k_nodata_probe_qtype) {
        walk_of(zi).nodata_asked.insert(si);
      }
      queries.push_back(query_into(zi, si, qname, qtype, false, qi < counted));
    }
  }
  std::vector<asio::awaitable<bool>> wrapped;
  wrapped.reserve(queries.size());
  for (asio::awaitable<void>& q : queries) {
    wrapped.push_back(finished(std::move(q)));
  }
  co_await gather(std::move(wrapped), m_deadline);
}

// The below-apex NODATA probe for the servers probed before any in-zone name server name was
// known (a zone whose parent lists only out-of-zone names), once the zone's own NS set is in.
asio::awaitable<void> Walker::probe_nodata_below_apex(std::size_t zi) {
  if (walk_of(zi).nodata_name.empty()) {
    for (const std::string& name : in_zone_names(zi)) {
      if (name != zone(zi).zone && (walk_of(zi).nodata_name.empty() || name < walk_of(zi).nodata_name)) {
        walk_of(zi).nodata_name = name;
      }
    }
  }
  const std::string name = walk_of(zi).nodata_name;
  if (name.empty() || Clock::now() >= m_deadline) {
    co_return;
  }
  std::vector<asio::awaitable<bool>> tasks;
  for (std::size_t si = 0; si < zone(zi).servers.size(); ++si) {
    if (walk_of(zi).nodata_asked.insert(si).second) {
      tasks.push_back(finished(query_into(zi, si, name, std::string(snapshot::k_nodata_probe_qtype), false)));
    }
  }
  co_await gather(std::move(tasks), m_deadline);
}

// Finds addresses for `names` (resolving those without any) and probes them.
asio::awaitable<void> Walker::resolve_and_probe(std::size_t zi, std::vector<std::string> names) {
  std::vector<std::string> to_resolve;
  for (const std::string& name : names) {
    if (name_server(zi, name).addresses.empty()) {
      to_resolve.push_back(name);
    }
  }
  std::vector<asio::awaitable<AddrResult>> tasks;
  for (const std::string& name : to_resolve) {
    // Until the lookup ends: should the deadline or a signal stop the audit first, the name's
    // addresses are unknown, never "none".
    name_server(zi, name).resolution_error =
        fmt::format("{}: the audit ended before the lookup finished", k_lookup_cut_short);
    tasks.push_back(resolve_name(name, "", 0));
  }
  const std::vector<AddrResult> results = co_await gather(std::move(tasks), m_deadline);
  for (std::size_t i = 0; i < to_resolve.size(); ++i) {
    NameServer& ns = name_server(zi, to_resolve[i]);
    if (unfinished(results[i])) {
      continue; // the marker above stays
    }
    ns.addresses = results[i].addresses;
    ns.resolution_error = results[i].addresses.empty() ? results[i].error : std::string();
  }
  std::vector<Addr> servers;
  for (const std::string& name : names) {
    for (const std::string& address : name_server(zi, name).addresses) {
      servers.push_back(Addr{name, address});
    }
  }
  co_await probe_servers(zi, std::move(servers));
}

// RFC 1034 §4.2.2: the zone's own apex NS set; names there are at_child.
void Walker::mark_child_names(std::size_t zi) {
  ZoneSnapshot& zs = zone(zi);
  std::vector<std::string> child;
  for (const ServerProbe& probe : zs.servers) {
    for (const Exchange& ex : probe.exchanges) {
      if (ex.qtype == "NS" && ex.qname == zs.zone && ex.outcome == Outcome::answered && ex.aa &&
          ex.rcode == k_rcode_noerror) {
        for (const std::string& name : ns_targets(ex.answer, zs.zone)) {
          if (std::find(child.begin(), child.end(), name) == child.end()) {
            child.push_back(name);
          }
        }
      }
    }
  }
  for (const std::string& name : child) {
    name_server(zi, name).at_child = true;
  }
}

// The NSEC record at `owner` as server `si` serves it, from its answer to `owner NSEC` (asked
// already). A zone cut answers that with a referral (NSD, Knot): the cut's NSEC is then the one
// in an insecure referral (the proof that there is no DS, RFC 4035 §3.1.4), or else the one that
// covers the first name after the cut's subtree, asked for here (name_after_subtree).
asio::awaitable<std::optional<NsecLink>> Walker::nsec_of(std::size_t zi, std::size_t si, std::string owner) {
  const Exchange* ex = best_exchange(zone(zi).servers[si], owner, "NSEC");
  if (ex == nullptr) {
    co_return std::nullopt;
  }
  if (is_authoritative_answer(*ex)) {
    co_return find_nsec(ex->answer, owner);
  }
  if (!is_referral(*ex) || referral_owner(*ex) != owner) {
    co_return std::nullopt;
  }
  if (std::optional<NsecLink> link = find_nsec(ex->authority, owner)) {
    co_return link;
  }
  const std::optional<std::string> after = name_after_subtree(owner);
  if (!after) {
    co_return std::nullopt;
  }
  co_await query_into(zi, si, *after, "A", false, false);
  const Exchange* denial = best_exchange(zone(zi).servers[si], *after, "A");
  if (denial == nullptr || !is_authoritative_answer(*denial)) {
    co_return std::nullopt;
  }
  co_return find_nsec(denial->authority, owner);
}

// `audit --walk`: follows the NSEC chain (RFC 4034 §4.1.1) of zone `zi` from the apex on the
// first server that answers the apex SOA authoritatively, and asks every server each owner's
// NSEC and the RRsets its bitmap lists (owner_queries), unless some server was asked already.
// The RRsets of one owner and the NSEC of the next are asked together. Bounded by
// ProbeOptions::walk_limit names (next_step), k_max_walk_types types per owner, the limiter and
// the deadline; ZoneSnapshot::nsec_walk says what was done and, when it stopped early, why.
asio::awaitable<void> Walker::walk_nsec_chain(std::size_t zi) {
  const std::string apex = zone(zi).zone;
  zone(zi).nsec_walk.emplace();
  // By index each time: no reference is kept across a wait.
  const auto walk = [this, zi]() -> NsecWalk& { return *zone(zi).nsec_walk; };
  switch (denial_of(zone(zi))) {
  case ZoneDenial::nsec3:
    walk().status = WalkStatus::skipped;
    walk().reason = "the zone denies with NSEC3: its owner names are hashed and cannot be enumerated (RFC 5155)";
    co_return;
  case ZoneDenial::unsigned_zone:
    walk().status = WalkStatus::skipped;
    walk().reason = "the zone is not signed: it has no NSEC chain to follow";
    co_return;
  case ZoneDenial::nsec: break;
  }
  std::optional<std::size_t> chain_server;
  for (std::size_t si = 0; si < zone(zi).servers.size() && !chain_server; ++si) {
    const Exchange* soa = best_exchange(zone(zi).servers[si], apex, "SOA");
    if (soa != nullptr && is_authoritative_answer(*soa) && soa->rcode == k_rcode_noerror) {
      chain_server = si;
    }
  }
  if (!chain_server) {
    walk().reason = "no server answered the apex SOA authoritatively";
    co_return;
  }
  const ServerProbe& chain_probe = zone(zi).servers[*chain_server];
  const std::string label = fmt::format("{}/{}", chain_probe.name, chain_probe.address);
  walk().server = label;
  walk().reason = "audit deadline reached";            // until the walk ends otherwise
  std::set<std::pair<std::string, std::string>> asked; // (qname, qtype) already asked of every server
  for (const ServerProbe& probe : zone(zi).servers) {
    for (const Exchange& ex : probe.exchanges) {
      asked.emplace(ex.qname, ex.qtype);
    }
  }
  // The chain moves at the pace of its own server: every other query (the other servers' NSEC,
  // every server's RRsets) runs in the background, so a silent server does not cost a timeout per
  // name. At most half the limiter's slots are used by that backlog, so the chain's next query
  // (the limiter serves in order) does not wait behind it.
  const std::size_t server_count = zone(zi).servers.size();
  const std::size_t k_backlog = std::max<std::size_t>(1, static_cast<std::size_t>(m_options.max_in_flight) / 2);
  const auto backlog = std::make_shared<Backlog>(m_executor);
  // Asks every server but `except` (qname, qtype) in the background, unless it was asked already;
  // true when it was not.
  const auto ask_others = [&](const std::string& qname, const std::string& qtype, std::optional<std::size_t> except) {
    if (!asked.emplace(qname, qtype).second) {
      return false;
    }
    for (std::size_t si = 0; si < server_count; ++si) {
      if (si != except) {
        start_in(backlog, m_executor, query_into(zi, si, qname, qtype, false, false));
      }
    }
    return true;
  };
  if (ask_others(apex, "NSEC", chain_server)) {
    co_await query_into(zi, *chain_server, apex, "NSEC", false, false);
  }
  std::set<std::string> seen;
  std::string gap; // types left out at some owner
  // Bounded: next_step goes on only to a name strictly after `owner`, at most walk_limit names.
  for (std::string owner = apex;;) {
    seen.insert(owner);
    walk().names = seen.size();
    if (Clock::now() >= m_deadline) {
      co_return; // the reason says so already
    }
    const std::optional<NsecLink> link = co_await nsec_of(zi, *chain_server, owner);
    if (!link) {
      const Exchange* ex = best_exchange(zone(zi).servers[*chain_server], owner, "NSEC");
      walk().reason = fmt::format("{} gave no NSEC record for {} ({})", label, owner,
                                  ex == nullptr ? std::string("not asked") : short_summary(*ex));
      break;
    }
    const WalkDecision decision = next_step(apex, owner, link->next, seen, m_options.walk_limit);
    const OwnerQueries queries = owner_queries(apex, *link);
    if (queries.left_out > 0 && gap.empty()) {
      gap = fmt::format("the NSEC at {} lists {} more types than the {} asked", owner, queries.left_out,
                        k_max_walk_types);
    }
    for (const std::string& qtype : queries.qtypes) {
      ask_others(owner, qtype, std::nullopt);
    }
    if (decision.step == WalkStep::next && ask_others(link->next, "NSEC", chain_server)) {
      co_await query_into(zi, *chain_server, link->next, "NSEC", false, false);
    }
    co_await drain(backlog, k_backlog, m_deadline);
    if (decision.step == WalkStep::done) {
      walk().status = gap.empty() ? WalkStatus::complete : WalkStatus::incomplete;
      walk().reason = gap;
      break;
    }
    if (decision.step == WalkStep::stop) {
      walk().reason = decision.reason;
      break;
    }
    owner = link->next;
  }
  // Until every server answered, the walk is not done: should the deadline end the audit first,
  // the record says so.
  const NsecWalk ended = walk();
  walk().status = WalkStatus::incomplete;
  walk().reason = "audit deadline reached before every server answered the walk's queries";
  co_await drain(backlog, 0, m_deadline);
  if (backlog->running == 0) {
    walk() = ended;
  }
}

} // namespace zw::probe::detail
