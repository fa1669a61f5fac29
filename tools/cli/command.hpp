/// @file command.hpp
/// @brief How a subcommand plugs into `gdos` (as git's builtin/ or cargo's commands/): each one
/// lives in its own file and declares its options on its own CLI11 subcommand.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace gdos_cli {

/// A declared subcommand: `app` is what CLI11 parsed into, `run` does the work once parsing
/// succeeded and returns the exit status (exit_codes.hpp). The options live in state `run` owns.
struct command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

/// Each adds its subcommand to `gdos` and returns it; defined in the file of the same name.
command decode_command(CLI::App& gdos);
command encode_command(CLI::App& gdos);
command query_command(CLI::App& gdos);
command demo_command(CLI::App& gdos);
command watch_command(CLI::App& gdos);
command mock_command(CLI::App& gdos);

}  // namespace gdos_cli
