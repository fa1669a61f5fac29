// Tests of the transport glue, include/gdos/transport.hpp, with fake in-process transports (the
// real ones, over TLS to the mock endpoint, are in tests/test_e2e_transport.cpp). The header
// comes first to prove it is self-contained.
#include <gdos/transport.hpp>
//
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <random>
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
  CHECK(r.error().validation.code == gdos::request_errc::missing);
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
    const auto h = gdos::http_response::transport_failure(gdos::transport_errc::ok, "x");
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
  recording_transport t{reply_with(200, "text/plain; charset=UTF-8", "Service\tunavailable")};
  const auto r = gdos::get_detailed_order_status(t, valid_request);
  REQUIRE_FALSE(r);
  const gdos::call_error& e = r.error();
  CHECK(e.code == gdos::call_errc::content_type);
  CHECK(e.content_type == "text/plain; charset=UTF-8");
  CHECK(e.detail == "Service\tunavailable");
  // The tab of the body is shown as '?' on the one-line message.
  CHECK(e.message() ==
        "reply Content-Type is 'text/plain; charset=UTF-8', expected "
        "application/x-www-form-urlencoded: Service?unavailable");

  SUBCASE("an HTML page behind text/html too") {
    t.answer = reply_with(200, "text/html", "<html>maintenance</html>");
    const auto r2 = gdos::get_detailed_order_status(t, valid_request);
    REQUIRE_FALSE(r2);
    CHECK(r2.error().code == gdos::call_errc::content_type);
    CHECK(r2.error().detail == "<html>maintenance</html>");
  }
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

TEST_CASE("a legacy newline reply behind a wrong Content-Type is reported as the legacy reply") {
  // The body says more than the header: a -16 in the newline format is what parse_response()
  // reports for it, whatever Content-Type came with it.
  for (const std::string type : {"text/plain", "text/plain; charset=UTF-8", ""}) {
    CAPTURE(type);
    recording_transport t{reply_with(200, type, "-16\nPermission denied!")};
    const auto r = gdos::get_detailed_order_status(t, valid_request);
    REQUIRE_FALSE(r);
    const gdos::call_error& e = r.error();
    CHECK(e.code == gdos::call_errc::malformed_reply);
    CHECK(e.parse.code == gdos::response_errc::legacy_format);
    CHECK(e.parse.legacy_code == gdos::api_code::permission_denied);
    CHECK(e.parse.legacy_message.empty());  // a view into the body, which is gone
    CHECK(e.content_type == type);
    const auto direct = gdos::parse_response("-16\nPermission denied!"sv);
    REQUIRE_FALSE(direct);
    CHECK(e.detail == direct.error().message());
    CHECK(e.message() == "malformed reply: " + direct.error().message());
  }
  SUBCASE("the same reply behind the right Content-Type gives the same error") {
    recording_transport t{reply_with(200, std::string(form_type), "-16\r\nPermission denied!\r\n")};
    const auto r = gdos::get_detailed_order_status(t, valid_request);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == gdos::call_errc::malformed_reply);
    CHECK(r.error().parse.code == gdos::response_errc::legacy_format);
  }
  SUBCASE("a legacy message echoing the password is scrubbed") {
    recording_transport t{reply_with(200, "text/plain", "-4\nbad password p@ss word&more")};
    const auto r = gdos::get_detailed_order_status(t, valid_request);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == gdos::call_errc::malformed_reply);
    CHECK(r.error().detail.find("\"bad password ***\"") != std::string::npos);
    CHECK(r.error().detail.find("p@ss") == std::string::npos);
  }
}

