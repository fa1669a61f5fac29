// The response layer against a hostile server (issue #10): no reply the parser accepts, and no
// reply a caller can build, costs the parsers, the writers, the round-trip check or equality
// more than O(n log n); and the fast paths that make it so give exactly what the plain
// definitions give.
//
// Exactness: random small replies whose unknown names are spelled every way a name can be
// (`a`, `%61`, `%41`, `+`, `%20`, ...) are checked against brute-force references written here
// from the definitions (pairwise comparison of decoded names; the old writer that filters the
// whole list per level; per-level subsequences for equality), including the path taken when
// every hash collides and the path taken when no scratch memory can be had.
//
// Bounds: the adversarial bodies of bench/adversarial_bodies.hpp at 4 MiB, each operation under
// a generous CPU-time bound, and each formerly quadratic operation timed at two sizes: four times
// the input must cost well under sixteen times as much (at most 8x; n log n gives about 4.5).
#include <gdos/response.hpp>
//
#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <functional>
#include <map>
#include <new>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "../bench/adversarial_bodies.hpp"

namespace form = gdos::form;
namespace adv = gdos_adversarial;

// ---- scratch memory that can be refused ---------------------------------------------------------

namespace {
bool refuse_nothrow_new = false;  // single-threaded tests
}  // namespace

// The non-throwing operator new, replaced for this executable: the library asks for its sorting
// memory this way in noexcept functions, and must still answer exactly when it is refused.
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  if (refuse_nothrow_new) return nullptr;
  try {
    return ::operator new(n);
  } catch (...) {
    return nullptr;
  }
}

