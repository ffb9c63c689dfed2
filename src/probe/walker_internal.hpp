#pragma once
// Internals of the walker, shared by its files along the pipeline (not part of the API):
// answers.cpp reads RR lines and judges answers, resolver.cpp follows referrals and looks up
// name-server addresses, prober.cpp asks every server of a zone (and follows its NSEC chain),
// walker.cpp runs all zones (audit_walk, find_zone). async.hpp holds the coroutine primitives.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <asio.hpp>

#include "dns/packet.hpp"
#include "probe/async.hpp"
#include "probe/nsec_walk.hpp"
#include "probe/transport.hpp"
#include "probe/walker.hpp"
#include "zonewarden/snapshot.hpp"

// GCC 12 takes the frames of asio::awaitable coroutines, allocated by asio's operator new
// (inlined down to aligned_alloc) and freed by its class-specific operator delete, for a
// mismatch (GCC PR middle-end/109224, a false positive). Whether it warns depends on what the
// optimiser inlines in each file: the walker's coroutines warned once split out of one file.
// Silenced for the files that include this header only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace zw::probe::detail {

constexpr int k_rcode_noerror = 0;
constexpr int k_rcode_nxdomain = 3;

// ---------------------------------------------------------------------------------------------
// Reading the sections of answers (dns::split_section_rr splits their lines).

// Defined in answers.cpp.
std::string normalized_or(const std::string& text);
bool names_below(std::string_view name, std::string_view ancestor);
std::vector<std::string> ns_targets(const std::vector<std::string>& section, const std::string& owner);
std::optional<std::string> referral_owner(const Exchange& ex);
std::map<std::string, std::vector<std::string>>
glue_of(const std::vector<std::string>& section, const std::vector<std::string>& names, const std::string& bailiwick);
bool is_referral(const Exchange& ex);
bool is_useful(const Exchange& ex);
bool is_authoritative_answer(const Exchange& ex);
const Exchange* best_exchange(const ServerProbe& probe, const std::string& qname, const std::string& qtype);
std::string short_summary(const Exchange& ex);
std::string bound_name(std::string_view bound, std::uint64_t value);
std::string bound_detail(std::string_view bound, std::uint64_t value);
Exchange not_asked_exchange(const std::string& qname, const std::string& qtype, Transport transport,
                            std::string detail);

constexpr std::string_view k_referral_bound = "referrals per descent";
constexpr std::string_view k_depth_bound = "nested name-server address lookups";
// Exchange::detail of a query sent in time whose own timeout the --deadline cut short.
constexpr std::string_view k_cut_by_deadline = "audit deadline reached before the server answered";

struct Addr {
  std::string name;
  std::string address;
};

// A zone cut we know the name servers of.
struct Cut {
  std::string zone;
  std::string parent; // "" for the root
  std::vector<std::string> ns_names;
  std::map<std::string, std::vector<std::string>> glue;
};

struct RaceResult {
  bool good = false;
  Addr server;
  Exchange exchange;      // the winner, or the most telling failure
  std::string summary;    // what the others said, when none was good
  bool cut_short = false; // none was good, and some server was not asked or not heard out
};

struct Race {
  explicit Race(const asio::any_io_executor& executor, std::size_t n)
      : remaining(n), event(executor, Clock::time_point::max()) {}
  std::optional<RaceResult> winner;
  std::vector<std::pair<Addr, Exchange>> failures;
  std::size_t remaining;
  asio::steady_timer event;
  std::exception_ptr failure; // a racer that threw: our bug, rethrown by first_good()
};

struct Descent {
  std::string error;       // non-empty: the walk could not go on
  bool unanswered = false; // the error: no server of `level` answered usefully (or has no address)
  bool cut_short = false;  // the error: the deadline, a signal or a bound kept servers from being asked
  std::string level;       // the zone whose servers gave `answer`
  Addr server;
  Exchange answer;
};

struct AddrResult {
  std::vector<std::string> addresses;
  std::string error;
  bool cut_short = false; // no address, and the lookup did not ask every server it needed: unknown
};

// Seconds since the Unix epoch, for a snapshot's times and signature validity.
inline std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A result gather() left default because its lookup had not finished by the deadline.
inline bool unfinished(const AddrResult& r) {
  return r.addresses.empty() && r.error.empty();
}

struct ServerAddresses {
  std::vector<Addr> servers;
  std::vector<std::string> errors; // names that could not be resolved, with why
  bool cut_short = false;          // some of them were not resolved for want of time or a bound
};

// The ancestor of `name` (normalised, at or below `level`) one label below `level`; `name`
// itself when it is that close (or is `level`).
std::string child_towards(const std::string& name, const std::string& level);

// The referrals being asked (Walker::descend): (level, the child of level on the way) -> done.
using ReferralMap = std::map<std::pair<std::string, std::string>, std::shared_ptr<Pending<bool>>>;

