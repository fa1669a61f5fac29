/// @file run.hpp
/// @brief The mock endpoint as a foreground program: `gdos mock` and `gdos-mock` share these
/// options, this loop and these exit statuses.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace gdos_mock {

/// Exit statuses of `gdos mock` and `gdos-mock`, the same for both (tools/README.md).
enum exit_status : int {
  exit_ok = 0,       ///< Stopped by --max-requests, --seconds, SIGINT or SIGTERM; --help.
  exit_failed = 1,   ///< A server stopped on an error while running.
  exit_usage = 2,    ///< An unknown option or a bad value (the gdos CLI's usage status too).
  exit_fixture = 3,  ///< The fixture cannot be read, is too large or is invalid.
  exit_listen = 4,   ///< A port cannot be bound: address in use, no permission, unknown host.
  exit_setup = 5,    ///< TLS, the CA file or the --url-file cannot be set up.
};

/// Command-line settings of a foreground mock.
struct run_options {
  std::string host = "127.0.0.1";     ///< --host
  std::int64_t port = 0;              ///< --port (HTTPS; 0: a free one)
  std::int64_t http_port = 0;         ///< --http-port (plain HTTP answering -1; 0: free; -1: none)
  std::string fixture;                ///< --fixture (empty: the compiled-in default)
  std::string ca_out;                 ///< --ca-out (empty: a temporary file)
  std::string url_file;               ///< --url-file (empty: none)
  std::int64_t max_requests = 0;      ///< --max-requests (0: no limit)
  std::int64_t seconds = 0;           ///< --seconds (0: no limit)
  std::int64_t request_timeout = 10;  ///< --request-timeout (seconds per connection)
  bool quiet = false;                 ///< --quiet: no per-request log
};

/// Declares the options above on `app`; numbers are read as the gdos CLI reads its own
/// (tools/cli/numbers.hpp: decimal only, each in its range, else a usage error).
void add_run_options(CLI::App& app, run_options& o);

/// The exit status for a command line CLI11 refused, after printing its message (as
/// CLI::App::exit does): exit_ok for --help, exit_usage otherwise.
[[nodiscard]] int parse_error_status(CLI::App& app, const CLI::ParseError& e);

/// Starts the mock and prints, on stdout, one JSON object on the first line (`url`,
/// `http_url` (null without an HTTP port), `ca_file`, `https_port`, `http_port`, `pid`), then
/// the same for people; logs one line per request on stderr; returns when a limit is reached or
/// on SIGINT / SIGTERM. @return an exit_status.
[[nodiscard]] int run_foreground(const run_options& o);

}  // namespace gdos_mock
