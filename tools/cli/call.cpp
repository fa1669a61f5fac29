#include "call.hpp"

#include "curl_transport.hpp"
#include "exit_codes.hpp"
#include "output.hpp"

#include <fmt/core.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace gdos_cli {

int exit_status_of(const gdos::call_error& e) {
  switch (e.code) {
    case gdos::call_errc::api_error:
      return exit_api_error;
    case gdos::call_errc::insecure_url:
    case gdos::call_errc::invalid_request:
      return exit_usage;
    default:
      return exit_no_reply;
  }
}

int query(const gdos::request& req, const call_settings& s, gdos::call_error* seen) {
  gdos_examples::curl_transport curl({.ca_file = s.ca_file,
                                      .connect_timeout = std::chrono::seconds(10),
                                      .total_timeout = std::chrono::seconds(s.timeout_seconds)});
  const auto r = gdos::get_detailed_order_status(
      curl, req, {.url = s.endpoint, .allow_plain_http = s.allow_plain_http});
  if (!r) {
    const gdos::call_error& e = r.error();
    std::string kind(gdos::to_string(e.code));
    if (e.code == gdos::call_errc::transport)
      kind += "/" + std::string(gdos::to_string(e.transport));
    std::fflush(stdout);
    fmt::print(stderr, "gdos: {}: {}\n", kind, e.message());
    std::fflush(stderr);
    if (seen != nullptr) *seen = e;
    return exit_status_of(e);
  }
  print_response(r->get(), s.json);
  return exit_ok;
}

}  // namespace gdos_cli
