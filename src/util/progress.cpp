#include "util/progress.hpp"

#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace zw::util {

namespace {

constexpr std::chrono::milliseconds k_default_delay{1000};
constexpr std::chrono::milliseconds k_redraw_every{250};
constexpr std::size_t k_max_width = 200; // a line longer than a terminal would wrap and not redraw

void write_stderr(std::string_view text) noexcept {
  while (!text.empty()) {
    const ssize_t n = ::write(STDERR_FILENO, text.data(), text.size());
    if (n <= 0) {
      return; // a progress line is never worth an error
    }
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

} // namespace

ProgressLine::ProgressLine(std::function<std::string()> render)
    : m_render(std::move(render)), m_thread([this](const std::stop_token& stop) { run(stop); }) {}

ProgressLine::~ProgressLine() {
  m_thread.request_stop();
  m_wake.notify_all();
}

bool ProgressLine::on_terminal() noexcept {
  return ::isatty(STDERR_FILENO) != 0;
}

std::chrono::milliseconds ProgressLine::delay() noexcept {
  const char* env = std::getenv("ZW_PROGRESS_DELAY_MS");
  if (env == nullptr) {
    return k_default_delay;
  }
  const std::string_view text(env);
  unsigned ms = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
  if (ec != std::errc() || end != text.data() + text.size() || ms > 3'600'000) {
    return k_default_delay;
  }
  return std::chrono::milliseconds(ms);
}

void ProgressLine::run(const std::stop_token& stop) {
  std::unique_lock lock(m_mutex);
  // A zero delay (ZW_PROGRESS_DELAY_MS=0, for tests) draws once however soon the work ends, so
  // that what is drawn does not depend on how fast this thread gets scheduled.
  if (const std::chrono::milliseconds wait = delay(); wait.count() > 0) {
    if (m_wake.wait_for(lock, stop, wait, [] { return false; }); stop.stop_requested()) {
      return; // done before the delay: nothing drawn
    }
  }
  do {
    std::string line = m_render();
    if (line.size() > k_max_width) {
      line.resize(k_max_width);
    }
    write_stderr("\r" + line + "\x1b[K"); // ESC [ K: erase what a longer line left
    m_wake.wait_for(lock, stop, k_redraw_every, [] { return false; });
  } while (!stop.stop_requested());
  write_stderr("\r\x1b[K");
}

} // namespace zw::util
