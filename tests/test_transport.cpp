// Tests of the transport glue, include/gdos/transport.hpp, with fake in-process transports (the
// real ones, over TLS to the mock endpoint, are in tests/test_e2e_transport.cpp). The header
// comes first to prove it is self-contained.
#include <gdos/transport.hpp>
//
#include <doctest/doctest.h>

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using namespace std::literals;

namespace {

constexpr std::string_view form_type = "application/x-www-form-urlencoded";

const gdos::request valid_request{.login_name = "reseller",
                                  .login_password = "p@ss word&more",
                                  .order_number = 1234567,
                                  .query_type = gdos::query_type::detailed};

gdos::http_response reply_with(int status, std::string content_type, std::string body) {
  gdos::http_response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

// A transport that records what it was asked and answers with a fixed response.
struct recording_transport {
  gdos::http_response answer{};
  int calls = 0;
  std::string method{}, url{}, content_type{}, body{};
  gdos::http_response operator()(const gdos::http_request& r) {
    ++calls;
    method = r.method;
    url = r.url;
    content_type = r.content_type;
    body = r.body;
    return answer;
  }
};

// ---- the concept: what a transport is, and what is not one ------------------------------------

struct const_functor {
  gdos::http_response operator()(const gdos::http_request&) const { return {}; }
};
struct mutable_functor {
  gdos::http_response operator()(const gdos::http_request&) { return {}; }
};
struct convertible_reply {
  operator gdos::http_response() const { return {}; }  // NOLINT(google-explicit-constructor)
};
gdos::http_response free_function(const gdos::http_request&) { return {}; }

struct returns_string {
  std::string operator()(const gdos::http_request&) const { return {}; }
};
struct returns_int {
  int operator()(const gdos::http_request&) const { return 200; }
};
struct takes_body_only {
  gdos::http_response operator()(std::string_view) const { return {}; }
};
struct takes_mutable_request {
  gdos::http_response operator()(gdos::http_request&) const { return {}; }
};
struct takes_nothing {
  gdos::http_response operator()() const { return {}; }
};
struct rvalue_only {
  gdos::http_response operator()(const gdos::http_request&) && { return {}; }
};

static_assert(gdos::transport<const_functor>);
static_assert(gdos::transport<const const_functor>);
static_assert(gdos::transport<mutable_functor>);
static_assert(gdos::transport<decltype(&free_function)>);
static_assert(gdos::transport<std::function<gdos::http_response(const gdos::http_request&)>>);
static_assert(gdos::transport<std::function<convertible_reply(const gdos::http_request&)>>);
static_assert(
    gdos::transport<decltype([](const gdos::http_request&) { return gdos::http_response{}; })>);

// Misuse: each of these must be rejected by the concept, and therefore (static_assert in
// get_detailed_order_status) fail to compile with a message naming the expected signature
// (tests/transport_misuse.cpp checks that message with the real compiler).
static_assert(!gdos::transport<returns_string>);
static_assert(!gdos::transport<returns_int>);
static_assert(!gdos::transport<takes_body_only>);
static_assert(!gdos::transport<takes_mutable_request>);
static_assert(!gdos::transport<takes_nothing>);
static_assert(!gdos::transport<rvalue_only>);
static_assert(!gdos::transport<const mutable_functor>);
static_assert(!gdos::transport<int>);
static_assert(!gdos::transport<gdos::http_response>);

// ---- media types -------------------------------------------------------------------------------

static_assert(gdos::is_form_content_type("application/x-www-form-urlencoded"));
static_assert(gdos::is_form_content_type("Application/X-WWW-Form-URLEncoded"));
static_assert(gdos::is_form_content_type("application/x-www-form-urlencoded; charset=UTF-8"));
static_assert(gdos::is_form_content_type("  application/x-www-form-urlencoded ;charset=utf-8"));
static_assert(!gdos::is_form_content_type(""));
static_assert(!gdos::is_form_content_type("text/plain"));
static_assert(!gdos::is_form_content_type("text/html; charset=iso-8859-1"));
static_assert(!gdos::is_form_content_type("application/x-www-form-urlencodedX"));
static_assert(!gdos::is_form_content_type("application/x-www-form"));
static_assert(!gdos::is_form_content_type("multipart/form-data"));

}  // namespace

TEST_CASE("the transport concept accepts callables returning http_response and nothing else") {
  // The static_asserts above are the test; this case makes the file's intent show up in the
  // test report and exercises a function pointer transport at run time.
  auto r = gdos::get_detailed_order_status(&free_function, valid_request);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == gdos::call_errc::transport);  // free_function answers status 0
}

