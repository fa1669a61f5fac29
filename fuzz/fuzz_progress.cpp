// Invariants of the diff and the backoff (gdos/progress.hpp, gdos/retry.hpp), checked with an
// abort so that libFuzzer (or the replay main) reports the input that breaks them.
//
// The input is two reply bodies separated by the first 0xFF byte (a body without one is
// diffed against an empty reply). Each body is parsed strictly, or leniently when strict
// parsing refuses it, both lazily and in place. For each pair of replies that parse:
//   - a reply diffed with itself gives nothing;
//   - the changes from a to b, applied in order to a's observable state
//     (tests/progress_model.hpp: an independent model), are each consistent with it and give
//     b's state; so do the changes from b to a, and from an empty reply to each;
//   - for_each_change() reports the same records as diff();
//   - the lazy and in-place parses give the same records (kinds, places, decoded values)
//     whenever they give the same observable states;
//   - describe() of every record is one line of printable ASCII.
// The first bytes also make a retry policy, a failure count and a seed: backoff_delay() stays
// within [ceiling - jitter span, ceiling], the ceiling within max_delay and non-decreasing in
// the failure count.
#include <gdos/progress.hpp>
#include <gdos/response.hpp>
#include <gdos/retry.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../tests/progress_model.hpp"
#include "fuzz_check.hpp"

namespace {

template <class S>
void check_pair(const gdos::basic_response<S>& a, const gdos::basic_response<S>& b) {
  FUZZ_CHECK(gdos::diff(a, a).empty());
  FUZZ_CHECK(gdos::diff(b, b).empty());

  const auto forward = gdos::diff(a, b);
  gdos_test::reply_state state = gdos_test::observe(a);
  FUZZ_CHECK(gdos_test::apply_all(state, forward).empty());
  FUZZ_CHECK(state == gdos_test::observe(b));

  state = gdos_test::observe(b);
  FUZZ_CHECK(gdos_test::apply_all(state, gdos::diff(b, a)).empty());
  FUZZ_CHECK(state == gdos_test::observe(a));

  state = {};
  FUZZ_CHECK(gdos_test::apply_all(state, gdos::diff(b)).empty());
  FUZZ_CHECK(state == gdos_test::observe(b));

  std::size_t n = 0;
  bool same = true;
  gdos::for_each_change(a, b, [&](const gdos::basic_change<S>& c) {
    same = same && n < forward.size() && forward[n] == c;
    ++n;
  });
  FUZZ_CHECK(same && n == forward.size());

  for (const auto& c : forward) {
    const std::string line = gdos::describe(c);
    FUZZ_CHECK(!line.empty());
    for (const char ch : line) FUZZ_CHECK(ch >= 0x20 && ch < 0x7f);
  }
}

/// Parsed lazily, strictly or else leniently; nullopt when both refuse.
std::optional<gdos::response> parse(std::string_view body) {
  if (auto r = gdos::parse_response(body)) return std::move(*r);
  if (auto r = gdos::parse_response(body, {.mode = gdos::parse_mode::lenient}))
    return std::move(*r);
  return std::nullopt;
}

/// Parsed in place in `buffer` (a copy of the body), in the mode parse() succeeded with.
std::optional<gdos::decoded_response> parse_in_place(std::string_view body, std::string& buffer) {
  buffer.assign(body);
  if (auto r = gdos::parse_response_in_place(buffer)) return std::move(*r);
  buffer.assign(body);
  if (auto r = gdos::parse_response_in_place(buffer, {.mode = gdos::parse_mode::lenient}))
    return std::move(*r);
  return std::nullopt;
}

bool same_text(const std::optional<std::string_view>& x,
               const std::optional<gdos::form::encoded_view>& y) {
  return x.has_value() == y.has_value() && (!x || y->equals_decoded(*x));
}

void check_backoff(std::string_view in) {
  std::uint64_t bytes[4] = {};
  for (std::size_t i = 0; i < in.size() && i < 32; ++i)
    bytes[i / 8] = (bytes[i / 8] << 8) | static_cast<unsigned char>(in[i]);
  using ms = std::chrono::milliseconds;
  gdos::retry_policy p;
  p.initial_delay = ms(static_cast<std::int64_t>(bytes[0]));
  p.max_delay = ms(static_cast<std::int64_t>(bytes[1]));
  p.multiplier = static_cast<std::uint32_t>(bytes[2] >> 32);
  p.jitter_percent = static_cast<std::uint32_t>(bytes[2] & 0xFF);
  const auto failures = static_cast<std::uint32_t>((bytes[2] >> 8) & 0xFFFFFF);
  const std::uint64_t seed = bytes[3];
  const ms cap = p.max_delay < ms(0) ? ms(0) : p.max_delay;
  const ms ceiling = gdos::backoff_ceiling(p, failures);
  const ms delay = gdos::backoff_delay(p, failures, seed);
  FUZZ_CHECK(ceiling >= ms(0) && ceiling <= cap);
  FUZZ_CHECK(gdos::backoff_ceiling(p, failures + 1) >= ceiling || failures == 0xFFFFFFFFu);
  const auto c = static_cast<std::uint64_t>(ceiling.count());
  const std::uint64_t percent = p.jitter_percent > 100 ? 100 : p.jitter_percent;
  const std::uint64_t span = c / 100 * percent + c % 100 * percent / 100;
  FUZZ_CHECK(delay <= ceiling);
  FUZZ_CHECK(static_cast<std::uint64_t>(delay.count()) >= c - span);
  FUZZ_CHECK(delay == gdos::backoff_delay(p, failures, seed));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  check_backoff(in);

  const std::size_t cut = in.find('\xFF');
  const std::string_view body_a =
      cut == std::string_view::npos ? std::string_view() : in.substr(0, cut);
  const std::string_view body_b = cut == std::string_view::npos ? in : in.substr(cut + 1);

  const gdos::response empty;
  const std::optional<gdos::response> a = body_a.empty() ? empty : parse(body_a);
  const std::optional<gdos::response> b = parse(body_b);
  if (!a || !b) return 0;
  check_pair(*a, *b);

  std::string buffer_a;
  std::string buffer_b;
  const std::optional<gdos::decoded_response> da =
      body_a.empty() ? gdos::decoded_response{} : parse_in_place(body_a, buffer_a);
  const std::optional<gdos::decoded_response> db = parse_in_place(body_b, buffer_b);
  FUZZ_CHECK(da && db);  // the in-place parser accepts what the lazy one accepts
  check_pair(*da, *db);

  if (gdos_test::observe(*da) == gdos_test::observe(*a) &&
      gdos_test::observe(*db) == gdos_test::observe(*b)) {
    const auto raw = gdos::diff(*a, *b);
    const auto decoded = gdos::diff(*da, *db);
    FUZZ_CHECK(raw.size() == decoded.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
      const auto& r = raw[i];
      const auto& d = decoded[i];
      FUZZ_CHECK(r.kind == d.kind && r.order == d.order && r.certificate == d.certificate &&
                 r.which_step == d.which_step && r.number_before == d.number_before &&
                 r.number_after == d.number_after && r.step_before == d.step_before &&
                 r.step_after == d.step_after && same_text(d.text_before, r.text_before) &&
                 same_text(d.text_after, r.text_after));
    }
  }
  return 0;
}
