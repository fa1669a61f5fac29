// What a hostile server can make the response layer cost: the adversarial bodies of
// adversarial_bodies.hpp (generated at start-up, each at the 4 MiB body limit) through every
// operation a client or a proxy runs on a reply (issue #10, "Quadratic paths a server can
// trigger").
//
// Cases (hostile/<operation>/<body>):
//   parse_strict    gdos::parse_response() (parse_org_details() for org_list), strict: accepted,
//                   or for duplicates and leading_zeros refused with the expected error.
//   parse_lenient   the same, lenient: accepted.
//   write           write_response() (write_org_details()) of the lenient reply, into a string.
//   check           check_round_trip() of the lenient reply with the lenient options: ok
//   (leading_zeros:
//                   indexed_name, its names start like an index).
//   equal           the lenient reply == a copy of it whose unknown fields are grouped by level
//                   (what the parsers give when the body is grouped): for bodies whose levels
//                   interleave, one side must be put in level order.
//   collide         the duplicate check of the parser and of check_round_trip()
//   (detail::find_repeats)
//                   with a hash under which every name collides: what a body built against the
//                   hash would cost. Not in the code before this round (built with
//                   -DGDOS_BENCH_HOSTILE_BEFORE, this case is left out).
// Each case checks its outcome once before it is timed. Counters: bytes_per_second (body
// bytes), items_per_second (unknown fields of the lenient reply).
#include <gdos/response.hpp>

#include "adversarial_bodies.hpp"
#include "bench_util.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#ifdef GDOS_BENCH_HOSTILE_BEFORE
// Before this round the round-trip check was validate(), its result a write_check.
namespace gdos {
using round_trip_errc = write_errc;
}  // namespace gdos
#endif

