#pragma once
#include <CLI/CLI.hpp>

namespace zw::cli {

// Adds `zonewarden check` to `app`; the returned callback runs it and gives the exit status.
std::function<int()> add_check_command(CLI::App& app);

} // namespace zw::cli
