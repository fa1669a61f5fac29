// gdos-mock: the mock GetDetailedOrderStatus endpoint on its own (the same as `gdos mock`, with
// the same exit statuses: run.hpp).
#include "run.hpp"

#include <csignal>
#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
  // OpenSSL writes to a socket whose client went away would otherwise raise SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    CLI::App app{"gdos-mock: a fake GetDetailedOrderStatus endpoint over HTTPS on loopback"};
    gdos_mock::run_options o;
    gdos_mock::add_run_options(app, o);
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      return gdos_mock::parse_error_status(app, e);
    }
    return gdos_mock::run_foreground(o);
  } catch (const std::exception& e) {  // std::bad_alloc, I/O failures
    std::fprintf(stderr, "gdos-mock: %s\n", e.what());
    return gdos_mock::exit_failed;
  }
}
