// The C++ snippets of README.md's "Progress and changes" and "Retries" sections, compiled and
// checked. Each block there appears here verbatim (leading whitespace aside):
// tools/check_readme.py, the test readme_snippets_in_sync, fails when they drift apart, so edit
// both together.
#include <gdos/gdos.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <string>

TEST_CASE("README: the changes between two polls, a certificate's steps, final statuses") {
  // Two polls of the same order (in a real loop: two gdos::reply objects, kept alive).
  auto before = gdos::parse_response(
      "errorCode=0&1_orderNumber=1234567&1_orderStatus=Pending&1_1_dcvStatus=0&1_1_csrStatus=1");
  auto after = gdos::parse_response(
      "errorCode=0&1_orderNumber=1234567&1_orderStatus=Issued&1_1_dcvStatus=1&1_1_csrStatus=1");

  std::string log;
  for (const gdos::change& c : gdos::diff(*before, *after))  // gdos::diff(*after) on a first poll
    log += gdos::describe(c) + "\n";
  // log == "order 1: orderStatus \"Pending\" -> \"Issued\"\n"
  //        "order 1 certificate 1: DCV not_completed -> completed\n"

  const gdos::certificate_progress p = gdos::progress_of(before->orders[0].certificates[0]);
  // p[gdos::step::dcv] == gdos::step_state::pending, p.first_pending() == gdos::step::dcv,
  // gdos::next_action(gdos::step::dcv) == "complete domain control validation"

  gdos::final_statuses until;  // Issued, Valid succeed; Rejected, Revoked, Expired, Cancelled fail
  // until.classify(after->orders[0]) == gdos::final_kind::succeeded

  CHECK(log ==
        "order 1: orderStatus \"Pending\" -> \"Issued\"\n"
        "order 1 certificate 1: DCV not_completed -> completed\n");
  CHECK(p[gdos::step::dcv] == gdos::step_state::pending);
  CHECK(p.first_pending() == gdos::step::dcv);
  CHECK(gdos::next_action(gdos::step::dcv) == "complete domain control validation");
  CHECK(until.classify(after->orders[0]) == gdos::final_kind::succeeded);
  CHECK(until.classify(before->orders[0]) == gdos::final_kind::not_final);
}

TEST_CASE("README: deciding whether and when to retry a failed call") {
  auto busy = [](const gdos::http_request&) {
    return gdos::http_response{.status = 200,
                               .content_type = "application/x-www-form-urlencoded",
                               .body = "errorCode=-42&errorMessage=Too+many+calls"};
  };
  gdos::request req{.login_name = "reseller", .login_password = "pw", .order_number = 1234567};
  auto r = gdos::get_detailed_order_status(busy, req);
  gdos::retry_decision d = gdos::decide_retry(r.error(), /*failures=*/1, /*seed=*/42);
  // d.verdict == gdos::retry_verdict::retry, d.retry == true, d.delay == 1848ms: the default
  // policy waits 2 s doubling up to 5 min, less up to half of it at random (the same seed gives
  // the same delay), and gives up after 5 retries

  using namespace std::chrono_literals;
  CHECK(d.verdict == gdos::retry_verdict::retry);
  CHECK(d.retry);
  CHECK(d.delay == 1848ms);
  CHECK(!gdos::decide_retry(r.error(), 6, 42).retry);
}
