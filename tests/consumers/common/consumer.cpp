// The program every consumer project builds: it includes gdos the way a user would, calls the
// public API on a sample request and reply, and exits non-zero on any wrong answer, so a
// consumer test fails when the integration path hands it a broken or mismatched copy of gdos.
//
//   consumer <expected version> [single]
//
// "single" asks it to prove it was compiled against the generated single header.
#include <gdos/gdos.hpp>

#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

namespace {

int failures = 0;

void expect(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "consumer: FAILED: %s\n", what);
    ++failures;
  }
}

// A reply of the url-encoded kind that GetDetailedOrderStatus sends (responseFormat=1).
constexpr std::string_view sample_reply =
    "errorCode=0&1_orderNumber=1234567&1_orderDateTime=2025-06-11+11%3A57"
    "&1_orderStatus=Valid&1_1_FQDN=www.example.com&1_1_dcvStatus=1\n";

void check_form() {
  const std::string plain = "The 'orderNumber' argument is missing!";
  const std::string encoded = gdos::form::encode(plain);
  expect(encoded == "The+%27orderNumber%27+argument+is+missing%21", "form::encode");
  expect(gdos::form::decode(encoded) == plain, "form::decode");

  std::size_t fields = 0;
  bool saw_date = false;
  for (const auto& f : gdos::form::fields(sample_reply)) {
    ++fields;
    if (f.name.encoded() == "1_orderDateTime")
      saw_date = f.value.equals_decoded("2025-06-11 11:57");
  }
  expect(fields == 6, "form::fields counts the reply's fields");
  expect(saw_date, "form::fields decodes 1_orderDateTime");
}

void check_request() {
  const gdos::request req{.login_name = "alice", .login_password = "s3cret&", .order_number = 42};
  const auto body = gdos::encode_request(req);
  expect(body.has_value(), "encode_request accepts a valid request");
  if (body) {
    expect(body->find("loginName=alice") != std::string::npos, "encode_request writes loginName");
    expect(body->find("loginPassword=s3cret%26") != std::string::npos,
           "encode_request encodes loginPassword");
    expect(body->find("orderNumber=42") != std::string::npos, "encode_request writes orderNumber");
  }
}

void check_response() {
  const auto reply = gdos::parse_response(sample_reply);
  expect(reply.has_value(), "parse_response accepts the sample reply");
  if (!reply) return;
  expect(reply->error_code == gdos::api_code::success, "parse_response reads errorCode");
  expect(reply->orders.size() == 1, "parse_response finds the one order");
  if (reply->orders.size() != 1) return;
  const auto& order = reply->orders.front();
  expect(order.number == 1234567, "parse_response reads 1_orderNumber");
  expect(order.date_time && order.date_time->equals_decoded("2025-06-11 11:57"),
         "parse_response keeps 1_orderDateTime, decoded on demand");
  expect(order.certificates.size() == 1, "parse_response finds the one certificate");
  if (order.certificates.size() != 1) return;
  const auto& cert = order.certificates.front();
  expect(cert.fqdn && cert.fqdn->equals_decoded("www.example.com"), "parse_response reads FQDN");
  expect(cert.dcv_status == gdos::progress_status::completed, "parse_response types dcvStatus");

  const auto refused = gdos::parse_response("-16\nPermission denied!");
  expect(!refused.has_value(), "parse_response refuses a reply that is not url-encoded");

  expect(static_cast<bool>(gdos::check_round_trip(*reply)),
         "check_round_trip accepts a parsed reply");
  expect(gdos::write_response(*reply) == sample_reply.substr(0, sample_reply.size() - 1),
         "write_response writes it back (without the trailing newline)");
  gdos::decoded_response built;
  built.unknown_fields.push_back({.order = 2, .name = "x", .value = "y"});
  expect(gdos::check_round_trip(built).code == gdos::round_trip_errc::orphan_field,
         "check_round_trip finds an unknown field of an order that is not there");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: consumer <expected version> [single]\n");
    return 2;
  }
  expect(std::strcmp(GDOS_VERSION_STRING, argv[1]) == 0,
         "GDOS_VERSION_STRING is the version of the gdos this project asked for");
  if (argc > 2 && std::strcmp(argv[2], "single") == 0) {
#ifndef GDOS_SINGLE_HEADER
    expect(false, "built against the single header");
#endif
  }

  check_form();
  check_request();
  check_response();

  if (failures != 0) return 1;
  std::printf("consumer: gdos %s works (%s)\n", GDOS_VERSION_STRING,
#ifdef GDOS_SINGLE_HEADER
              "single header"
#else
              "include/ tree"
#endif
  );
  return 0;
}