TEST_CASE("the transport receives one POST of the encoded request to the configured URL") {
  recording_transport t{reply_with(200, std::string(form_type), "errorCode=0")};
  const auto r = gdos::get_detailed_order_status(t, valid_request);
  REQUIRE(r);
  CHECK(t.calls == 1);
  CHECK(t.method == "POST");
  CHECK(t.url == gdos::comodo_url);
  CHECK(t.content_type == "application/x-www-form-urlencoded");
  CHECK(t.body == *gdos::encode_request(valid_request));
  CHECK(t.body ==
        "loginName=reseller&loginPassword=p%40ss+word%26more&orderNumber=1234567&queryType=1"
        "&responseFormat=1");

  gdos::call_options o;
  o.url = gdos::trust_provider_url;
  REQUIRE(gdos::get_detailed_order_status(t, valid_request, o));
  CHECK(t.calls == 2);
  CHECK(t.url == gdos::trust_provider_url);
}

TEST_CASE("an invalid request is refused before the transport is called") {
  recording_transport t{reply_with(200, std::string(form_type), "errorCode=0")};
  gdos::request no_order = valid_request;
  no_order.order_number.reset();
  const auto r = gdos::get_detailed_order_status(t, no_order);
  REQUIRE_FALSE(r);
  CHECK(t.calls == 0);
  CHECK(r.error().code == gdos::call_errc::invalid_request);
  CHECK(r.error().validation.field == gdos::request_field::order_number);
  CHECK(r.error().validation.ec == gdos::request_errc::missing);
  CHECK(r.error().message() == "invalid request: orderNumber: missing");
}

TEST_CASE("a successful reply owns its body: views outlive the transport's temporary string") {
  // 15 bytes: short enough for std::string's small-buffer optimisation, where a moved string's
  // bytes move too. The reply must still keep its views valid through moves and copies.
  const std::string_view small_body = "errorCode=0&a=b";
  std::vector<gdos::reply> replies;
  for (int i = 0; i < 40; ++i) {  // enough push_backs to reallocate (and move) several times
    auto r = gdos::get_detailed_order_status(
        [&](const gdos::http_request&) {
          return reply_with(200, std::string(form_type), std::string(small_body));
        },
        valid_request);
    REQUIRE(r);
    replies.push_back(std::move(r).value());
  }
  for (const gdos::reply& r : replies) {
    REQUIRE(r.unknown_fields.size() == 1);
    const std::string_view value = r.unknown_fields[0].value.encoded();
    CHECK(value == "b");
    // The view points into the reply's own body, wherever the reply has moved to.
    CHECK(value.data() >= r.body().data());
    CHECK(value.data() < r.body().data() + r.body().size());
    CHECK(r.body() == small_body);
    CHECK(r.http_status() == 200);
    CHECK(r.content_type() == form_type);
  }
}

