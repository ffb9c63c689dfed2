// zonewarden: command-line front end. Exit status: 0 clean, 1 findings at or above --fail-on,
// 2 the tool could not do its job (one line on stderr).

#include <exception>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/audit_command.hpp"
#include "cli/check_command.hpp"
#include "cli/common.hpp"
#include "cli/explain_command.hpp"
#include "cli/report_command.hpp"
#include "cli/rules_command.hpp"

int main(int argc, char** argv) {
  try {
    CLI::App app{"zonewarden: audit DNS zones the way a validating resolver will see them"};
    app.set_version_flag("--version", std::string("zonewarden ") + ZW_VERSION);
    app.require_subcommand(1);
    const std::function<int()> commands[] = {zw::cli::add_audit_command(app), zw::cli::add_check_command(app),
                                             zw::cli::add_explain_command(app),
                                             zw::cli::add_report_command(app), zw::cli::add_rules_command(app)};
    try {
      app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
      fmt::print("{}", app.help());
      return zw::cli::k_exit_ok;
    } catch (const CLI::CallForAllHelp&) {
      fmt::print("{}", app.help("", CLI::AppFormatMode::All));
      return zw::cli::k_exit_ok;
    } catch (const CLI::CallForVersion& e) {
      fmt::print("{}\n", e.what());
      return zw::cli::k_exit_ok;
    } catch (const CLI::ParseError& e) {
      // Subcommand help requests arrive here too.
      if (e.get_exit_code() == 0) {
        const auto* sub = app.get_subcommands().empty() ? &app : app.get_subcommands().front();
        fmt::print("{}", sub->help());
        return zw::cli::k_exit_ok;
      }
      fmt::print(stderr, "zonewarden: {}\n", e.what());
      return zw::cli::k_exit_error;
    }
    for (const auto& command : commands) {
      if (const int status = command(); status >= 0) {
        return status;
      }
    }
    fmt::print(stderr, "zonewarden: no command given (try --help)\n");
    return zw::cli::k_exit_error;
  } catch (const std::exception& e) {
    fmt::print(stderr, "zonewarden: internal error: {}\n", e.what());
    return zw::cli::k_exit_error;
  }
}
