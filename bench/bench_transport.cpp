// Transport-layer benchmarks: what a reply that echoes the password costs the client, i.e. the
// redaction of the texts a call_error keeps (include/gdos/transport.hpp, detail::redact).
//
// The password is the security probe's 14-byte one, "pa ss/S3cret" (form-encoded
// "pa+ss%2FS3cret"); an echo reply is `errorCode=-16&errorMessage=` followed by N form-encoded
// echoes, 299,000 of them for the probe's 4 MiB reply (4,186,027 bytes).
//
// Cases (transport/<name>):
//   check_http_response/echo_299000  gdos::check_http_response() on the 4 MiB echo reply: parse,
//                       decode the errorMessage as far as the redaction reads, redact, report.
//   redact/echo_<N>     detail::redact() on the decoded text of N echoes (N = 10,000, 40,000,
//                       299,000): the cost does not grow with N, it reads ~1 KB + 6 x 14 bytes.
//   redact/text_4MiB    on 4 MiB of text holding no echo.
//   redact/adversarial_4MiB  on 4 MiB of 'a' with the password 'a' x 127 + 'b': at every byte
//                       an echo starts and runs 127 bytes before failing (the matcher's worst
//                       case, one live state per password byte).
//   redact/page_1KiB    a 1 KiB HTML error page with the form-encoded password at byte 200: the
//                       everyday case.
//   before/echo_<N>     the redaction this replaced (std::string::replace at each occurrence of
//                       the plain, then the encoded password, over the whole text), on the same
//                       texts for N = 10,000 and 40,000: quadratic. At N = 299,000 it took 18 s
//                       in the probe and 29.9 s here, so it is not run.
// Each case checks its output once before it is timed. Counters: bytes_per_second (text or
// reply bytes), items_per_second (echoes; texts without echoes count 1).
#include <gdos/transport.hpp>

#include "bench_util.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view password = "pa ss/S3cret";
constexpr std::string_view echo_encoded = "pa+ss%2FS3cret";

std::string repeated(std::string_view piece, std::size_t n) {
  std::string out;
  out.reserve(piece.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += piece;
  return out;
}

// The redaction before this round, kept here to time it beside its replacement.
void redact_before(std::string& text, std::string_view secret) {
  if (secret.empty()) return;
  const auto scrub = [&text](std::string_view needle) {
    for (std::size_t at = text.find(needle); at != std::string::npos;
         at = text.find(needle, at + 3))
      text.replace(at, needle.size(), "***");
  };
  scrub(secret);
  const std::string encoded = gdos::form::encode(secret);
  if (encoded != secret) scrub(encoded);
}

void bench_check_http_response(benchmark::State& state) {
  const std::string reply = "errorCode=-16&errorMessage=" + repeated(echo_encoded, 299000);
  const auto call = [&reply] {
    gdos::http_response http;
    http.status = 200;
    http.content_type = "application/x-www-form-urlencoded";
    http.body = reply;
    return gdos::check_http_response(std::move(http), {}, password);
  };
  if (!gdos_bench::check_once(state, "transport/check_http_response", [&] {
        const auto r = call();
        if (r) return std::string("the echo reply was accepted");
        if (r.error().code != gdos::call_errc::api_error || r.error().detail != "***...")
          return "got " + r.error().message();
        return std::string();
      }))
    return;
  const std::uint64_t before = gdos_bench::allocation_count();
  for (auto _ : state) {
    // The body copy is part of what a transport hands over; it is made outside the clock.
    state.PauseTiming();
    gdos::http_response http;
    http.status = 200;
    http.content_type = "application/x-www-form-urlencoded";
    http.body = reply;
    state.ResumeTiming();
    auto r = gdos::check_http_response(std::move(http), {}, password);
    benchmark::DoNotOptimize(r);
  }
  gdos_bench::report(state, reply.size(), 299000, before);
}

void bench_redact(benchmark::State& state, std::string text, std::string secret, std::size_t items,
                  std::string expected_start, std::string name) {
  if (!gdos_bench::check_once(state, name, [&] {
        const std::string kept = gdos::detail::redact(text, secret);
        if (!kept.starts_with(expected_start) || kept.size() > 1024 + 6)
          return "kept \"" + kept.substr(0, 60) + "...\" (" + std::to_string(kept.size()) +
                 " bytes)";
        return std::string();
      }))
    return;
  const std::uint64_t before = gdos_bench::allocation_count();
  for (auto _ : state) {
    std::string kept = gdos::detail::redact(text, secret);
    benchmark::DoNotOptimize(kept);
  }
  gdos_bench::report(state, text.size(), items, before);
}

void bench_before(benchmark::State& state, std::size_t n) {
  const std::string text = repeated(password, n);
  const std::string name = "transport/before/echo_" + std::to_string(n);
  if (!gdos_bench::check_once(state, name, [&] {
        std::string copy = text;
        redact_before(copy, password);
        return copy == repeated("***", n) ? std::string() : std::string("echoes left");
      }))
    return;
  const std::uint64_t before = gdos_bench::allocation_count();
  for (auto _ : state) {
    state.PauseTiming();
    std::string copy = text;
    state.ResumeTiming();
    redact_before(copy, password);
    benchmark::DoNotOptimize(copy);
  }
  gdos_bench::report(state, text.size(), n, before);
}

const bool registered = [] {
  benchmark::RegisterBenchmark("transport/check_http_response/echo_299000",
                               bench_check_http_response)
      ->Unit(benchmark::kMicrosecond);
  for (const std::size_t n : {std::size_t{10000}, std::size_t{40000}, std::size_t{299000}}) {
    const std::string name = "transport/redact/echo_" + std::to_string(n);
    benchmark::RegisterBenchmark(name.c_str(), bench_redact, repeated(password, n),
                                 std::string(password), n, std::string("***..."), name)
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::RegisterBenchmark("transport/redact/text_4MiB", bench_redact,
                               std::string(std::size_t{4} << 20, 'x'), std::string(password),
                               std::size_t{1}, std::string(1024, 'x') + "...",
                               std::string("transport/redact/text_4MiB"))
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("transport/redact/adversarial_4MiB", bench_redact,
                               std::string(std::size_t{4} << 20, 'a'), std::string(127, 'a') + "b",
                               std::size_t{1}, std::string(1024, 'a') + "...",
                               std::string("transport/redact/adversarial_4MiB"))
      ->Unit(benchmark::kMicrosecond);
  const std::string page = "<html><body><p>" + std::string(171, 'x') +
                           "loginPassword=" + std::string(echo_encoded) + "&orderNumber=1234567" +
                           std::string(1024 - 185 - 14 - 20, 'y');
  benchmark::RegisterBenchmark(
      "transport/redact/page_1KiB", bench_redact, page, std::string(password), std::size_t{1},
      page.substr(0, 200) + "***&orderNumber=", std::string("transport/redact/page_1KiB"))
      ->Unit(benchmark::kMicrosecond);
  for (const std::size_t n : {std::size_t{10000}, std::size_t{40000}}) {
    const std::string name = "transport/before/echo_" + std::to_string(n);
    benchmark::RegisterBenchmark(name.c_str(), bench_before, n)->Unit(benchmark::kMicrosecond);
  }
  return true;
}();

}  // namespace
