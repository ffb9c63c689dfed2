#pragma once
#include <functional>

#include <CLI/CLI.hpp>

namespace zw::cli {

// Adds `zonewarden report SAVED.json`: re-renders a saved result (or re-runs the rules on a
// saved snapshot) in any format, with no network.
std::function<int()> add_report_command(CLI::App& app);

} // namespace zw::cli
