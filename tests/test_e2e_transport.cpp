// End to end over real TLS on 127.0.0.1: the mock endpoint (tools/gdos_mock) runs in-process on
// its own threads, and both example transports (examples/curl_transport, examples/
// httplib_transport) call it through gdos::get_detailed_order_status. Every error path the
// endpoint has must reach the client as the typed error.
#include <gdos/transport.hpp>
//
#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "curl_transport.hpp"
#include "fixture.hpp"
#include "httplib_transport.hpp"
#include "mock.hpp"

using namespace std::literals;

namespace {

// OpenSSL's writes to a peer that went away raise SIGPIPE; the mock serves TLS in this process.
const bool sigpipe_ignored = [] {
  std::signal(SIGPIPE, SIG_IGN);
  return true;
}();

constexpr std::string_view password = "Demo pass&word 42!";  // the fixture's demo account

// One mock per test case, with its log captured.
struct running_mock {
  std::unique_ptr<gdos_mock::server> srv;
  std::shared_ptr<std::mutex> log_mutex = std::make_shared<std::mutex>();
  std::shared_ptr<std::vector<std::string>> log = std::make_shared<std::vector<std::string>>();

  explicit running_mock(std::size_t max_requests = 0) {
    std::string error;
    auto data = gdos_mock::parse_fixture(gdos_mock::default_fixture_json(), error);
    REQUIRE_MESSAGE(data, error);
    gdos_mock::options o;
    o.data = std::move(*data);
    o.max_requests = max_requests;
    o.duration = 120s;  // never outlive a hung test by long
    o.log = [m = log_mutex, l = log](std::string_view line) {
      std::lock_guard lock(*m);
      l->emplace_back(line);
    };
    srv = gdos_mock::server::start(std::move(o), error);
    REQUIRE_MESSAGE(srv, error);
  }
  std::vector<std::string> lines() const {
    std::lock_guard lock(*log_mutex);
    return *log;
  }
};

gdos::request demo_request(std::int64_t order, gdos::query_type q = gdos::query_type::detailed) {
  return {.login_name = "demo_reseller",
          .login_password = password,
          .order_number = order,
          .query_type = q};
}

// Both example transports, as one type the tests can loop over.
using any_transport = std::function<gdos::http_response(const gdos::http_request&)>;

struct named_transport {
  std::string name;
  any_transport call;
};

std::vector<named_transport> transports(const std::string& ca_file) {
  // curl_transport is move-only (it owns a handle), std::function wants copies: share it.
  auto curl = std::make_shared<gdos_examples::curl_transport>(gdos_examples::curl_options{
      .ca_file = ca_file, .connect_timeout = 10s, .total_timeout = 30s});
  return {
      {"libcurl", [curl](const gdos::http_request& r) { return (*curl)(r); }},
      {"cpp-httplib", gdos_examples::httplib_transport(
                          {.ca_file = ca_file, .connect_timeout = 10s, .total_timeout = 30s})},
  };
}

// A client that does what gdos never does: it rewrites the request before sending it, to make
// the endpoint answer its error codes. `edit` gets the body and may change the method.
any_transport tampering(any_transport inner,
                        std::function<void(std::string& method, std::string& body)> edit) {
  return [inner = std::move(inner), edit = std::move(edit)](const gdos::http_request& r) {
    std::string method(r.method);
    std::string body(r.body);
    edit(method, body);
    gdos::http_request changed = r;
    changed.method = method;
    changed.body = body;
    return inner(changed);
  };
}

void replace(std::string& s, std::string_view from, std::string_view to) {
  const std::size_t at = s.find(from);
  REQUIRE(at != std::string::npos);
  s.replace(at, from.size(), to);
}

const gdos::call_error& expect_api_error(const gdos::result<gdos::reply, gdos::call_error>& r,
                                         gdos::api_code code) {
  REQUIRE_FALSE(r);
  INFO(r.error().message());
  CHECK(r.error().code == gdos::call_errc::api_error);
  CHECK(r.error().api == code);
  CHECK(r.error().http_status == 200);
  CHECK(gdos::is_form_content_type(r.error().content_type));
  return r.error();
}

}  // namespace