TEST_CASE("a JSON reply (responseFormat=2) is reported as JSON, whatever its Content-Type says") {
  const auto check_json = [](const gdos::http_response& answer) {
    recording_transport t{answer};
    const auto r = gdos::get_detailed_order_status(t, valid_request);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == gdos::call_errc::malformed_reply);
    CHECK(r.error().parse.code == gdos::response_errc::json_body);
    CHECK(r.error().message().find("ask for responseFormat=1") != std::string::npos);
  };
  // As Sectigo documents it: application/json.
  check_json(reply_with(200, "application/json; charset=UTF-8", R"({"errorCode":0})"));
  // Any body sent as application/json, even one gdos cannot tell apart.
  check_json(reply_with(200, "Application/JSON", "[1]"));
  // A JSON body behind another type, or behind the url-encoded type.
  check_json(reply_with(200, "text/plain", "  {\"errorCode\":-16}"));
  check_json(reply_with(200, std::string(form_type), R"({"errorCode":0})"));
  // Not JSON and not sent as JSON: the Content-Type error it was.
  recording_transport t{reply_with(200, "text/plain", "errorCode=0")};
  const auto r = gdos::get_detailed_order_status(t, valid_request);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == gdos::call_errc::content_type);
  CHECK(gdos::is_json_content_type(" application/json ;q=1"));
  CHECK_FALSE(gdos::is_json_content_type("application/jsonp"));
}

TEST_CASE("a call_error prints its message()") {
  recording_transport t{reply_with(503, "text/html", "<h1>down</h1>")};
  const auto r = gdos::get_detailed_order_status(t, valid_request);
  REQUIRE_FALSE(r);
  std::ostringstream os;
  os << r.error() << '|' << r.error().code;
  CHECK(os.str() == r.error().message() + "|http_status");
}