TEST_CASE("copies of a reply share the body, so views from a copy survive the original") {
  const std::string body =
      "errorCode=0&1_orderNumber=1234567&1_orderStatus=Issued&1_1_FQDN=www.example.com"
      "&1_1_dcvStatus=1";
  std::optional<gdos::reply> copy;
  {
    auto r = gdos::get_detailed_order_status(
        [&](const gdos::http_request&) { return reply_with(200, std::string(form_type), body); },
        valid_request);
    REQUIRE(r);
    copy = *r;  // copy, then r dies at the end of this block
  }
  REQUIRE(copy->orders.size() == 1);
  const gdos::order& o = copy->orders[0];
  CHECK(o.number == 1234567);
  CHECK(o.status->equals_decoded("Issued"));
  REQUIRE(o.certificates.size() == 1);
  CHECK(o.certificates[0].fqdn->equals_decoded("www.example.com"));
  CHECK(o.certificates[0].dcv_status == gdos::progress_status::completed);
  const gdos::response& plain = copy->get();
  CHECK(&plain.orders == &copy->orders);
}

TEST_CASE("a transport failure is a typed error carrying the client's message") {
  recording_transport t{
      gdos::http_response::transport_failure(gdos::transport_errc::connect, "refused")};
  const auto r = gdos::get_detailed_order_status(t, valid_request);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == gdos::call_errc::transport);
  CHECK(r.error().transport == gdos::transport_errc::connect);
  CHECK(r.error().detail == "refused");
  CHECK(r.error().http_status == 0);
  CHECK(r.error().message() == "no reply (connect): refused");

  SUBCASE("status 0 without a reason counts as a failure of kind other") {
    t.answer = reply_with(0, "", "");
    const auto r0 = gdos::get_detailed_order_status(t, valid_request);
    REQUIRE_FALSE(r0);
    CHECK(r0.error().code == gdos::call_errc::transport);
    CHECK(r0.error().transport == gdos::transport_errc::other);
  }
  SUBCASE("transport_failure never records `none`") {
    const auto h = gdos::http_response::transport_failure(gdos::transport_errc::none, "x");
    CHECK(h.failed());
    CHECK(h.failure == gdos::transport_errc::other);
  }
  SUBCASE("a failure wins over a status the transport also set") {
    t.answer.status = 200;
    t.answer.body = "errorCode=0";
    const auto r2 = gdos::get_detailed_order_status(t, valid_request);
    REQUIRE_FALSE(r2);
    CHECK(r2.error().code == gdos::call_errc::transport);
  }
}

TEST_CASE("an HTTP status other than 200 is a typed error with the status, type and body start") {
  recording_transport t{reply_with(502, "text/html", "<html><body>Bad Gateway</body></html>")};
  const auto r = gdos::get_detailed_order_status(t, valid_request);
  REQUIRE_FALSE(r);
  const gdos::call_error& e = r.error();
  CHECK(e.code == gdos::call_errc::http_status);
  CHECK(e.http_status == 502);
  CHECK(e.content_type == "text/html");
  CHECK(e.detail == "<html><body>Bad Gateway</body></html>");
  CHECK(e.message() == "HTTP status 502 (expected 200): <html><body>Bad Gateway</body></html>");

  SUBCASE("even when the body would parse") {
    t.answer = reply_with(404, std::string(form_type), "errorCode=0");
    const auto r2 = gdos::get_detailed_order_status(t, valid_request);
    REQUIRE_FALSE(r2);
    CHECK(r2.error().code == gdos::call_errc::http_status);
    CHECK(r2.error().http_status == 404);
  }
  SUBCASE("a long body is cut in the error") {
    t.answer = reply_with(500, "text/plain", std::string(1000, 'x'));
    const auto r3 = gdos::get_detailed_order_status(t, valid_request);
    REQUIRE_FALSE(r3);
    CHECK(r3.error().detail == std::string(200, 'x') + "...");
  }
}

TEST_CASE("an empty body is a typed error") {
  recording_transport t{reply_with(200, std::string(form_type), "")};
  const auto r = gdos::get_detailed_order_status(t, valid_request);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == gdos::call_errc::empty_body);
  CHECK(r.error().http_status == 200);
  CHECK(r.error().message() == "HTTP status 200 with an empty body");
}

