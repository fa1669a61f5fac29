// The C++ snippets of README.md's sections on the example transports, compiled and run against
// the mock endpoint (in-process, real TLS on 127.0.0.1). Each block there appears here verbatim
// (leading whitespace aside): tools/check_readme.py, the test readme_snippets_in_sync, fails
// when they drift apart, so edit both together.
#include <gdos/gdos.hpp>

#include <doctest/doctest.h>

#include <csignal>
#include <string>

#include "curl_transport.hpp"
#include "fixture.hpp"
#include "httplib_transport.hpp"
#include "mock.hpp"

namespace {

// OpenSSL's writes to a peer that went away raise SIGPIPE; the mock serves TLS in this process.
const bool sigpipe_ignored = [] {
  std::signal(SIGPIPE, SIG_IGN);
  return true;
}();

struct mock_endpoint {
  std::unique_ptr<gdos_mock::server> srv;
  mock_endpoint() {
    std::string error;
    auto data = gdos_mock::parse_fixture(gdos_mock::default_fixture_json(), error);
    REQUIRE_MESSAGE(data, error);
    gdos_mock::options o;
    o.data = std::move(*data);
    o.duration = std::chrono::seconds(60);
    srv = gdos_mock::server::start(std::move(o), error);
    REQUIRE_MESSAGE(srv, error);
  }
};

const gdos::request req{.login_name = "demo_reseller",
                        .login_password = "Demo pass&word 42!",
                        .order_number = 1000002,
                        .query_type = gdos::query_type::detailed};

}  // namespace

TEST_CASE("README: the libcurl transport") {
  mock_endpoint mock;
  const std::string ca_file = mock.srv->ca_file();  // the mock's CA; "" for the system's
  const std::string url = mock.srv->url();          // default: gdos::comodo_url

  gdos_examples::curl_transport curl({.ca_file = ca_file});
  auto r = gdos::get_detailed_order_status(curl, req, {.url = url});

  REQUIRE_MESSAGE(r, r.error().message());
  CHECK(r->orders.at(0).status->equals_decoded("Issued"));
}

TEST_CASE("README: the cpp-httplib transport") {
  mock_endpoint mock;
  const std::string ca_file = mock.srv->ca_file();
  const std::string url = mock.srv->url();

  gdos_examples::httplib_transport client({.ca_file = ca_file});
  auto r = gdos::get_detailed_order_status(client, req, {.url = url});

  REQUIRE_MESSAGE(r, r.error().message());
  CHECK(r->orders.at(0).certificates.at(0).fqdn->equals_decoded("www.example.com"));
}
