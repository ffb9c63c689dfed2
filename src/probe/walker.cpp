#include "probe/walker.hpp"

#include <algorithm>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <fmt/format.h>

#include "dns/rr.hpp"
#include "probe/nsec_walk.hpp"
#include "probe/transport.hpp"
#include "snapshot/probe_queries.hpp"
#include "util/interrupt.hpp"

namespace zw::probe {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto k_no_throw = asio::experimental::as_tuple(asio::use_awaitable);
constexpr int k_rcode_noerror = 0;
constexpr int k_rcode_nxdomain = 3;

// ---------------------------------------------------------------------------------------------
// Reading presentation-format RR lines (as packet.cpp writes them: owner ttl class type rdata).

struct RrLine {
  std::string owner;  // normalised
  std::string type;
  std::string rdata;  // the rest of the line, single-spaced
};

std::optional<RrLine> split_rr(const std::string& line) {
  std::istringstream in(line);
  std::string owner;
  std::string ttl;
  std::string rclass;
  RrLine rr;
  if (!(in >> owner >> ttl >> rclass >> rr.type)) {
    return std::nullopt;
  }
  Result<std::string> name = dns::normalize_name(owner);
  if (!name) {
    return std::nullopt;
  }
  rr.owner = std::move(*name);
  std::string word;
  while (in >> word) {
    rr.rdata += rr.rdata.empty() ? word : " " + word;
  }
  return rr;
}

std::string normalized_or(const std::string& text) {
  Result<std::string> name = dns::normalize_name(text);
  return name ? *name : text;
}

bool names_below(std::string_view name, std::string_view ancestor) {
  return name != ancestor && dns::name_is_at_or_below(name, ancestor);
}

// NS targets with owner `owner` in `section`.
std::vector<std::string> ns_targets(const std::vector<std::string>& section, const std::string& owner) {
  std::vector<std::string> names;
  for (const std::string& line : section) {
    const std::optional<RrLine> rr = split_rr(line);
    if (rr && rr->type == "NS" && rr->owner == owner) {
      const std::string target = normalized_or(rr->rdata);
      if (std::find(names.begin(), names.end(), target) == names.end()) {
        names.push_back(target);
      }
    }
  }
  return names;
}

// Owner of the first NS record in the authority section: where a referral points.
std::optional<std::string> referral_owner(const Exchange& ex) {
  for (const std::string& line : ex.authority) {
    const std::optional<RrLine> rr = split_rr(line);
    if (rr && rr->type == "NS") {
      return rr->owner;
    }
  }
  return std::nullopt;
}

// A/AAAA records for `names` in `section`, keeping only owners at or below `bailiwick`
// (a resolver ignores out-of-bailiwick glue, RFC 2181 §5.4.1).
std::map<std::string, std::vector<std::string>> glue_of(const std::vector<std::string>& section,
                                                        const std::vector<std::string>& names,
                                                        const std::string& bailiwick) {
  std::map<std::string, std::vector<std::string>> glue;
  for (const std::string& line : section) {
    const std::optional<RrLine> rr = split_rr(line);
    if (!rr || (rr->type != "A" && rr->type != "AAAA") ||
        std::find(names.begin(), names.end(), rr->owner) == names.end() ||
        !dns::name_is_at_or_below(rr->owner, bailiwick)) {
      continue;
    }
    std::vector<std::string>& addresses = glue[rr->owner];
    if (std::find(addresses.begin(), addresses.end(), rr->rdata) == addresses.end()) {
      addresses.push_back(rr->rdata);
    }
  }
  return glue;
}

// The awaitable<bool> form of a task, for gather().
asio::awaitable<bool> finished(asio::awaitable<void> inner) {
  co_await std::move(inner);
  co_return true;
}

bool is_referral(const Exchange& ex) {
  return ex.outcome == Outcome::answered && ex.rcode == k_rcode_noerror && !ex.aa && referral_owner(ex);
}

// An answer a resolver can move on with: authoritative (NOERROR or NXDOMAIN) or a referral.
bool is_useful(const Exchange& ex) {
  return ex.outcome == Outcome::answered &&
         ((ex.aa && (ex.rcode == k_rcode_noerror || ex.rcode == k_rcode_nxdomain)) || is_referral(ex));
}

bool is_authoritative_answer(const Exchange& ex) {
  return ex.outcome == Outcome::answered && ex.aa &&
         (ex.rcode == k_rcode_noerror || ex.rcode == k_rcode_nxdomain);
}

// The exchange of `probe` for (qname, qtype) that says the most: a complete answer (the TCP one
// after a truncated UDP answer) before any other; nullptr when it was never asked.
const Exchange* best_exchange(const ServerProbe& probe, const std::string& qname, const std::string& qtype) {
  const Exchange* best = nullptr;
  const auto rank = [](const Exchange& ex) { return ex.outcome != Outcome::answered ? 0 : ex.tc ? 1 : 2; };
  for (const Exchange& ex : probe.exchanges) {
    if (ex.qname == qname && ex.qtype == qtype && (best == nullptr || rank(ex) >= rank(*best))) {
      best = &ex;
    }
  }
  return best;
}

std::string short_summary(const Exchange& ex) {
  if (ex.outcome == Outcome::answered) {
    return fmt::format("rcode {}{}", ex.rcode, ex.aa ? " aa" : "");
  }
  if (ex.outcome == Outcome::not_asked && !ex.detail.empty()) {
    return fmt::format("{} ({})", to_string(ex.outcome), ex.detail);  // which bound, or the deadline
  }
  return std::string(to_string(ex.outcome));
}

// "the bound --max-queries-per-zone (5000) was reached": the detail of every question a bound
// left unasked, and (after k_bound_reached) the walk error that names it.
std::string bound_name(std::string_view bound, std::uint64_t value) { return fmt::format("{} ({})", bound, value); }
std::string bound_detail(std::string_view bound, std::uint64_t value) {
  return fmt::format("the bound {} was reached", bound_name(bound, value));
}
constexpr std::string_view k_referral_bound = "referrals per descent";
constexpr std::string_view k_depth_bound = "nested name-server address lookups";
// Exchange::detail of a query sent in time whose own timeout the --deadline cut short.
constexpr std::string_view k_cut_by_deadline = "audit deadline reached before the server answered";

// ---------------------------------------------------------------------------------------------
// Coroutine plumbing: an event that many coroutines can wait for (a timer that never expires
// on its own and is cancelled to wake them), bounded by the invocation deadline.

template <typename T>
struct Pending {
  explicit Pending(const asio::any_io_executor& executor) : event(executor, Clock::time_point::max()) {}
  std::optional<T> value;
  asio::steady_timer event;
  void set(T v) {
    value = std::move(v);
    event.cancel();
  }
};

struct Addr {
  std::string name;
  std::string address;
};

// Runs tasks concurrently and waits until every one finished (or the deadline passed).
template <typename T>
struct Gather {
  explicit Gather(const asio::any_io_executor& executor, std::size_t n)
      : results(n), remaining(n), event(executor, Clock::time_point::max()) {}
  std::vector<T> results;
  std::size_t remaining;
  asio::steady_timer event;
  std::exception_ptr failure;  // the first task that threw: our bug, rethrown by gather()
};

template <typename T>
asio::awaitable<void> gather_one(std::shared_ptr<Gather<T>> state, std::size_t index, asio::awaitable<T> task) {
  try {
    state->results[index] = co_await std::move(task);
  } catch (...) {  // NOLINT: kept, and rethrown once the others are done (never an observation)
    if (!state->failure) {
      state->failure = std::current_exception();
    }
  }
  if (--state->remaining == 0) {
    state->event.cancel();
  }
}

template <typename T>
asio::awaitable<std::vector<T>> gather(std::vector<asio::awaitable<T>> tasks, Clock::time_point deadline) {
  const asio::any_io_executor executor = co_await asio::this_coro::executor;
  auto state = std::make_shared<Gather<T>>(executor, tasks.size());
  state->event.expires_at(deadline);
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    asio::co_spawn(executor, gather_one<T>(state, i, std::move(tasks[i])), asio::detached);
  }
  while (state->remaining > 0 && Clock::now() < deadline) {
    co_await state->event.async_wait(k_no_throw);
  }
  if (state->failure) {
    // Our own bug, not the zone's: it ends this zone's walk with "internal error: ..." in its
    // walk errors (audit_walk), which the engine reports as internal/probe-failed (exit 2).
    std::rethrow_exception(state->failure);
  }
  co_return state->results;
}

