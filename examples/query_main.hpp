/// @file query_main.hpp
/// @brief The example programs' shared main: query one order through a transport and print it.
///
///     env GDOS_LOGIN_NAME=reseller GDOS_LOGIN_PASSWORD=...
///       PROGRAM [--allow-plain-http] [--timeout SECONDS] ORDER [URL [CA_FILE]]
///
/// URL defaults to Comodo's endpoint and must be https unless --allow-plain-http is given (for a
/// test server's plain-HTTP port only: the password would travel in clear). CA_FILE (e.g. the
/// mock's CA) is then the only trusted authority. --timeout bounds the whole call (default 60,
/// 1 to 86400). Exit status: 0 success, 1 the call failed (the reason on stderr), 2 usage.
///
/// examples/query_curl.cpp and examples/query_httplib.cpp are this main over their transport;
/// `Options` is the transport's settings struct (curl_options, httplib_options: the same shape).
#pragma once

#include <gdos/gdos.hpp>

#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

namespace gdos_examples {

template <class Transport, class Options>
int query_main(int argc, char** argv) {
  // OpenSSL writes to the socket with write(2): a server closing mid-request would otherwise
  // kill the program with SIGPIPE (libcurl with CURLOPT_NOSIGNAL does not ignore it either).
  std::signal(SIGPIPE, SIG_IGN);
  const char* name = std::getenv("GDOS_LOGIN_NAME");
  const char* password = std::getenv("GDOS_LOGIN_PASSWORD");
  gdos::call_options call;
  Options options;
  const auto number = [](const char* text, auto& value) {
    const char* end = text + std::strlen(text);
    const auto [at, ec] = std::from_chars(text, end, value);
    return ec == std::errc{} && at == end;
  };
  bool usage = false;
  int first = 1;
  for (; first < argc && std::string_view(argv[first]).starts_with("--"); ++first) {
    const std::string_view flag = argv[first];
    long seconds = 0;
    if (flag == "--allow-plain-http") {
      call.allow_plain_http = true;
    } else if (flag == "--timeout" && first + 1 < argc && number(argv[first + 1], seconds) &&
               seconds >= 1 && seconds <= 86400) {
      options.total_timeout = std::chrono::seconds(seconds);
      ++first;
    } else {
      usage = true;
    }
  }
  const int positional = argc - first;
  std::int64_t order = 0;
  if (usage || positional < 1 || positional > 3 || name == nullptr || password == nullptr ||
      !number(argv[first], order)) {
    std::fprintf(stderr,
                 "usage: GDOS_LOGIN_NAME=.. GDOS_LOGIN_PASSWORD=.. %s [--allow-plain-http] "
                 "[--timeout SECONDS] ORDER [URL [CA_FILE]]\n",
                 argv[0]);
    return 2;
  }
  if (positional > 1) call.url = argv[first + 1];
  if (positional > 2) options.ca_file = argv[first + 2];

  const gdos::request req{.login_name = name,
                          .login_password = password,
                          .order_number = order,
                          .query_type = gdos::query_type::detailed_with_replacements};
  Transport transport(std::move(options));
  const auto r = gdos::get_detailed_order_status(transport, req, call);
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

}  // namespace gdos_examples