TEST_CASE("a Content-Type that is not url-encoded is a typed error carrying what was seen") {
  recording_transport t{reply_with(200, "text/plain; charset=UTF-8", "-16\nPermission denied!")};
  const auto r = gdos::get_detailed_order_status(t, valid_request);
  REQUIRE_FALSE(r);
  const gdos::call_error& e = r.error();
  CHECK(e.code == gdos::call_errc::content_type);
  CHECK(e.content_type == "text/plain; charset=UTF-8");
  CHECK(e.detail == "-16\nPermission denied!");
  // The newline of the body is shown as '?' on the one-line message.
  CHECK(e.message() ==
        "reply Content-Type is 'text/plain; charset=UTF-8', expected "
        "application/x-www-form-urlencoded: -16?Permission denied!");

  SUBCASE("a missing Content-Type too") {
    t.answer.content_type.clear();
    t.answer.body = "errorCode=0";
    const auto r2 = gdos::get_detailed_order_status(t, valid_request);
    REQUIRE_FALSE(r2);
    CHECK(r2.error().code == gdos::call_errc::content_type);
    CHECK(r2.error().content_type.empty());
  }
  SUBCASE("unless the check is turned off") {
    t.answer.content_type.clear();
    t.answer.body = "errorCode=0";
    gdos::call_options o;
    o.check_content_type = false;
    CHECK(gdos::get_detailed_order_status(t, valid_request, o));
  }
  SUBCASE("parameters and case do not matter") {
    t.answer.content_type = "Application/X-WWW-Form-Urlencoded; charset=utf-8";
    t.answer.body = "errorCode=0";
    CHECK(gdos::get_detailed_order_status(t, valid_request));
  }
}

TEST_CASE("a body parse_response() refuses is a typed error with the parse error") {
  recording_transport t{reply_with(200, std::string(form_type), "<html>maintenance</html>")};
  const auto r = gdos::get_detailed_order_status(t, valid_request);
  REQUIRE_FALSE(r);
  const gdos::call_error& e = r.error();
  CHECK(e.code == gdos::call_errc::malformed_reply);
  CHECK(e.parse.code == gdos::response_errc::html_body);
  CHECK(e.detail == gdos::parse_error{gdos::response_errc::html_body, 0, {}, {}, {}}.message());

  SUBCASE("the parse error's views into the dead body are emptied, its text kept in detail") {
    t.answer.body = "errorCode=0&1_orderNumber=12x";  // strict mode: not an integer
    const auto r2 = gdos::get_detailed_order_status(t, valid_request);
    REQUIRE_FALSE(r2);
    CHECK(r2.error().parse.code == gdos::response_errc::invalid_value);
    CHECK(r2.error().parse.offset == 12);
    CHECK(r2.error().parse.key.empty());
    CHECK(r2.error().detail.find("1_orderNumber") != std::string::npos);
  }
  SUBCASE("parse options are passed through") {
    t.answer.body = "errorCode=0&1_orderNumber=12x";
    gdos::call_options o;
    o.parse.mode = gdos::parse_mode::lenient;
    CHECK(gdos::get_detailed_order_status(t, valid_request, o));
  }
}

TEST_CASE("an errorCode other than 0 is an api_error with code, message, item and detail") {
  recording_transport t{
      reply_with(200, std::string(form_type), "errorCode=-16&errorMessage=Permission+denied%21")};
  const auto r = gdos::get_detailed_order_status(t, valid_request);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == gdos::call_errc::api_error);
  CHECK(r.error().api == gdos::api_code::permission_denied);
  CHECK(r.error().detail == "Permission denied!");
  CHECK(r.error().message() == "errorCode -16: Permission denied!");

  t.answer.body =
      "errorCode=-4&errorMessage=The+value+of+the+%27queryType%27+argument+is+invalid%21"
      "&errorItem=queryType&errorDetail=must+be+0%2C+1+or+2";
  const auto r2 = gdos::get_detailed_order_status(t, valid_request);
  REQUIRE_FALSE(r2);
  CHECK(r2.error().api == gdos::api_code::invalid_argument);
  CHECK(r2.error().item == "queryType");
  CHECK(r2.error().extra == "must be 0, 1 or 2");
  CHECK(r2.error().message() ==
        "errorCode -4: The value of the 'queryType' argument is invalid! (errorItem queryType) "
        "(errorDetail must be 0, 1 or 2)");

  // Codes the API does not document for this call are kept as they are.
  t.answer.body = "errorCode=-42&errorMessage=Call+limit+reached";
  const auto r3 = gdos::get_detailed_order_status(t, valid_request);
  REQUIRE_FALSE(r3);
  CHECK(gdos::to_int(r3.error().api) == -42);
}

