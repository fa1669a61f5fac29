// gdos: the command-line face of the library. One file per subcommand (command.hpp):
//
//   gdos decode [FILE] [--json]        a reply body (stdin by default) as a table or JSON
//   gdos encode --order N ...          the POST body of a request (password masked on stdout)
//   gdos query --order N ...           the real call, over libcurl (examples/curl_transport)
//   gdos demo                          the mock endpoint + `query` against it, over TLS
//   gdos mock [--port N] ...           the mock endpoint in the foreground
//
// Shared in one place each: the request and call options (options.hpp), the password sources
// (password.hpp), the table and JSON output (output.hpp), the call (call.hpp) and the exit
// statuses (exit_codes.hpp).
#include "command.hpp"
#include "exit_codes.hpp"

#include <gdos/gdos.hpp>

#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <exception>
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
                                         query_command(app), demo_command(app), mock_command(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? exit_ok : exit_usage;
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
