// gdos-mock: the mock GetDetailedOrderStatus endpoint on its own (the same as `gdos mock`).
#include "run.hpp"

#include <csignal>

int main(int argc, char** argv) {
  // OpenSSL writes to a socket whose client went away would otherwise raise SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"gdos-mock: a fake GetDetailedOrderStatus endpoint over HTTPS on loopback"};
  gdos_mock::run_options o;
  gdos_mock::add_run_options(app, o);
  CLI11_PARSE(app, argc, argv);
  return gdos_mock::run_foreground(o);
}