TEST_CASE("a request asking for JSON is sent as asked; the JSON reply is reported, not parsed") {
  gdos::request req = valid_request;
  req.response_format = gdos::response_format::json;
  recording_transport t{reply_with(200, "application/json", R"({"errorCode":0})")};
  const auto r = gdos::get_detailed_order_status(t, req);
  REQUIRE_FALSE(r);
  CHECK(t.body.find("&responseFormat=2") != std::string::npos);
  CHECK(r.error().parse.code == gdos::response_errc::json_body);
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

TEST_CASE("call_errc and transport_errc: to_string gives the identifier, message the sentence") {
  using gdos::call_errc;
  using gdos::transport_errc;
  const auto is_identifier = [](std::string_view s) {
    return !s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos;
  };
  const std::vector<std::pair<call_errc, std::string_view>> calls = {
      {call_errc::ok, "ok"},
      {call_errc::insecure_url, "insecure_url"},
      {call_errc::invalid_request, "invalid_request"},
      {call_errc::transport, "transport"},
      {call_errc::http_status, "http_status"},
      {call_errc::empty_body, "empty_body"},
      {call_errc::content_type, "content_type"},
      {call_errc::malformed_reply, "malformed_reply"},
      {call_errc::api_error, "api_error"}};
  std::vector<std::string_view> sentences;
  for (const auto& [e, name] : calls) {
    CAPTURE(name);
    CHECK(gdos::to_string(e) == name);
    CHECK(is_identifier(gdos::to_string(e)));
    CHECK(gdos::message(e).find(' ') != std::string_view::npos);
    sentences.push_back(gdos::message(e));
  }
  const std::vector<std::pair<transport_errc, std::string_view>> transports = {
      {transport_errc::ok, "ok"},
      {transport_errc::invalid_url, "invalid_url"},
      {transport_errc::resolve, "resolve"},
      {transport_errc::connect, "connect"},
      {transport_errc::timeout, "timeout"},
      {transport_errc::tls_handshake, "tls_handshake"},
      {transport_errc::tls_verification, "tls_verification"},
      {transport_errc::send, "send"},
      {transport_errc::receive, "receive"},
      {transport_errc::too_large, "too_large"},
      {transport_errc::other, "other"}};
  for (const auto& [e, name] : transports) {
    CAPTURE(name);
    CHECK(gdos::to_string(e) == name);
    CHECK(gdos::message(e).find(' ') != std::string_view::npos);
    sentences.push_back(gdos::message(e));
  }
  std::sort(sentences.begin(), sentences.end());
  CHECK(std::adjacent_find(sentences.begin(), sentences.end()) == sentences.end());
  // ok is 0 in both, so a value-initialized error means "no error".
  CHECK(static_cast<int>(call_errc::ok) == 0);
  CHECK(static_cast<int>(transport_errc::ok) == 0);
  CHECK(gdos::to_string(static_cast<transport_errc>(200)) == "unknown");
  CHECK(gdos::to_string(static_cast<call_errc>(200)) == "unknown");
  CHECK(gdos::call_error{}.message() == "ok");
  CHECK_FALSE(gdos::call_error{});
  CHECK(gdos::http_response{}.failure == transport_errc::ok);
}

// ---- plain HTTP ---------------------------------------------------------------------------------

TEST_CASE("a URL that is not https is refused before anything is encoded or sent") {
  recording_transport t{reply_with(200, std::string(form_type), "errorCode=0")};
  for (const std::string_view url :
       {"http://secure.comodo.net/products/!GetDetailedOrderStatus"sv, "HTTP://127.0.0.1:8080/x"sv,
        "ftp://127.0.0.1/x"sv, "file:///etc/passwd"sv, "//secure.comodo.net/x"sv,
        "secure.comodo.net/products/!GetDetailedOrderStatus"sv, ""sv, " https://127.0.0.1/x"sv,
        "httpss://127.0.0.1/x"sv, "http:/x"sv}) {
    CAPTURE(url);
    const auto r = gdos::get_detailed_order_status(t, valid_request, {.url = std::string(url)});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == gdos::call_errc::insecure_url);
    CHECK(r.error().message() ==
          "refused to send: the URL is not https (call_options::allow_plain_http allows http)");
  }
  CHECK(t.calls == 0);

  SUBCASE("https in any case is sent") {
    for (const std::string_view url :
         {"https://127.0.0.1/x"sv, "HTTPS://127.0.0.1/x"sv, "hTTpS://127.0.0.1/x"sv}) {
      CAPTURE(url);
      CHECK(gdos::get_detailed_order_status(t, valid_request, {.url = std::string(url)}));
    }
    CHECK(t.calls == 3);
  }
  SUBCASE("allow_plain_http lets http through, and nothing else") {
    const auto ok = gdos::get_detailed_order_status(
        t, valid_request, {.url = "http://127.0.0.1:8080/x", .allow_plain_http = true});
    CHECK(ok);
    CHECK(t.calls == 1);
    CHECK(t.url == "http://127.0.0.1:8080/x");
    CHECK(gdos::get_detailed_order_status(t, valid_request,
                                          {.url = "Http://127.0.0.1/x", .allow_plain_http = true}));
    for (const std::string_view url : {"ftp://127.0.0.1/x"sv, "httpx://127.0.0.1/x"sv, ""sv}) {
      CAPTURE(url);
      const auto r = gdos::get_detailed_order_status(
          t, valid_request, {.url = std::string(url), .allow_plain_http = true});
      REQUIRE_FALSE(r);
      CHECK(r.error().code == gdos::call_errc::insecure_url);
    }
    CHECK(t.calls == 2);
  }
  SUBCASE("the URL is checked before the request: an invalid request to http is insecure_url") {
    gdos::request no_order = valid_request;
    no_order.order_number.reset();
    const auto r = gdos::get_detailed_order_status(t, no_order, {.url = "http://127.0.0.1/x"});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == gdos::call_errc::insecure_url);
  }
  SUBCASE("the default URL is Comodo's https endpoint") {
    CHECK(gdos::get_detailed_order_status(t, valid_request));
    CHECK(t.url == gdos::comodo_url);
  }
}

// ---- redaction ----------------------------------------------------------------------------------