TEST_CASE("both transports read an order over verified TLS, shaped by queryType") {
  running_mock mock;
  for (const named_transport& t : transports(mock.srv->ca_file())) {
    CAPTURE(t.name);
    const gdos::call_options o{.url = mock.srv->url()};

    SUBCASE("queryType 0: the order's status fields only") {
      const auto r = gdos::get_detailed_order_status(
          t.call, demo_request(1000005, gdos::query_type::status), o);
      REQUIRE_MESSAGE(r, r.error().message());
      REQUIRE(r->orders.size() == 1);
      const gdos::order& o1 = r->orders[0];
      CHECK(o1.number == 1000005);
      CHECK(o1.status->equals_decoded("Replaced"));
      CHECK(o1.status_reason->equals_decoded("Replaced by order 1000006 (new key)"));
      CHECK(o1.date_time->equals_decoded("2025-01-15 10:00"));
      CHECK(o1.certificates.empty());
      CHECK(r->unknown_fields.empty());
    }
    SUBCASE("queryType 1: plus the certificates, without replacement orders") {
      const auto r = gdos::get_detailed_order_status(
          t.call, demo_request(1000005, gdos::query_type::detailed), o);
      REQUIRE_MESSAGE(r, r.error().message());
      REQUIRE(r->orders.size() == 1);
      REQUIRE(r->orders[0].certificates.size() == 1);
      const gdos::certificate& c = r->orders[0].certificates[0];
      CHECK(c.fqdn->equals_decoded("api.example.com"));
      CHECK(c.csr_status == gdos::progress_status::completed);
      CHECK(c.ov_callback_status == gdos::progress_status::not_required);
      CHECK(r->unknown_fields.empty());  // no validity fields unless asked for
    }
    SUBCASE("queryType 2: plus the replacement order") {
      const auto r = gdos::get_detailed_order_status(
          t.call, demo_request(1000005, gdos::query_type::detailed_with_replacements), o);
      REQUIRE_MESSAGE(r, r.error().message());
      REQUIRE(r->orders.size() == 2);
      CHECK(r->orders[1].index == 2);
      CHECK(r->orders[1].number == 1000006);
      CHECK(r->orders[1].status->equals_decoded("Issued"));
      CHECK(r->orders[1].certificates.size() == 1);
    }
    SUBCASE("showValidityPeriod=Y adds the validity fields, N does not") {
      gdos::request req = demo_request(1000002);
      req.show_validity_period = gdos::yes_no::yes;
      const auto y = gdos::get_detailed_order_status(t.call, req, o);
      REQUIRE_MESSAGE(y, y.error().message());
      std::vector<std::string> names;
      for (const gdos::unknown_field& u : y->unknown_fields_of(1, 1))
        names.push_back(u.name.decode());
      CHECK(names == std::vector<std::string>{"validityPeriodStart", "validityPeriodEnd",
                                              "validityPeriodDays", "slId"});
      // One call per field (find_unknown), and the dates have orderDateTime's shape, which
      // parse_date_time() reads: the fixture's 2025-05-02 09:20 and 2026-05-02 23:59.
      const gdos::unknown_field* start = y->find_unknown(1, 1, "validityPeriodStart");
      const gdos::unknown_field* end = y->find_unknown(1, 1, "validityPeriodEnd");
      REQUIRE(start != nullptr);
      REQUIRE(end != nullptr);
      using namespace std::chrono;
      CHECK(gdos::parse_date_time(start->value) == local_days{2025y / May / 2} + 9h + 20min);
      CHECK(gdos::parse_date_time(end->value) == local_days{2026y / May / 2} + 23h + 59min);

      req.show_validity_period = gdos::yes_no::no;
      const auto n = gdos::get_detailed_order_status(t.call, req, o);
      REQUIRE_MESSAGE(n, n.error().message());
      names.clear();
      for (const gdos::unknown_field& u : n->unknown_fields_of(1, 1))
        names.push_back(u.name.decode());
      CHECK(names == std::vector<std::string>{"slId"});
    }
    SUBCASE("a certificateID finds its order; organizations come through suggestedOrgDetails") {
      gdos::request req = demo_request(0);
      req.order_number.reset();
      req.certificate_id = 5100010;
      const auto r = gdos::get_detailed_order_status(t.call, req, o);
      REQUIRE_MESSAGE(r, r.error().message());
      REQUIRE(r->orders.size() == 1);
      CHECK(r->orders[0].number == 1000008);
      REQUIRE(r->orders[0].suggested_org_details);
      const std::string list = r->orders[0].suggested_org_details->decode();
      const auto od = gdos::parse_org_details(list);
      REQUIRE(od);
      CHECK(od->status_kind() == gdos::org_status::found);
      REQUIRE(od->matches.size() == 2);
      CHECK(od->matches[0].organization_name->equals_decoded("Example Widgets & Co. Ltd"));
      CHECK(od->matches[1].country_name->equals_decoded("GB"));
    }
    SUBCASE("a multi-domain order lists each certificate, UTF-8 names intact") {
      const auto r = gdos::get_detailed_order_status(t.call, demo_request(1000007), o);
      REQUIRE_MESSAGE(r, r.error().message());
      REQUIRE(r->orders[0].certificates.size() == 3);
      CHECK(r->orders[0].certificates[2].fqdn->equals_decoded("m\xC3\xBCnchen.example.de"));
      CHECK(r->orders[0].certificates[2].dcv_status == gdos::progress_status::in_progress);
    }
  }
}

