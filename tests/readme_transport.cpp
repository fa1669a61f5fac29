// The C++ snippets of README.md's "Transport" section, compiled and checked. Each block there
// appears here verbatim (leading whitespace aside): tools/check_readme.py, the test
// readme_snippets_in_sync, fails when they drift apart, so edit both together. The example
// transports' snippets need libcurl and cpp-httplib: they are in tests/readme_examples.cpp.
#include <gdos/gdos.hpp>

#include <doctest/doctest.h>

#include <string>
#include <utility>

TEST_CASE("README: calling GetDetailedOrderStatus through a transport") {
  const std::string password = "secret";

  // Your HTTP client, wrapped: any callable taking a gdos::http_request, returning a
  // gdos::http_response. This stand-in answers the way the endpoint does.
  auto transport = [](const gdos::http_request& req [[maybe_unused]]) {
    // POST req.body to req.url with the header Content-Type: req.content_type, then:
    return gdos::http_response{.status = 200,
                               .content_type = "application/x-www-form-urlencoded",
                               .body = "errorCode=0&1_orderNumber=1234567&1_orderStatus=Issued"};
  };
  gdos::request req{.login_name = "reseller",
                    .login_password = password,
                    .order_number = 1234567,
                    .query_type = gdos::query_type::detailed};
  gdos::result<gdos::reply, gdos::call_error> r = gdos::get_detailed_order_status(transport, req);
  std::string report;
  if (!r) {
    report = r.error().message();  // r.error().code says which step failed
  } else {
    for (const gdos::order& o : r->orders)  // views into the body the reply owns
      report += std::to_string(*o.number) + " " + o.status->decode();
  }
  // report == "1234567 Issued"

  CHECK(report == "1234567 Issued");

  // A transport that gets no reply says so with a value, not an exception:
  auto unreachable = [](const gdos::http_request&) {
    return gdos::http_response::transport_failure(gdos::transport_errc::connect,
                                                  "Connection refused");
  };
  auto failed = gdos::get_detailed_order_status(unreachable, req);
  // failed.error().code == gdos::call_errc::transport
  // failed.error().transport == gdos::transport_errc::connect
  // failed.error().message() == "no reply (connect): Connection refused"

  REQUIRE_FALSE(failed);
  CHECK(failed.error().code == gdos::call_errc::transport);
  CHECK(failed.error().transport == gdos::transport_errc::connect);
  CHECK(failed.error().message() == "no reply (connect): Connection refused");
}

TEST_CASE("README: an error reply is a typed call_error") {
  auto denied =
      gdos::check_http_response({.status = 200,
                                 .content_type = "application/x-www-form-urlencoded",
                                 .body = "errorCode=-16&errorMessage=Permission+denied%21"});
  // denied.error().code == gdos::call_errc::api_error
  // denied.error().api == gdos::api_code::permission_denied
  // denied.error().message() == "errorCode -16: Permission denied!"

  REQUIRE_FALSE(denied);
  CHECK(denied.error().code == gdos::call_errc::api_error);
  CHECK(denied.error().api == gdos::api_code::permission_denied);
  CHECK(denied.error().message() == "errorCode -16: Permission denied!");
}
