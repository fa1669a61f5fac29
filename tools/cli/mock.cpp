// gdos mock [--port N] ...: the mock endpoint in the foreground (the same program as gdos-mock).
#include "command.hpp"
#include "run.hpp"

#include <memory>

namespace gdos_cli {

command mock_command(CLI::App& gdos) {
  auto o = std::make_shared<gdos_mock::run_options>();
  auto* cmd = gdos.add_subcommand("mock", "Run the mock endpoint in the foreground");
  gdos_mock::add_run_options(*cmd, *o);
  return {cmd, [o] { return gdos_mock::run_foreground(*o); }};
}

}  // namespace gdos_cli
