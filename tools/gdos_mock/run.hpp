/// @file run.hpp
/// @brief The mock endpoint as a foreground program: `gdos mock` and `gdos-mock` share these
/// options and this loop.
#pragma once

#include <CLI/CLI.hpp>

#include <cstddef>
#include <string>

namespace gdos_mock {

/// Command-line settings of a foreground mock.
struct run_options {
  std::string host = "127.0.0.1";  ///< --host
  int port = 0;                    ///< --port (HTTPS; 0: a free one)
  int http_port = 0;               ///< --http-port (plain HTTP answering -1; 0: free; -1: none)
  std::string fixture;             ///< --fixture (empty: the compiled-in default)
  std::string ca_out;              ///< --ca-out (empty: a temporary file)
  std::size_t max_requests = 0;    ///< --max-requests (0: no limit)
  long seconds = 0;                ///< --seconds (0: no limit)
  bool quiet = false;              ///< --quiet: no per-request log
};

/// Declares the options above on `app`.
void add_run_options(CLI::App& app, run_options& o);

/// Starts the mock, prints its URLs and CA file on stdout, logs one line per request on stderr,
/// and returns when a limit is reached or on SIGINT / SIGTERM. @return the exit status.
int run_foreground(const run_options& o);

}  // namespace gdos_mock