namespace {

constexpr std::string_view pw = "pa ss/S3cret";

// A server's reply with `text` as errorMessage, as the call reports it.
gdos::call_error api_error_for(std::string_view message, std::string_view password = pw) {
  gdos::request req = valid_request;
  req.login_password = password;
  recording_transport t{reply_with(200, std::string(form_type),
                                   "errorCode=-4&errorMessage=" + gdos::form::encode(message))};
  auto r = gdos::get_detailed_order_status(t, req);
  REQUIRE_FALSE(r);
  REQUIRE(r.error().code == gdos::call_errc::api_error);
  return r.error();
}

}  // namespace

TEST_CASE("an echo of the password is scrubbed in every encoding a server might use") {
  // Each way a server could echo "pa ss/S3cret": as sent, as received, decoded once too few or
  // once too many, in HTML or JSON; and mixes of them, byte by byte.
  const std::vector<std::string_view> echoes = {
      "pa ss/S3cret",                          // literal
      "pa+ss%2FS3cret",                        // form-encoded, as gdos sends it
      "pa%20ss%2FS3cret",                      // %20 for the space
      "pa%20ss%2fS3cret",                      // lower-case hex (the probe's case)
      "pa+ss%2fS3cret",                        //
      "%70%61%20%73%73%2F%53%33%63%72%65%74",  // every byte escaped
      "%70%61%20%73%73%2f%53%33%63%72%65%74",  // every byte, lower case
      "%70%61+%73%73%2F%53%33%63%72%65%74",    //
      "pa%2520ss%252FS3cret",                  // encoded twice
      "pa%2Bss%252fS3cret",                    // form-encoded twice
      "pa ss&#47;S3cret",
      "pa ss&#x2F;S3cret",      // HTML character references
      "pa&#32;ss&#x2f;S3cret",  //
      "&#112;&#97;&#32;&#115;&#115;&#47;&#83;&#51;&#99;&#114;&#101;&#116;",  // 3 digits too
      "pa ss\\/S3cret",
      "pa\\u0020ss\\u002FS3cret",  // JSON escapes
      "p%61 s%73/S%33cr%65t",      // a mix
  };
  for (const std::string_view echo : echoes) {
    CAPTURE(echo);
    const gdos::call_error e = api_error_for("before " + std::string(echo) + " after");
    CHECK(e.detail == "before *** after");
    CHECK(e.message() == "errorCode -4: before *** after");
  }
  SUBCASE("in the raw excerpt of an error page too") {
    for (const std::string_view echo : echoes) {
      CAPTURE(echo);
      gdos::request req = valid_request;
      req.login_password = pw;
      recording_transport t{reply_with(500, "text/html", "<p>" + std::string(echo) + "</p>")};
      const auto r = gdos::get_detailed_order_status(t, req);
      REQUIRE_FALSE(r);
      CHECK(r.error().detail == "<p>***</p>");
    }
  }
  SUBCASE("a near miss is not an echo, and is kept") {
    CHECK(api_error_for("pa ss/S3creT").detail == "pa ss/S3creT");
    CHECK(api_error_for("pa%2ss/S3cret").detail == "pa%2ss/S3cret");
    CHECK(api_error_for("pa ss//S3cret").detail == "pa ss//S3cret");
  }
  SUBCASE("overlapping and adjacent echoes become one ***") {
    CHECK(api_error_for("x pa ss/S3cretpa+ss%2FS3cret y").detail == "x *** y");
    CHECK(api_error_for("abab", "aba").detail == "***b");
    CHECK(api_error_for("ababa", "aba").detail == "***");  // two echoes sharing their middle a
  }
}

