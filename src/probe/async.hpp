#pragma once
// Coroutine primitives of the walker (walker_internal.hpp): an event many coroutines wait for,
// gathering tasks, a backlog of background tasks, and the limiter of queries in flight. Every
// wait is bounded by a deadline. Internal to probe/.

#include <chrono>
#include <cstddef>
#include <exception>
#include <memory>
#include <optional>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>

namespace zw::probe::detail {

using Clock = std::chrono::steady_clock;
constexpr auto k_no_throw = asio::experimental::as_tuple(asio::use_awaitable);

// ---------------------------------------------------------------------------------------------
// Coroutine plumbing: an event that many coroutines can wait for (a timer that never expires
// on its own and is cancelled to wake them), bounded by the invocation deadline.

template <typename T> struct Pending {
  explicit Pending(const asio::any_io_executor& executor) : event(executor, Clock::time_point::max()) {}
  std::optional<T> value;
  asio::steady_timer event;
  void set(T v) {
    value = std::move(v);
    event.cancel();
  }
  // Waits until set() or `deadline`. Many coroutines may wait at once: the expiry is set only
  // when it differs, because setting it cancels every wait in progress, and waiters that each
  // set it again on waking woke each other without end (CPU per zone grew with the fleet).
  asio::awaitable<void> wait(Clock::time_point deadline) {
    while (!value && Clock::now() < deadline) {
      if (event.expiry() != deadline) {
        event.expires_at(deadline);
      }
      co_await event.async_wait(k_no_throw);
    }
  }
};

// Runs tasks concurrently and waits until every one finished (or the deadline passed).
template <typename T> struct Gather {
  explicit Gather(const asio::any_io_executor& executor, std::size_t n)
      : results(n), remaining(n), event(executor, Clock::time_point::max()) {}
  std::vector<T> results;
  std::size_t remaining;
  asio::steady_timer event;
  std::exception_ptr failure; // the first task that threw: our bug, rethrown by gather()
};

template <typename T>
asio::awaitable<void> gather_one(std::shared_ptr<Gather<T>> state, std::size_t index, asio::awaitable<T> task) {
  try {
    state->results[index] = co_await std::move(task);
  } catch (...) { // NOLINT: kept, and rethrown once the others are done (never an observation)
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

// The awaitable<bool> form of a task, for gather().
asio::awaitable<bool> finished(asio::awaitable<void> inner);

// Tasks started one at a time and awaited together (the walk's queries to every server, while
// the chain goes on at the pace of one server): `running` counts them, and a drain() waiting
// for it to drop to `wake_at` is woken then.
struct Backlog {
  explicit Backlog(const asio::any_io_executor& executor) : event(executor, Clock::time_point::max()) {}
  std::size_t running = 0;
  std::size_t wake_at = 0;
  asio::steady_timer event;
  std::exception_ptr failure; // the first task that threw: our bug, rethrown by drain()
};

asio::awaitable<void> backlog_one(std::shared_ptr<Backlog> backlog, asio::awaitable<void> task);
void start_in(const std::shared_ptr<Backlog>& backlog, const asio::any_io_executor& executor,
              asio::awaitable<void> task);
// Waits until at most `at_most` tasks of `backlog` still run, or the deadline passed.
asio::awaitable<void> drain(std::shared_ptr<Backlog> backlog, std::size_t at_most, Clock::time_point deadline);

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
      return; // the io_context is being torn down: wake nobody
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

// Spaces the queries sent to one server address at least 1/rate apart (--max-qps-per-server),
// so that a fleet whose zones share a provider's servers does not send them bursts that their
// response-rate limiting answers with silence. Each query reserves the next free instant of its
// address at once, so waiters keep their order without a queue. A rate of 0 paces nothing.
class Pacer {
public:
  explicit Pacer(int per_second)
      : m_interval(per_second > 0 ? std::chrono::duration_cast<Clock::duration>(std::chrono::seconds(1)) / per_second
                                  : Clock::duration::zero()) {}

  [[nodiscard]] bool enabled() const noexcept { return m_interval > Clock::duration::zero(); }

  // The instant a query to `address` may be sent, not before `now`; reserved for it.
  Clock::time_point reserve(const std::string& address, Clock::time_point now) {
    Clock::time_point& next = m_next[address];
    const Clock::time_point at = std::max(now, next);
    next = at + m_interval;
    return at;
  }

private:
  Clock::duration m_interval;
  std::unordered_map<std::string, Clock::time_point> m_next;
};

// Holds one Limiter slot for the life of a query.
class Slot {
public:
  explicit Slot(std::shared_ptr<Limiter> limiter) : m_limiter(std::move(limiter)) {}
  ~Slot() {
    if (m_limiter) {
      try {
        m_limiter->release();
      } catch (const std::system_error&) {
        // Only cancelling the next waiter's timer can throw: that waiter has its slot already
        // (granted) and finds it when its own deadline wakes it.
      }
    }
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

private:
  std::shared_ptr<Limiter> m_limiter;
};

} // namespace zw::probe::detail