TEST_CASE("every error the endpoint has reaches the client as the typed error") {
  running_mock mock;
  for (const named_transport& t : transports(mock.srv->ca_file())) {
    CAPTURE(t.name);
    const gdos::call_options o{.url = mock.srv->url()};

    SUBCASE("-1 over plain HTTP") {
      const auto r = gdos::get_detailed_order_status(
          t.call, demo_request(1000002), {.url = mock.srv->http_url(), .allow_plain_http = true});
      CHECK(expect_api_error(r, gdos::api_code::not_https).detail ==
            "Request was not made over https!");
    }
    SUBCASE("-17 for a GET") {
      const auto get = tampering(t.call, [](std::string& method, std::string&) { method = "GET"; });
      const auto r = gdos::get_detailed_order_status(get, demo_request(1000002), o);
      CHECK(expect_api_error(r, gdos::api_code::get_not_post).detail ==
            "Request used GET rather than POST!");
    }
    SUBCASE("-16 for a wrong password, and for an unknown login") {
      gdos::request req = demo_request(1000002);
      req.login_password = "wrong password";
      const auto r = gdos::get_detailed_order_status(t.call, req, o);
      CHECK(expect_api_error(r, gdos::api_code::permission_denied).detail == "Permission denied!");
      req = demo_request(1000002);
      req.login_name = "nobody";
      expect_api_error(gdos::get_detailed_order_status(t.call, req, o),
                       gdos::api_code::permission_denied);
    }
    SUBCASE("-3 when the order is missing") {
      const auto strip = tampering(t.call, [](std::string&, std::string& body) {
        replace(body, "&orderNumber=1000002", "");
      });
      const auto r = gdos::get_detailed_order_status(strip, demo_request(1000002), o);
      CHECK(expect_api_error(r, gdos::api_code::missing_argument).detail ==
            "The 'orderNumber' argument is missing!");
    }
    SUBCASE("-4 for a queryType out of range") {
      const auto bad = tampering(t.call, [](std::string&, std::string& body) {
        replace(body, "queryType=1", "queryType=7");
      });
      const auto r = gdos::get_detailed_order_status(bad, demo_request(1000002), o);
      CHECK(expect_api_error(r, gdos::api_code::invalid_argument).detail ==
            "The value of the 'queryType' argument is invalid!");
    }
    SUBCASE("-4 for an order the account does not have") {
      const auto r = gdos::get_detailed_order_status(t.call, demo_request(4242), o);
      CHECK(expect_api_error(r, gdos::api_code::invalid_argument).detail ==
            "The value of the 'orderNumber' argument is invalid!");
    }
    SUBCASE("-2 for an argument the endpoint does not know") {
      const auto extra =
          tampering(t.call, [](std::string&, std::string& body) { body += "&colour=blue"; });
      const auto r = gdos::get_detailed_order_status(extra, demo_request(1000002), o);
      CHECK(expect_api_error(r, gdos::api_code::unrecognised_argument).detail ==
            "'colour' is an unrecognised argument!");
    }
    SUBCASE("another path is a 404 HTML page: an http_status error") {
      std::string url = mock.srv->url();
      replace(url, "!GetDetailedOrderStatus", "!NoSuchCall");
      const auto r = gdos::get_detailed_order_status(t.call, demo_request(1000002), {.url = url});
      REQUIRE_FALSE(r);
      CHECK(r.error().code == gdos::call_errc::http_status);
      CHECK(r.error().http_status == 404);
      CHECK(r.error().content_type.starts_with("text/html"));
    }
  }
}

TEST_CASE("a client that does not trust the mock's CA fails certificate verification") {
  running_mock mock;
  // Without a CA file both transports trust the system's authorities, which never signed the
  // certificate generated for this run.
  for (const named_transport& t : transports("")) {
    CAPTURE(t.name);
    const auto r =
        gdos::get_detailed_order_status(t.call, demo_request(1000002), {.url = mock.srv->url()});
    REQUIRE_FALSE(r);
    INFO(r.error().message());
    CHECK(r.error().code == gdos::call_errc::transport);
    CHECK(r.error().transport == gdos::transport_errc::tls_verification);
  }
  // ... and the same clients succeed once given the CA: the failure was the trust, nothing else.
  for (const named_transport& t : transports(mock.srv->ca_file())) {
    CAPTURE(t.name);
    CHECK(gdos::get_detailed_order_status(t.call, demo_request(1000002), {.url = mock.srv->url()}));
  }
}

