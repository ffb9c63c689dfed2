#include "probe/walker.hpp"

#include <algorithm>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <set>

#include <asio.hpp>
#include <fmt/format.h>

#include "dns/rr.hpp"
#include "probe/walker_internal.hpp"
#include "util/interrupt.hpp"

namespace zw::probe {

using namespace detail;

namespace detail {

asio::awaitable<void> Walker::walk_undelegated(std::size_t zi) {
  ZoneSnapshot& zs = zone(zi);
  zs.undelegated = true;
  zs.expected_ds = m_options.expected_ds;
  std::vector<Addr> servers;
  for (const UserServer& user : m_options.servers) {
    const std::string name = normalized_or(user.name);
    NameServer& ns = name_server(zi, name);
    ns.from_user = true;
    if (std::find(ns.addresses.begin(), ns.addresses.end(), user.address) == ns.addresses.end()) {
      ns.addresses.push_back(user.address);
    }
    servers.push_back(Addr{name, user.address});
  }
  co_await probe_servers(zi, std::move(servers));
  // Only names already known are marked: in undelegated mode exactly the given servers are
  // probed, and a name the zone lists beyond them is left to the rules to compare.
  std::set<std::string> known;
  for (const NameServer& ns : zone(zi).name_servers) {
    known.insert(ns.name);
  }
  mark_child_names(zi);
  co_await probe_nodata_below_apex(zi);
  std::erase_if(zone(zi).name_servers, [&known](const NameServer& ns) { return !known.contains(ns.name); });
  if (m_options.walk) {
    co_await walk_nsec_chain(zi);
  }
}

asio::awaitable<void> Walker::walk_zone(std::size_t zi) {
  if (!m_options.servers.empty()) {
    co_await walk_undelegated(zi);
    co_return;
  }
  const std::string apex = zone(zi).zone;
  if (apex == ".") {
    zone(zi).walk_errors.push_back("the root zone has no parent: only its servers from the hints are probed");
    for (const std::string& name : m_cuts.at(".").ns_names) {
      NameServer& ns = name_server(zi, name);
      ns.at_parent = true;
      ns.glue = m_cuts.at(".").glue.at(name);
      ns.addresses = ns.glue;
    }
    std::vector<std::string> names = m_cuts.at(".").ns_names;
    co_await resolve_and_probe(zi, names);
    mark_child_names(zi);
    co_await probe_nodata_below_apex(zi);
    if (m_options.walk) {
      co_await walk_nsec_chain(zi);
    }
    co_return;
  }

  // 1. Down to the parent, from the closest cut already known.
  const Descent found = co_await descend(apex, "NS", true, "", 0);
  if (!found.error.empty()) {
    zone(zi).walk_errors.push_back(found.error);
    if (found.cut_short && Clock::now() >= m_deadline) {
      zone(zi).walk_errors.emplace_back("audit deadline reached"); // not the parent's fault: internal/audit-incomplete
    }
    co_return;
  }
  const std::string parent = found.level;
  zone(zi).parent = parent;

  // 2. Ancestors (root first, ending with the parent), concurrently with everything below.
  std::vector<std::string> path;
  for (std::string z = parent; !z.empty(); z = m_cuts.at(z).parent) {
    path.insert(path.begin(), z);
  }
  std::vector<asio::awaitable<AncestorZone>> ancestor_tasks;
  ancestor_tasks.reserve(path.size());
  for (const std::string& z : path) {
    ancestor_tasks.push_back(ancestor(z));
  }
  auto ancestors_state = std::make_shared<std::vector<AncestorZone>>();
  auto ancestors_done = std::make_shared<Pending<bool>>(m_executor);
  asio::co_spawn(
      m_executor,
      [](Walker* self, std::vector<asio::awaitable<AncestorZone>> tasks,
         std::shared_ptr<std::vector<AncestorZone>> into,
         std::shared_ptr<Pending<bool>> done) -> asio::awaitable<void> {
        *into = co_await gather(std::move(tasks), self->m_deadline);
        done->set(true);
      }(this, std::move(ancestor_tasks), ancestors_state, ancestors_done),
      asio::detached);

  // 3. Every parent server at every address, concurrently with probing the servers named in
  //    the referral that brought us here.
  const ServerAddresses parents = co_await cut_servers(parent, "", 0, true);
  for (const std::string& error : parents.errors) {
    zone(zi).walk_errors.push_back(fmt::format("parent {} server {}", parent, error));
  }
  std::vector<asio::awaitable<ParentView>> view_tasks;
  for (const Addr& server : parents.servers) {
    view_tasks.push_back(parent_view(server, apex));
  }
  auto views_state = std::make_shared<std::vector<ParentView>>();
  auto views_done = std::make_shared<Pending<bool>>(m_executor);
  asio::co_spawn(
      m_executor,
      [](Walker* self, std::vector<asio::awaitable<ParentView>> tasks, std::shared_ptr<std::vector<ParentView>> into,
         std::shared_ptr<Pending<bool>> done) -> asio::awaitable<void> {
        *into = co_await gather(std::move(tasks), self->m_deadline);
        done->set(true);
      }(this, std::move(view_tasks), views_state, views_done),
      asio::detached);

  const auto absorb_referral = [this, zi, apex, parent](const Exchange& ex) {
    // An authoritative parent that also serves the zone answers instead of referring.
    std::vector<std::string> names = ns_targets(ex.authority, apex);
    for (const std::string& n : ns_targets(ex.answer, apex)) {
      if (std::find(names.begin(), names.end(), n) == names.end()) {
        names.push_back(n);
      }
    }
    const std::map<std::string, std::vector<std::string>> glue = glue_of(ex.additional, names, parent);
    for (const std::string& n : names) {
      NameServer& ns = name_server(zi, n);
      ns.at_parent = true;
      if (const auto it = glue.find(n); it != glue.end()) {
        for (const std::string& address : it->second) {
          if (std::find(ns.glue.begin(), ns.glue.end(), address) == ns.glue.end()) {
            ns.glue.push_back(address);
            ns.addresses.push_back(address);
          }
        }
      }
    }
    return names;
  };
  std::vector<std::string> first_names = absorb_referral(found.answer);
  if (first_names.empty()) {
    // An authoritative NXDOMAIN or NODATA from the parent: nothing is delegated here.
    zone(zi).walk_errors.push_back(fmt::format("{}/{} ({}) has no delegation for {}: {}", found.server.name,
                                               found.server.address, parent, apex,
                                               found.answer.rcode == k_rcode_nxdomain ? "NXDOMAIN" : "no NS records"));
  }
  co_await resolve_and_probe(zi, first_names);

  // 4. Names only the zone itself lists, concurrently with what the other parent servers say.
  mark_child_names(zi);
  std::vector<std::string> child_only;
  for (const NameServer& ns : zone(zi).name_servers) {
    if (ns.at_child && !ns.at_parent) {
      child_only.push_back(ns.name);
    }
  }
  std::vector<asio::awaitable<bool>> rest;
  rest.push_back([](Walker* self, std::size_t zi, std::vector<std::string> names) -> asio::awaitable<bool> {
    co_await self->resolve_and_probe(zi, std::move(names));
    co_return true;
  }(this, zi, std::move(child_only)));
  rest.push_back([](Walker* self, std::size_t zi, std::shared_ptr<Pending<bool>> done,
                    std::shared_ptr<std::vector<ParentView>> views, std::vector<Addr> asked,
                    std::function<std::vector<std::string>(const Exchange&)> absorb) -> asio::awaitable<bool> {
    while (!done->value && Clock::now() < self->m_deadline) {
      done->event.expires_at(self->m_deadline);
      co_await done->event.async_wait(k_no_throw);
    }
    if (views->size() != asked.size()) {
      views->resize(asked.size()); // the deadline came before gather() set them
    }
    for (std::size_t i = 0; i < views->size(); ++i) {
      // A view the deadline left unfinished: which server, and that its questions were not asked.
      ParentView& view = (*views)[i];
      if (view.name.empty()) {
        view.name = asked[i].name;
        view.address = asked[i].address;
      }
    }
    self->zone(zi).parent_views = *views;
    std::vector<std::string> names;
    for (const ParentView& view : self->zone(zi).parent_views) {
      if (view.referral.outcome == Outcome::answered) {
        for (const std::string& n : absorb(view.referral)) {
          names.push_back(n);
        }
      }
    }
    co_await self->resolve_and_probe(zi, std::move(names)); // new names and new glue addresses only
    co_return true;
  }(this, zi, views_done, views_state, parents.servers, absorb_referral));
  co_await gather(std::move(rest), m_deadline);
  mark_child_names(zi);
  co_await probe_nodata_below_apex(zi);

  co_await ancestors_done->wait(m_deadline);
  zone(zi).ancestors = *ancestors_state;
  for (std::size_t i = 0; i < zone(zi).ancestors.size() && i < path.size(); ++i) {
    // An ancestor the deadline left unfinished: its DNSKEY and DS questions were not asked.
    if (zone(zi).ancestors[i].zone.empty()) {
      zone(zi).ancestors[i].zone = path[i];
    }
  }
  // Last: should the deadline end a long walk, everything above is recorded already.
  if (m_options.walk) {
    co_await walk_nsec_chain(zi);
  }
}

asio::awaitable<Descent> Walker::locate(std::string qname, std::string qtype) {
  if (m_options.servers.empty()) {
    co_return co_await descend(std::move(qname), std::move(qtype), false, "", 0);
  }
  // Undelegated: the user's servers are the zone's; no parent is asked.
  std::vector<Addr> servers;
  for (const UserServer& s : m_options.servers) {
    servers.push_back(Addr{normalized_or(s.name), s.address});
  }
  const RaceResult race = co_await first_good(servers, qname, qtype, &is_authoritative_answer);
  Descent out;
  out.server = race.server;
  out.answer = race.exchange;
  if (!race.good) {
    out.error = fmt::format("no --server answered {} {} authoritatively: {}", qname, qtype, race.summary);
  }
  co_return out;
}

} // namespace detail

namespace {

// True when some record of `zone` says `text`: a walk error, a lookup error, a question's detail.
bool mentions(const ZoneSnapshot& zone, const std::string& text) {
  const auto in = [&text](const std::string& s) { return s.find(text) != std::string::npos; };
  const auto in_exchange = [&in](const Exchange& e) { return in(e.detail); };
  return std::any_of(zone.walk_errors.begin(), zone.walk_errors.end(), in) ||
         std::any_of(zone.name_servers.begin(), zone.name_servers.end(),
                     [&](const NameServer& ns) { return in(ns.resolution_error); }) ||
         std::any_of(
             zone.servers.begin(), zone.servers.end(),
             [&](const ServerProbe& p) { return std::any_of(p.exchanges.begin(), p.exchanges.end(), in_exchange); }) ||
         std::any_of(zone.parent_views.begin(), zone.parent_views.end(),
                     [&](const ParentView& v) { return in_exchange(v.referral) || in_exchange(v.ds); }) ||
         std::any_of(zone.ancestors.begin(), zone.ancestors.end(),
                     [&](const AncestorZone& a) { return in_exchange(a.dnskey) || in_exchange(a.ds); });
}

// A zone whose tasks the deadline cut (gather() returns at the deadline) may look finished: a
// server never asked, or a query never sent, says it was not.
void mark_cut_by_deadline(ZoneSnapshot& z) {
  const auto by_deadline = [](const Exchange& e) {
    return e.outcome == Outcome::not_asked && (e.detail == k_not_sent_by_deadline || e.detail == k_cut_by_deadline);
  };
  const bool cut = std::any_of(z.servers.begin(), z.servers.end(),
                               [&](const ServerProbe& p) {
                                 return std::none_of(p.exchanges.begin(), p.exchanges.end(),
                                                     [](const Exchange& e) { return e.qtype == "SOA"; }) ||
                                        std::any_of(p.exchanges.begin(), p.exchanges.end(), by_deadline);
                               }) ||
                   std::any_of(z.parent_views.begin(), z.parent_views.end(),
                               [&](const ParentView& v) { return by_deadline(v.referral) || by_deadline(v.ds); }) ||
                   std::any_of(z.ancestors.begin(), z.ancestors.end(),
                               [&](const AncestorZone& a) { return by_deadline(a.dnskey) || by_deadline(a.ds); }) ||
                   std::any_of(z.name_servers.begin(), z.name_servers.end(), [](const NameServer& ns) {
                     return ns.addresses.empty() && ns.resolution_error.starts_with(k_lookup_cut_short);
                   });
  if (cut && std::find(z.walk_errors.begin(), z.walk_errors.end(), "audit deadline reached") == z.walk_errors.end()) {
    z.walk_errors.push_back("audit deadline reached");
  }
}

} // namespace

ZoneWalk& ZoneTable::at(std::size_t zi) {
  std::unique_ptr<ZoneWalk>& slot = m_slots.at(zi);
  if (!slot) {
    slot = std::make_unique<ZoneWalk>();
    slot->snapshot.zone = m_names[zi];
    if (m_walk) {
      // Replaced when the walk starts: a zone whose audit ends before (unreachable, deadline)
      // still says that the walk asked for was not done.
      slot->snapshot.nsec_walk =
          NsecWalk{WalkStatus::incomplete, "the walk did not start: the audit of the zone ended before it", {}, 0};
    }
  }
  return *slot;
}

ZoneSnapshot ZoneTable::take(std::size_t zi) {
  ZoneSnapshot out = std::move(at(zi).snapshot);
  m_slots[zi].reset();
  return out;
}

Result<Snapshot> audit_walk(const std::vector<std::string>& zones, const ProbeOptions& options) {
  Snapshot snapshot;
  snapshot.public_root_hints = options.servers.empty() && options.public_hints;
  snapshot.started_at = unix_now();
  std::vector<std::string> names;
  names.reserve(zones.size());
  for (const std::string& name : zones) {
    ZW_TRY_ASSIGN(std::string apex, dns::normalize_name(name));
    names.push_back(std::move(apex));
  }
  const std::vector<std::pair<std::string, std::string>>& hints =
      options.root_hints.empty() ? builtin_root_hints() : options.root_hints;
  if (options.timeout.count() <= 0 || options.retries < 0 || options.deadline.count() <= 0) {
    return fail("probe options: timeout and deadline must be positive, retries not negative");
  }
  if (options.walk && options.walk_limit == 0) {
    return fail("probe options: the walk limit must be positive");
  }
  if (options.max_queries_per_zone == 0 || options.max_queries == 0) {
    return fail("probe options: the query bounds must be positive");
  }
  for (const NameQuery& q : options.name_queries) {
    if (std::find(names.begin(), names.end(), q.zone) == names.end()) {
      return fail(fmt::format("probe options: {} {} is for {}, which is not audited", q.qname, q.qtype, q.zone));
    }
  }
  if (names.empty()) {
    snapshot.finished_at = unix_now();
    return snapshot;
  }
  try {
    const Clock::time_point deadline = Clock::now() + options.deadline;
    asio::io_context io(1);
    // Declared after `io`, destroyed before it: coroutine frames still parked in `io` when the
    // deadline stops it are destroyed by `io` and never touch the walker again.
    ZoneTable table(std::move(names), options.walk);
    Walker walker(io, options, table, hints, deadline, snapshot.started_at);
    const std::size_t total = table.size();
    std::vector<bool> finished(total, false);
    std::vector<bool> delivered(total, false);
    std::size_t remaining = total;
    std::size_t next = 0; // the next zone to start
    if (options.progress != nullptr) {
      options.progress->zones_total.store(total, std::memory_order_relaxed);
    }
    // What every zone gets when its walk ends (or the audit does): the bounds it met, our own
    // failures, whether the deadline cut it, its exchanges in order; then, with on_zone, it is
    // handed over and nothing of it stays here.
    const auto settle = [&](std::size_t zi) {
      ZoneSnapshot& z = table.at(zi).snapshot;
      if (Clock::now() >= deadline) {
        mark_cut_by_deadline(z);
      }
      // A bound reached is said by every zone it left questions unasked in (their details, the
      // walk's and the lookups' errors name it), for the engine's internal/audit-incomplete.
      for (const std::string& bound : walker.m_bounds_hit) {
        const std::string line = fmt::format("{}{}", k_bound_reached, bound);
        if (mentions(z, fmt::format("the bound {} was reached", bound)) &&
            std::find(z.walk_errors.begin(), z.walk_errors.end(), line) == z.walk_errors.end()) {
          z.walk_errors.push_back(line);
        }
      }
      // Our own failures are never observations of a server: every zone walked since says the
      // walk had them (the engine reports internal/probe-failed, exit status 2).
      for (const std::string& error : walker.m_internal_errors) {
        const std::string text = error.rfind("internal error", 0) == 0 ? error : "internal error: " + error;
        if (std::find(z.walk_errors.begin(), z.walk_errors.end(), text) == z.walk_errors.end()) {
          z.walk_errors.push_back(text);
        }
      }
      for (ServerProbe& probe : z.servers) {
        std::stable_sort(probe.exchanges.begin(), probe.exchanges.end(), [](const Exchange& a, const Exchange& b) {
          return std::tie(a.qname, a.qtype, a.transport) < std::tie(b.qname, b.qtype, b.transport);
        });
      }
      if (options.on_zone) {
        delivered[zi] = true;
        options.on_zone(zi, table.take(zi));
      }
    };
    asio::steady_timer stopper(io, deadline);
    asio::steady_timer poll(io); // watches for SIGINT/SIGTERM, below
    // At most max_zones_in_flight walks at once (0: all): each one that ends starts the next, so
    // memory and the waiting lists follow the work in flight, not the fleet.
    std::function<void()> start_next = [&] {
      const std::size_t zi = next++;
      if (options.progress != nullptr) {
        options.progress->zones_started.fetch_add(1, std::memory_order_relaxed);
      }
      asio::co_spawn(io, walker.walk_zone(zi), [&, zi](const std::exception_ptr& error) {
        if (error) {
          try {
            std::rethrow_exception(error);
          } catch (const std::exception& e) {
            table.at(zi).snapshot.walk_errors.push_back(fmt::format("internal error: {}", e.what()));
          } catch (...) {
            table.at(zi).snapshot.walk_errors.push_back("internal error");
          }
        }
        finished[zi] = true;
        if (options.progress != nullptr) {
          options.progress->zones_done.fetch_add(1, std::memory_order_relaxed);
        }
        // Before the deadline a finished walk has no task left (gather() and drain() return
        // early only at the deadline), so the zone can leave; after it, at the end.
        if (options.on_zone && Clock::now() < deadline) {
          settle(zi);
        }
        if (next < total && Clock::now() < deadline) {
          start_next();
        }
        if (--remaining == 0) {
          stopper.cancel();
          poll.cancel();
          io.stop(); // race losers still waiting for silent servers are of no use now
        }
      });
    };
    const std::size_t at_once = options.max_zones_in_flight == 0 ? total : std::min(total, options.max_zones_in_flight);
    for (std::size_t i = 0; i < at_once; ++i) {
      start_next();
    }
    stopper.async_wait([&](const std::error_code& ec) {
      if (ec) {
        return;
      }
      // Zones not finished, started or not: the deadline ended their audit.
      for (std::size_t zi = 0; zi < total; ++zi) {
        if (!finished[zi]) {
          table.at(zi).snapshot.walk_errors.push_back("audit deadline reached");
        }
      }
      io.stop();
    });
    // SIGINT/SIGTERM (util/interrupt.hpp) end the walk like the deadline does, at once: what was
    // observed so far is kept, and every zone not finished says it was interrupted.
    std::function<void()> watch_signals = [&] {
      poll.expires_after(std::chrono::milliseconds(100));
      poll.async_wait([&](const std::error_code& ec) {
        if (ec) {
          return;
        }
        if (!util::stop_requested()) {
          watch_signals();
          return;
        }
        for (std::size_t zi = 0; zi < total; ++zi) {
          if (!finished[zi]) {
            table.at(zi).snapshot.walk_errors.push_back(
                fmt::format("{} {} before the audit finished", k_walk_interrupted, util::stop_signal_name()));
          }
        }
        io.stop();
      });
    };
    watch_signals();
    io.run();
    walker.m_limiter->stop();
    // No handler runs any more: every zone not handed over yet settles now, in order.
    for (std::size_t zi = 0; zi < total; ++zi) {
      if (!delivered[zi]) {
        settle(zi);
      }
    }
    if (!options.on_zone) {
      snapshot.zones.reserve(total);
      for (std::size_t zi = 0; zi < total; ++zi) {
        snapshot.zones.push_back(table.take(zi));
      }
    }
  } catch (const std::exception& e) {
    return fail(fmt::format("walker: {}", e.what()));
  }
  snapshot.finished_at = unix_now();
  return snapshot;
}

} // namespace zw::probe
