// Request encoding benchmarks: building the POST body of a typical GetDetailedOrderStatus
// request with gdos and with the usual libraries, in the same binary, on the same values.
//
// The request: loginName, loginPassword (with bytes every encoder must escape), orderNumber,
// queryType=1, responseFormat=1. The values hold no space and none of `*~!'()$,;:@/?=`, the
// bytes on which the libraries' escaping rules differ from the urlencoded serializer (curl and
// GLib write a space as %20 and escape `*`; cpp-httplib keeps `!~*'()`; Boost.URL keeps the
// sub-delimiters it allows in a query value, `=` included), so every case must produce the very
// same bytes, and
// each checks that it does, once, against a body written out by hand below, before it is timed.
//
// Cases (request/<name>):
//   gdos_encode_to   gdos::encode_request_to() into a reused 512-byte caller buffer: validation
//                    included, no allocation; the buffer holds the worst case, so one pass.
//   gdos_encode_to_exact  the same into a buffer of exactly the body's size: sized, then
//                    written (two passes).
//   gdos_encode      gdos::encode_request(): the same, returning a std::string.
//   libcurl          curl_easy_escape() per string value, concatenated into a std::string.
//   boost_url        Boost.URL: a url, params({space_as_plus}).append() per field, the query.
//   cpp_httplib      cpp-httplib: an httplib::Params multimap, detail::params_to_query_str().
//   glib             GLib: g_uri_escape_string() per string value, appended to a GString.
// Integers are formatted with std::to_chars for every peer. Counters: bytes_per_second (body
// bytes), items_per_second (fields), allocs (heap allocations per iteration).
#include <gdos/request.hpp>

#include "bench_util.hpp"

#include <curl/curl.h>
#include <glib.h>
#include <httplib.h>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/param.hpp>
#include <boost/url/url.hpp>

#include <array>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::string_view login_name = "acme-reseller_eu.01";
// "Tr0ub&dor#3%x{2025}|é": the escapes a password typically needs, and one non-ASCII letter.
constexpr std::string_view login_password = "Tr0ub&dor#3%x{2025}|\xC3\xA9";
constexpr std::int64_t order_number = 1234567;

// Written out by hand, not by any of the encoders under test.
constexpr std::string_view expected_body =
    "loginName=acme-reseller_eu.01"
    "&loginPassword=Tr0ub%26dor%233%25x%7B2025%7D%7C%C3%A9"
    "&orderNumber=1234567&queryType=1&responseFormat=1";
constexpr std::size_t fields_per_body = 5;

struct number {
  std::array<char, 24> buf{};
  std::size_t size = 0;
  explicit number(std::int64_t v) {
    size = static_cast<std::size_t>(std::to_chars(buf.data(), buf.data() + buf.size(), v).ptr -
                                    buf.data());
  }
  [[nodiscard]] std::string_view view() const { return {buf.data(), size}; }
};

std::string check_body(std::string_view got) {
  if (got == expected_body) return {};
  return "body differs: got '" + std::string(got) + "'";
}

// The request's strings come from the heap, so the compiler cannot fold the work away.
struct inputs {
  std::string name{login_name};
  std::string password{login_password};
  std::int64_t order = order_number;
};

gdos::request make_request(const inputs& in) {
  return {.login_name = in.name,
          .login_password = in.password,
          .order_number = in.order,
          .query_type = gdos::query_type::detailed};
}

// ---- gdos -----------------------------------------------------------------------------------

void bench_gdos_encode_to(benchmark::State& state) {
  const inputs in;
  std::array<char, 512> buf{};  // a reused buffer; more than this request's worst case
  if (!gdos_bench::check_once(state, "request/gdos_encode_to", [&] {
        const auto r = gdos::encode_request_to(make_request(in), buf);
        return r ? check_body({buf.data(), r.size}) : std::string("encode_request_to failed");
      }))
    return;
  gdos::request req = make_request(in);
  const std::uint64_t before = gdos_bench::allocation_count();
  for (auto _ : state) {
    benchmark::DoNotOptimize(req);
    const gdos::encode_result r = gdos::encode_request_to(req, buf);
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(buf.data());
    benchmark::ClobberMemory();
  }
  gdos_bench::report(state, expected_body.size(), fields_per_body, before);
}

void bench_gdos_encode_to_exact(benchmark::State& state) {
  const inputs in;
  std::vector<char> buf(expected_body.size());
  if (!gdos_bench::check_once(state, "request/gdos_encode_to_exact", [&] {
        const auto r = gdos::encode_request_to(make_request(in), buf);
        return r ? check_body({buf.data(), r.size}) : std::string("encode_request_to failed");
      }))
    return;
  gdos::request req = make_request(in);
  const std::uint64_t before = gdos_bench::allocation_count();
  for (auto _ : state) {
    benchmark::DoNotOptimize(req);
    const gdos::encode_result r = gdos::encode_request_to(req, buf);
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(buf.data());
    benchmark::ClobberMemory();
  }
  gdos_bench::report(state, expected_body.size(), fields_per_body, before);
}

void bench_gdos_encode(benchmark::State& state) {
  const inputs in;
  if (!gdos_bench::check_once(state, "request/gdos_encode", [&] {
        const auto r = gdos::encode_request(make_request(in));
        return r ? check_body(*r) : std::string("encode_request failed");
      }))
    return;
  gdos::request req = make_request(in);
  const std::uint64_t before = gdos_bench::allocation_count();
  for (auto _ : state) {
    benchmark::DoNotOptimize(req);
    auto body = gdos::encode_request(req);
    benchmark::DoNotOptimize(body);
  }
  gdos_bench::report(state, expected_body.size(), fields_per_body, before);
}

