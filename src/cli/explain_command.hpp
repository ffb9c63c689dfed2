#pragma once
#include <CLI/CLI.hpp>

namespace zw::cli {

// Adds `zonewarden explain NAME [TYPE]`; the returned callback runs it and gives the exit status:
// 0 a validating resolver answers (NOERROR or NXDOMAIN), 1 it fails (SERVFAIL), 2 we could not
// tell (bad arguments, nothing answered, our own trouble).
std::function<int()> add_explain_command(CLI::App& app);

} // namespace zw::cli
