// gdos: the command-line face of the library. One file per subcommand (command.hpp):
//
//   gdos decode [FILE] [--json]        a reply body (stdin by default) as a table or JSON
//   gdos encode --order N ...          the POST body of a request (password masked on stdout)
//   gdos query --order N ...           the real call, over libcurl (examples/curl_transport)
//   gdos watch --order N ...           poll orders until final, printing what changed
//   gdos demo                          the mock endpoint + `query` against it, over TLS
//   gdos mock [--port N] ...           the mock endpoint in the foreground
//
// Shared in one place each: the request and call options (options.hpp), numbers
// (numbers.hpp), the password sources (password.hpp), the table, JSON and error output
// (output.hpp), the call (call.hpp) and the exit statuses (exit_codes.hpp).
#include "command.hpp"
#include "exit_codes.hpp"
#include "options.hpp"
#include "output.hpp"

#include <gdos/gdos.hpp>

#include <fmt/core.h>
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <exception>
#include <string_view>
#include <vector>

namespace gdos_cli {
namespace {

int run_cli(int argc, char** argv) {
  // A peer that closes its connection while OpenSSL writes would otherwise kill the process:
  // the mock serves TLS in-process for `demo`, and curl_transport sets CURLOPT_NOSIGNAL.
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"gdos: GetDetailedOrderStatus (Comodo/Sectigo reseller API) from the command line"};
  app.set_version_flag("--version", "gdos " GDOS_VERSION_STRING);
  app.require_subcommand(1);

  const std::vector<command> commands = {decode_command(app), encode_command(app),
                                         query_command(app),  watch_command(app),
                                         demo_command(app),   mock_command(app)};
  const bool json = wants_json(argc, argv);
  // CLI11 would say "A subcommand is required" or name the word as an extra argument.
  if (argc > 1 && argv[1][0] != '-') {
    const std::string_view word = argv[1];
    bool known = false;
    for (const command& c : commands) known = known || c.app->get_name() == word;
    if (!known)
      return report_usage(fmt::format("unknown subcommand '{}' (gdos --help lists them)", word),
                          json);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    // watch prints JSON Lines: its error document is one line too.
    if (json)
      print_usage_json(e.what(), "usage",
                       argc > 1 && std::string_view(argv[1]) == "watch" ? json_layout::line
                                                                        : json_layout::document);
    app.exit(e);
    return exit_usage;
  }
  for (const command& c : commands)
    if (c.app->parsed()) return c.run();
  return exit_usage;
}

}  // namespace
}  // namespace gdos_cli

int main(int argc, char** argv) {
  try {
    return gdos_cli::run_cli(argc, argv);
  } catch (const std::exception& e) {
    // Nothing gdos calls throws on purpose; this is for std::bad_alloc and I/O failures.
    std::fprintf(stderr, "gdos: %s\n", e.what());
    return gdos_cli::exit_usage;
  }
}
