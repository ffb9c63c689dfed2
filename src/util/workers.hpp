#pragma once
// Threads that take work handed over by one producer, with a bounded queue: when the queue is
// full, submit() declines and the producer does the work itself, so the work waiting never
// exceeds the bound and the producer is never blocked. The audit judges zones this way while
// its one walk thread goes on walking.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace zw::util {

class Workers {
public:
  // `threads` workers (0: none; then submit() always declines), at most `queue_limit` tasks
  // waiting.
  Workers(std::size_t threads, std::size_t queue_limit);
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;
  ~Workers(); // join()s

  // Queues `task`; false when there is no room (or no worker), and then the caller runs it.
  bool submit(std::function<void()> task);
  // Runs every queued task to its end and stops the workers; then rethrows the first exception
  // a task threw, if any. Idempotent.
  void join();

private:
  void work();

  std::mutex m_mutex;
  std::condition_variable m_ready;
  std::deque<std::function<void()>> m_queue;
  std::size_t m_limit;
  bool m_stopping = false;
  std::exception_ptr m_failure;
  std::vector<std::thread> m_threads;
};

} // namespace zw::util