namespace {

/// Refuses every nothrow allocation while alive.
struct nothrow_refused {
  nothrow_refused() { refuse_nothrow_new = true; }
  ~nothrow_refused() { refuse_nothrow_new = false; }
  nothrow_refused(const nothrow_refused&) = delete;
  nothrow_refused& operator=(const nothrow_refused&) = delete;
};

// ---- references -------------------------------------------------------------------------------

std::string decoded(const form::encoded_view& v) { return form::decode(v.encoded()); }
std::string decoded(std::string_view v) { return std::string(v); }

using gdos_adversarial::level_of;

/// Every set of two or more fields sharing a level and a decoded name, positions ascending,
/// found by comparing every pair.
template <class U>
std::vector<std::vector<std::size_t>> reference_repeats(const std::vector<U>& v) {
  std::vector<std::vector<std::size_t>> sets;
  std::vector<bool> done(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (done[i]) continue;
    std::vector<std::size_t> set{i};
    for (std::size_t j = i + 1; j < v.size(); ++j)
      if (level_of(v[j]) == level_of(v[i]) && decoded(v[j].name) == decoded(v[i].name)) {
        set.push_back(j);
        done[j] = true;
      }
    if (set.size() > 1) sets.push_back(set);
  }
  std::sort(sets.begin(), sets.end());
  return sets;
}

/// What find_repeats() says, as sets sorted like reference_repeats().
template <class U, class Hash = gdos::detail::level_name_hash>
std::vector<std::vector<std::size_t>> library_repeats(const std::vector<U>& v,
                                                      const Hash& hash = {}) {
  gdos::detail::scratch first;
  gdos::detail::find_repeats(v, first, hash);
  REQUIRE(first.size() == v.size());
  std::map<std::size_t, std::vector<std::size_t>> by_first;
  for (std::size_t i = 0; i < v.size(); ++i) {
    CHECK(first[i] <= i);
    CHECK(first[static_cast<std::size_t>(first[i])] == first[i]);
    by_first[static_cast<std::size_t>(first[i])].push_back(i);
  }
  std::vector<std::vector<std::size_t>> sets;
  for (auto& [head, set] : by_first)
    if (set.size() > 1) sets.push_back(set);
  std::sort(sets.begin(), sets.end());
  return sets;
}

/// Every name collides: the path an input built against the hash takes.
struct colliding_hash {
  template <class S>
  constexpr std::uint64_t operator()(std::uint64_t, const S&) const noexcept {
    return 0x5555555555555555ULL;
  }
};

/// The writer as it was: each level's unknown fields filtered from the whole list.
template <class S>
std::string reference_write(const gdos::basic_response<S>& r) {
  const auto body = [&r](auto& sink) {
    gdos::detail::pair_writer<std::remove_reference_t<decltype(sink)>> w{sink};
    const auto level = [&](std::uint64_t tag) {
      for (const auto& u : r.unknown_fields)
        if (level_of(u) == tag) w.unknown(u.order, u.certificate, u);
    };
    w.known(0, 0, r);
    level(0);
    for (const auto& o : r.orders) {
      w.known(o.index, 0, o);
      level(std::uint64_t{o.index} << 32);
      for (const auto& c : o.certificates) {
        w.known(o.index, c.index, c);
        level((std::uint64_t{o.index} << 32) | c.index);
      }
    }
  };
  gdos::detail::size_sink n;
  body(n);
  std::string out(n.n, '\0');
  gdos::detail::ptr_sink p{out.data()};
  body(p);
  return out;
}

template <class S>
std::string reference_write(const gdos::basic_org_details<S>& d) {
  const auto body = [&d](auto& sink) {
    gdos::detail::pair_writer<std::remove_reference_t<decltype(sink)>> w{sink};
    const auto level = [&](std::uint32_t m) {
      for (const auto& u : d.unknown_fields)
        if (u.match == m) w.unknown(u.match, 0, u);
    };
    w.known(0, 0, d);
    level(0);
    for (const auto& m : d.matches) {
      w.known(m.index, 0, m);
      level(m.index);
    }
  };
  gdos::detail::size_sink n;
  body(n);
  std::string out(n.n, '\0');
  gdos::detail::ptr_sink p{out.data()};
  body(p);
  return out;
}

/// Unknown lists equal "in order at their level": each level's subsequences equal.
template <class U1, class U2>
bool reference_lists_equal(const std::vector<U1>& a, const std::vector<U2>& b) {
  std::map<std::uint64_t, std::vector<std::size_t>> la;
  std::map<std::uint64_t, std::vector<std::size_t>> lb;
  for (std::size_t i = 0; i < a.size(); ++i) la[level_of(a[i])].push_back(i);
  for (std::size_t i = 0; i < b.size(); ++i) lb[level_of(b[i])].push_back(i);
  if (la.size() != lb.size()) return false;
  for (const auto& [tag, ia] : la) {
    const auto it = lb.find(tag);
    if (it == lb.end() || it->second.size() != ia.size()) return false;
    for (std::size_t k = 0; k < ia.size(); ++k)
      if (!(a[ia[k]] == b[it->second[k]])) return false;
  }
  return true;
}

/// `list` grouped by level, each level's fields in list order.
template <class U>
void group_by_level(std::vector<U>& list) {
  list = gdos_adversarial::grouped(list);
}

// ---- random replies with names spelled every way ---------------------------------------------

class spelling_generator {
 public:
  explicit spelling_generator(std::uint32_t seed) : rng_(seed) {}

  std::size_t below(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }
  bool coin() { return below(2) == 0; }

  /// A short decoded name over a small alphabet, so that names repeat often.
  std::string plain_name() {
    static constexpr char alphabet[] = {'a', 'b', ' ', '%', '&', 'A'};
    std::string s(1 + below(3), 'a');
    for (char& c : s) c = alphabet[below(sizeof alphabet)];
    return s;
  }

  /// One of the spellings of `plain` that decode back to it (never `&` or `=` raw).
  std::string spell(std::string_view plain) {
    static constexpr char hex_upper[] = "0123456789ABCDEF";
    static constexpr char hex_lower[] = "0123456789abcdef";
    std::string out;
    for (const char c : plain) {
      const auto u = static_cast<unsigned char>(c);
      const std::size_t how = below(3);
      if (c == ' ' && how == 0) {
        out += '+';
      } else if ((form::is_unreserved(c) && how != 2) || (c == ' ' && how == 1)) {
        out += c == ' ' ? "%20" : std::string(1, c);
      } else {
        const char* hex = coin() ? hex_upper : hex_lower;
        out += '%';
        out += hex[u >> 4];
        out += hex[u & 15];
      }
    }
    return out;
  }

  std::string_view keep(std::string s) { return owned_.emplace_back(std::move(s)); }

