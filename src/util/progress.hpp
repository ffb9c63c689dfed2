#pragma once
// A progress line on standard error for work that takes a while (`check` of a large zone): drawn
// in place ("\r") a few times a second by a thread of its own, only on a terminal and only once
// the work has run longer than a delay (quick runs print nothing), and erased when it ends, so
// the report that follows starts on a clean line.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace zw::util {

class ProgressLine {
public:
  // `render` returns the line's text (without "\r"); it is called on the progress thread, so it
  // may read only what is safe to read concurrently (atomics).
  explicit ProgressLine(std::function<std::string()> render);
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  // Stops the thread and erases the line if one was drawn.
  ~ProgressLine();

  // True when standard error is a terminal: the only place a progress line belongs.
  static bool on_terminal() noexcept;

  // How long work runs before the line appears: 1 s, or ZW_PROGRESS_DELAY_MS (tests set 0: the
  // line is then drawn once however quickly the work ends).
  static std::chrono::milliseconds delay() noexcept;

private:
  void run(const std::stop_token& stop);

  std::function<std::string()> m_render;
  std::mutex m_mutex;
  std::condition_variable_any m_wake;
  std::jthread m_thread; // last: started after the members it uses, joined first
};

} // namespace zw::util
