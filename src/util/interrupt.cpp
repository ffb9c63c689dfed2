#include "util/interrupt.hpp"

#include <csignal>

namespace zw::util {
namespace {

// Written only by the handler: async-signal-safe, lock-free.
volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_stop_signal(int signal) {
  g_signal = signal;
}

} // namespace

void catch_stop_signals() noexcept {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  // SA_RESETHAND: the second signal takes the default action and ends the process.
  action.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool stop_requested() noexcept {
  return g_signal != 0;
}

std::string_view stop_signal_name() noexcept {
  switch (g_signal) {
  case SIGINT: return "SIGINT";
  case SIGTERM: return "SIGTERM";
  default: return g_signal == 0 ? "" : "a signal";
  }
}

} // namespace zw::util