  std::mt19937 rng_;
  std::deque<std::string> owned_;
};

/// A reply built by hand: orders and certificates (ascending, or when `wild` in any order with
/// repeats), unknown fields of any level in any order (`wild`: also of levels that do not
/// exist), names repeating and spelled at random.
gdos::response random_reply(spelling_generator& g, bool wild) {
  gdos::response r;
  std::vector<std::uint64_t> levels{0};
  const std::size_t orders = g.below(4);
  for (std::size_t i = 0; i < orders; ++i) {
    auto& o = r.orders.emplace_back();
    o.index = wild ? static_cast<std::uint32_t>(1 + g.below(3)) : static_cast<std::uint32_t>(i + 1);
    o.status = form::encoded_view(g.keep(g.spell("Issued")));
    levels.push_back(std::uint64_t{o.index} << 32);
    const std::size_t certs = g.below(4);
    for (std::size_t j = 0; j < certs; ++j) {
      auto& c = o.certificates.emplace_back();
      c.index =
          wild ? static_cast<std::uint32_t>(1 + g.below(3)) : static_cast<std::uint32_t>(j + 1);
      c.fqdn = form::encoded_view(g.keep(g.spell("a b")));
      levels.push_back((std::uint64_t{o.index} << 32) | c.index);
    }
  }
  if (wild) levels.push_back((std::uint64_t{9} << 32) | 9);  // an orphan's level
  for (std::size_t n = g.below(12); n != 0; --n) {
    const std::uint64_t tag = levels[g.below(levels.size())];
    r.unknown_fields.push_back({static_cast<std::uint32_t>(tag >> 32),
                                static_cast<std::uint32_t>(tag),
                                form::encoded_view(g.keep("x" + g.spell(g.plain_name()))),
                                form::encoded_view(g.keep(g.spell(g.plain_name())))});
  }
  return r;
}

/// A suggestedOrgDetails list built the same way.
gdos::org_details random_org_details(spelling_generator& g, bool wild) {
  gdos::org_details d;
  d.status = form::encoded_view(g.keep("Found"));
  std::vector<std::uint32_t> levels{0};
  const std::size_t matches = g.below(4);
  for (std::size_t i = 0; i < matches; ++i) {
    auto& m = d.matches.emplace_back();
    m.index = wild ? static_cast<std::uint32_t>(1 + g.below(3)) : static_cast<std::uint32_t>(i + 1);
    m.organization_name = form::encoded_view(g.keep(g.spell("Org a")));
    levels.push_back(m.index);
  }
  if (wild) levels.push_back(9);
  for (std::size_t n = g.below(12); n != 0; --n)
    d.unknown_fields.push_back({levels[g.below(levels.size())],
                                form::encoded_view(g.keep("x" + g.spell(g.plain_name()))),
                                form::encoded_view(g.keep(g.spell(g.plain_name())))});
  return d;
}

/// The same reply with plain strings (decoded), owned by `g`.
gdos::decoded_response decoded_copy(const gdos::response& r, spelling_generator& g) {
  const auto d = [&g](const form::encoded_view& v) { return g.keep(form::decode(v.encoded())); };
  gdos::decoded_response out;
  out.error_code = r.error_code;
  for (const auto& o : r.orders) {
    auto& p = out.orders.emplace_back();
    p.index = o.index;
    if (o.status) p.status = d(*o.status);
    for (const auto& c : o.certificates) {
      auto& q = p.certificates.emplace_back();
      q.index = c.index;
      if (c.fqdn) q.fqdn = d(*c.fqdn);
    }
  }
  for (const auto& u : r.unknown_fields)
    out.unknown_fields.push_back({u.order, u.certificate, d(u.name), d(u.value)});
  return out;
}

/// The body of `r`'s unknown fields in list order, each with its index prefix, after errorCode.
std::string body_in_list_order(const gdos::response& r, std::vector<std::size_t>& key_at) {
  std::string body = "errorCode=0";
  for (const auto& u : r.unknown_fields) {
    body += '&';
    key_at.push_back(body.size());
    if (u.order != 0) body += std::to_string(u.order) + "_";
    if (u.certificate != 0) body += std::to_string(u.certificate) + "_";
    body += u.name.encoded();
    body += '=';
    body += u.value.encoded();
  }
  return body;
}

// ---- timing -----------------------------------------------------------------------------------

/// CPU time of one call of `fn`, in milliseconds: what the work costs, whatever else the
/// machine runs.
double cpu_ms(const std::function<void()>& fn) {
  const std::clock_t start = std::clock();
  fn();
  return 1000.0 * static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
}

/// The least of `runs` timings.
double best_ms(int runs, const std::function<void()>& fn) {
  double best = 1e300;
  for (int i = 0; i < runs; ++i) best = std::min(best, cpu_ms(fn));
  return best;
}

/// Generous: a 4 MiB body takes 5-30 ms per operation with -O2 here, a few hundred under
/// ASan's Debug build; the quadratic paths this replaced took 0.3-7 s on smaller bodies.
constexpr double bound_ms = 1000.0;

#if defined(__SANITIZE_ADDRESS__)
#define GDOS_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GDOS_TEST_SANITIZED 1
#endif
#endif
#ifdef GDOS_TEST_SANITIZED
constexpr std::size_t scaling_size = adv::max_body / 4;
#else
constexpr std::size_t scaling_size = adv::max_body;
#endif

const gdos::parse_options lenient{.mode = gdos::parse_mode::lenient};

}  // namespace