TEST_CASE("no error text ever holds the password, plain or encoded") {
  const std::string_view plain = valid_request.login_password;  // "p@ss word&more"
  const std::string encoded = gdos::form::encode(plain);        // "p%40ss+word%26more"
  const auto leaks = [&](const gdos::call_error& e) {
    for (const std::string& s : {e.detail, e.item, e.extra, e.content_type, e.message()})
      if (s.find(plain) != std::string::npos || s.find(encoded) != std::string::npos) return true;
    return false;
  };
  const std::vector<gdos::http_response> echoes = {
      gdos::http_response::transport_failure(gdos::transport_errc::other,
                                             "bad request body: loginPassword=" + encoded),
      reply_with(500, "text/html", "<pre>password was " + std::string(plain) + "</pre>"),
      reply_with(200, "text/plain", "you sent " + encoded),
      reply_with(200, std::string(form_type),
                 "errorCode=-4&errorMessage=" + gdos::form::encode("bad: " + std::string(plain)) +
                     "&errorItem=" + encoded + "&errorDetail=" + encoded),
      reply_with(200, std::string(form_type) + "; x=" + std::string(plain), "errorCode=-16"),
  };
  for (const gdos::http_response& echo : echoes) {
    recording_transport t{echo};
    const auto r = gdos::get_detailed_order_status(t, valid_request);
    REQUIRE_FALSE(r);
    CHECK_FALSE(leaks(r.error()));
    // The rest of the text survives, with the password replaced.
    INFO(r.error().message());
    CHECK((r.error().message() + r.error().content_type).find("***") != std::string::npos);
  }
}

TEST_CASE("check_http_response serves callers who perform the exchange themselves") {
  auto ok = gdos::check_http_response(
      reply_with(200, std::string(form_type), "errorCode=0&1_orderNumber=5&1_orderStatus=Pending"));
  REQUIRE(ok);
  REQUIRE(ok->orders.size() == 1);
  CHECK(ok->orders[0].number == 5);

  auto bad = gdos::check_http_response(reply_with(200, std::string(form_type), "errorCode=-1"), {},
                                       "secret");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().api == gdos::api_code::not_https);
}

TEST_CASE("what the transport throws passes through, and transports may be temporaries") {
  CHECK_THROWS_AS((void)gdos::get_detailed_order_status(
                      [](const gdos::http_request&) -> gdos::http_response {
                        throw std::runtime_error("boom");
                      },
                      valid_request),
                  std::runtime_error);
  CHECK(gdos::get_detailed_order_status(const_functor{}, valid_request).error().code ==
        gdos::call_errc::transport);
  const const_functor c;
  CHECK(gdos::get_detailed_order_status(c, valid_request).error().code ==
        gdos::call_errc::transport);
}

TEST_CASE("call_errc and transport_errc have names") {
  CHECK(gdos::to_string(gdos::call_errc::api_error) == "api_error");
  CHECK(gdos::to_string(gdos::call_errc::content_type) == "content_type");
  CHECK(gdos::to_string(gdos::transport_errc::tls_verification) == "tls_verification");
  CHECK(gdos::to_string(gdos::transport_errc::timeout) == "timeout");
  CHECK(gdos::to_string(static_cast<gdos::transport_errc>(200)) == "unknown");
  CHECK(gdos::call_error{}.message() == "ok");
  CHECK_FALSE(gdos::call_error{});
}
