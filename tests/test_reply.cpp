// Tests of include/gdos/reply.hpp, the owning side of the response layer: parse_reply() and
// org_details_of() keep the text their views point into, copies share it, failures keep no view
// of the dead text, and the view-returning accessors refuse temporaries. The header comes first
// to prove it is self-contained. Run under ASan, a view into freed text fails these tests.
#include <gdos/reply.hpp>
//
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

using namespace std::literals;

namespace {

// The accessors that return views exist on lvalues only.
template <class R>
concept body_works = requires(R&& r) { std::forward<R>(r).body(); };
template <class R>
concept get_works = requires(R&& r) { std::forward<R>(r).get(); };
template <class R>
concept list_works = requires(R&& r) { std::forward<R>(r).list(); };
static_assert(body_works<gdos::reply&> && body_works<const gdos::reply&>);
static_assert(!body_works<gdos::reply> && !body_works<const gdos::reply>);
static_assert(get_works<const gdos::reply&> && !get_works<gdos::reply>);
static_assert(list_works<const gdos::owned_org_details&> && !list_works<gdos::owned_org_details>);
static_assert(get_works<const gdos::owned_org_details&> && !get_works<gdos::owned_org_details>);
// A response or org_details copied (or moved) out of its owner would view the owner's text and
// die with it: refused. References bind as usual.
static_assert(!std::is_constructible_v<gdos::response, gdos::reply>);
static_assert(!std::is_constructible_v<gdos::response, const gdos::reply&>);
static_assert(!std::is_assignable_v<gdos::response&, gdos::reply>);
static_assert(!std::is_assignable_v<gdos::response&, const gdos::reply&>);
static_assert(!std::is_constructible_v<gdos::org_details, gdos::owned_org_details>);
static_assert(!std::is_assignable_v<gdos::org_details&, const gdos::owned_org_details&>);
static_assert(std::is_convertible_v<gdos::reply&, const gdos::response&>);
static_assert(std::is_copy_constructible_v<gdos::response> &&
              std::is_copy_constructible_v<gdos::reply>);
static_assert(std::is_nothrow_move_constructible_v<gdos::response>);
// The content type is a string it can copy out of a temporary.
static_assert(std::is_same_v<decltype(std::declval<gdos::reply>().content_type()), std::string>);
// parse_reply takes the body over: an lvalue must be moved (or copied) in explicitly.
static_assert(
    !std::is_invocable_v<decltype(&gdos::parse_reply<>), std::string&, const gdos::parse_options&>);

constexpr std::string_view sample =
    "errorCode=0&1_orderNumber=7250060&1_orderStatus=Pending"
    "&1_suggestedOrgDetails=Status%3DFound%261_organizationName%3DA%2B%2526%2BB"
    "&1_1_FQDN=www.example.com&1_1_dcvStatus=2&1_1_slId=42";

// What a user writes: a function that fetches a body and returns the parsed reply.
gdos::reply load() {
  std::string body(sample);
  body.reserve(4096);  // on the heap whatever the library's small-string size
  return *gdos::parse_reply(std::move(body));
}

TEST_CASE("a reply returned from a function keeps its body: its views stay valid") {
  const gdos::reply r = load();
  REQUIRE(r.orders.size() == 1);
  CHECK(r.orders[0].number == 7250060);
  CHECK(r.orders[0].status == "Pending");
  CHECK(r.orders[0].certificates[0].fqdn == "www.example.com");
  CHECK(r.body() == sample);
  CHECK(r.http_status() == 0);
  CHECK(r.content_type().empty());
  // The views point into the reply's own body.
  const std::string_view fqdn = r.orders[0].certificates[0].fqdn->encoded();
  CHECK(fqdn.data() >= r.body().data());
  CHECK(fqdn.data() + fqdn.size() <= r.body().data() + r.body().size());
}

TEST_CASE("copies and moves of a reply share one body, which lives as long as any of them") {
  std::vector<gdos::reply> kept;
  std::string_view status;
  {
    gdos::reply a = load();
    const gdos::reply b = a;  // NOLINT(performance-unnecessary-copy-initialization)
    CHECK(b.body().data() == a.body().data());
    status = a.orders[0].status->encoded();
    kept.push_back(std::move(a));
  }
  // a and b are gone; the moved-to reply still holds the body the view points into.
  CHECK(kept[0].body().data() <= status.data());
  CHECK(status == "Pending");
  CHECK(kept[0].get() == *gdos::parse_response(kept[0].body()));
}

TEST_CASE("a reply passes wherever a response is taken") {
  const gdos::reply r = load();
  const gdos::response& as_response = r;
  CHECK(as_response.orders.size() == 1);
  CHECK(&r.get() == &as_response);
}

TEST_CASE("parse_reply of a temporary or a literal owns a copy") {
  const auto r = gdos::parse_reply(std::string(sample));
  REQUIRE(r);
  CHECK(r->orders[0].number == 7250060);
  const auto lit = gdos::parse_reply("errorCode=-16&errorMessage=Permission+denied%21");
  REQUIRE(lit);
  CHECK(lit->error_code == gdos::api_code::permission_denied);
  CHECK(lit->error_message == "Permission denied!");
}

TEST_CASE("a failed parse_reply keeps no view of the text that died with it") {
  const auto legacy = gdos::parse_reply("-16\nPermission denied!");
  REQUIRE(!legacy);
  CHECK(legacy.error().code == gdos::response_errc::legacy_format);
  CHECK(legacy.error().legacy_code == gdos::api_code::permission_denied);
  CHECK(legacy.error().legacy_message.empty());
  constexpr std::string_view twice = "errorCode=0&1_orderNumber=1&1_orderNumber=2";
  const auto dup = gdos::parse_reply(std::string(twice));
  REQUIRE(!dup);
  CHECK(dup.error().code == gdos::response_errc::duplicate_key);
  CHECK(dup.error().offset == twice.rfind("1_orderNumber"));
  CHECK(dup.error().key.empty());
  CHECK(!dup.error().message().empty());
}

TEST_CASE("org_details_of parses an order's suggestedOrgDetails into an object that owns it") {
  gdos::owned_org_details org;
  {
    const gdos::reply r = load();
    auto parsed = gdos::org_details_of(r.orders[0]);
    REQUIRE(parsed);
    org = std::move(parsed).value();
  }
  // The reply is gone; the list lives in org.
  CHECK(org.status_kind() == gdos::org_status::found);
  REQUIRE(org.matches.size() == 1);
  CHECK(org.matches[0].organization_name == "A & B");
  CHECK(org.list() == "Status=Found&1_organizationName=A+%26+B");
}

TEST_CASE("org_details_of works on a decoded order and on an order without the field") {
  std::string copy(sample);
  const auto plain = gdos::parse_response_in_place(copy);
  REQUIRE(plain);
  const auto org = gdos::org_details_of(plain->orders[0]);
  REQUIRE(org);
  CHECK(org->matches[0].organization_name == "A & B");

  const auto none = gdos::parse_response("errorCode=0&1_orderNumber=5");
  REQUIRE(none);
  const auto empty = gdos::org_details_of(none->orders[0]);
  REQUIRE(empty);
  CHECK(empty->status_kind() == gdos::org_status::missing);
  CHECK(empty->matches.empty());
  CHECK(empty->list().empty());
}

TEST_CASE("org_details_of reports a bad list with its views emptied") {
  const auto r = gdos::parse_response("errorCode=0&1_suggestedOrgDetails=1_organizationName%3Dx");
  REQUIRE(r);
  const auto org = gdos::org_details_of(r->orders[0]);
  REQUIRE(!org);
  CHECK(org.error().code == gdos::response_errc::missing_org_status);
  CHECK(org.error().key.empty());
  gdos::parse_options lenient;
  lenient.mode = gdos::parse_mode::lenient;
  CHECK(gdos::org_details_of(r->orders[0], lenient));
}

}  // namespace