// ---- exactness --------------------------------------------------------------------------------

TEST_CASE("duplicate unknown names are found exactly, with hashes, and when every hash collides") {
  spelling_generator g(1);
  for (int i = 0; i < 3000; ++i) {
    const gdos::response r = random_reply(g, i % 2 == 0);
    const auto expected = reference_repeats(r.unknown_fields);
    CHECK(library_repeats(r.unknown_fields) == expected);
    CHECK(library_repeats(r.unknown_fields, colliding_hash{}) == expected);
    const gdos::decoded_response d = decoded_copy(r, g);
    CHECK(library_repeats(d.unknown_fields) == expected);
    CHECK(library_repeats(d.unknown_fields, colliding_hash{}) == expected);
    const gdos::org_details o = random_org_details(g, i % 2 == 0);
    CHECK(library_repeats(o.unknown_fields) == reference_repeats(o.unknown_fields));
    CHECK(library_repeats(o.unknown_fields, colliding_hash{}) ==
          reference_repeats(o.unknown_fields));
  }
}

TEST_CASE("decoded equality and the name hash agree with decoding first, for long texts too") {
  // Texts long enough to cross the pieces the comparison and the hash decode at a time (128 raw
  // bytes), spelled every way, equal or differing in one byte anywhere.
  spelling_generator g(6);
  for (int i = 0; i < 3000; ++i) {
    std::string plain(g.below(400), 'a');
    for (char& c : plain) c = "ab %&+A"[g.below(7)];
    std::string other = plain;
    if (!other.empty() && g.coin()) other[g.below(other.size())] = "ab %&+AZ"[g.below(8)];
    if (g.below(8) == 0) other += 'a';
    const std::string x = g.spell(plain);
    const std::string y = g.spell(other);
    const form::encoded_view vx(x);
    const form::encoded_view vy(y);
    CHECK(gdos::detail::str_eq(vx, vy) == (plain == other));
    CHECK(gdos::detail::str_eq(vy, vx) == (plain == other));
    CHECK(gdos::detail::name_hash(7, vx) == gdos::detail::name_hash(7, std::string_view(plain)));
    if (plain == other) CHECK(gdos::detail::name_hash(7, vy) == gdos::detail::name_hash(7, vx));
  }
}