// ---- libcurl --------------------------------------------------------------------------------

std::string curl_body(CURL* curl, const inputs& in) {
  std::string body = "loginName=";
  char* e = curl_easy_escape(curl, in.name.data(), static_cast<int>(in.name.size()));
  body += e;
  curl_free(e);
  body += "&loginPassword=";
  e = curl_easy_escape(curl, in.password.data(), static_cast<int>(in.password.size()));
  body += e;
  curl_free(e);
  body += "&orderNumber=";
  body += number(in.order).view();
  body += "&queryType=1&responseFormat=1";
  return body;
}

void bench_libcurl(benchmark::State& state) {
  const inputs in;
  CURL* curl = curl_easy_init();
  if (!gdos_bench::check_once(state, "request/libcurl",
                              [&] { return check_body(curl_body(curl, in)); })) {
    curl_easy_cleanup(curl);
    return;
  }
  const std::uint64_t before = gdos_bench::allocation_count();
  for (auto _ : state) {
    auto body = curl_body(curl, in);
    benchmark::DoNotOptimize(body);
  }
  gdos_bench::report(state, expected_body.size(), fields_per_body, before);
  curl_easy_cleanup(curl);
}

// ---- Boost.URL ------------------------------------------------------------------------------

// The url owns the body; its encoded_query() is the body (no copy, to the peer's advantage).
void boost_body(boost::urls::url& u, const inputs& in) {
  auto params = u.params(boost::urls::encoding_opts(/*space_as_plus=*/true));
  params.append({"loginName", in.name});
  params.append({"loginPassword", in.password});
  const number order(in.order);
  params.append({"orderNumber", order.view()});
  params.append({"queryType", "1"});
  params.append({"responseFormat", "1"});
}

void bench_boost_url(benchmark::State& state) {
  const inputs in;
  if (!gdos_bench::check_once(state, "request/boost_url", [&] {
        boost::urls::url u;
        boost_body(u, in);
        const auto q = u.encoded_query();
        return check_body(std::string_view(q.data(), q.size()));
      }))
    return;
  const std::uint64_t before = gdos_bench::allocation_count();
  for (auto _ : state) {
    boost::urls::url u;
    boost_body(u, in);
    benchmark::DoNotOptimize(u.encoded_query().data());
  }
  gdos_bench::report(state, expected_body.size(), fields_per_body, before);
}

// ---- cpp-httplib ----------------------------------------------------------------------------

// The multimap orders by name; these names happen to be in the body's order already.
std::string httplib_body(const inputs& in) {
  httplib::Params params;
  params.emplace("loginName", in.name);
  params.emplace("loginPassword", in.password);
  params.emplace("orderNumber", std::string(number(in.order).view()));
  params.emplace("queryType", "1");
  params.emplace("responseFormat", "1");
  return httplib::detail::params_to_query_str(params);
}

void bench_cpp_httplib(benchmark::State& state) {
  const inputs in;
  if (!gdos_bench::check_once(state, "request/cpp_httplib",
                              [&] { return check_body(httplib_body(in)); }))
    return;
  const std::uint64_t before = gdos_bench::allocation_count();
  for (auto _ : state) {
    auto body = httplib_body(in);
    benchmark::DoNotOptimize(body);
  }
  gdos_bench::report(state, expected_body.size(), fields_per_body, before);
}

// ---- GLib -----------------------------------------------------------------------------------

GString* glib_body(const inputs& in) {
  GString* body = g_string_new("loginName=");
  char* e = g_uri_escape_string(in.name.c_str(), nullptr, FALSE);
  g_string_append(body, e);
  g_free(e);
  g_string_append(body, "&loginPassword=");
  e = g_uri_escape_string(in.password.c_str(), nullptr, FALSE);
  g_string_append(body, e);
  g_free(e);
  g_string_append(body, "&orderNumber=");
  const number order(in.order);
  g_string_append_len(body, order.view().data(), static_cast<gssize>(order.view().size()));
  g_string_append(body, "&queryType=1&responseFormat=1");
  return body;
}

void bench_glib(benchmark::State& state) {
  const inputs in;
  if (!gdos_bench::check_once(state, "request/glib", [&] {
        GString* b = glib_body(in);
        std::string got(b->str, b->len);
        g_string_free(b, TRUE);
        return check_body(got);
      }))
    return;
  const std::uint64_t before = gdos_bench::allocation_count();
  for (auto _ : state) {
    GString* b = glib_body(in);
    benchmark::DoNotOptimize(b->str);
    g_string_free(b, TRUE);
  }
  gdos_bench::report(state, expected_body.size(), fields_per_body, before);
}

[[maybe_unused]] const bool registered = [] {
  benchmark::RegisterBenchmark("request/gdos_encode_to", bench_gdos_encode_to);
  benchmark::RegisterBenchmark("request/gdos_encode_to_exact", bench_gdos_encode_to_exact);
  benchmark::RegisterBenchmark("request/gdos_encode", bench_gdos_encode);
  benchmark::RegisterBenchmark("request/libcurl", bench_libcurl);
  benchmark::RegisterBenchmark("request/boost_url", bench_boost_url);
  benchmark::RegisterBenchmark("request/cpp_httplib", bench_cpp_httplib);
  benchmark::RegisterBenchmark("request/glib", bench_glib);
  return true;
}();

}  // namespace
