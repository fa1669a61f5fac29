// Must not compile: the lifetime mistakes gdos refuses at compile time. tests/compile_check.py
// compiles this file once as is (GDOS_MISUSE 0: the correct forms, which must compile without a
// warning) and once per mistake with -DGDOS_MISUSE=N, expecting the diagnostic listed for N in
// tests/CMakeLists.txt and tests/meson.build (the same regular expressions match g++ 12 and
// clang 19). Each mistake is the one-liner a user writes; the comment says what it would do.
#include <gdos/gdos.hpp>

#include <span>
#include <string>

#ifndef GDOS_MISUSE
#define GDOS_MISUSE 0
#endif

namespace {

std::string load_password() { return std::string(20, 'p'); }
std::string fetch_body() {
  return "errorCode=0&1_orderNumber=1&1_suggestedOrgDetails=Status%3DFound";
}

gdos::http_response answer(const gdos::http_request&) {
  return {.status = 200,
          .content_type = "application/x-www-form-urlencoded",
          .body = "errorCode=0&1_orderNumber=1"};
}

}  // namespace

int main() {
  const std::string password = load_password();
  const std::string body = fetch_body();
  int n = 0;

#if GDOS_MISUSE == 0
  // The correct forms: named strings, named results.
  gdos::request req{.login_name = "reseller", .login_password = password, .order_number = 1};
  req.login_password = password;
  const auto r = gdos::get_detailed_order_status(answer, req);
  if (r) n += static_cast<int>(r->orders.size());
  n += static_cast<int>((*gdos::get_detailed_order_status(answer, req)).orders.size());
  const auto p = gdos::parse_request(body);
  n += p ? 1 : 0;
  for (const auto& f : gdos::form::fields(body)) n += static_cast<int>(f.name.size());
  const gdos::form::encoded_view v(body);
  n += static_cast<int>(v.size());
  std::string copy = body;
  n += gdos::parse_response_in_place(std::span<char>(copy)) ? 1 : 0;
  static_assert(gdos::result<int, gdos::api_code>(1).value() == 1);
  const gdos::reply kept = *gdos::parse_reply(fetch_body());
  n += static_cast<int>(kept.body().size());
  const gdos::response viewed = *gdos::parse_response(body);
  n += static_cast<int>(viewed.orders.size());
  const auto org = gdos::org_details_of(kept.orders[0]);
  n += org ? 1 : 0;
#elif GDOS_MISUSE == 1
  // The password is a temporary: the request would send freed memory.
  gdos::request req{.login_name = "reseller", .login_password = load_password(), .order_number = 1};
  n += gdos::validate(req) ? 1 : 0;
#elif GDOS_MISUSE == 2
  // The same by assignment.
  gdos::request req;
  req.login_password = load_password();
  n += gdos::validate(req) ? 1 : 0;
#elif GDOS_MISUSE == 3
  // `->` on a temporary result: `orders` dangles at the end of the statement.
  gdos::request req{.login_name = "reseller", .login_password = password, .order_number = 1};
  const auto& orders = gdos::get_detailed_order_status(answer, req)->orders;
  n += static_cast<int>(orders.size());
#elif GDOS_MISUSE == 4
  // parse_request of a temporary body: the parsed request views the freed body.
  const auto p = gdos::parse_request(fetch_body());
  n += p ? 1 : 0;
#elif GDOS_MISUSE == 5
  // fields of a temporary body: the loop reads freed memory.
  for (const auto& f : gdos::form::fields(fetch_body())) n += static_cast<int>(f.name.size());
#elif GDOS_MISUSE == 6
  // An encoded_view of a temporary string.
  const gdos::form::encoded_view v(fetch_body());
  n += static_cast<int>(v.size());
#elif GDOS_MISUSE == 7
  // The in-place parser of a temporary: refused by std::span, which takes no temporary string.
  n += gdos::parse_response_in_place(fetch_body()) ? 1 : 0;
#elif GDOS_MISUSE == 8
  // Misuse in a constant expression is a compile error, not a trap.
  static_assert(gdos::result<int, gdos::api_code>(1).error() == gdos::api_code::success);
#elif GDOS_MISUSE == 13
  // parse_response of a temporary body: the reply views freed memory.
  const gdos::response r = *gdos::parse_response(fetch_body());
  n += static_cast<int>(r.orders.size());
#elif GDOS_MISUSE == 14
  // parse_org_details of a temporary decoded list: the first one-liner of issue #13.
  const auto r = gdos::parse_response(body);
  auto org = gdos::parse_org_details(r->orders[0].suggested_org_details->decode());
  n += org ? 1 : 0;
#elif GDOS_MISUSE == 15
  // A response sliced out of the reply that owns its body: it views the body of a temporary.
  gdos::request req{.login_name = "reseller", .login_password = password, .order_number = 1};
  const gdos::response r = *gdos::get_detailed_order_status(answer, req);
  n += static_cast<int>(r.orders.size());
#elif GDOS_MISUSE == 16
  // The same by assignment from a named reply: the copy outlives `kept` when it is returned.
  const gdos::reply kept = *gdos::parse_reply(fetch_body());
  gdos::response r;
  r = kept;
  n += static_cast<int>(r.orders.size());
#elif GDOS_MISUSE == 17
  // An org_details sliced out of the owned_org_details that owns its list.
  const gdos::reply kept = *gdos::parse_reply(fetch_body());
  const gdos::org_details org = *gdos::org_details_of(kept.orders[0]);
  n += org.status ? 1 : 0;
#elif GDOS_MISUSE == 12
  // The body of a temporary reply: the view outlives the only owner of the body.
  const std::string_view b = (*gdos::parse_reply(fetch_body())).body();
  n += static_cast<int>(b.size());
// The next ones compile (the type system cannot see them): clang warns (-Wdangling-gsl, an error
// here with -Werror), g++ 12 does not, so they are registered for clang only.
#elif GDOS_MISUSE == 9
  // A string_view of a temporary, made on the way into the request.
  gdos::request req{.login_name = "reseller",
                    .login_password = std::string_view(load_password()),
                    .order_number = 1};
  n += gdos::validate(req) ? 1 : 0;
#elif GDOS_MISUSE == 10
  // c_str() of a temporary.
  gdos::request req{
      .login_name = "reseller", .login_password = load_password().c_str(), .order_number = 1};
  n += gdos::validate(req) ? 1 : 0;
#elif GDOS_MISUSE == 11
  // An encoded_view of a string_view of a temporary.
  const gdos::form::encoded_view v{std::string_view(fetch_body())};
  n += static_cast<int>(v.size());
#endif
  return n == 12345 ? 1 : 0;
}