TEST_CASE("the parsers keep the first of repeated unknown names with the last value, or refuse") {
  spelling_generator g(2);
  for (int i = 0; i < 3000; ++i) {
    gdos::response r = random_reply(g, false);
    // Half the time grouped by level (duplicates found while parsing), half the time as drawn
    // (levels met again: duplicates found once the body is read).
    if (i % 2 == 0) group_by_level(r.unknown_fields);
    std::vector<std::size_t> key_at;
    const std::string body = body_in_list_order(r, key_at);
    const auto& fields = r.unknown_fields;

    // Expected: each (level, decoded name) at its first position with its last value.
    std::vector<std::size_t> kept;
    std::vector<std::size_t> last(fields.size());
    std::size_t second = fields.size();  // the earliest field repeating an earlier one
    for (std::size_t k = 0; k < fields.size(); ++k) {
      bool repeat = false;
      for (const std::size_t j : kept)
        if (level_of(fields[j]) == level_of(fields[k]) &&
            decoded(fields[j].name) == decoded(fields[k].name)) {
          last[j] = k;
          repeat = true;
          second = std::min(second, k);
        }
      if (!repeat) {
        kept.push_back(k);
        last[k] = k;
      }
    }

    const auto check_lenient = [&](const auto& list) {
      REQUIRE(list.size() == kept.size());
      for (std::size_t k = 0; k < kept.size(); ++k) {
        CHECK(level_of(list[k]) == level_of(fields[kept[k]]));
        CHECK(decoded(list[k].name) == decoded(fields[kept[k]].name));
        CHECK(decoded(list[k].value) == decoded(fields[last[kept[k]]].value));
      }
    };
    const auto len = gdos::parse_response(body, lenient);
    REQUIRE(len);
    check_lenient(len->unknown_fields);
    std::string copy = body;
    const auto in_place = gdos::parse_response_in_place(std::span<char>(copy), lenient);
    REQUIRE(in_place);
    check_lenient(in_place->unknown_fields);

    const auto strict = gdos::parse_response(body);
    if (second == fields.size()) {
      REQUIRE(strict);
      CHECK(strict->unknown_fields.size() == fields.size());
      continue;
    }
    REQUIRE_FALSE(strict);
    CHECK(strict.error().code == gdos::response_errc::duplicate_key);
    // It names the earliest repeat: its whole key (found while parsing) or the name after the
    // index prefix (found once the body was read), where it stands in the body.
    const std::size_t at = strict.error().offset;
    const std::size_t key_end = body.find('=', key_at[second]);
    CHECK(at >= key_at[second]);
    CHECK(at + strict.error().key.size() == key_end);
    CHECK(body.substr(at, strict.error().key.size()) == strict.error().key);
  }
}

TEST_CASE("the writers give what filtering the whole list per level gives, in one sort") {
  spelling_generator g(3);
  for (int i = 0; i < 3000; ++i) {
    const bool wild = i % 2 == 0;
    const gdos::response r = random_reply(g, wild);
    const std::string expected = reference_write(r);
    CHECK(gdos::write_response(r) == expected);
    std::string buf(expected.size() + 3, '#');
    const auto w = gdos::write_response(r, std::span<char>(buf));
    CHECK(w.size == expected.size());
    CHECK(buf.substr(0, w.size) == expected);
    const gdos::decoded_response d = decoded_copy(r, g);
    CHECK(gdos::write_response(d) == reference_write(d));
    const gdos::org_details o = random_org_details(g, wild);
    CHECK(gdos::write_org_details(o) == reference_write(o));
    // Without memory to sort, the same text.
    const nothrow_refused refused;
    CHECK(gdos::write_response(r) == expected);
    CHECK(gdos::write_org_details(o) == reference_write(o));
  }
}

TEST_CASE("equality compares each level's unknown fields in order, however the lists interleave") {
  spelling_generator g(4);
  for (int i = 0; i < 3000; ++i) {
    const gdos::response a = random_reply(g, i % 3 == 0);
    gdos::response b = a;
    // An interleaving of the same levels (equal), then maybe a change (perhaps not equal).
    auto& list = b.unknown_fields;
    for (std::size_t k = 0; k + 1 < list.size(); ++k)
      if (g.coin() && level_of(list[k]) != level_of(list[k + 1])) std::swap(list[k], list[k + 1]);
    if (!list.empty() && g.coin()) {
      const std::size_t k = g.below(list.size());
      switch (g.below(3)) {
        case 0:
          std::swap(list[k], list[g.below(list.size())]);
          break;
        case 1:
          list[k].name = form::encoded_view(g.keep("x" + g.spell(g.plain_name())));
          break;
        default:
          list.erase(list.begin() + static_cast<std::ptrdiff_t>(k));
          break;
      }
    }
    const bool expected = reference_lists_equal(a.unknown_fields, b.unknown_fields);
    CHECK((a == b) == expected);
    CHECK((b == a) == expected);
    const gdos::decoded_response d = decoded_copy(b, g);
    CHECK((a == d) == expected);
    CHECK((d == a) == expected);
    const nothrow_refused refused;
    CHECK((a == b) == expected);
    CHECK((d == a) == expected);
  }
}

