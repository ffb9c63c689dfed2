#pragma once
#include <functional>

#include <CLI/CLI.hpp>

namespace zw::cli {

// Adds `zonewarden rules [ID]` to `app`; the callback runs it when it was chosen.
std::function<int()> add_rules_command(CLI::App& app);

} // namespace zw::cli
