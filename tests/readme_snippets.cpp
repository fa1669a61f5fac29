// The C++ snippets of README.md, compiled and checked. tools/check_readme.py (the test
// readme_snippets_in_sync) fails when a ```cpp block of the README is not found here verbatim
// (leading whitespace aside), so edit both together.
#include <gdos/gdos.hpp>

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <string_view>

TEST_CASE("README: writing a body") {
  std::string body;
  gdos::form::string_writer(body)
      .add("loginName", "reseller")
      .add("orderNumber", 1234567)
      .add("errorMessage", "it's missing!");
  // body == "loginName=reseller&orderNumber=1234567&errorMessage=it%27s+missing%21"

  CHECK(body == "loginName=reseller&orderNumber=1234567&errorMessage=it%27s+missing%21");
}

TEST_CASE("README: encoding into caller memory") {
  char buf[8];
  gdos::form::write_result r = gdos::form::encode_to("a b&c=d", buf);
  // "a+b%26c%3Dd" needs 11 bytes: r.ok == false, r.size == 11, nothing written

  CHECK_FALSE(r.ok);
  CHECK(r.size == 11);
}

TEST_CASE("README: reading a body") {
  std::string_view reply = "errorCode=-3&errorMessage=The+%27orderNumber%27+argument+is+missing%21";
  std::string message;
  for (const gdos::form::field& f : gdos::form::fields(reply)) {
    if (f.name == "errorMessage") message = f.value.decode();  // == compares the decoded text
  }
  // message == "The 'orderNumber' argument is missing!"

  CHECK(message == "The 'orderNumber' argument is missing!");
}

TEST_CASE("README: building a request") {
  const std::string password = "p@ss word";  // from your secret store
  gdos::request req{
      .login_name = "reseller",
      .login_password = password,
      .order_number = 1234567,
  };
  gdos::result<std::string, gdos::validation_result> body = gdos::encode_request(req);
  // *body == "loginName=reseller&loginPassword=p%40ss+word&orderNumber=1234567&queryType=1"
  //          "&responseFormat=1"
  // POST it to gdos::comodo_url (or gdos::trust_provider_url),
  // Content-Type: gdos::request_content_type

  REQUIRE(body);
  CHECK(*body ==
        "loginName=reseller&loginPassword=p%40ss+word&orderNumber=1234567&queryType=1"
        "&responseFormat=1");

  char buf[512];
  gdos::encode_result r = gdos::encode_request_to(req, buf);
  // if (r): std::string_view(buf, r.size) is the body
  // r.code == gdos::request_errc::buffer_too_small: nothing written, r.size is what it needs
  // any other r.code: the request is invalid (r.field says where), nothing written

  REQUIRE(r);
  CHECK(std::string_view(buf, r.size) == *body);

  req.order_number = 0;
  std::ostringstream log;
  log << gdos::validate(req);  // orderNumber: not a positive integer
  log << req;  // loginName=reseller&loginPassword=***&orderNumber=0&queryType=1&responseFormat=1

  CHECK(log.str() ==
        "orderNumber: not a positive integer"
        "loginName=reseller&loginPassword=***&orderNumber=0&queryType=1&responseFormat=1");
}

TEST_CASE("README: serving the call") {
  auto refused = gdos::parse_request("loginName=reseller&loginPassword=p%40ss&queryType=1");
  std::string reply = gdos::error_reply(refused.error());
  // reply == "errorCode=-3&errorMessage=The+%27orderNumber%27+argument+is+missing%21"

  auto accepted = gdos::parse_request("LOGINNAME=reseller&loginPassword=p%40ss&orderNumber=7");
  std::string storage;  // holds only the values that need decoding
  gdos::request got = accepted->to_request(storage);
  // got.login_name == "reseller" (a view into the body), got.login_password == "p@ss"

  CHECK(reply == "errorCode=-3&errorMessage=The+%27orderNumber%27+argument+is+missing%21");
  CHECK(got.login_name == "reseller");
  CHECK(got.login_password == "p@ss");
  CHECK(storage == "p@ss");
}