// Tasks started one at a time and awaited together (the walk's queries to every server, while
// the chain goes on at the pace of one server): `running` counts them, and a drain() waiting
// for it to drop to `wake_at` is woken then.
struct Backlog {
  explicit Backlog(const asio::any_io_executor& executor) : event(executor, Clock::time_point::max()) {}
  std::size_t running = 0;
  std::size_t wake_at = 0;
  asio::steady_timer event;
  std::exception_ptr failure;  // the first task that threw: our bug, rethrown by drain()
};

asio::awaitable<void> backlog_one(std::shared_ptr<Backlog> backlog, asio::awaitable<void> task) {
  try {
    co_await std::move(task);
  } catch (...) {  // NOLINT: kept, and rethrown by drain() (never an observation)
    if (!backlog->failure) {
      backlog->failure = std::current_exception();
    }
  }
  if (--backlog->running <= backlog->wake_at) {
    backlog->event.cancel();
  }
}

void start_in(const std::shared_ptr<Backlog>& backlog, const asio::any_io_executor& executor,
              asio::awaitable<void> task) {
  ++backlog->running;
  asio::co_spawn(executor, backlog_one(backlog, std::move(task)), asio::detached);
}

// Waits until at most `at_most` tasks of `backlog` still run, or the deadline passed.
asio::awaitable<void> drain(std::shared_ptr<Backlog> backlog, std::size_t at_most, Clock::time_point deadline) {
  while (backlog->running > at_most && Clock::now() < deadline) {
    backlog->wake_at = at_most;
    backlog->event.expires_at(deadline);
    co_await backlog->event.async_wait(k_no_throw);
  }
  if (backlog->failure) {
    std::rethrow_exception(backlog->failure);
  }
}

// Bounds the queries in flight (each holds a socket: thousands of zones must not exhaust file
// descriptors). A waiter gets its slot handed over by release(); waits end at the deadline.
class Limiter {
public:
  Limiter(const asio::any_io_executor& executor, int slots) : m_executor(executor), m_free(slots) {}

  // True when a slot was granted; false when the deadline passed first.
  asio::awaitable<bool> acquire(Clock::time_point deadline) {
    if (m_free > 0 && m_waiters.empty()) {
      --m_free;
      co_return true;
    }
    auto waiter = std::make_shared<Waiter>(m_executor, deadline);
    m_waiters.push_back(waiter);
    co_await waiter->timer.async_wait(k_no_throw);
    if (!waiter->granted) {
      std::erase(m_waiters, waiter);
    }
    co_return waiter->granted;
  }
  void release() {
    if (m_stopped) {
      return;  // the io_context is being torn down: wake nobody
    }
    if (!m_waiters.empty()) {
      const std::shared_ptr<Waiter> next = m_waiters.front();
      m_waiters.erase(m_waiters.begin());
      next->granted = true;
      next->timer.cancel();
      return;
    }
    ++m_free;
  }
  void stop() { m_stopped = true; }

private:
  struct Waiter {
    Waiter(const asio::any_io_executor& executor, Clock::time_point deadline) : timer(executor, deadline) {}
    asio::steady_timer timer;
    bool granted = false;
  };
  asio::any_io_executor m_executor;
  int m_free;
  bool m_stopped = false;
  std::vector<std::shared_ptr<Waiter>> m_waiters;
};


