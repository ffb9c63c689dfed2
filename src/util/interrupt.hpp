#pragma once
// SIGINT and SIGTERM as a request to stop: a long audit or check winds down, still writes its
// reports (marked incomplete) and exits 2. The first signal only sets a flag that the work
// polls; the handler then resets itself, so a second signal ends the process at once.

#include <string_view>

namespace zw::util {

// Installs the handlers (idempotent). Call from the command that polls stop_requested().
void catch_stop_signals() noexcept;

// True once SIGINT or SIGTERM arrived after catch_stop_signals().
bool stop_requested() noexcept;

// "SIGINT", "SIGTERM", or "" when no signal arrived.
std::string_view stop_signal_name() noexcept;

} // namespace zw::util
