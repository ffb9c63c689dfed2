// zonewarden: command-line front end. Exit status: 0 clean, 1 findings at or above --fail-on,
// 2 the tool could not do its job (one line on stderr).

#include <cctype>
#include <exception>
#include <string>
#include <string_view>
#include <system_error>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/audit_command.hpp"
#include "cli/check_command.hpp"
#include "cli/common.hpp"
#include "cli/explain_command.hpp"
#include "cli/history_command.hpp"
#include "cli/report_command.hpp"
#include "cli/rules_command.hpp"
#include "util/text.hpp"

namespace {

int run(int argc, char** argv) {
  try {
    CLI::App app{"zonewarden: audit DNS zones the way a validating resolver will see them"};
    app.set_version_flag("--version", std::string("zonewarden ") + ZW_VERSION);
    app.require_subcommand(1);
    const std::function<int()> commands[] = {zw::cli::add_audit_command(app),   zw::cli::add_check_command(app),
                                             zw::cli::add_explain_command(app), zw::cli::add_report_command(app),
                                             zw::cli::add_rules_command(app),   zw::cli::add_history_command(app)};
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
      // CLI11 quotes the offending argument, which may be any length: capped like all input,
      // and lower-cased to read like our own messages (STYLE.md §7).
      std::string message = zw::util::quote_input(e.what(), 240);
      if (message.size() > 1 && std::isupper(static_cast<unsigned char>(message[0])) != 0 &&
          std::isupper(static_cast<unsigned char>(message[1])) == 0) {
        message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
      }
      return zw::cli::report_error(zw::Error{message});
    }
    for (const auto& command : commands) {
      if (const int status = command(); status >= 0) {
        return status;
      }
    }
    fmt::print(stderr, "zonewarden: no command given (try --help)\n");
    return zw::cli::k_exit_error;
  } catch (const zw::ZoneSourceError& e) {
    // What the run kept on file could not be read back (an I/O error): not a fault of ours.
    return zw::cli::report_error(zw::Error{e.what()});
  } catch (const std::system_error& e) {
    // fmt::print throws this when stdout's buffer cannot be written out.
    if (std::string_view(e.what()).starts_with("cannot write to file")) {
      std::string reason = e.code().message();
      if (!reason.empty()) {
        reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
      }
      return zw::cli::report_error(zw::Error{"standard output: " + reason});
    }
    return zw::cli::report_error(zw::Error{std::string("internal error: ") + e.what()});
  } catch (const std::exception& e) {
    return zw::cli::report_error(zw::Error{std::string("internal error: ") + e.what()});
  }
}

} // namespace

int main(int argc, char** argv) {
  zw::cli::guard_standard_descriptors();
  const int status = run(argc, argv);
  // What a command printed with fmt::print may still sit in stdio's buffer: output that did
  // not reach its reader (a full disk, /dev/full, a closed descriptor) is a failure, never a
  // silent success. After an error (already reported, exit 2) one line is enough.
  if (auto flushed = zw::cli::finish_stdout(); !flushed && status != zw::cli::k_exit_error) {
    return zw::cli::report_error(flushed.error());
  }
  return status;
}