// Holds one Limiter slot for the life of a query.
class Slot {
public:
  explicit Slot(std::shared_ptr<Limiter> limiter) : m_limiter(std::move(limiter)) {}
  ~Slot() {
    if (m_limiter) {
      m_limiter->release();
    }
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

private:
  std::shared_ptr<Limiter> m_limiter;
};

// A question left unasked: by the deadline (`detail` k_not_sent_by_deadline) or a bound. Its
// answer is unknown: no rule takes it for a silent server or a missing record.
Exchange not_asked_exchange(const std::string& qname, const std::string& qtype, Transport transport,
                            std::string detail) {
  Exchange ex;
  ex.qname = qname;
  ex.qtype = qtype;
  ex.transport = transport;
  ex.outcome = Outcome::not_asked;
  ex.detail = std::move(detail);
  return ex;
}

// A zone cut we know the name servers of.
struct Cut {
  std::string zone;
  std::string parent;  // "" for the root
  std::vector<std::string> ns_names;
  std::map<std::string, std::vector<std::string>> glue;
};

struct RaceResult {
  bool good = false;
  Addr server;
  Exchange exchange;       // the winner, or the most telling failure
  std::string summary;     // what the others said, when none was good
  bool cut_short = false;  // none was good, and some server was not asked or not heard out
};

struct Race {
  explicit Race(const asio::any_io_executor& executor, std::size_t n)
      : remaining(n), event(executor, Clock::time_point::max()) {}
  std::optional<RaceResult> winner;
  std::vector<std::pair<Addr, Exchange>> failures;
  std::size_t remaining;
  asio::steady_timer event;
  std::exception_ptr failure;  // a racer that threw: our bug, rethrown by first_good()
};

struct Descent {
  std::string error;      // non-empty: the walk could not go on
  bool unanswered = false;  // the error: no server of `level` answered usefully (or has no address)
  bool cut_short = false;   // the error: the deadline, a signal or a bound kept servers from being asked
  std::string level;      // the zone whose servers gave `answer`
  Addr server;
  Exchange answer;
};

struct AddrResult {
  std::vector<std::string> addresses;
  std::string error;
  bool cut_short = false;  // no address, and the lookup did not ask every server it needed: unknown
};

// A result gather() left default because its lookup had not finished by the deadline.
bool unfinished(const AddrResult& r) { return r.addresses.empty() && r.error.empty(); }

struct ServerAddresses {
  std::vector<Addr> servers;
  std::vector<std::string> errors;  // names that could not be resolved, with why
  bool cut_short = false;           // some of them were not resolved for want of time or a bound
};

// ---------------------------------------------------------------------------------------------

class Walker {
public:
  Walker(asio::io_context& io, const ProbeOptions& options, std::vector<ZoneSnapshot>& zones,
         const std::vector<std::pair<std::string, std::string>>& hints, Clock::time_point deadline,
         std::int64_t started_at)
      : m_executor(io.get_executor()), m_options(options), m_zones(zones), m_deadline(deadline),
        m_started_at(started_at), m_limiter(std::make_shared<Limiter>(m_executor, options.max_in_flight)),
        m_nodata_names(zones.size()), m_nodata_asked(zones.size()), m_zone_queries(zones.size(), 0) {
    Cut root;
    root.zone = ".";
    for (const auto& [name, address] : hints) {
      if (std::find(root.ns_names.begin(), root.ns_names.end(), name) == root.ns_names.end()) {
        root.ns_names.push_back(name);
      }
      root.glue[name].push_back(address);
    }
    m_cuts.emplace(".", std::move(root));
  }

  asio::awaitable<void> walk_zone(std::size_t zi);
  // find_zone's search: the descent from the root, or the user's servers asked directly.
  asio::awaitable<Descent> locate(std::string qname, std::string qtype);

private:
  QueryOptions query_options() const {
    return QueryOptions{.timeout = m_options.timeout, .retries = m_options.retries, .edns = true,
                        .port = m_options.port, .deadline = m_deadline};
  }
  ZoneSnapshot& zone(std::size_t zi) { return m_zones[zi]; }

  asio::awaitable<Exchange> ask(Addr server, std::string qname, std::string qtype, Transport transport);
  asio::awaitable<std::vector<Exchange>> ask_udp_then_tcp(Addr server, std::string qname, std::string qtype);
  asio::awaitable<void> race_one(std::shared_ptr<Race> race, Addr server, std::string qname, std::string qtype,
                                 bool (*good)(const Exchange&));
  asio::awaitable<RaceResult> first_good(std::vector<Addr> servers, std::string qname, std::string qtype,
                                         bool (*good)(const Exchange&));
  const Cut& closest_cut(const std::string& name, bool proper) const;
  asio::awaitable<ServerAddresses> cut_servers(std::string zone, std::string caller, int depth, bool all);
  asio::awaitable<Descent> descend(std::string qname, std::string qtype, bool stop_at_qname_referral,
                                   std::string caller, int depth);
  bool would_cycle(const std::string& caller, const std::string& target) const;
  asio::awaitable<AddrResult> resolve_name(std::string name, std::string caller, int depth);
  asio::awaitable<void> resolve_task(std::string name, int depth, std::shared_ptr<Pending<AddrResult>> pending);
  asio::awaitable<AddrResult> lookup(std::string name, std::string qtype, int depth);
  asio::awaitable<AncestorZone> ancestor(std::string zone_name);
  asio::awaitable<ParentView> parent_view(Addr server, std::string zone_name);
  // `counted`: the question counts against --max-queries-per-zone (not those of --name,
  // --zone-file and --walk).
  asio::awaitable<void> query_into(std::size_t zi, std::size_t si, std::string qname, std::string qtype, bool tcp,
                                   bool counted = true);
  asio::awaitable<void> probe_servers(std::size_t zi, std::vector<Addr> servers);
  std::vector<std::pair<std::string, std::string>> depth_queries(std::size_t zi);
  asio::awaitable<void> probe_nodata_below_apex(std::size_t zi);
  asio::awaitable<void> resolve_and_probe(std::size_t zi, std::vector<std::string> names);
  void mark_child_names(std::size_t zi);
  std::vector<std::string> in_zone_names(std::size_t zi) const;
  NameServer& name_server(std::size_t zi, const std::string& name);
  asio::awaitable<void> walk_undelegated(std::size_t zi);
  asio::awaitable<void> walk_nsec_chain(std::size_t zi);
  asio::awaitable<std::optional<NsecLink>> nsec_of(std::size_t zi, std::size_t si, std::string owner);

