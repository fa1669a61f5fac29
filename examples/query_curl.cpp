// Queries one order through libcurl and prints its orders and certificates.
//
//   GDOS_LOGIN_NAME=reseller GDOS_LOGIN_PASSWORD=... example_query_curl ORDER [URL [CA_FILE]]
//
// URL defaults to Comodo's endpoint; CA_FILE (e.g. the mock's CA) replaces the system's trusted
// authorities. Exit status: 0 success, 1 the call failed (the reason on stderr), 2 usage.
#include "curl_transport.hpp"

#include <gdos/gdos.hpp>

#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // a server closing mid-write must not kill the program
  const char* name = std::getenv("GDOS_LOGIN_NAME");
  const char* password = std::getenv("GDOS_LOGIN_PASSWORD");
  std::int64_t order = 0;
  if (argc < 2 || argc > 4 || name == nullptr || password == nullptr ||
      std::from_chars(argv[1], argv[1] + std::strlen(argv[1]), order).ec != std::errc{}) {
    std::fprintf(stderr, "usage: GDOS_LOGIN_NAME=.. GDOS_LOGIN_PASSWORD=.. %s ORDER [URL [CA]]\n",
                 argv[0]);
    return 2;
  }

  const gdos::request req{.login_name = name,
                          .login_password = password,
                          .order_number = order,
                          .query_type = gdos::query_type::detailed_with_replacements};
  gdos_examples::curl_transport curl({.ca_file = argc > 3 ? argv[3] : ""});
  gdos::call_options options;
  if (argc > 2) options.url = argv[2];

  const auto r = gdos::get_detailed_order_status(curl, req, options);
  if (!r) {
    const gdos::call_error& e = r.error();
    std::fprintf(stderr, "error (%s): %s\n", std::string(to_string(e.code)).c_str(),
                 e.message().c_str());
    return 1;
  }
  for (const gdos::order& o : r->orders) {
    std::printf("order %lld: %s\n", static_cast<long long>(o.number.value_or(0)),
                o.status ? o.status->decode().c_str() : "?");
    for (const gdos::certificate& c : o.certificates)
      std::printf("  certificate %u: %s, %s\n", c.index, c.fqdn ? c.fqdn->decode().c_str() : "?",
                  c.status ? c.status->decode().c_str() : "?");
  }
  return 0;
}
