#include "util/workers.hpp"

#include <utility>

namespace zw::util {

Workers::Workers(std::size_t threads, std::size_t queue_limit) : m_limit(queue_limit) {
  m_threads.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) {
    m_threads.emplace_back([this] { work(); });
  }
}

Workers::~Workers() {
  try {
    join();
  } catch (...) { // NOLINT: a task's exception was for join() to report; a destructor cannot
  }
}

bool Workers::submit(std::function<void()> task) {
  {
    const std::lock_guard lock(m_mutex);
    if (m_threads.empty() || m_stopping || m_queue.size() >= m_limit) {
      return false;
    }
    m_queue.push_back(std::move(task));
  }
  m_ready.notify_one();
  return true;
}

void Workers::join() {
  {
    const std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_ready.notify_all();
  for (std::thread& t : m_threads) {
    if (t.joinable()) {
      t.join();
    }
  }
  m_threads.clear();
  std::exception_ptr failure;
  {
    const std::lock_guard lock(m_mutex);
    failure = std::exchange(m_failure, nullptr);
  }
  if (failure) {
    std::rethrow_exception(failure);
  }
}

void Workers::work() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(m_mutex);
      m_ready.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
      if (m_queue.empty()) {
        return; // stopping, and nothing left
      }
      task = std::move(m_queue.front());
      m_queue.pop_front();
    }
    try {
      task();
    } catch (...) {
      const std::lock_guard lock(m_mutex);
      if (!m_failure) {
        m_failure = std::current_exception();
      }
    }
  }
}

} // namespace zw::util