TEST_CASE("a password that holds escape characters is found in its own encodings") {
  // '%' in the password: literal, %25, %2525 and &#37; are all echoes of it; "%41" is not an
  // echo of "A" (the password is encoded, never the text decoded).
  for (const std::string_view echo : {"100%sure"sv, "100%25sure"sv, "100%2525sure"sv,
                                      "100&#37;sure"sv, "%31%30%30%25%73%75%72%65"sv}) {
    CAPTURE(echo);
    CHECK(gdos::detail::redact(std::string("[") + std::string(echo) + "]", "100%sure") == "[***]");
  }
  CHECK(gdos::detail::redact("[A]", "%41") == "[A]");
  CHECK(gdos::detail::redact("[%2541]", "%41") == "[***]");
  // '&' '<' '"' in an HTML page, '+' encoded as %2B (never as a space).
  CHECK(gdos::detail::redact("<b>a&amp;b&lt;c&quot;</b>", "a&b<c\"") == "<b>***</b>");
  CHECK(gdos::detail::redact("[a%2Bb] [a+b] [a b]", "a+b") == "[***] [***] [a b]");
  CHECK(gdos::detail::redact("[a b] [a+b] [a%20b] [a%2Bb]", "a b") == "[***] [***] [***] [***]");
}

TEST_CASE("redaction happens before truncation: an echo across the cut leaks nothing") {
  const std::string encoded = gdos::form::encode(pw);  // "pa+ss%2FS3cret", 14 bytes
  for (std::size_t before = 180; before <= 205; ++before) {
    CAPTURE(before);
    gdos::request req = valid_request;
    req.login_password = pw;
    recording_transport t{
        reply_with(500, "text/html", std::string(before, 'x') + encoded + std::string(300, 'y'))};
    const auto r = gdos::get_detailed_order_status(t, req);
    REQUIRE_FALSE(r);
    const std::string& d = r.error().detail;
    INFO(d);
    CHECK(d.find("pa+") == std::string::npos);
    CHECK(d.find("S3") == std::string::npos);
    CHECK(d.ends_with("..."));
    if (before < 200) {
      // The body's first 200 bytes: the x's, one *** for the whole echo, then the y's that
      // are among them.
      const std::size_t ys = before + encoded.size() < 200 ? 200 - before - encoded.size() : 0;
      CHECK(d == std::string(before, 'x') + "***" + std::string(ys, 'y') + "...");
    } else {
      CHECK(d == std::string(200, 'x') + "...");
    }
  }
  SUBCASE("the probe's case: an error page echoing the request body at byte 176") {
    gdos::request req = valid_request;
    req.login_password = pw;
    const std::string body = *gdos::encode_request(req);
    recording_transport t{reply_with(
        500, "text/html", std::string(176, 'x') + body.substr(body.find("loginPassword=")))};
    const auto r = gdos::get_detailed_order_status(t, req);
    REQUIRE_FALSE(r);
    CHECK(r.error().detail == std::string(176, 'x') + "loginPassword=***&orderN...");
  }
  SUBCASE("an echo the server cut short is scrubbed at the end of its text") {
    CHECK(api_error_for("your password pa+ss%2FS3").detail == "your password ***");
    CHECK(api_error_for("your password pa+s").detail == "your password ***");  // 4 bytes
    CHECK(api_error_for("your password pa+").detail == "your password pa+");   // 3: too short
    CHECK(api_error_for("pa+ss%2FS3 is not the end").detail == "pa+ss%2FS3 is not the end");
  }
}

