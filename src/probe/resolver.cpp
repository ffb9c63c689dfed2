// The walker's iterative resolver: one query under the limiter and the bounds, the race for the
// first good answer, referrals from the closest known cut (RFC 1034 §5.3.3), name-server address
// lookups shared by every zone, and the ancestors' DNSKEY and DS.

#include <algorithm>
#include <exception>

#include <fmt/format.h>

#include "dns/rr.hpp"
#include "probe/walker_internal.hpp"
#include "util/text.hpp"

namespace zw::probe::detail {

// One query, holding a Limiter slot while it is in flight.
asio::awaitable<Exchange> Walker::ask(Addr server, std::string qname, std::string qtype, Transport transport) {
  // Paced before taking a slot: a query waiting for its turn at one server holds no socket.
  if (m_pacer.enabled()) {
    const Clock::time_point at = m_pacer.reserve(server.address, Clock::now());
    if (at >= m_deadline) {
      co_return not_asked_exchange(qname, qtype, transport, std::string(k_not_sent_by_deadline));
    }
    if (at > Clock::now()) {
      asio::steady_timer turn(m_executor, at);
      co_await turn.async_wait(k_no_throw);
    }
  }
  const std::shared_ptr<Limiter> limiter = m_limiter;
  if (!co_await limiter->acquire(m_deadline)) {
    co_return not_asked_exchange(qname, qtype, transport, std::string(k_not_sent_by_deadline));
  }
  const Slot slot(limiter);
  if (Clock::now() >= m_deadline) {
    co_return not_asked_exchange(qname, qtype, transport, std::string(k_not_sent_by_deadline));
  }
  if (m_run_queries >= m_options.max_queries) {
    m_bounds_hit.insert(bound_name("--max-queries", m_options.max_queries));
    co_return not_asked_exchange(qname, qtype, transport, bound_detail("--max-queries", m_options.max_queries));
  }
  ++m_run_queries;
  if (m_options.progress != nullptr) {
    m_options.progress->queries.fetch_add(1, std::memory_order_relaxed);
  }
  const Clock::time_point sent = Clock::now();
  // Not a conditional expression: GCC 12 mis-destroys the temporaries of co_await inside `?:`.
  Exchange ex;
  if (transport == Transport::tcp) {
    ex = co_await query_tcp(server.address, qname, qtype, query_options());
  } else {
    ex = co_await query_udp(server.address, qname, qtype, query_options());
  }
  // A query whose own timeout the deadline shortened was cut off, not left unanswered by the
  // server: whether it would have answered is unknown.
  if (ex.outcome == Outcome::timeout && sent + m_options.timeout > m_deadline && Clock::now() >= m_deadline) {
    ex.outcome = Outcome::not_asked;
    ex.detail = std::string(k_cut_by_deadline);
  }
  if (ex.outcome == Outcome::answered) {
    m_answering.insert(server.address);
  }
  co_return ex;
}

// UDP first; on TC=1 the same over TCP (RFC 7766 §5). Also over TCP when UDP went unanswered
// although the server has answered other queries of this run: response-rate limiting (NSD's,
// Knot's and BIND's RRL drop a share of the UDP responses they would send too often, identical
// referrals for a fleet of zones under one parent above all, and never limit TCP) or loss.
// The TCP answer stands in for the lost one (rules read it as they do after truncation), and
// protocol/rate-limited reports the pattern; a server that never answered is not retried,
// so a dead server costs one timeout, not two. Returns one or two exchanges.
asio::awaitable<std::vector<Exchange>> Walker::ask_udp_then_tcp(Addr server, std::string qname, std::string qtype) {
  std::vector<Exchange> out;
  out.push_back(co_await ask(server, qname, qtype, Transport::udp));
  const Outcome outcome = out.back().outcome;
  if ((outcome == Outcome::answered && out.back().tc) ||
      (outcome == Outcome::timeout && m_answering.contains(server.address))) {
    out.push_back(co_await ask(server, qname, qtype, Transport::tcp));
  }
  co_return out;
}

asio::awaitable<void> Walker::race_one(std::shared_ptr<Race> race, Addr server, std::string qname, std::string qtype,
                                       bool (*good)(const Exchange&)) {
  std::vector<Exchange> got;
  try {
    got = co_await ask_udp_then_tcp(server, qname, qtype);
  } catch (...) { // NOLINT: our bug, never an observation of the server (no fake timeout)
    if (!race->failure) {
      race->failure = std::current_exception();
    }
    if (--race->remaining == 0 || race->winner) {
      race->event.cancel();
    }
    co_return;
  }
  Exchange ex = got.empty() ? Exchange{} : got.back();
  if (!race->winner && good(ex)) {
    race->winner = RaceResult{.good = true, .server = server, .exchange = std::move(ex), .summary = {}};
  } else {
    race->failures.emplace_back(server, std::move(ex));
  }
  if (--race->remaining == 0 || race->winner) {
    race->event.cancel();
  }
}

// Asks every server at once and returns the first good answer; a silent server costs nothing
// when another answers (the losers keep running and are discarded).
asio::awaitable<RaceResult> Walker::first_good(std::vector<Addr> servers, std::string qname, std::string qtype,
                                               bool (*good)(const Exchange&)) {
  auto race = std::make_shared<Race>(m_executor, servers.size());
  race->event.expires_at(m_deadline);
  for (const Addr& server : servers) {
    asio::co_spawn(m_executor, race_one(race, server, qname, qtype, good), asio::detached);
  }
  while (!race->winner && race->remaining > 0 && Clock::now() < m_deadline) {
    co_await race->event.async_wait(k_no_throw);
  }
  if (race->failure) {
    std::rethrow_exception(race->failure); // see gather(): internal error, not a server fault
  }
  if (race->winner) {
    co_return *race->winner;
  }
  RaceResult result;
  // Grouped by what went wrong, a few servers named per group: a reason stays one readable line
  // even when all 26 root server addresses failed alike.
  constexpr std::size_t k_named = 3;
  std::vector<std::pair<std::string, std::vector<std::string>>> by_reason;
  for (const auto& [server, ex] : race->failures) {
    const std::string reason = short_summary(ex);
    auto group = std::find_if(by_reason.begin(), by_reason.end(), [&](const auto& g) { return g.first == reason; });
    if (group == by_reason.end()) {
      group = by_reason.insert(by_reason.end(), {reason, {}});
    }
    group->second.push_back(fmt::format("{}/{}", server.name, server.address));
    // The most telling failure: an answer beats a silence.
    if (result.exchange.qname.empty() ||
        (ex.outcome == Outcome::answered && result.exchange.outcome != Outcome::answered)) {
      result.server = server;
      result.exchange = ex;
    }
  }
  std::vector<std::string> parts;
  for (const auto& [reason, servers] : by_reason) {
    parts.push_back(fmt::format("{}: {}", util::list_first(servers, k_named), reason));
  }
  if (race->remaining > 0) {
    parts.push_back("audit deadline reached");
  }
  result.summary = fmt::format("{}", fmt::join(parts, "; "));
  result.cut_short =
      race->remaining > 0 || std::any_of(race->failures.begin(), race->failures.end(),
                                         [](const auto& f) { return f.second.outcome == Outcome::not_asked; });
  co_return result;
}

const Cut& Walker::closest_cut(const std::string& name, bool proper) const {
  std::string current = proper ? dns::parent_name(name) : name;
  if (proper && name == ".") {
    return m_cuts.at(".");
  }
  while (true) {
    if (const auto it = m_cuts.find(current); it != m_cuts.end()) {
      return it->second;
    }
    if (current == ".") {
      return m_cuts.at(".");
    }
    current = dns::parent_name(current);
  }
}

// The addresses of a cut's name servers: glue first; names without glue are resolved when there
// is no glue at all, or always when `all` (every server of the parent must be asked).
asio::awaitable<ServerAddresses> Walker::cut_servers(std::string zone_name, std::string caller, int depth, bool all) {
  ServerAddresses out;
  const Cut cut = m_cuts.at(zone_name); // a copy: the map may change while we wait
  std::vector<std::string> unresolved;
  for (const std::string& name : cut.ns_names) {
    const auto it = cut.glue.find(name);
    if (it == cut.glue.end() || it->second.empty()) {
      unresolved.push_back(name);
      continue;
    }
    for (const std::string& address : it->second) {
      out.servers.push_back(Addr{name, address});
    }
  }
  if (unresolved.empty() || (!all && !out.servers.empty())) {
    co_return out;
  }
  std::vector<asio::awaitable<AddrResult>> tasks;
  tasks.reserve(unresolved.size());
  for (const std::string& name : unresolved) {
    tasks.push_back(resolve_name(name, caller, depth + 1));
  }
  const std::vector<AddrResult> results = co_await gather(std::move(tasks), m_deadline);
  for (std::size_t i = 0; i < unresolved.size(); ++i) {
    for (const std::string& address : results[i].addresses) {
      out.servers.push_back(Addr{unresolved[i], address});
    }
    if (results[i].addresses.empty()) {
      const bool cut = results[i].cut_short || unfinished(results[i]);
      out.cut_short = out.cut_short || cut;
      out.errors.push_back(fmt::format("{}: {}", unresolved[i],
                                       cut && results[i].error.empty() ? std::string(k_lookup_cut_short)
                                       : results[i].error.empty()      ? std::string("no address")
                                                                       : results[i].error));
    }
  }
  co_return out;
}

// Iterative resolution (RFC 1034 §5.3.3) from the closest known cut: follows referrals that go
// down towards `qname` until an authoritative answer, or (when `stop_at_qname_referral`) until
// a referral for `qname` itself, which means the current level is its parent.
asio::awaitable<Descent> Walker::descend(std::string qname, std::string qtype, bool stop_at_qname_referral,
                                         std::string caller, int depth) {
  Descent out;
  std::string level = closest_cut(qname, stop_at_qname_referral).zone;
  for (int hop = 0; hop <= k_max_referrals; ++hop) {
    // A fleet of zones below one parent descends together: the first walk to ask `level` on
    // the way to a child asks, the others wait for its referral and go on from the cut it
    // found (the root and each TLD asked once per delegation, not once per zone). A walk the
    // answer does not take further (an answer, another cut) asks for itself.
    const std::string step = child_towards(qname, level);
    std::optional<ReferralTurn> turn;
    if (step != qname) {
      if (const auto it = m_referrals->find({level, step}); it != m_referrals->end()) {
        const std::shared_ptr<Pending<bool>> asked = it->second;
        co_await asked->wait(m_deadline);
        const std::string found = closest_cut(qname, stop_at_qname_referral).zone;
        if (found != level && dns::name_is_at_or_below(found, level)) {
          level = found;
          continue;
        }
      } else {
        turn.emplace(m_referrals, level, step, m_executor);
      }
    }
    const ServerAddresses servers = co_await cut_servers(level, caller, depth, false);
    if (servers.servers.empty()) {
      out.level = level;
      out.unanswered = true;
      out.cut_short = servers.cut_short;
      out.error = fmt::format("no address for any name server of {}{}{}", level, servers.errors.empty() ? "" : ": ",
                              fmt::join(servers.errors, "; "));
      co_return out;
    }
    const RaceResult race = co_await first_good(servers.servers, qname, qtype, &is_useful);
    out.level = level;
    out.server = race.server;
    out.answer = race.exchange;
    if (!race.good) {
      out.unanswered = true;
      out.cut_short = race.cut_short;
      out.error = fmt::format("no server of {} gave a usable answer to {} {}: {}", level, qname, qtype, race.summary);
      co_return out;
    }
    if (race.exchange.aa) {
      co_return out;
    }
    const std::string owner = *referral_owner(race.exchange);
    if (stop_at_qname_referral && owner == qname) {
      co_return out;
    }
    if (!names_below(owner, level) || !dns::name_is_at_or_below(qname, owner)) {
      out.error = fmt::format("{}/{} referred {} {} to {}, which is not below {}", race.server.name,
                              race.server.address, qname, qtype, owner, level);
      co_return out;
    }
    if (!m_cuts.contains(owner)) {
      Cut cut;
      cut.zone = owner;
      cut.parent = level;
      cut.ns_names = ns_targets(race.exchange.authority, owner);
      cut.glue = glue_of(race.exchange.additional, cut.ns_names, level);
      m_cuts.emplace(owner, std::move(cut));
    }
    level = owner;
  }
  // A bound of ours, not a verdict on the delegation: what lies below is unknown.
  m_bounds_hit.insert(bound_name(k_referral_bound, k_max_referrals));
  out.cut_short = true;
  out.error =
      fmt::format("{} following referrals for {} {}", bound_detail(k_referral_bound, k_max_referrals), qname, qtype);
  co_return out;
}

std::string child_towards(const std::string& name, const std::string& level) {
  std::string current = name;
  // Bounded: each step drops a label, and a name has at most 127.
  while (current != level && current != ".") {
    std::string parent = dns::parent_name(current);
    if (parent == level) {
      return current;
    }
    current = std::move(parent);
  }
  return name;
}

// True when `caller` waiting for `target` would close a loop of resolutions waiting for each
// other (a.example's servers named in b.example and the other way round, without glue).
bool Walker::would_cycle(const std::string& caller, const std::string& target) const {
  if (caller.empty()) {
    return false;
  }
  std::vector<std::string> stack{target};
  std::set<std::string> seen;
  while (!stack.empty()) {
    const std::string current = stack.back();
    stack.pop_back();
    if (current == caller) {
      return true;
    }
    if (!seen.insert(current).second) {
      continue;
    }
    if (const auto it = m_waits_for.find(current); it != m_waits_for.end()) {
      stack.insert(stack.end(), it->second.begin(), it->second.end());
    }
  }
  return false;
}

// Addresses of `name`, shared by every zone: the first caller starts the lookup, later ones wait.
asio::awaitable<AddrResult> Walker::resolve_name(std::string name, std::string caller, int depth) {
  if (depth > k_max_resolution_depth) {
    m_bounds_hit.insert(bound_name(k_depth_bound, k_max_resolution_depth));
    co_return AddrResult{
        {}, fmt::format("{} resolving {}", bound_detail(k_depth_bound, k_max_resolution_depth), name), true};
  }
  std::shared_ptr<Pending<AddrResult>> pending;
  if (const auto it = m_addresses.find(name); it != m_addresses.end()) {
    pending = it->second;
  } else {
    pending = std::make_shared<Pending<AddrResult>>(m_executor);
    m_addresses.emplace(name, pending);
    asio::co_spawn(m_executor, resolve_task(name, depth, pending), asio::detached);
  }
  if (!pending->value && would_cycle(caller, name)) {
    co_return AddrResult{{}, fmt::format("resolution of {} depends on itself", name)};
  }
  const auto edge =
      caller.empty() ? m_waits_for.end() : m_waits_for.emplace(caller, std::multiset<std::string>{}).first;
  std::multiset<std::string>::iterator edge_item;
  if (edge != m_waits_for.end()) {
    edge_item = edge->second.insert(name);
  }
  co_await pending->wait(m_deadline);
  if (edge != m_waits_for.end()) {
    edge->second.erase(edge_item);
  }
  if (!pending->value) {
    co_return AddrResult{{}, fmt::format("{}: audit deadline reached", k_lookup_cut_short), true};
  }
  co_return *pending->value;
}

asio::awaitable<void> Walker::resolve_task(std::string name, int depth, std::shared_ptr<Pending<AddrResult>> pending) {
  AddrResult result;
  try {
    std::vector<asio::awaitable<AddrResult>> tasks;
    tasks.push_back(lookup(name, "A", depth));
    tasks.push_back(lookup(name, "AAAA", depth));
    const std::vector<AddrResult> found = co_await gather(std::move(tasks), m_deadline);
    std::vector<std::string> errors;
    bool cut = false;
    for (const AddrResult& r : found) {
      for (const std::string& address : r.addresses) {
        if (std::find(result.addresses.begin(), result.addresses.end(), address) == result.addresses.end()) {
          result.addresses.push_back(address);
        }
      }
      cut = cut || r.cut_short || unfinished(r);
      if (!r.error.empty() && std::find(errors.begin(), errors.end(), r.error) == errors.end()) {
        errors.push_back(r.error);
      }
    }
    if (result.addresses.empty()) {
      // An A or AAAA lookup that did not ask every server it needed leaves the name's addresses
      // unknown: "no address" would blame the zone for our deadline or bound.
      result.cut_short = cut;
      const std::string why = errors.empty() ? "no A or AAAA record" : fmt::format("{}", fmt::join(errors, "; "));
      result.error = cut && !why.starts_with(k_lookup_cut_short) ? fmt::format("{}: {}", k_lookup_cut_short, why) : why;
    }
  } catch (const std::exception& e) {
    result.error = fmt::format("internal error resolving {}: {}", name, e.what());
    m_internal_errors.push_back(result.error);
  }
  pending->set(std::move(result));
}

// One address type of `name`, following a CNAME (RFC 1034 §3.6.2) through resolve_name.
asio::awaitable<AddrResult> Walker::lookup(std::string name, std::string qtype, int depth) {
  AddrResult out;
  const Descent found = co_await descend(name, qtype, false, name, depth);
  if (!found.error.empty()) {
    out.error = found.error;
    out.cut_short = found.cut_short;
    co_return out;
  }
  if (found.answer.rcode == k_rcode_nxdomain) {
    out.error = fmt::format("{} does not exist (NXDOMAIN from {}/{})", name, found.server.name, found.server.address);
    co_return out;
  }
  std::optional<std::string> cname;
  for (const std::string& line : found.answer.answer) {
    const std::optional<dns::SectionRr> rr = dns::split_section_rr(line);
    if (rr && rr->owner == name && rr->type == qtype) {
      out.addresses.push_back(rr->rdata);
    } else if (rr && rr->owner == name && rr->type == "CNAME") {
      cname = normalized_or(rr->rdata);
    }
  }
  if (out.addresses.empty() && cname) {
    // Bounded by k_max_resolution_depth, which counts CNAMEs (RFC 1034 §3.6.2) with nested lookups.
    const AddrResult target = co_await resolve_name(*cname, name, depth + 1);
    out = target;
  }
  co_return out;
}

namespace {

// `qname`/`qtype` as no server of `servers` answered it: no server address at all is the zone's
// fault (recorded as a timeout); no answer yet when a deadline or bound came is not (not asked).
Exchange unanswered(const std::string& qname, std::string_view qtype, const ServerAddresses& servers) {
  Exchange ex;
  ex.qname = qname;
  ex.qtype = qtype;
  const bool none = servers.servers.empty() && !servers.cut_short;
  ex.outcome = none ? Outcome::timeout : Outcome::not_asked;
  ex.detail = none                      ? "no server address"
              : servers.servers.empty() ? std::string(k_lookup_cut_short)
                                        : std::string(k_cut_by_deadline);
  return ex;
}

} // namespace

// An ancestor's DNSKEY (from the first of its servers that answers) and its DS at its parent.
asio::awaitable<AncestorZone> Walker::ancestor(std::string zone_name) {
  if (const auto it = m_ancestors.find(zone_name); it != m_ancestors.end()) {
    const std::shared_ptr<Pending<AncestorZone>> pending = it->second;
    co_await pending->wait(m_deadline);
    co_return pending->value.value_or(AncestorZone{.zone = zone_name, .server = {}, .dnskey = {}, .ds = {}});
  }
  auto pending = std::make_shared<Pending<AncestorZone>>(m_executor);
  m_ancestors.emplace(zone_name, pending);
  AncestorZone out;
  out.zone = zone_name;
  try {
    const Cut cut = m_cuts.at(zone_name);
    const ServerAddresses servers = co_await cut_servers(zone_name, "", 0, false);
    const RaceResult keys = co_await first_good(servers.servers, zone_name, "DNSKEY", &is_authoritative_answer);
    out.dnskey = keys.exchange;
    if (!keys.exchange.qname.empty()) {
      out.server = fmt::format("{}/{}", keys.server.name, keys.server.address);
    } else {
      out.dnskey = unanswered(zone_name, "DNSKEY", servers);
    }
    if (!cut.parent.empty()) {
      const ServerAddresses parents = co_await cut_servers(cut.parent, "", 0, false);
      const RaceResult ds = co_await first_good(parents.servers, zone_name, "DS", &is_authoritative_answer);
      out.ds = ds.exchange.qname.empty() ? unanswered(zone_name, "DS", parents) : ds.exchange;
    }
  } catch (const std::exception& e) {
    out.dnskey.detail = fmt::format("internal error: {}", e.what());
    m_internal_errors.push_back(fmt::format("internal error asking {} for its DNSKEY RRset: {}", zone_name, e.what()));
  }
  pending->set(out);
  co_return out;
}

} // namespace zw::probe::detail