TEST_CASE("the round-trip check sizes the text in list order and finds repeats exactly") {
  spelling_generator g(5);
  int ok = 0;
  for (int i = 0; i < 3000; ++i) {
    const gdos::response r = random_reply(g, i % 4 == 0);
    const gdos::round_trip_check c = gdos::check_round_trip(r);
    const std::string body = gdos::write_response(r);
    // Exact: ok exactly when the strict parser gives the reply back.
    const auto back = gdos::parse_response(body);
    CHECK(static_cast<bool>(c) == (back && *back == r));
    const auto repeats = reference_repeats(r.unknown_fields);
    std::size_t first = gdos::round_trip_check::npos;
    for (const auto& set : repeats) first = std::min(first, set[1]);
    CHECK(gdos::detail::first_duplicate(r.unknown_fields) == first);
    if (c.code == gdos::round_trip_errc::duplicate_name) CHECK(c.unknown_index == first);
    if (c.code == gdos::round_trip_errc::ok || c.code == gdos::round_trip_errc::duplicate_name ||
        c.code == gdos::round_trip_errc::empty) {
      // Rules 1 and 2 hold: every field is written once, so the size does not depend on order.
      CHECK(gdos::detail::checked_response_size(r) == body.size());
      ok += c ? 1 : 0;
    }
    const gdos::org_details d = random_org_details(g, i % 4 == 0);
    const gdos::round_trip_check cd = gdos::check_round_trip(d);
    const std::string list = gdos::write_org_details(d);
    const auto list_back = gdos::parse_org_details(list);
    CHECK(static_cast<bool>(cd) == (list_back && *list_back == d));
  }
  CHECK(ok > 300);  // the generator does give writable replies
}

namespace {

/// An interleaved list with a name spelled two ways (x%41, xA).
constexpr gdos::response interleaved_reply() {
  gdos::response r;
  r.orders.emplace_back().index = 1;
  r.orders[0].certificates.emplace_back().index = 1;
  r.orders[0].certificates[0].fqdn = form::encoded_view("a");
  r.unknown_fields.push_back({1, 1, form::encoded_view("x%41"), form::encoded_view("1")});
  r.unknown_fields.push_back({0, 0, form::encoded_view("y"), form::encoded_view("2")});
  r.unknown_fields.push_back({1, 1, form::encoded_view("xA"), form::encoded_view("3")});
  return r;
}

/// Found repeated, with hashes and with every hash colliding; equal to its grouped copy, and
/// not to a copy with the level's two fields swapped; refused by the round-trip check.
constexpr bool interleaved_fast_paths() {
  const gdos::response r = interleaved_reply();
  gdos::response grouped = r;
  std::swap(grouped.unknown_fields[0], grouped.unknown_fields[1]);
  gdos::response swapped = r;
  std::swap(swapped.unknown_fields[0], swapped.unknown_fields[2]);
  gdos::detail::scratch first;
  gdos::detail::find_repeats(r.unknown_fields, first, colliding_hash{});
  const bool found = first.size() == 3 && first[0] == 0 && first[1] == 1 && first[2] == 0;
  return gdos::detail::first_duplicate(r.unknown_fields) == 2 && found && r == grouped &&
         !(r == swapped) && gdos::check_round_trip(r).code == gdos::round_trip_errc::duplicate_name;
}

/// Written level by level however the list interleaves.
constexpr bool interleaved_written_grouped() {
  return gdos::write_response(interleaved_reply()) ==
         "errorCode=0&y=2&1_1_FQDN=a&1_1_x%41=1&1_1_xA=3";
}

/// The parser's deferred duplicate check (a level met again), strict and lenient.
constexpr bool deferred_duplicates() {
  constexpr std::string_view body = "errorCode=0&1_x%41=1&y=2&1_xA=3";
  const auto strict = gdos::parse_response(body);
  const auto len = gdos::parse_response(body, {.mode = gdos::parse_mode::lenient});
  return !strict && strict.error().code == gdos::response_errc::duplicate_key && len &&
         len->unknown_fields.size() == 2 && len->unknown_fields[0].value == "3";
}

}  // namespace