TEST_CASE("a refused connection is transport_errc::connect, an unusable URL invalid_url") {
  int port = 0;
  {
    running_mock mock;
    port = mock.srv->https_port();
  }  // stopped: nothing listens on that port any more
  const std::string url = "https://127.0.0.1:" + std::to_string(port) + "/products/!X";
  for (const named_transport& t : transports("")) {
    CAPTURE(t.name);
    const auto r = gdos::get_detailed_order_status(t.call, demo_request(1000002), {.url = url});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == gdos::call_errc::transport);
    CHECK(r.error().transport == gdos::transport_errc::connect);

    for (const std::string_view unusable :
         {"https://127.0.0.1:99999999999/x"sv, "https://127.0.0.1:4a3/x"sv}) {
      CAPTURE(unusable);
      const auto bad = gdos::get_detailed_order_status(t.call, demo_request(1000002),
                                                       {.url = std::string(unusable)});
      REQUIRE_FALSE(bad);
      CHECK(bad.error().transport == gdos::transport_errc::invalid_url);
    }
    // A scheme other than http(s) never reaches a transport through gdos (insecure_url), but
    // the transports refuse it themselves too, for callers who use them directly.
    const std::string body = "loginName=x";
    for (const std::string_view unusable : {"ftp://127.0.0.1/x"sv, "file:///etc/passwd"sv}) {
      CAPTURE(unusable);
      const gdos::http_response direct = t.call({.url = unusable, .body = body});
      CHECK(direct.failure == gdos::transport_errc::invalid_url);
    }
  }
}

TEST_CASE("the mock's log names requests and outcomes, never the password") {
  running_mock mock;
  for (const named_transport& t : transports(mock.srv->ca_file())) {
    CAPTURE(t.name);
    CHECK(gdos::get_detailed_order_status(t.call, demo_request(1000002), {.url = mock.srv->url()}));
    gdos::request wrong = demo_request(1000002);
    wrong.login_password = "Wrong pass&word 42!";
    CHECK_FALSE(gdos::get_detailed_order_status(t.call, wrong, {.url = mock.srv->url()}));
    CHECK_FALSE(gdos::get_detailed_order_status(
        t.call, demo_request(1000002), {.url = mock.srv->http_url(), .allow_plain_http = true}));
  }
  // The server logs a request after writing its reply, so the client may be a little ahead.
  for (int i = 0; i < 500 && mock.srv->requests() < 6; ++i) std::this_thread::sleep_for(10ms);
  const std::vector<std::string> lines = mock.lines();
  REQUIRE(lines.size() == 6);
  // Counted rather than indexed: the two server threads may log in either order.
  const auto count = [&lines](std::string_view text) {
    int n = 0;
    for (const std::string& line : lines) n += line.find(text) != std::string::npos ? 1 : 0;
    return n;
  };
  CHECK(count("https POST /products/!GetDetailedOrderStatus -> 200 errorCode=0") == 2);
  CHECK(count("https POST /products/!GetDetailedOrderStatus -> 200 errorCode=-16") == 2);
  CHECK(count("http POST /products/!GetDetailedOrderStatus -> 200 errorCode=-1") == 2);
  const std::string encoded = gdos::form::encode(password);
  for (const std::string& line : lines) {
    CHECK(line.find(password) == std::string::npos);
    CHECK(line.find(encoded) == std::string::npos);
    CHECK(line.find("Wrong pass") == std::string::npos);
    CHECK(line.find("Wrong+pass") == std::string::npos);
  }
}

TEST_CASE("the mock stops by itself after max_requests") {
  running_mock mock(2);
  CHECK_FALSE(mock.srv->wait_for(50ms));  // nothing yet
  auto t = transports(mock.srv->ca_file());
  CHECK(
      gdos::get_detailed_order_status(t[0].call, demo_request(1000001), {.url = mock.srv->url()}));
  CHECK(
      gdos::get_detailed_order_status(t[1].call, demo_request(1000001), {.url = mock.srv->url()}));
  CHECK(mock.srv->wait_for(10s));
  CHECK(mock.srv->requests() == 2);
  t.clear();  // close the kept-alive connections, so that stop() need not wait for them
  mock.srv->stop();
  CHECK_FALSE(mock.srv->failed());
}
