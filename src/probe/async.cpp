// Coroutine primitives of the walker (async.hpp).

#include "probe/async.hpp"

namespace zw::probe::detail {

// The awaitable<bool> form of a task, for gather().
asio::awaitable<bool> finished(asio::awaitable<void> inner) {
  co_await std::move(inner);
  co_return true;
}

asio::awaitable<void> backlog_one(std::shared_ptr<Backlog> backlog, asio::awaitable<void> task) {
  try {
    co_await std::move(task);
  } catch (...) { // NOLINT: kept, and rethrown by drain() (never an observation)
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

} // namespace zw::probe::detail