TEST_CASE("the fast paths run in constant evaluation too") {
  static_assert(interleaved_fast_paths());
  CHECK(interleaved_fast_paths());
#if !defined(__clang__)  // clang 19 cannot run libstdc++ 12's std::string in constant evaluation
  static_assert(interleaved_written_grouped());
#endif
  CHECK(interleaved_written_grouped());
  static_assert(deferred_duplicates());
  CHECK(deferred_duplicates());
}

// ---- bounds -----------------------------------------------------------------------------------

namespace {

/// The operations timed on an adversarial body.
enum class op { strict, lenient, write, check, equal, collide };

constexpr op all_ops[] = {op::strict, op::lenient, op::write, op::check, op::equal, op::collide};

std::string op_name(op o) {
  switch (o) {
    case op::strict:
      return "parse strict";
    case op::lenient:
      return "parse lenient";
    case op::write:
      return "write";
    case op::check:
      return "round-trip check";
    case op::equal:
      return "==";
    case op::collide:
      return "duplicate check, every hash colliding";
  }
  return "?";
}

/// One adversarial body, generated and parsed (lenient) once; run() does one operation on it
/// and checks its outcome.
class prepared {
 public:
  prepared(adv::kind k, std::size_t bytes) : kind_(k), body_(adv::make(k, bytes)) {
    if (adv::is_org_list(k)) {
      auto d = gdos::parse_org_details(body_, lenient);
      REQUIRE(d);
      list_ = *d;
      return;
    }
    auto r = gdos::parse_response(body_, lenient);
    REQUIRE(r);
    reply_ = *r;
  }

  /// Makes what run(o) needs besides the parsed body, outside the timing.
  void ready(op o) {
    if (o != op::equal) return;
    // The other operand of ==: grouped by level when the parsed list is not, so that the
    // comparison has to put one of them in level order.
    if (adv::is_org_list(kind_) && list_copy_.unknown_fields.empty()) {
      list_copy_ = list_;
      group_by_level(list_copy_.unknown_fields);
    } else if (!adv::is_org_list(kind_) && reply_grouped_.unknown_fields.empty()) {
      reply_grouped_ = reply_;
      group_by_level(reply_grouped_.unknown_fields);
    }
  }

  void run(op o) const {
    if (adv::is_org_list(kind_))
      run_on(o, list_, list_copy_, [this](const gdos::parse_options& opt) {
        return gdos::parse_org_details(body_, opt);
      });
    else
      run_on(o, reply_, reply_grouped_,
             [this](const gdos::parse_options& opt) { return gdos::parse_response(body_, opt); });
  }

 private:
  template <class T, class Parse>
  void run_on(op o, const T& a, const T& b, const Parse& parse) const {
    switch (o) {
      case op::strict:
        CHECK(static_cast<bool>(parse(gdos::parse_options{})) == adv::strict_accepts(kind_));
        break;
      case op::lenient:
        CHECK(parse(lenient));
        break;
      case op::write:
        if constexpr (requires { a.orders; })
          CHECK(!gdos::write_response(a).empty());
        else
          CHECK(!gdos::write_org_details(a).empty());
        break;
      case op::check:
        // leading_zeros' names start like an index: they would come back one level down.
        CHECK(static_cast<bool>(gdos::check_round_trip(a, lenient)) ==
              (kind_ != adv::kind::leading_zeros));
        break;
      case op::equal:
        CHECK(a == b);
        break;
      case op::collide: {
        gdos::detail::scratch first;
        gdos::detail::find_repeats(a.unknown_fields, first, colliding_hash{});
        bool none = true;
        for (std::size_t i = 0; i < first.size(); ++i) none = none && first[i] == i;
        CHECK(none);
        break;
      }
    }
  }

  adv::kind kind_;
  std::string body_;
  gdos::response reply_;
  gdos::response reply_grouped_;
  gdos::org_details list_;
  gdos::org_details list_copy_;
};

}  // namespace

