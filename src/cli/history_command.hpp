#pragma once
#include <functional>

#include <CLI/CLI.hpp>

namespace zw::cli {

// Adds `zonewarden history FILE.sqlite runs|zone NAME|diff [A] [B]|prune --keep N`: reads the
// runs recorded with --history (docs/history.md). Exit 0, or 2 with a one-line reason.
std::function<int()> add_history_command(CLI::App& app);

} // namespace zw::cli