TEST_CASE("gdos' own words and the API's documented messages are never rewritten") {
  // Rewriting text the reader can predict would tell them the password.
  gdos::request req = valid_request;
  SUBCASE("the documented errorMessage for the errorCode is kept") {
    for (const std::string_view password : {"denied"sv, "e"sv, "Permission denied!"sv}) {
      CAPTURE(password);
      req.login_password = password;
      recording_transport t{reply_with(200, std::string(form_type),
                                       "errorCode=-16&errorMessage=Permission+denied%21")};
      const auto r = gdos::get_detailed_order_status(t, req);
      REQUIRE_FALSE(r);
      CHECK(r.error().message() == "errorCode -16: Permission denied!");
    }
    req.login_password = "orderNumber";
    recording_transport t{
        reply_with(200, std::string(form_type),
                   "errorCode=-4&errorMessage=The+value+of+the+%27orderNumber%27+argument+is+"
                   "invalid%21&errorItem=orderNumber")};
    const auto r = gdos::get_detailed_order_status(t, req);
    REQUIRE_FALSE(r);
    CHECK(r.error().detail == "The value of the 'orderNumber' argument is invalid!");
    CHECK(r.error().item == "orderNumber");
  }
  SUBCASE("a message that is not the documented one is scrubbed") {
    req.login_password = "denied";
    recording_transport t{reply_with(200, std::string(form_type),
                                     "errorCode=-16&errorMessage=Permission+denied%2C+denied%21")};
    const auto r = gdos::get_detailed_order_status(t, req);
    REQUIRE_FALSE(r);
    CHECK(r.error().detail == "Permission ***, ***!");
  }
  SUBCASE("gdos' parse messages") {
    req.login_password = "b";
    recording_transport t{reply_with(200, std::string(form_type), std::string(5000, 'b'))};
    gdos::call_options o;
    o.parse.max_body_size = 4096;
    const auto r = gdos::get_detailed_order_status(t, req, o);
    REQUIRE_FALSE(r);
    CHECK(r.error().parse.code == gdos::response_errc::body_too_large);
    CHECK(r.error().detail ==
          gdos::parse_error{gdos::response_errc::body_too_large, 4096, {}, {}, {}}.message());
    CHECK(r.error().detail.find('b') != std::string::npos);
  }
  SUBCASE("gdos' words around a scrubbed server text") {
    req.login_password = "HTTP";
    recording_transport t{reply_with(503, "text/plain", "HTTP down")};
    const auto r = gdos::get_detailed_order_status(t, req);
    REQUIRE_FALSE(r);
    CHECK(r.error().message() == "HTTP status 503 (expected 200): *** down");
  }
  SUBCASE("a parse error's key is scrubbed, its description kept") {
    req.login_password = "value";
    recording_transport t{
        reply_with(200, std::string(form_type), "errorCode=0&1_orderNumber=value")};
    const auto r = gdos::get_detailed_order_status(t, req);
    REQUIRE_FALSE(r);
    CHECK(r.error().parse.code == gdos::response_errc::invalid_value);
    CHECK(r.error().detail ==
          gdos::parse_error{gdos::response_errc::invalid_value, 12, "1_orderNumber", {}, {}}
              .message());
  }
}

TEST_CASE("kept texts are cut at about 1 KB, and a 4 MiB echo costs what a short one does") {
  const std::string long_text(5000, 'a');
  const gdos::call_error e = api_error_for(long_text);
  CHECK(e.detail == std::string(1024, 'a') + "...");

  // 299,000 echoes of a 14-byte password (the probe's 4 MiB reply): 18 s before the one-pass,
  // capped redaction. A bound generous enough for a sanitizer build on a busy machine.
  std::string body = "errorCode=-16&errorMessage=";
  for (int i = 0; i < 299000; ++i) body += "pa+ss%2FS3cret";
  gdos::request req = valid_request;
  req.login_password = pw;
  recording_transport t{reply_with(200, std::string(form_type), body)};
  const auto start = std::chrono::steady_clock::now();
  const auto r = gdos::get_detailed_order_status(t, req);
  const auto took = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(r);
  CHECK(r.error().detail == "***...");
  CHECK(r.error().message() == "errorCode -16: ***...");
  CHECK(took < std::chrono::seconds(2));
}