// One walk's turn to ask a referral the others wait for: registered for its lifetime; on
// destruction (answer, failure or exception alike) the entry goes and the waiters are woken.
// It holds the map weakly: when the deadline stops the io_context, the Walker is destroyed
// before the coroutine frames, and a frame destroyed then must touch neither.
class ReferralTurn {
public:
  ReferralTurn(const std::shared_ptr<ReferralMap>& map, std::string level, std::string step,
               const asio::any_io_executor& executor)
      : m_map(map), m_key(std::move(level), std::move(step)), m_done(std::make_shared<Pending<bool>>(executor)) {
    map->emplace(m_key, m_done);
  }
  ReferralTurn(const ReferralTurn&) = delete;
  ReferralTurn& operator=(const ReferralTurn&) = delete;
  ~ReferralTurn() {
    const std::shared_ptr<ReferralMap> map = m_map.lock();
    if (!map) {
      return; // the walk is over: nobody waits any more
    }
    map->erase(m_key);
    try {
      m_done->set(true);
    } catch (...) { // NOLINT: a timer that cannot be cancelled leaves its waiters to the deadline
    }
  }

private:
  std::weak_ptr<ReferralMap> m_map;
  std::pair<std::string, std::string> m_key;
  std::shared_ptr<Pending<bool>> m_done;
};

// ---------------------------------------------------------------------------------------------

// What the walk of one zone holds: the snapshot it fills and its own bookkeeping.
struct ZoneWalk {
  ZoneSnapshot snapshot;
  std::set<std::pair<std::string, std::string>> probed; // servers asked: (name, address)
  std::string nodata_name;                              // the below-apex NODATA probe name
  std::set<std::size_t> nodata_asked;                   // servers asked that name
  std::uint64_t queries = 0;                            // questions counted by --max-queries-per-zone
};

// The zones of one walk, by index in the zone list. A zone's ZoneWalk is made when it is first
// touched (its walk starts, or the deadline settles it unstarted) and leaves with take(), so what
// a fleet keeps per zone while it is walked is its name and a null pointer: memory follows the
// zones in flight (--max-zones-in-flight), not the fleet.
class ZoneTable {
public:
  // `names` normalized; `walk`: --walk was asked (a zone not walked says so).
  ZoneTable(std::vector<std::string> names, bool walk)
      : m_names(std::move(names)), m_slots(m_names.size()), m_walk(walk) {}
  [[nodiscard]] std::size_t size() const noexcept { return m_names.size(); }
  [[nodiscard]] const std::string& name(std::size_t zi) const { return m_names[zi]; }
  // The zone's walk state, made on first use. The reference stays valid until take().
  ZoneWalk& at(std::size_t zi);
  // The zone's snapshot, made now if it never was; nothing of it stays behind.
  ZoneSnapshot take(std::size_t zi);

private:
  std::vector<std::string> m_names;
  std::vector<std::unique_ptr<ZoneWalk>> m_slots;
  bool m_walk;
};

class Walker {
public:
  Walker(asio::io_context& io, const ProbeOptions& options, ZoneTable& zones,
         const std::vector<std::pair<std::string, std::string>>& hints, Clock::time_point deadline,
         std::int64_t started_at)
      : m_executor(io.get_executor()), m_options(options), m_zones(zones), m_deadline(deadline),
        m_started_at(started_at), m_limiter(std::make_shared<Limiter>(m_executor, options.max_in_flight)),
        m_pacer(options.max_qps_per_server) {
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
    return QueryOptions{.timeout = m_options.timeout,
                        .retries = m_options.retries,
                        .edns = true,
                        .port = m_options.port,
                        .deadline = m_deadline};
  }
  ZoneSnapshot& zone(std::size_t zi) { return m_zones.at(zi).snapshot; }
  ZoneWalk& walk_of(std::size_t zi) { return m_zones.at(zi); }

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
  std::vector<std::string> in_zone_names(std::size_t zi);
  NameServer& name_server(std::size_t zi, const std::string& name);
  asio::awaitable<void> walk_undelegated(std::size_t zi);
  asio::awaitable<void> walk_nsec_chain(std::size_t zi);
  asio::awaitable<std::optional<NsecLink>> nsec_of(std::size_t zi, std::size_t si, std::string owner);

  asio::any_io_executor m_executor;
  const ProbeOptions& m_options;
  ZoneTable& m_zones;
  Clock::time_point m_deadline;
  std::int64_t m_started_at; // Snapshot::started_at: names the NXDOMAIN denial probe
  std::shared_ptr<Limiter> m_limiter;
  Pacer m_pacer;
  std::map<std::string, Cut> m_cuts;
  std::map<std::string, std::shared_ptr<Pending<AddrResult>>> m_addresses;
  std::map<std::string, std::shared_ptr<Pending<AncestorZone>>> m_ancestors;
  std::map<std::string, std::multiset<std::string>> m_waits_for; // resolution task -> tasks it awaits
  std::vector<std::string> m_internal_errors;                    // our own failures, for every zone's walk errors
  std::uint64_t m_run_queries = 0;                               // queries sent, for --max-queries
  std::set<std::string> m_bounds_hit;                            // bound_name() of every bound reached
  std::shared_ptr<ReferralMap> m_referrals = std::make_shared<ReferralMap>(); // being asked (descend)
  std::set<std::string> m_answering; // server addresses that have answered a query of this run
  friend Result<Snapshot> zw::probe::audit_walk(const std::vector<std::string>&, const ProbeOptions&);
  friend Result<ZoneOfName> zw::probe::find_zone(const std::string&, const std::string&, const ProbeOptions&);
};

} // namespace zw::probe::detail