namespace {

namespace adv = gdos_adversarial;

const gdos::parse_options lenient{.mode = gdos::parse_mode::lenient};

using adv::grouped;

/// One body, its lenient parse and the grouped copy, made on first use.
struct prepared {
  std::string body;
  gdos::response reply;
  gdos::response reply_grouped;
  gdos::org_details list;
  gdos::org_details list_grouped;
  std::size_t unknown = 0;
};

const prepared& get(adv::kind k) {
  static std::map<adv::kind, std::unique_ptr<prepared>> cache;
  auto& slot = cache[k];
  if (slot) return *slot;
  slot = std::make_unique<prepared>();
  prepared& p = *slot;
  p.body = adv::make(k);
  if (adv::is_org_list(k)) {
    if (auto d = gdos::parse_org_details(p.body, lenient)) p.list = *d;
    p.list_grouped = p.list;
    p.list_grouped.unknown_fields = grouped(p.list.unknown_fields);
    p.unknown = p.list.unknown_fields.size();
  } else {
    if (auto r = gdos::parse_response(p.body, lenient)) p.reply = *r;
    p.reply_grouped = p.reply;
    p.reply_grouped.unknown_fields = grouped(p.reply.unknown_fields);
    p.unknown = p.reply.unknown_fields.size();
  }
  return p;
}

enum class op : std::uint8_t { parse_strict, parse_lenient, write, check, equal, collide };

#ifndef GDOS_BENCH_HOSTILE_BEFORE
/// Every name collides.
struct colliding_hash {
  template <class S>
  constexpr std::uint64_t operator()(std::uint64_t, const S&) const noexcept {
    return 0x5555555555555555ULL;
  }
};

template <class U>
std::size_t repeats_colliding(const std::vector<U>& list) {
  gdos::detail::scratch first;
  gdos::detail::find_repeats(list, first, colliding_hash{});
  std::size_t repeats = 0;
  for (std::size_t i = 0; i < first.size(); ++i) repeats += first[i] != i ? 1 : 0;
  return repeats;
}
#endif

template <class T>
gdos::round_trip_errc round_trip_code(const T& value) {
#ifdef GDOS_BENCH_HOSTILE_BEFORE
  return gdos::validate(value, lenient).ec;
#else
  return gdos::check_round_trip(value, lenient).code;
#endif
}

/// Runs the operation once; returns "" when its outcome is the expected one.
template <class T, class Parse, class Write>
std::string run(op o, adv::kind k, const T& value, const T& value_grouped, const Parse& parse,
                const Write& write) {
  switch (o) {
    case op::parse_strict: {
      const auto r = parse(gdos::parse_options{});
      if (static_cast<bool>(r) != adv::strict_accepts(k)) return "strict parse: unexpected outcome";
      if (!r &&
          r.error().code != (k == adv::kind::duplicates ? gdos::response_errc::duplicate_key
                                                        : gdos::response_errc::index_leading_zero))
        return "strict parse: " + r.error().message();
      benchmark::DoNotOptimize(r);
      return {};
    }
    case op::parse_lenient: {
      const auto r = parse(lenient);
      benchmark::DoNotOptimize(r);
      return r ? std::string() : "lenient parse: " + r.error().message();
    }
    case op::write: {
      const std::string text = write(value);
      benchmark::DoNotOptimize(text);
      return text.size() >= value.unknown_fields.size() ? std::string() : "text too short";
    }
    case op::check: {
      const gdos::round_trip_errc code = round_trip_code(value);
      const gdos::round_trip_errc want = k == adv::kind::leading_zeros
                                             ? gdos::round_trip_errc::indexed_name
                                             : gdos::round_trip_errc::ok;
      return code == want ? std::string() : "check: " + std::string(to_string(code));
    }
    case op::equal:
      return value == value_grouped ? std::string() : "not equal to its grouped copy";
    case op::collide:
#ifndef GDOS_BENCH_HOSTILE_BEFORE
      return repeats_colliding(value.unknown_fields) == 0 ? std::string() : "repeats found";
#else
      return "not in this build";
#endif
  }
  return "?";
}

std::string run(op o, adv::kind k) {
  const prepared& p = get(k);
  if (adv::is_org_list(k))
    return run(
        o, k, p.list, p.list_grouped,
        [&p](const gdos::parse_options& opt) { return gdos::parse_org_details(p.body, opt); },
        [](const gdos::org_details& d) { return gdos::write_org_details(d); });
  return run(
      o, k, p.reply, p.reply_grouped,
      [&p](const gdos::parse_options& opt) { return gdos::parse_response(p.body, opt); },
      [](const gdos::response& r) { return gdos::write_response(r); });
}

/// What is written parses back (lenient) to what was written.
std::string written_reads_back(adv::kind k) {
  const prepared& p = get(k);
  if (adv::is_org_list(k)) {
    const std::string text = gdos::write_org_details(p.list);
    const auto back = gdos::parse_org_details(text, lenient);
    return back && *back == p.list ? std::string() : "written list does not read back";
  }
  const std::string text = gdos::write_response(p.reply);
  const auto back = gdos::parse_response(text, lenient);
  return back && *back == p.reply ? std::string() : "written reply does not read back";
}

void bench_hostile(benchmark::State& state, op o, adv::kind k, const std::string& name) {
  const prepared& p = get(k);
  if (!gdos_bench::check_once(state, name, [&] {
        std::string verdict = run(o, k);
        return verdict.empty() && o == op::write ? written_reads_back(k) : verdict;
      }))
    return;
  const std::uint64_t before = gdos_bench::allocation_count();
  for (auto _ : state) benchmark::DoNotOptimize(run(o, k));
  gdos_bench::report(state, p.body.size(), p.unknown, before);
}

const bool registered = [] {
  const std::pair<op, const char*> ops[] = {
      {op::parse_strict, "parse_strict"},
      {op::parse_lenient, "parse_lenient"},
      {op::write, "write"},
      {op::check, "check"},
      {op::equal, "equal"},
#ifndef GDOS_BENCH_HOSTILE_BEFORE
      {op::collide, "collide"},
#endif
  };
  for (const adv::kind k : adv::all_kinds)
    for (const auto& [o, op_name] : ops) {
      const std::string name = std::string("hostile/") + op_name + "/" + std::string(adv::name(k));
      benchmark::RegisterBenchmark(name.c_str(), bench_hostile, o, k, name)
          ->Unit(benchmark::kMillisecond);
    }
  return true;
}();

}  // namespace