  asio::any_io_executor m_executor;
  const ProbeOptions& m_options;
  std::vector<ZoneSnapshot>& m_zones;
  Clock::time_point m_deadline;
  std::int64_t m_started_at;  // Snapshot::started_at: names the NXDOMAIN denial probe
  std::shared_ptr<Limiter> m_limiter;
  std::map<std::string, Cut> m_cuts;
  std::map<std::string, std::shared_ptr<Pending<AddrResult>>> m_addresses;
  std::map<std::string, std::shared_ptr<Pending<AncestorZone>>> m_ancestors;
  std::map<std::string, std::multiset<std::string>> m_waits_for;  // resolution task -> tasks it awaits
  std::vector<std::set<std::pair<std::string, std::string>>> m_probed;  // per zone: (name, address)
  std::vector<std::string> m_internal_errors;         // our own failures, for every zone's walk errors
  std::vector<std::string> m_nodata_names;            // per zone: the below-apex NODATA probe name
  std::vector<std::set<std::size_t>> m_nodata_asked;  // per zone: servers asked that name
  std::vector<std::uint64_t> m_zone_queries;          // per zone: questions counted by --max-queries-per-zone
  std::uint64_t m_run_queries = 0;                    // queries sent, for --max-queries
  std::set<std::string> m_bounds_hit;                 // bound_name() of every bound reached
  friend Result<Snapshot> zw::probe::audit_walk(const std::vector<std::string>&, const ProbeOptions&);
  friend Result<ZoneOfName> zw::probe::find_zone(const std::string&, const std::string&, const ProbeOptions&);
};

// One query, holding a Limiter slot while it is in flight.
asio::awaitable<Exchange> Walker::ask(Addr server, std::string qname, std::string qtype, Transport transport) {
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
  co_return ex;
}

// UDP first; on TC=1 the same over TCP (RFC 7766 §5). Returns one or two exchanges.
asio::awaitable<std::vector<Exchange>> Walker::ask_udp_then_tcp(Addr server, std::string qname, std::string qtype) {
  std::vector<Exchange> out;
  out.push_back(co_await ask(server, qname, qtype, Transport::udp));
  if (out.back().outcome == Outcome::answered && out.back().tc) {
    out.push_back(co_await ask(server, qname, qtype, Transport::tcp));
  }
  co_return out;
}

asio::awaitable<void> Walker::race_one(std::shared_ptr<Race> race, Addr server, std::string qname,
                                       std::string qtype, bool (*good)(const Exchange&)) {
  std::vector<Exchange> got;
  try {
    got = co_await ask_udp_then_tcp(server, qname, qtype);
  } catch (...) {  // NOLINT: our bug, never an observation of the server (no fake timeout)
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
    std::rethrow_exception(race->failure);  // see gather(): internal error, not a server fault
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
    if (result.exchange.qname.empty() || (ex.outcome == Outcome::answered &&
                                          result.exchange.outcome != Outcome::answered)) {
      result.server = server;
      result.exchange = ex;
    }
  }
  std::vector<std::string> parts;
  for (const auto& [reason, servers] : by_reason) {
    const std::size_t named = std::min(servers.size(), k_named);
    std::string who = fmt::format("{}", fmt::join(servers.begin(), servers.begin() + static_cast<std::ptrdiff_t>(named), ", "));
    if (servers.size() > named) {
      who += fmt::format(" and {} more", servers.size() - named);
    }
    parts.push_back(fmt::format("{}: {}", who, reason));
  }
  if (race->remaining > 0) {
    parts.push_back("audit deadline reached");
  }
  result.summary = fmt::format("{}", fmt::join(parts, "; "));
  result.cut_short = race->remaining > 0 || std::any_of(race->failures.begin(), race->failures.end(), [](const auto& f) {
                       return f.second.outcome == Outcome::not_asked;
                     });
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
asio::awaitable<ServerAddresses> Walker::cut_servers(std::string zone_name, std::string caller, int depth,
                                                     bool all) {
  ServerAddresses out;
  const Cut cut = m_cuts.at(zone_name);  // a copy: the map may change while we wait
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
      out.error = fmt::format("no server of {} gave a usable answer to {} {}: {}", level, qname, qtype,
                              race.summary);
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
  out.error = fmt::format("{} following referrals for {} {}", bound_detail(k_referral_bound, k_max_referrals), qname,
                          qtype);
  co_return out;
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
    co_return AddrResult{{}, fmt::format("{} resolving {}", bound_detail(k_depth_bound, k_max_resolution_depth), name),
                         true};
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
  const auto edge = caller.empty() ? m_waits_for.end() : m_waits_for.emplace(caller, std::multiset<std::string>{}).first;
  std::multiset<std::string>::iterator edge_item;
  if (edge != m_waits_for.end()) {
    edge_item = edge->second.insert(name);
  }
  while (!pending->value && Clock::now() < m_deadline) {
    pending->event.expires_at(m_deadline);
    co_await pending->event.async_wait(k_no_throw);
  }
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
    const std::optional<RrLine> rr = split_rr(line);
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

// An ancestor's DNSKEY (from the first of its servers that answers) and its DS at its parent.
asio::awaitable<AncestorZone> Walker::ancestor(std::string zone_name) {
  if (const auto it = m_ancestors.find(zone_name); it != m_ancestors.end()) {
    const std::shared_ptr<Pending<AncestorZone>> pending = it->second;
    while (!pending->value && Clock::now() < m_deadline) {
      pending->event.expires_at(m_deadline);
      co_await pending->event.async_wait(k_no_throw);
    }
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
      out.dnskey.qname = zone_name;
      out.dnskey.qtype = "DNSKEY";
      // No server address at all is the zone's fault; no answer yet when the deadline came is not.
      const bool none = servers.servers.empty() && !servers.cut_short;
      out.dnskey.outcome = none ? Outcome::timeout : Outcome::not_asked;
      out.dnskey.detail = none                     ? "no server address"
                          : servers.servers.empty() ? std::string(k_lookup_cut_short)
                                                    : std::string(k_cut_by_deadline);
    }
    if (!cut.parent.empty()) {
      const ServerAddresses parents = co_await cut_servers(cut.parent, "", 0, false);
      const RaceResult ds = co_await first_good(parents.servers, zone_name, "DS", &is_authoritative_answer);
      out.ds = ds.exchange;
      if (out.ds.qname.empty()) {
        out.ds.qname = zone_name;
        out.ds.qtype = "DS";
        const bool none = parents.servers.empty() && !parents.cut_short;
        out.ds.outcome = none ? Outcome::timeout : Outcome::not_asked;
        out.ds.detail = none                     ? "no server address"
                        : parents.servers.empty() ? std::string(k_lookup_cut_short)
                                                  : std::string(k_cut_by_deadline);
      }
    }
  } catch (const std::exception& e) {
    out.dnskey.detail = fmt::format("internal error: {}", e.what());
    m_internal_errors.push_back(fmt::format("internal error asking {} for its DNSKEY RRset: {}", zone_name, e.what()));
  }
  pending->set(out);
  co_return out;
}

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
      return Exchange{};  // not asked: the deadline ended the view first
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

std::vector<std::string> Walker::in_zone_names(std::size_t zi) const {
  std::vector<std::string> names;
  for (const NameServer& ns : m_zones[zi].name_servers) {
    if (dns::name_is_at_or_below(ns.name, m_zones[zi].zone)) {
      names.push_back(ns.name);
    }
  }
  return names;
}

asio::awaitable<void> Walker::query_into(std::size_t zi, std::size_t si, std::string qname, std::string qtype,
                                         bool tcp, bool counted) {
  Addr server{zone(zi).servers[si].name, zone(zi).servers[si].address};
  std::vector<Exchange> got;
  if (counted && m_zone_queries[zi] >= m_options.max_queries_per_zone) {
    m_bounds_hit.insert(bound_name("--max-queries-per-zone", m_options.max_queries_per_zone));
    got.push_back(not_asked_exchange(qname, qtype, tcp ? Transport::tcp : Transport::udp,
                                     bound_detail("--max-queries-per-zone", m_options.max_queries_per_zone)));
  } else if (tcp) {
    m_zone_queries[zi] += counted ? 1 : 0;
    got.push_back(co_await ask(server, qname, qtype, Transport::tcp));
  } else {
    m_zone_queries[zi] += counted ? 1 : 0;
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
  if (m_nodata_names[zi].empty()) {
    for (const std::string& name : in_zone_names(zi)) {
      // The smallest name, so that the choice does not depend on which parent answered first.
      if (name != apex && (m_nodata_names[zi].empty() || name < m_nodata_names[zi])) {
        m_nodata_names[zi] = name;
      }
    }
  }
  if (!m_nodata_names[zi].empty()) {
    out.emplace_back(m_nodata_names[zi], snapshot::k_nodata_probe_qtype);
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
    if (!m_probed[zi].insert({server.name, server.address}).second) {
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
  const std::size_t counted = extra.size();  // the --name and --zone-file questions follow, not counted
  for (const NameQuery& q : m_options.name_queries) {
    if (q.zone == apex && planned.emplace(q.qname, q.qtype).second) {
      extra.emplace_back(q.qname, q.qtype);
    }
  }
  for (const std::size_t si : indices) {
    for (std::size_t qi = 0; qi < extra.size(); ++qi) {
      const auto& [qname, qtype] = extra[qi];
      if (qname == m_nodata_names[zi] && qtype == snapshot::k_nodata_probe_qtype) {
        m_nodata_asked[zi].insert(si);
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
  if (m_nodata_names[zi].empty()) {
    for (const std::string& name : in_zone_names(zi)) {
      if (name != zone(zi).zone && (m_nodata_names[zi].empty() || name < m_nodata_names[zi])) {
        m_nodata_names[zi] = name;
      }
    }
  }
  const std::string name = m_nodata_names[zi];
  if (name.empty() || Clock::now() >= m_deadline) {
    co_return;
  }
  std::vector<asio::awaitable<bool>> tasks;
  for (std::size_t si = 0; si < zone(zi).servers.size(); ++si) {
    if (m_nodata_asked[zi].insert(si).second) {
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
    name_server(zi, name).resolution_error = fmt::format("{}: the audit ended before the lookup finished",
                                                         k_lookup_cut_short);
    tasks.push_back(resolve_name(name, "", 0));
  }
  const std::vector<AddrResult> results = co_await gather(std::move(tasks), m_deadline);
  for (std::size_t i = 0; i < to_resolve.size(); ++i) {
    NameServer& ns = name_server(zi, to_resolve[i]);
    if (unfinished(results[i])) {
      continue;  // the marker above stays
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
  // By index each time: m_zones never grows during the walk, but no reference is kept across a wait.
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
  case ZoneDenial::nsec:
    break;
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
  walk().reason = "audit deadline reached";  // until the walk ends otherwise
  std::set<std::pair<std::string, std::string>> asked;  // (qname, qtype) already asked of every server
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
  std::string gap;  // types left out at some owner
  // Bounded: next_step goes on only to a name strictly after `owner`, at most walk_limit names.
  for (std::string owner = apex;;) {
    seen.insert(owner);
    walk().names = seen.size();
    if (Clock::now() >= m_deadline) {
      co_return;  // the reason says so already
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
      zone(zi).walk_errors.emplace_back("audit deadline reached");  // not the parent's fault: internal/audit-incomplete
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
  for (const std::string& z : path) {
    ancestor_tasks.push_back(ancestor(z));
  }
  auto ancestors_state = std::make_shared<std::vector<AncestorZone>>();
  auto ancestors_done = std::make_shared<Pending<bool>>(m_executor);
  asio::co_spawn(
      m_executor,
      [](Walker* self, std::vector<asio::awaitable<AncestorZone>> tasks, std::shared_ptr<std::vector<AncestorZone>> into,
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
      views->resize(asked.size());  // the deadline came before gather() set them
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
    co_await self->resolve_and_probe(zi, std::move(names));  // new names and new glue addresses only
    co_return true;
  }(this, zi, views_done, views_state, parents.servers, absorb_referral));
  co_await gather(std::move(rest), m_deadline);
  mark_child_names(zi);
  co_await probe_nodata_below_apex(zi);

  while (!ancestors_done->value && Clock::now() < m_deadline) {
    ancestors_done->event.expires_at(m_deadline);
    co_await ancestors_done->event.async_wait(k_no_throw);
  }
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

// True when some record of `zone` says `text`: a walk error, a lookup error, a question's detail.
bool mentions(const ZoneSnapshot& zone, const std::string& text) {
  const auto in = [&text](const std::string& s) { return s.find(text) != std::string::npos; };
  const auto in_exchange = [&in](const Exchange& e) { return in(e.detail); };
  return std::any_of(zone.walk_errors.begin(), zone.walk_errors.end(), in) ||
         std::any_of(zone.name_servers.begin(), zone.name_servers.end(),
                     [&](const NameServer& ns) { return in(ns.resolution_error); }) ||
         std::any_of(zone.servers.begin(), zone.servers.end(),
                     [&](const ServerProbe& p) { return std::any_of(p.exchanges.begin(), p.exchanges.end(), in_exchange); }) ||
         std::any_of(zone.parent_views.begin(), zone.parent_views.end(),
                     [&](const ParentView& v) { return in_exchange(v.referral) || in_exchange(v.ds); }) ||
         std::any_of(zone.ancestors.begin(), zone.ancestors.end(),
                     [&](const AncestorZone& a) { return in_exchange(a.dnskey) || in_exchange(a.ds); });
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

} // namespace

const std::vector<std::pair<std::string, std::string>>& builtin_root_hints() {
  // https://www.internic.net/domain/named.root (b.root-servers.net renumbered 2023-11-27).
  static const std::vector<std::pair<std::string, std::string>> hints = {
      {"a.root-servers.net.", "198.41.0.4"},     {"a.root-servers.net.", "2001:503:ba3e::2:30"},
      {"b.root-servers.net.", "170.247.170.2"},  {"b.root-servers.net.", "2801:1b8:10::b"},
      {"c.root-servers.net.", "192.33.4.12"},    {"c.root-servers.net.", "2001:500:2::c"},
      {"d.root-servers.net.", "199.7.91.13"},    {"d.root-servers.net.", "2001:500:2d::d"},
      {"e.root-servers.net.", "192.203.230.10"}, {"e.root-servers.net.", "2001:500:a8::e"},
      {"f.root-servers.net.", "192.5.5.241"},    {"f.root-servers.net.", "2001:500:2f::f"},
      {"g.root-servers.net.", "192.112.36.4"},   {"g.root-servers.net.", "2001:500:12::d0d"},
      {"h.root-servers.net.", "198.97.190.53"},  {"h.root-servers.net.", "2001:500:1::53"},
      {"i.root-servers.net.", "192.36.148.17"},  {"i.root-servers.net.", "2001:7fe::53"},
      {"j.root-servers.net.", "192.58.128.30"},  {"j.root-servers.net.", "2001:503:c27::2:30"},
      {"k.root-servers.net.", "193.0.14.129"},   {"k.root-servers.net.", "2001:7fd::1"},
      {"l.root-servers.net.", "199.7.83.42"},    {"l.root-servers.net.", "2001:500:9f::42"},
      {"m.root-servers.net.", "202.12.27.33"},   {"m.root-servers.net.", "2001:dc3::35"},
  };
  return hints;
}

Result<std::vector<std::pair<std::string, std::string>>> parse_root_hints(std::string_view named_root_text) {
  std::vector<std::string> ns_names;
  std::vector<std::pair<std::string, std::string>> addresses;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos <= named_root_text.size()) {
    const std::size_t end = std::min(named_root_text.find('\n', pos), named_root_text.size());
    std::string line(named_root_text.substr(pos, end - pos));
    pos = end + 1;
    ++line_no;
    if (const std::size_t semi = line.find(';'); semi != std::string::npos) {
      line.erase(semi);
    }
    std::istringstream in(line);
    std::vector<std::string> words;
    for (std::string w; in >> w;) {
      words.push_back(w);
    }
    if (words.empty() || words[0].starts_with('$')) {
      continue;
    }
    // owner [ttl] [class] type rdata, ttl and class in either order (RFC 1035 §5.1).
    std::size_t i = 1;
    for (int k = 0; k < 2 && i < words.size(); ++k) {
      const std::string& w = words[i];
      const bool is_ttl = !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
      const bool is_class = w == "IN" || w == "in";
      if (is_ttl || is_class) {
        ++i;
      }
    }
    if (i + 2 != words.size()) {
      return fail(fmt::format("line {}: expected \"owner [ttl] [class] type rdata\"", line_no));
    }
    Result<std::string> owner = dns::normalize_name(words[0]);
    if (!owner) {
      return fail(fmt::format("line {}: {}", line_no, owner.error().message));
    }
    std::string type = words[i];
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    const std::string& rdata = words[i + 1];
    if (type == "NS") {
      if (*owner != ".") {
        return fail(fmt::format("line {}: NS record for {}, root hints hold only the root's", line_no, *owner));
      }
      Result<std::string> target = dns::normalize_name(rdata);
      if (!target) {
        return fail(fmt::format("line {}: {}", line_no, target.error().message));
      }
      ns_names.push_back(*target);
    } else if (type == "A" || type == "AAAA") {
      std::error_code ec;
      const asio::ip::address address = asio::ip::make_address(rdata, ec);
      if (ec || (type == "A") != address.is_v4()) {
        return fail(fmt::format("line {}: {} is not an {} address", line_no, rdata, type == "A" ? "IPv4" : "IPv6"));
      }
      addresses.emplace_back(*owner, address.to_string());
    } else {
      return fail(fmt::format("line {}: unexpected type {} in root hints", line_no, words[i]));
    }
  }
  std::vector<std::pair<std::string, std::string>> hints;
  for (const auto& [name, address] : addresses) {
    if (ns_names.empty() || std::find(ns_names.begin(), ns_names.end(), name) != ns_names.end()) {
      hints.emplace_back(name, address);
    }
  }
  if (hints.empty()) {
    return fail("root hints: no address for any root server");
  }
  return hints;
}

Result<std::vector<NameQuery>> plan_name_queries(const std::vector<std::string>& zones,
                                                 const std::vector<std::string>& specs) {
  std::vector<NameQuery> out;
  for (const std::string& spec : specs) {
    const std::size_t slash = spec.rfind('/');
    const std::string name_text = spec.substr(0, slash);
    if (name_text.empty()) {
      return fail(fmt::format("--name {}: no name given (NAME or NAME/TYPE)", spec));
    }
    Result<std::string> name = dns::normalize_name(name_text);
    if (!name) {
      return fail(fmt::format("--name {}", name.error().message));
    }
    std::vector<std::string> qtypes;
    if (slash == std::string::npos) {
      qtypes = {"A", "AAAA"};
    } else {
      const std::string type_text = spec.substr(slash + 1);
      if (type_text.empty()) {
        return fail(fmt::format("--name {}: no type after '/' (a mnemonic such as AAAA, or TYPEnnn)", spec));
      }
      std::uint32_t code = 0;
      const bool numeric = type_text.size() > 4 && (type_text.starts_with("TYPE") || type_text.starts_with("type"));
      if (numeric) {
        // RFC 3597 §5: TYPE and a decimal number; ldns would wrap a number above 65535.
        const std::string digits = type_text.substr(4);
        if (digits.size() > 5 || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
            (code = static_cast<std::uint32_t>(std::stoul(digits))) == 0 || code > 65535) {
          return fail(fmt::format("--name {}: {} is not a type (TYPEnnn takes a number from 1 to 65535)", spec, type_text));
        }
      } else {
        code = dns::type_from_text(type_text);
        if (code == 0) {
          return fail(fmt::format("--name {}: unknown type {} (a mnemonic such as AAAA, or TYPEnnn)", spec, type_text));
        }
      }
      // RFC 6895 §3.1: OPT (41) and the meta-types and QTYPEs 128-254 (TKEY, TSIG, IXFR, AXFR,
      // MAILB, MAILA) are not data an authoritative server answers to a plain query.
      if (code == dns::rrtype::opt || (code >= 128 && code <= 254)) {
        return fail(fmt::format("--name {}: {} is a meta-type or transfer type, not a type to query", spec,
                                dns::type_to_text(static_cast<std::uint16_t>(code))));
      }
      qtypes = {dns::type_to_text(static_cast<std::uint16_t>(code))};
    }
    const std::string* owner = nullptr;
    for (const std::string& zone : zones) {
      if (dns::name_is_at_or_below(*name, zone) && (owner == nullptr || zone.size() > owner->size())) {
        owner = &zone;
      }
    }
    if (owner == nullptr) {
      return fail(fmt::format("--name {}: {} is not at or below any audited zone", spec, *name));
    }
    for (const std::string& qtype : qtypes) {
      const bool seen = std::any_of(out.begin(), out.end(), [&](const NameQuery& q) {
        return q.qname == *name && q.qtype == qtype;
      });
      if (!seen) {
        out.push_back(NameQuery{.zone = *owner, .qname = *name, .qtype = qtype});
      }
    }
  }
  return out;
}

Result<Snapshot> audit_walk(const std::vector<std::string>& zones, const ProbeOptions& options) {
  Snapshot snapshot;
  snapshot.public_root_hints = options.servers.empty() && options.public_hints;
  snapshot.started_at = unix_now();
  for (const std::string& name : zones) {
    ZW_TRY_ASSIGN(std::string apex, dns::normalize_name(name));
    ZoneSnapshot zs;
    zs.zone = std::move(apex);
    if (options.walk) {
      // Replaced when the walk starts: a zone whose audit ends before (unreachable, deadline)
      // still says that the walk asked for was not done.
      zs.nsec_walk = NsecWalk{WalkStatus::incomplete, "the walk did not start: the audit of the zone ended before it",
                              {}, 0};
    }
    snapshot.zones.push_back(std::move(zs));
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
    if (std::none_of(snapshot.zones.begin(), snapshot.zones.end(), [&q](const ZoneSnapshot& z) { return z.zone == q.zone; })) {
      return fail(fmt::format("probe options: {} {} is for {}, which is not audited", q.qname, q.qtype, q.zone));
    }
  }
  if (snapshot.zones.empty()) {
    snapshot.finished_at = unix_now();
    return snapshot;
  }
  try {
    const Clock::time_point deadline = Clock::now() + options.deadline;
    asio::io_context io(1);
    // Declared after `io`, destroyed before it: coroutine frames still parked in `io` when the
    // deadline stops it are destroyed by `io` and never touch the walker again.
    Walker walker(io, options, snapshot.zones, hints, deadline, snapshot.started_at);
    walker.m_probed.resize(snapshot.zones.size());
    std::vector<bool> finished(snapshot.zones.size(), false);
    std::size_t remaining = snapshot.zones.size();
    asio::steady_timer stopper(io, deadline);
    asio::steady_timer poll(io);  // watches for SIGINT/SIGTERM, below
    for (std::size_t zi = 0; zi < snapshot.zones.size(); ++zi) {
      asio::co_spawn(io, walker.walk_zone(zi), [&, zi](const std::exception_ptr& error) {
        if (error) {
          try {
            std::rethrow_exception(error);
          } catch (const std::exception& e) {
            snapshot.zones[zi].walk_errors.push_back(fmt::format("internal error: {}", e.what()));
          } catch (...) {
            snapshot.zones[zi].walk_errors.push_back("internal error");
          }
        }
        finished[zi] = true;
        if (--remaining == 0) {
          stopper.cancel();
          poll.cancel();
          io.stop();  // race losers still waiting for silent servers are of no use now
        }
      });
    }
    stopper.async_wait([&](const std::error_code& ec) {
      if (ec) {
        return;
      }
      for (std::size_t zi = 0; zi < snapshot.zones.size(); ++zi) {
        if (!finished[zi]) {
          snapshot.zones[zi].walk_errors.push_back("audit deadline reached");
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
        for (std::size_t zi = 0; zi < snapshot.zones.size(); ++zi) {
          if (!finished[zi]) {
            snapshot.zones[zi].walk_errors.push_back(
                fmt::format("{} {} before the audit finished", k_walk_interrupted, util::stop_signal_name()));
          }
        }
        io.stop();
      });
    };
    watch_signals();
    io.run();
    if (Clock::now() >= deadline) {
      // A zone whose tasks the deadline cut (gather() returns at the deadline) may look finished:
      // a server never asked, or a query never sent, says it was not.
      for (ZoneSnapshot& z : snapshot.zones) {
        const auto by_deadline = [](const Exchange& e) {
          return e.outcome == Outcome::not_asked && (e.detail == k_not_sent_by_deadline || e.detail == k_cut_by_deadline);
        };
        const bool cut =
            std::any_of(z.servers.begin(), z.servers.end(), [&](const ServerProbe& p) {
              return std::none_of(p.exchanges.begin(), p.exchanges.end(), [](const Exchange& e) { return e.qtype == "SOA"; }) ||
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
    }
    walker.m_limiter->stop();
    // A bound reached is said by every zone it left questions unasked in (their details, the
    // walk's and the lookups' errors name it), for the engine's internal/audit-incomplete.
    for (const std::string& bound : walker.m_bounds_hit) {
      const std::string named = fmt::format("the bound {} was reached", bound);
      for (ZoneSnapshot& z : snapshot.zones) {
        if (mentions(z, named)) {
          z.walk_errors.push_back(fmt::format("{}{}", k_bound_reached, bound));
        }
      }
    }
    // Our own failures are never observations of a server: every zone says the walk had them
    // (the engine reports internal/probe-failed, exit status 2).
    for (const std::string& error : walker.m_internal_errors) {
      for (ZoneSnapshot& z : snapshot.zones) {
        const std::string text = error.rfind("internal error", 0) == 0 ? error : "internal error: " + error;
        if (std::find(z.walk_errors.begin(), z.walk_errors.end(), text) == z.walk_errors.end()) {
          z.walk_errors.push_back(text);
        }
      }
    }
  } catch (const std::exception& e) {
    return fail(fmt::format("walker: {}", e.what()));
  }
  for (ZoneSnapshot& zs : snapshot.zones) {
    for (ServerProbe& probe : zs.servers) {
      std::stable_sort(probe.exchanges.begin(), probe.exchanges.end(), [](const Exchange& a, const Exchange& b) {
        return std::tie(a.qname, a.qtype, a.transport) < std::tie(b.qname, b.qtype, b.transport);
      });
    }
  }
  snapshot.finished_at = unix_now();
  return snapshot;
}

namespace {

// The zone an authoritative answer to `qname` comes from (see find_zone); `level` when the
// records do not say.
std::string zone_of_answer(const Exchange& ex, const std::string& qname, const std::string& level) {
  // The zone is at or below the one whose servers answered: a signer or SOA owner above it
  // (a signature naming the parent, RFC 4035 §5.3.1) is the data's fault, not the zone.
  const auto plausible = [&](const std::string& zone) {
    return dns::name_is_at_or_below(qname, zone) && (level.empty() || dns::name_is_at_or_below(zone, level));
  };
  for (const auto* section : {&ex.answer, &ex.authority}) {
    for (const std::string& line : *section) {
      const std::optional<RrLine> rr = split_rr(line);
      if (rr && rr->type == "SOA" && plausible(rr->owner) && (section == &ex.authority || rr->owner == qname)) {
        return rr->owner;
      }
    }
  }
  for (const std::string& line : ex.answer) {
    const std::optional<RrLine> rr = split_rr(line);
    if (rr && rr->owner == qname && rr->type == "RRSIG") {
      // RFC 4034 §3.2: type covered, algorithm, labels, original TTL, expiration, inception,
      // key tag, signer's name.
      std::istringstream in(rr->rdata);
      std::vector<std::string> words;
      for (std::string w; in >> w;) {
        words.push_back(w);
      }
      if (words.size() > 7 && plausible(normalized_or(words[7]))) {
        return normalized_or(words[7]);
      }
    }
  }
  return level;
}

} // namespace

Result<ZoneOfName> find_zone(const std::string& qname, const std::string& qtype, const ProbeOptions& options) {
  if (options.timeout.count() <= 0 || options.retries < 0 || options.deadline.count() <= 0) {
    return fail("probe options: timeout and deadline must be positive, retries not negative");
  }
  const std::vector<std::pair<std::string, std::string>>& hints =
      options.root_hints.empty() ? builtin_root_hints() : options.root_hints;
  std::vector<ZoneSnapshot> none;
  Descent found;
  try {
    const Clock::time_point deadline = Clock::now() + options.deadline;
    asio::io_context io(1);
    Walker walker(io, options, none, hints, deadline, unix_now());
    bool done = false;
    asio::steady_timer stopper(io, deadline);
    asio::co_spawn(io, walker.locate(qname, qtype), [&](const std::exception_ptr& error, Descent result) {
      found = std::move(result);
      if (error) {
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          found.error = fmt::format("internal error: {}", e.what());
        } catch (...) {
          found.error = "internal error";
        }
      }
      done = true;
      stopper.cancel();
      io.stop();
    });
    stopper.async_wait([&](const std::error_code& ec) {
      if (!ec) {
        io.stop();
      }
    });
    io.run();
    walker.m_limiter->stop();
    if (!done) {
      return fail(fmt::format("{} {}: deadline reached while following referrals", qname, qtype));
    }
  } catch (const std::exception& e) {
    return fail(fmt::format("walker: {}", e.what()));
  }
  ZoneOfName out;
  if (!found.error.empty()) {
    // A zone none of whose servers answers is still the zone that holds the name: its audit
    // says why (RFC 8914 §4.23). Anything else (no referral, a referral astray) is an Error.
    if (!found.unanswered || found.level.empty() || found.level == "." || !options.servers.empty()) {
      return fail(found.error);
    }
    out.zone = found.level;
    out.unanswered = found.error;
    out.server = found.server.name.empty() ? "" : fmt::format("{}/{}", found.server.name, found.server.address);
    out.answer = std::move(found.answer);
    return out;
  }
  out.zone = zone_of_answer(found.answer, qname, found.level);
  if (out.zone.empty()) {
    return fail(fmt::format("{} {}: the servers' answer does not say which zone holds the name (no SOA, no RRSIG)",
                            qname, qtype));
  }
  out.server = fmt::format("{}/{}", found.server.name, found.server.address);
  out.answer = std::move(found.answer);
  return out;
}

} // namespace zw::probe
