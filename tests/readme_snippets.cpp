// The C++ snippets of README.md, compiled and checked. tools/check_readme.py (the test
// readme_snippets_in_sync) fails when a ```cpp block of the README is not found here verbatim
// (leading whitespace aside), so edit both together.
#include <gdos/gdos.hpp>

#include <doctest/doctest.h>

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
    if (f.name.equals_decoded("errorMessage")) message = f.value.decode();
  }
  // message == "The 'orderNumber' argument is missing!"

  CHECK(message == "The 'orderNumber' argument is missing!");
}
