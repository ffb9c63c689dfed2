#pragma once
#include <CLI/CLI.hpp>

namespace zw::cli {

// Adds `zonewarden audit` to `app`; the returned callback runs it and gives the exit status.
std::function<int()> add_audit_command(CLI::App& app);

} // namespace zw::cli
