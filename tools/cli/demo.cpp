// gdos demo: the mock endpoint on a free loopback port, and `query` against it over verified TLS.
#include "call.hpp"
#include "command.hpp"
#include "exit_codes.hpp"
#include "fixture.hpp"
#include "mock.hpp"
#include "options.hpp"
#include "watch.hpp"

#include <gdos/gdos.hpp>

#include <fmt/core.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

namespace gdos_cli {
namespace {

int run_demo() {
  std::string error;
  auto data = gdos_mock::parse_fixture(gdos_mock::default_fixture_json(), error);
  if (!data) {
    fmt::print(stderr, "gdos demo: built-in fixture: {}\n", error);
    return 1;
  }
  const gdos_mock::account account = data->accounts.front();
  gdos_mock::options mo;
  mo.data = std::move(*data);
  mo.duration = std::chrono::seconds(120);  // a safety net: the demo never leaves it running
  auto mock = gdos_mock::server::start(std::move(mo), error);
  if (!mock) {
    fmt::print(stderr, "gdos demo: cannot start the mock endpoint: {}\n", error);
    return 1;
  }
  fmt::print(
      "gdos demo: a mock GetDetailedOrderStatus endpoint is running on loopback with a CA made "
      "for this run.\n"
      "  URL      {}\n  CA file  {}\n"
      "Each step below is `gdos query` (libcurl, certificate verification on) against it, as "
      "reseller '{}'.\n",
      mock->url(), mock->ca_file(), account.login_name);

  call_settings s;
  s.endpoint = mock->url();
  s.ca_file = mock->ca_file();
  s.timeout = std::chrono::seconds(20);
  int unexpected = 0;
  const auto step = [&](std::string_view title, const request_options& o, std::string_view password,
                        int expected_status) {
    fmt::print("\n==== {}\n", title);
    std::fflush(stdout);
    const int status = query(make_request(o, account.login_name, password), s);
    if (status != expected_status) {
      ++unexpected;
      fmt::print(stderr, "gdos demo: expected exit status {}, got {}\n", expected_status, status);
    }
  };

  step("gdos query --order 1000005 --query-type 2 --show-validity-period Y  (replaced order)",
       {.order = 1000005, .query_type = 2, .show_validity_period = "Y"}, account.login_password,
       exit_ok);
  step("gdos query --order 1000007 --query-type 1  (multi-domain, validity not asked for)",
       {.order = 1000007, .query_type = 1}, account.login_password, exit_ok);
  step("gdos query --certificate-id 5100010 --query-type 1  (OV pending, organizations found)",
       {.certificate_id = 5100010, .query_type = 1}, account.login_password, exit_ok);
  step("gdos query --order 1000003 --query-type 0  (rejected, status only)",
       {.order = 1000003, .query_type = 0}, account.login_password, exit_ok);
  step("gdos query --order 1000002 with a wrong password  (expect errorCode -16)",
       {.order = 1000002}, "not-the-password", exit_api_error);
  step("gdos query --order 4242  (not in the fixture: expect errorCode -4)", {.order = 4242},
       account.login_password, exit_api_error);
  {
    // An order moving along its timeline (the fixture's 1000009: DCV in progress at 1 s,
    // completed at 2 s, issued at 3 s after the first reply), followed by `gdos watch`.
    fmt::print(
        "\n==== gdos watch --order 1000009 --interval 500ms  (pending, then issued in about 3 "
        "s)\n");
    std::fflush(stdout);
    watch_options w;
    w.call = s;
    w.interval = std::chrono::milliseconds(500);
    w.spacing = std::chrono::microseconds(100'000);
    w.deadline = std::chrono::seconds(20);  // a safety net: the timeline ends at 3 s
    const int status = watch_orders(w, account.login_name, account.login_password, {1000009});
    if (status != exit_watch_succeeded) {
      ++unexpected;
      fmt::print(stderr, "gdos demo: expected gdos watch to exit {}, got {}\n",
                 exit_watch_succeeded, status);
    }
  }
  {
    call_settings plain = s;
    plain.endpoint = mock->http_url();
    plain.allow_plain_http = true;  // on purpose: the mock's plain port answers -1
    fmt::print("\n==== the same query over plain HTTP ({})  (expect errorCode -1)\n",
               plain.endpoint);
    std::fflush(stdout);
    if (query(make_request({.order = 1000002}, account.login_name, account.login_password),
              plain) != exit_api_error)
      ++unexpected;
  }
  {
    call_settings untrusted = s;
    untrusted.ca_file.clear();
    fmt::print("\n==== the same query without the mock's CA  (expect a TLS verification error)\n");
    std::fflush(stdout);
    gdos::call_error e;
    query(make_request({.order = 1000002}, account.login_name, account.login_password), untrusted,
          &e);
    if (e.code != gdos::call_errc::transport ||
        e.transport != gdos::transport_errc::tls_verification)
      ++unexpected;
  }

  const std::size_t requests = mock->requests();
  mock->stop();
  fmt::print("\ngdos demo: {} requests answered by the mock, {}; mock stopped.\n", requests,
             unexpected == 0 ? "every outcome as expected" : "SOME OUTCOMES UNEXPECTED");
  return unexpected == 0 ? 0 : 1;
}

}  // namespace

command demo_command(CLI::App& gdos) {
  auto* cmd = gdos.add_subcommand(
      "demo", "Start the mock endpoint on loopback and query it over TLS (ends by itself)");
  return {cmd, [] { return run_demo(); }};
}

}  // namespace gdos_cli
