#include "run.hpp"

#include "mock.hpp"

#include <csignal>
#include <cstdio>
#include <ctime>

namespace gdos_mock {

void add_run_options(CLI::App& app, run_options& o) {
  app.add_option("--host", o.host, "Address to listen on (keep it a loopback address)")
      ->capture_default_str();
  app.add_option("--port", o.port, "HTTPS port (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  app.add_option("--http-port", o.http_port,
                 "Plain-HTTP port that answers -1 to everything (0: any free port, -1: none)")
      ->check(CLI::Range(-1, 65535))
      ->capture_default_str();
  app.add_option("--fixture", o.fixture,
                 "Accounts and orders (JSON, see tools/README.md); default: the built-in set")
      ->check(CLI::ExistingFile);
  app.add_option("--ca-out", o.ca_out,
                 "Write the generated CA certificate (PEM) here; default: a temporary file");
  app.add_option("--max-requests", o.max_requests, "Stop after this many requests (0: no limit)")
      ->capture_default_str();
  app.add_option("--seconds", o.seconds, "Stop after this many seconds (0: no limit)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_flag("--quiet,-q", o.quiet, "Do not log requests");
}

int run_foreground(const run_options& o) {
  std::string error;
  options opts;
  if (o.fixture.empty()) {
    auto f = parse_fixture(default_fixture_json(), error);
    if (!f) {
      std::fprintf(stderr, "gdos mock: built-in fixture: %s\n", error.c_str());
      return 1;
    }
    opts.data = std::move(*f);
  } else {
    auto f = load_fixture(o.fixture, error);
    if (!f) {
      std::fprintf(stderr, "gdos mock: %s\n", error.c_str());
      return 1;
    }
    opts.data = std::move(*f);
  }
  opts.host = o.host;
  opts.https_port = o.port;
  opts.http_port = o.http_port;
  opts.ca_file = o.ca_out;
  opts.max_requests = o.max_requests;
  opts.duration = std::chrono::seconds(o.seconds);
  if (!o.quiet) {
    opts.log = [](std::string_view line) {
      // One write per line, so lines from the two server threads never interleave.
      std::string out(line);
      out += '\n';
      std::fwrite(out.data(), 1, out.size(), stderr);
    };
  }

  // SIGINT and SIGTERM are blocked before the server threads start (they inherit the mask) and
  // collected here with sigtimedwait, so a signal ends the loop below instead of the process.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  const std::size_t accounts = opts.data.accounts.size();
  const std::size_t orders = opts.data.orders.size();
  auto srv = server::start(std::move(opts), error);
  if (!srv) {
    std::fprintf(stderr, "gdos mock: %s\n", error.c_str());
    return 1;
  }
  std::printf("gdos mock: GetDetailedOrderStatus endpoint, %zu orders, %zu accounts (%s)\n", orders,
              accounts, o.fixture.empty() ? "built-in fixture" : o.fixture.c_str());
  std::printf("URL: %s\n", srv->url().c_str());
  if (srv->http_port() >= 0) std::printf("HTTP URL: %s\n", srv->http_url().c_str());
  std::printf("CA file: %s\n", srv->ca_file().c_str());
  std::printf("Stop with Ctrl-C%s.\n",
              o.max_requests != 0 || o.seconds != 0 ? " (or when the limit is reached)" : "");
  std::fflush(stdout);

  int signal_number = 0;
  while (!srv->wait_for(std::chrono::milliseconds(200))) {
    const timespec zero{0, 0};
    const int sig = sigtimedwait(&stop_signals, nullptr, &zero);
    if (sig > 0) {
      signal_number = sig;
      break;
    }
  }
  srv->stop();
  std::fprintf(stderr, "gdos mock: stopped after %zu requests%s\n", srv->requests(),
               signal_number == SIGINT    ? " (SIGINT)"
               : signal_number == SIGTERM ? " (SIGTERM)"
                                          : "");
  return srv->failed() ? 1 : 0;
}

}  // namespace gdos_mock