TEST_CASE("4 MiB adversarial bodies: every operation stays far below a second") {
  for (const adv::kind k : adv::all_kinds) {
    CAPTURE(adv::name(k));
    prepared p(k, adv::max_body);
    std::string line(adv::name(k));
    for (const op o : all_ops) {
      CAPTURE(op_name(o));
      p.ready(o);
      const double t = cpu_ms([&] { p.run(o); });
      line += std::string(", ") + op_name(o) + " " + std::to_string(t) + " ms";
      CHECK(t < bound_ms);
    }
    MESSAGE(line, " (CPU)");
  }
}

TEST_CASE("quadrupling an adversarial body costs well under sixteen times as much") {
  // The operations that were quadratic (or n log n with a costly comparison) before, each on
  // the body that hit it hardest: the least of three timings at a quarter of and at the full
  // scaling size (4 MiB; 1 MiB under the sanitizers, which slow everything tenfold). Linear
  // gives 4, n log n about 4.5, a quadratic path 16; the bound is 8. A loaded machine can stretch
  // one measurement, never every one: each case gets three attempts, a quadratic path fails all.
  struct scaled {
    adv::kind kind;
    op what;
  };
  const scaled cases[] = {
      {adv::kind::escaped_prefix, op::strict},  {adv::kind::mixed_spelling, op::lenient},
      {adv::kind::duplicates, op::lenient},     {adv::kind::org_list, op::lenient},
      {adv::kind::interleaved, op::write},      {adv::kind::interleaved, op::check},
      {adv::kind::reversed_certs, op::equal},   {adv::kind::long_prefix, op::collide},
      {adv::kind::mixed_spelling, op::collide},
  };
  for (const scaled& c : cases) {
    CAPTURE(adv::name(c.kind));
    CAPTURE(op_name(c.what));
    prepared quarter(c.kind, scaling_size / 4);
    prepared full(c.kind, scaling_size);
    quarter.ready(c.what);
    full.ready(c.what);
    double t_quarter = 0;
    double t_full = 0;
    for (int attempt = 0; attempt < 3; ++attempt) {
      t_quarter = best_ms(3, [&] { quarter.run(c.what); });
      t_full = best_ms(3, [&] { full.run(c.what); });
      MESSAGE(adv::name(c.kind), ", ", op_name(c.what), ": ", scaling_size / 4, " B ", t_quarter,
              " ms, ", scaling_size, " B ", t_full, " ms (CPU, least of 3)");
      // Below half a millisecond the clock's granularity is all one would measure.
      if (t_full < 8.0 * std::max(t_quarter, 0.5)) break;
    }
    CHECK(t_full < 8.0 * std::max(t_quarter, 0.5));
  }
}

TEST_CASE("a built reply with orders in any order and interleaved levels is written in n log n") {
  // Orders and certificates descending (not what the parser gives, so the writer looks each
  // level up), every certificate with unknown fields met round after round.
  std::deque<std::string> owned;
  const auto build = [&owned](std::uint32_t certs) {
    gdos::decoded_response r;
    for (std::uint32_t x = 10; x >= 1; --x) {
      auto& o = r.orders.emplace_back();
      o.index = x;
      for (std::uint32_t y = certs; y >= 1; --y) o.certificates.emplace_back().index = y;
    }
    for (std::size_t round = 0; round < 10; ++round) {
      const std::string_view name = owned.emplace_back("u" + std::to_string(round));
      for (const auto& o : r.orders)
        for (const auto& c : o.certificates)
          r.unknown_fields.push_back({o.index, c.index, name, "v"});
    }
    return r;
  };
  const gdos::decoded_response tiny = build(20);
  CHECK(gdos::write_response(tiny) == reference_write(tiny));
  const gdos::decoded_response small = build(500);
  const gdos::decoded_response large = build(1000);
  std::string text;
  const double t_small = best_ms(3, [&] { text = gdos::write_response(small); });
  CHECK(text.size() > 500000);
  const double t_large = best_ms(3, [&] { text = gdos::write_response(large); });
  CHECK(text.size() > 1000000);
  MESSAGE("100,000 / 200,000 unknown fields: ", t_small, " / ", t_large, " ms (CPU, least of 3)");
  CHECK(t_large < bound_ms);
  CHECK(t_large < 3.0 * std::max(t_small, 1.0));
}
