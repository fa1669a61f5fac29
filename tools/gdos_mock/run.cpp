#include "run.hpp"

#include "mock.hpp"

#include "cli/numbers.hpp"

#include <arpa/inet.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <filesystem>

namespace gdos_mock {
namespace {

// Loopback literals and "localhost"; anything else may be reachable from other machines.
bool is_loopback(const std::string& host) {
  if (host == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

}  // namespace

void add_run_options(CLI::App& app, run_options& o) {
  // Numbers as the gdos CLI reads them (decimal only, real ranges): tools/cli/numbers.hpp.
  using gdos_cli::add_integer;
  app.add_option("--host", o.host, "Address to listen on (a loopback address; others warn)")
      ->capture_default_str();
  add_integer(app, "--port", o.port, 0, 65535, "HTTPS port (0: any free port)");
  add_integer(app, "--http-port", o.http_port, -1, 65535,
              "Plain-HTTP port that answers -1 to everything (0: any free port, -1: none)");
  // Not CLI::ExistingFile: a missing file is a fixture error (exit 3), reported by the mock.
  app.add_option("--fixture", o.fixture,
                 "Accounts, orders, timelines and faults (JSON, see tools/README.md); default: "
                 "the built-in set");
  app.add_option("--ca-out", o.ca_out,
                 "Write the generated CA certificate (PEM) here; default: a temporary file");
  app.add_option("--url-file", o.url_file,
                 "Once listening, write the HTTPS URL (one line) to this file; removed at exit");
  add_integer(app, "--max-requests", o.max_requests, 0, INT64_MAX,
              "Stop after this many requests (0: no limit)");
  add_integer(app, "--seconds", o.seconds, 0, 31'622'400,
              "Stop after this many seconds (0: no limit)");
  add_integer(app, "--request-timeout", o.request_timeout, 1, 3600,
              "Seconds a connection may take to send its request (and again to take the "
              "reply); slower clients are disconnected");
  app.add_flag("--quiet,-q", o.quiet, "Do not log requests");
}

int parse_error_status(CLI::App& app, const CLI::ParseError& e) {
  return app.exit(e) == 0 ? exit_ok : exit_usage;
}

int run_foreground(const run_options& o) {
  std::string error;
  options opts;
  if (o.fixture.empty()) {
    auto f = parse_fixture(default_fixture_json(), error);
    if (!f) {
      std::fprintf(stderr, "gdos mock: built-in fixture: %s\n", error.c_str());
      return exit_fixture;
    }
    opts.data = std::move(*f);
  } else {
    auto f = load_fixture(o.fixture, error);
    if (!f) {
      std::fprintf(stderr, "gdos mock: %s\n", error.c_str());
      return exit_fixture;
    }
    opts.data = std::move(*f);
  }
  if (!is_loopback(o.host))
    std::fprintf(stderr,
                 "gdos mock: warning: %s is not a loopback address: other machines may reach "
                 "this mock (its certificate names only localhost, 127.0.0.1 and ::1)\n",
                 o.host.c_str());
  opts.host = o.host;
  // add_run_options() checked the ranges: the narrowing casts cannot change a value.
  opts.https_port = static_cast<int>(o.port);
  opts.http_port = static_cast<int>(o.http_port);
  opts.ca_file = o.ca_out;
  opts.max_requests = static_cast<std::size_t>(o.max_requests);
  opts.duration = std::chrono::seconds(o.seconds);
  opts.request_timeout = std::chrono::seconds(o.request_timeout);
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
  start_errc why{};
  auto srv = server::start(std::move(opts), error, &why);
  if (!srv) {
    std::fprintf(stderr, "gdos mock: %s\n", error.c_str());
    return why == start_errc::listen ? exit_listen : exit_setup;
  }
  if (!o.url_file.empty() && !replace_file(o.url_file, srv->url() + "\n")) {
    std::fprintf(stderr, "gdos mock: cannot write %s\n", o.url_file.c_str());
    return exit_setup;
  }

  // The first line is for programs (one JSON object), the rest for people.
  const nlohmann::json ready = {
      {"url", srv->url()},
      {"http_url", srv->http_port() >= 0 ? nlohmann::json(srv->http_url()) : nlohmann::json()},
      {"ca_file", srv->ca_file()},
      {"https_port", srv->https_port()},
      {"http_port", srv->http_port()},
      {"pid", ::getpid()}};
  std::printf("%s\n", ready.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  std::printf("gdos mock: GetDetailedOrderStatus endpoint, %zu order%s, %zu account%s (%s)\n",
              orders, orders == 1 ? "" : "s", accounts, accounts == 1 ? "" : "s",
              o.fixture.empty() ? "built-in fixture" : o.fixture.c_str());
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
  if (!o.url_file.empty()) {
    std::error_code ec;
    std::filesystem::remove(o.url_file, ec);
  }
  std::fprintf(stderr, "gdos mock: stopped after %zu requests%s\n", srv->requests(),
               signal_number == SIGINT    ? " (SIGINT)"
               : signal_number == SIGTERM ? " (SIGTERM)"
                                          : "");
  return srv->failed() ? exit_failed : exit_ok;
}

}  // namespace gdos_mock