TEST_CASE("redact() reads a bounded window whatever the text and the password") {
  // Adversarial shapes: every position starts an echo that fails late, the password made of
  // escape characters, a text that is one long echo. Each must come back capped.
  const std::string a128(128, 'a');
  const std::string pct128(128, '%');
  std::string many_a(4 << 20, 'a');
  many_a[many_a.size() / 2] = 'b';
  std::string many_pct;
  for (int i = 0; i < (1 << 20); ++i) many_pct += "%25";
  const std::string almost = std::string(127, 'a') + "b";
  std::string near_misses;
  while (near_misses.size() < (4 << 20)) near_misses += std::string(127, 'a') + "c";
  const auto start = std::chrono::steady_clock::now();
  CHECK(gdos::detail::redact(many_a, a128) == "***...");
  CHECK(gdos::detail::redact(many_pct, pct128) == "***...");
  const std::string kept = gdos::detail::redact(near_misses, almost);
  CHECK(kept.size() == 1024 + 3);
  CHECK(kept.find("***") == std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  CHECK(gdos::detail::redact("short", "") == "short");
  CHECK(gdos::detail::redact(std::string(3000, 'z'), "") == std::string(1024, 'z') + "...");
}

namespace {

// The ends of every echo of secret[j...] starting at text[s], by brute force (small inputs).
void echo_ends(std::string_view text, std::size_t s, std::string_view secret, std::size_t j,
               std::vector<std::pair<std::size_t, std::size_t>>& ends) {
  ends.emplace_back(s, j);
  if (j == secret.size()) return;
  const unsigned lengths =
      gdos::detail::echo_lengths(static_cast<unsigned char>(secret[j]), text.substr(s));
  for (std::size_t n = 1; n <= gdos::detail::max_echo_per_byte; ++n)
    if ((lengths & (1U << n)) != 0 && s + n <= text.size())
      echo_ends(text, s + n, secret, j + 1, ends);
}

// redact() without a cap, written the obvious way: mark every echo (and every long enough
// unfinished echo at the end), then replace each marked run by ***.
std::string redact_reference(std::string_view text, std::string_view secret) {
  std::vector<bool> covered(text.size(), false);
  for (std::size_t s = 0; s < text.size() && !secret.empty(); ++s) {
    std::vector<std::pair<std::size_t, std::size_t>> ends;
    echo_ends(text, s, secret, 0, ends);
    for (const auto& [e, j] : ends) {
      const bool echo = j == secret.size();
      const bool cut_short =
          e == text.size() && j >= std::min(gdos::detail::partial_echo_min, secret.size()) && j > 0;
      if (echo || cut_short)
        for (std::size_t i = s; i < e; ++i) covered[i] = true;
    }
  }
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!covered[i]) {
      out += text[i];
    } else if (i == 0 || !covered[i - 1]) {
      out += "***";
    }
  }
  return out;
}

}  // namespace

TEST_CASE("redact() agrees with a brute-force reference on random small texts") {
  // Alphabets dense in escape characters, so echoes overlap, nest and fail late.
  constexpr std::string_view text_chars = "ab%25+ &#;x/\\u0";
  constexpr std::string_view secret_chars = "ab% &/";
  std::mt19937 rng(20250611);
  const auto pick = [&rng](std::string_view from, std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i)
      s += from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
    return s;
  };
  const auto hex = [](char c) {
    constexpr std::string_view digits = "0123456789aBcDeF";  // both cases
    const auto u = static_cast<unsigned char>(c);
    return std::string{digits[u >> 4], digits[u & 15]};
  };
  int planted = 0;
  for (int round = 0; round < 20000; ++round) {
    const std::string secret = pick(secret_chars, 1 + rng() % 5);
    std::string text = pick(text_chars, rng() % 24);
    // Plant an echo, encoded a random way, at a random place.
    if (rng() % 2 == 0) {
      std::string echo;
      for (char c : secret) {
        switch (rng() % 4) {
          case 0:
            echo += c;
            break;
          case 1:
            echo += "%" + hex(c);
            break;
          case 2:
            echo += "%25" + hex(c);
            break;
          default:
            echo += "&#" + std::to_string(static_cast<int>(c)) + ";";
        }
      }
      if (rng() % 3 == 0) {
        text += echo.substr(0, rng() % (echo.size() + 1));  // cut short at the end
      } else {
        text.insert(rng() % (text.size() + 1), echo);
      }
      ++planted;
    }
    CAPTURE(secret);
    CAPTURE(text);
    REQUIRE(gdos::detail::redact(text, secret, 1000) == redact_reference(text, secret));
  }
  CHECK(planted > 5000);
}
