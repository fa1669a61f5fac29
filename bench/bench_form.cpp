// Form layer benchmarks: splitting and decoding a GetDetailedOrderStatus response body.
//
// Every case runs on both bodies of bench/data (small.txt, large.txt) and, before it is timed,
// runs once more on a checking sink whose digest must equal the one of a deliberately plain
// byte-by-byte splitter written below (sharing no code with gdos or any peer): same number of
// fields, same decoded bytes, same content. A mismatch ends that case with SkipWithError, so a
// fast wrong answer never shows up as a result.
//
// Cases (name/body):
//   floor_memchr      one memchr pass counting '&': the cost of touching the body at all.
//   gdos_fields       gdos::form::fields(): every name and value located, nothing decoded.
//   gdos_decode       fields() and every name and value decoded into one reused caller buffer.
//   boost_url ... naive_std   the same untyped split + decode with other libraries; each yields
//                     decoded strings in whatever container the library's API returns.
//   floor_memcpy_values  every value of the body (located beforehand) copied with memcpy into
//                     one buffer: the least any decoder of those values can cost.
//   decode_values     the same values decoded with gdos::form::decode_to into the same buffer:
//                     decoding alone, without the split.
// Counters: bytes_per_second (body bytes), items_per_second (fields), allocs (heap allocations
// per iteration, see alloc_count.hpp).
#include <gdos/form.hpp>

#include "bench_util.hpp"

#include <Poco/URI.h>
#include <curl/curl.h>
#include <glib.h>
#include <httplib.h>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/params_view.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

// ---------------------------------------------------------------------------------------------
// Checking: digest of a decoded field list, and the independent reference splitter.
// ---------------------------------------------------------------------------------------------

std::uint64_t fnv1a(std::uint64_t h, std::string_view s) noexcept {
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

/// What a split + decode produced. `ordered` depends on field order; `unordered` (a sum of
/// per-field hashes) does not, for peers whose containers reorder (httplib's multimap, GLib's
/// hash table).
struct digest {
  std::size_t fields = 0;
  std::size_t bytes = 0;  // decoded name + value bytes
  std::uint64_t ordered = 0xcbf29ce484222325ULL;
  std::uint64_t unordered = 0;

  void add(std::string_view name, std::string_view value) noexcept {
    // The 0xff byte never occurs in our decoded text, so "ab"+"c" and "a"+"bc" differ.
    const std::uint64_t h = fnv1a(fnv1a(fnv1a(0xcbf29ce484222325ULL, name), "\xff"), value);
    ++fields;
    bytes += name.size() + value.size();
    ordered = (ordered ^ h) * 0x100000001b3ULL;
    unordered += h;
  }
};

std::string describe(const digest& d) {
  std::ostringstream os;
  os << d.fields << " fields, " << d.bytes << " decoded bytes, ordered " << std::hex << d.ordered
     << ", unordered " << d.unordered;
  return os.str();
}

int reference_hex(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

struct reference_result {
  digest decoded;
  std::size_t raw_bytes = 0;  // encoded name + value bytes (the body less its '&' and first '=')
  std::vector<std::string_view> raw_values;  // every field's value, still encoded
  std::string decoded_values;                // and decoded, concatenated
};

/// One value decoded the plain way.
std::string reference_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && reference_hex(s[i + 1]) >= 0 &&
               reference_hex(s[i + 2]) >= 0) {
      out += static_cast<char>(reference_hex(s[i + 1]) * 16 + reference_hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

/// The WHATWG urlencoded parser written as plainly as possible, one byte at a time.
reference_result reference_split(std::string_view body) {
  reference_result r;
  std::string name;
  std::string value;
  std::string* out = &name;
  std::size_t piece = 0;
  for (std::size_t i = 0; i <= body.size(); ++i) {
    if (i == body.size() || body[i] == '&') {
      if (piece != 0) {
        r.decoded.add(name, value);
        r.raw_bytes += piece - (out == &value ? 1 : 0);
      }
      name.clear();
      value.clear();
      out = &name;
      piece = 0;
      continue;
    }
    ++piece;
    char c = body[i];
    if (c == '=' && out == &name) {
      out = &value;
      continue;
    }
    if (c == '+') {
      c = ' ';
    } else if (c == '%' && i + 2 < body.size() && reference_hex(body[i + 1]) >= 0 &&
               reference_hex(body[i + 2]) >= 0) {
      c = static_cast<char>(reference_hex(body[i + 1]) * 16 + reference_hex(body[i + 2]));
      i += 2;
      piece += 2;
    }
    out->push_back(c);
  }
  // The values alone, for the decode-only cases.
  for (std::size_t pos = 0; pos <= body.size();) {
    std::size_t amp = body.find('&', pos);
    if (amp == std::string_view::npos) amp = body.size();
    const std::string_view p = body.substr(pos, amp - pos);
    pos = amp + 1;
    if (p.empty()) continue;
    const std::size_t eq = p.find('=');
    const std::string_view v = eq == std::string_view::npos ? p.substr(p.size()) : p.substr(eq + 1);
    r.raw_values.push_back(v);
    r.decoded_values += reference_decode(v);
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Inputs and per-body scratch state
// ---------------------------------------------------------------------------------------------

struct body_data {
  std::string label;  // one of gdos_bench::body_labels
  std::string_view text;
  reference_result ref;
  std::vector<char> buffer;  // gdos_decode output: decoded text never outgrows its input
  std::string curl_scratch;  // libcurl case: the piece with '+' turned into ' '
  CURL* curl = nullptr;
  std::string peer_error;  // why a peer rejected the body, for the check's message
  bool ready = false;

  body_data() = default;
  body_data(const body_data&) = delete;
  body_data& operator=(const body_data&) = delete;
  ~body_data() {
    if (curl != nullptr) curl_easy_cleanup(curl);
  }

  /// Done on first use: the bodies are loaded by main, after registration.
  void prepare() {
    if (ready) return;
    text = gdos_bench::body(label);
    ref = reference_split(text);
    buffer.resize(text.size());
    curl = curl_easy_init();  // also runs curl_global_init
    ready = true;
  }
};

// ---------------------------------------------------------------------------------------------
// Sinks: what a case does with each decoded field.
// ---------------------------------------------------------------------------------------------

/// Timed runs: keeps every decoded name and value observable at the cost of one add each.
struct touch_sink {
  std::size_t total = 0;
  void operator()(std::string_view name, std::string_view value) noexcept {
    total += name.size() + value.size();
  }
};

/// The checking run.
struct digest_sink {
  digest d;
  void operator()(std::string_view name, std::string_view value) noexcept { d.add(name, value); }
};

// ---------------------------------------------------------------------------------------------
// Split + decode cases. Each `run` is called by the checking run and by the timed loop alike.
// ---------------------------------------------------------------------------------------------

struct gdos_decode {
  static constexpr const char* name = "gdos_decode";
  static constexpr bool ordered = true;
  template <class Sink>
  static void run(body_data& b, Sink& sink) {
    char* out = b.buffer.data();
    for (const auto& f : gdos::form::fields(b.text)) {
      char* const n = out;
      out = f.name.decode_unchecked(out);
      char* const v = out;
      out = f.value.decode_unchecked(out);
      sink(std::string_view(n, static_cast<std::size_t>(v - n)),
           std::string_view(v, static_cast<std::size_t>(out - v)));
    }
  }
};

struct boost_url {
  static constexpr const char* name = "boost_url";
  static constexpr bool ordered = true;
  template <class Sink>
  static void run(body_data& b, Sink& sink) {
    // Dereferencing a params_view iterator yields a boost::urls::param holding decoded
    // std::string key and value.
    const boost::urls::params_view params(b.text, boost::urls::encoding_opts(true, false, false));
    for (const boost::urls::param p : params) sink(p.key, p.value);
  }
};

struct cpp_httplib {
  static constexpr const char* name = "cpp_httplib";
  // A std::multimap sorted by key; it also drops a piece identical to an earlier one.
  static constexpr bool ordered = false;
  template <class Sink>
  static void run(body_data& b, Sink& sink) {
    httplib::Params params;
    httplib::detail::parse_query_text(gdos_bench::body(b.label), params);
    for (const auto& [k, v] : params) sink(k, v);
  }
};

struct glib {
  static constexpr const char* name = "glib";
  // A GHashTable: no order, and a repeated name keeps one value.
  static constexpr bool ordered = false;
  template <class Sink>
  static void run(body_data& b, Sink& sink) {
    GError* error = nullptr;
    GHashTable* params = g_uri_parse_params(b.text.data(), static_cast<gssize>(b.text.size()), "&",
                                            G_URI_PARAMS_WWW_FORM, &error);
    if (params == nullptr) {
      // The checking run reports it as a mismatch (zero fields), with this message.
      b.peer_error = error != nullptr ? error->message : "no GError";
      g_clear_error(&error);
      return;
    }
    GHashTableIter it;
    gpointer k = nullptr;
    gpointer v = nullptr;
    g_hash_table_iter_init(&it, params);
    // GLib gives NUL-terminated strings only, so each size costs a strlen.
    while (g_hash_table_iter_next(&it, &k, &v))
      sink(std::string_view(static_cast<const char*>(k)),
           std::string_view(static_cast<const char*>(v)));
    g_hash_table_unref(params);
  }
};

struct poco {
  static constexpr const char* name = "poco";
  static constexpr bool ordered = true;
  template <class Sink>
  static void run(body_data& b, Sink& sink) {
    Poco::URI uri;
    uri.setRawQuery(gdos_bench::body(b.label));
    const Poco::URI::QueryParameters params = uri.getQueryParameters();
    for (const auto& [k, v] : params) sink(k, v);
  }
};

struct libcurl {
  static constexpr const char* name = "libcurl";
  static constexpr bool ordered = true;

  /// curl_easy_unescape knows nothing of '+', so the piece is copied with '+' as ' ' first
  /// (into a reused string: no allocation once it has grown).
  static char* unescape(body_data& b, std::string_view raw, int& length) {
    b.curl_scratch.assign(raw);
    std::replace(b.curl_scratch.begin(), b.curl_scratch.end(), '+', ' ');
    // A length of 0 makes curl take strlen(), which is also 0 here: std::string ends in NUL.
    return curl_easy_unescape(b.curl, b.curl_scratch.c_str(),
                              static_cast<int>(b.curl_scratch.size()), &length);
  }

  template <class Sink>
  static void run(body_data& b, Sink& sink) {
    const std::string_view body = b.text;
    std::size_t pos = 0;
    while (pos < body.size()) {
      std::size_t amp = body.find('&', pos);
      if (amp == std::string_view::npos) amp = body.size();
      const std::string_view piece = body.substr(pos, amp - pos);
      pos = amp + 1;
      if (piece.empty()) continue;
      const std::size_t eq = piece.find('=');
      const std::string_view raw_name = piece.substr(0, eq);
      const std::string_view raw_value =
          eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
      int name_len = 0;
      int value_len = 0;
      char* n = unescape(b, raw_name, name_len);
      char* v = unescape(b, raw_value, value_len);
      sink(std::string_view(n, static_cast<std::size_t>(name_len)),
           std::string_view(v, static_cast<std::size_t>(value_len)));
      curl_free(n);
      curl_free(v);
    }
  }
};

/// The loop people write by hand: substr for every piece, a std::string built one char at a
/// time, std::stoi for each escape.
namespace naive {

std::string url_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() &&
               std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse(const std::string& body) {
  std::vector<std::pair<std::string, std::string>> result;
  std::size_t pos = 0;
  while (pos < body.size()) {
    std::size_t amp = body.find('&', pos);
    if (amp == std::string::npos) amp = body.size();
    const std::string piece = body.substr(pos, amp - pos);
    pos = amp + 1;
    if (piece.empty()) continue;
    const std::size_t eq = piece.find('=');
    if (eq == std::string::npos) {
      result.emplace_back(url_decode(piece), std::string());
    } else {
      result.emplace_back(url_decode(piece.substr(0, eq)), url_decode(piece.substr(eq + 1)));
    }
  }
  return result;
}

}  // namespace naive

struct naive_std {
  static constexpr const char* name = "naive_std";
  static constexpr bool ordered = true;
  template <class Sink>
  static void run(body_data& b, Sink& sink) {
    for (const auto& [k, v] : naive::parse(gdos_bench::body(b.label))) sink(k, v);
  }
};

// ---------------------------------------------------------------------------------------------
// Running a case: check once, then time.
// ---------------------------------------------------------------------------------------------

/// Checks once per (case, body): prepares the body, runs `check_fn`, skips on failure.
template <class CheckFn>
bool checked(benchmark::State& state, const char* name, body_data& b, CheckFn check_fn) {
  return gdos_bench::check_once(state, std::string(name) + "/" + b.label, [&]() -> std::string {
    b.prepare();
    if (b.curl == nullptr) return "curl_easy_init failed";
    return check_fn();
  });
}

void report(benchmark::State& state, const body_data& b, std::uint64_t before) {
  gdos_bench::report(state, b.text.size(), b.ref.decoded.fields, before);
}

template <class Case>
void bench_decode(benchmark::State& state, body_data& b) {
  if (!checked(state, Case::name, b, [&]() -> std::string {
        digest_sink sink;
        Case::run(b, sink);
        const digest& got = sink.d;
        const digest& want = b.ref.decoded;
        const bool same = got.fields == want.fields && got.bytes == want.bytes &&
                          got.unordered == want.unordered &&
                          (!Case::ordered || got.ordered == want.ordered);
        if (same) return {};
        return std::string(Case::name) + " on " + b.label + " differs from the reference: got " +
               describe(got) + "; want " + describe(want) +
               (b.peer_error.empty() ? "" : " (" + b.peer_error + ")");
      }))
    return;
  const std::uint64_t before = gdos_bench::allocation_count();
  for (auto _ : state) {
    touch_sink sink;
    Case::run(b, sink);
    benchmark::DoNotOptimize(sink.total);
    benchmark::ClobberMemory();
  }
  report(state, b, before);
}

std::size_t count_ampersands(std::string_view body) noexcept {
  std::size_t n = 0;
  const char* p = body.data();
  const char* end = p + body.size();
  while (const void* hit = std::memchr(p, '&', static_cast<std::size_t>(end - p))) {
    ++n;
    p = static_cast<const char*>(hit) + 1;
  }
  return n;
}

void bench_floor(benchmark::State& state, body_data& b) {
  // Holds for our bodies, which have no empty pieces: one '&' between each two fields.
  if (!checked(state, "floor_memchr", b, [&]() -> std::string {
        const std::size_t n = count_ampersands(b.text);
        if (n + 1 == b.ref.decoded.fields) return {};
        return "floor_memchr on " + b.label + ": " + std::to_string(n) + " '&' for " +
               std::to_string(b.ref.decoded.fields) + " fields";
      }))
    return;
  const std::uint64_t before = gdos_bench::allocation_count();
  for (auto _ : state) {
    std::size_t n = count_ampersands(b.text);
    benchmark::DoNotOptimize(n);
  }
  report(state, b, before);
}

void bench_memcpy_values(benchmark::State& state, body_data& b) {
  const auto copy = [&b] {
    char* out = b.buffer.data();
    for (const std::string_view v : b.ref.raw_values) {
      std::memcpy(out, v.data(), v.size());
      out += v.size();
    }
    return out;
  };
  if (!checked(state, "floor_memcpy_values", b, [&]() -> std::string {
        std::string want;
        for (const std::string_view v : b.ref.raw_values) want += v;
        const char* end = copy();
        if (std::string_view(b.buffer.data(), static_cast<std::size_t>(end - b.buffer.data())) ==
            want)
          return {};
        return "floor_memcpy_values on " + b.label + ": the copy differs from the values";
      }))
    return;
  const std::uint64_t before = gdos_bench::allocation_count();
  for (auto _ : state) {
    char* end = copy();
    benchmark::DoNotOptimize(end);
    benchmark::ClobberMemory();
  }
  report(state, b, before);
}

void bench_decode_values(benchmark::State& state, body_data& b) {
  // Each value into what is left of one buffer of body size: decode_to never needs more.
  const auto decode = [&b]() -> const char* {
    char* out = b.buffer.data();
    char* const end = out + b.buffer.size();
    for (const std::string_view v : b.ref.raw_values) {
      const gdos::form::write_result r =
          gdos::form::decode_to(v, std::span<char>(out, static_cast<std::size_t>(end - out)));
      if (!r) return nullptr;
      out += r.size;
    }
    return out;
  };
  if (!checked(state, "decode_values", b, [&]() -> std::string {
        const char* end = decode();
        if (end != nullptr &&
            std::string_view(b.buffer.data(), static_cast<std::size_t>(end - b.buffer.data())) ==
                b.ref.decoded_values)
          return {};
        return "decode_values on " + b.label + ": the decoded values differ from the reference";
      }))
    return;
  const std::uint64_t before = gdos_bench::allocation_count();
  for (auto _ : state) {
    const char* end = decode();
    benchmark::DoNotOptimize(end);
    benchmark::ClobberMemory();
  }
  report(state, b, before);
}

#if GDOS_DETAIL_X86_KERNELS
// decode_values with each decoding kernel this CPU runs, chosen by hand rather than at run time
// (gdos::detail::simd, not API): what each kernel, SSE2 included, does on the same values.
constexpr const char* kernel_case(gdos::detail::simd::isa k) {
  switch (k) {
    case gdos::detail::simd::isa::portable:
      return "decode_values_kernel/words";
    case gdos::detail::simd::isa::sse2:
      return "decode_values_kernel/sse2";
    case gdos::detail::simd::isa::avx2:
      return "decode_values_kernel/avx2";
    case gdos::detail::simd::isa::avx512:
      return "decode_values_kernel/avx512";
  }
  return "?";
}

template <gdos::detail::simd::isa K>
void bench_decode_kernel(benchmark::State& state, body_data& b) {
  const auto decode = [&b]() -> const char* {
    char* out = b.buffer.data();
    for (const std::string_view v : b.ref.raw_values)
      out = gdos::detail::simd::decode_as(K, v.data(), v.data() + v.size(), out);
    return out;
  };
  if (!checked(state, kernel_case(K), b, [&]() -> std::string {
        const char* end = decode();
        if (std::string_view(b.buffer.data(), static_cast<std::size_t>(end - b.buffer.data())) ==
            b.ref.decoded_values)
          return {};
        return std::string(kernel_case(K)) + " on " + b.label + ": differs from the reference";
      }))
    return;
  const std::uint64_t before = gdos_bench::allocation_count();
  for (auto _ : state) {
    const char* end = decode();
    benchmark::DoNotOptimize(end);
    benchmark::ClobberMemory();
  }
  report(state, b, before);
}
#endif

void bench_fields(benchmark::State& state, body_data& b) {
  if (!checked(state, "gdos_fields", b, [&]() -> std::string {
        std::size_t n = 0;
        std::size_t raw = 0;
        for (const auto& f : gdos::form::fields(b.text)) {
          ++n;
          raw += f.name.size() + f.value.size();
        }
        if (n == b.ref.decoded.fields && raw == b.ref.raw_bytes) return {};
        return "gdos_fields on " + b.label + ": " + std::to_string(n) + " fields of " +
               std::to_string(raw) + " raw bytes; want " + std::to_string(b.ref.decoded.fields) +
               " of " + std::to_string(b.ref.raw_bytes);
      }))
    return;
  const std::uint64_t before = gdos_bench::allocation_count();
  for (auto _ : state) {
    for (const auto& f : gdos::form::fields(b.text)) {
      benchmark::DoNotOptimize(f.name.size());
      benchmark::DoNotOptimize(f.value.size());
    }
  }
  report(state, b, before);
}

// Registered benchmarks keep pointers into this; a deque never moves its elements.
std::deque<body_data>& form_bodies() {
  static std::deque<body_data> d;
  return d;
}

using bench_fn = void (*)(benchmark::State&, body_data&);

void add(const char* name, bench_fn fn, body_data& b) {
  benchmark::RegisterBenchmark((std::string(name) + "/" + b.label).c_str(),
                               [fn, &b](benchmark::State& state) { fn(state, b); });
}

[[maybe_unused]] const bool registered = [] {
  for (const char* label : gdos_bench::body_labels) {
    body_data& b = form_bodies().emplace_back();
    b.label = label;
    add("floor_memchr", bench_floor, b);
    add("gdos_fields", bench_fields, b);
    add(gdos_decode::name, bench_decode<gdos_decode>, b);
    add(boost_url::name, bench_decode<boost_url>, b);
    add(cpp_httplib::name, bench_decode<cpp_httplib>, b);
    add(glib::name, bench_decode<glib>, b);
    add(poco::name, bench_decode<poco>, b);
    add(libcurl::name, bench_decode<libcurl>, b);
    add(naive_std::name, bench_decode<naive_std>, b);
    add("floor_memcpy_values", bench_memcpy_values, b);
    add("decode_values", bench_decode_values, b);
#if GDOS_DETAIL_X86_KERNELS
    namespace simd = gdos::detail::simd;
    add(kernel_case(simd::isa::portable), bench_decode_kernel<simd::isa::portable>, b);
    add(kernel_case(simd::isa::sse2), bench_decode_kernel<simd::isa::sse2>, b);
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt"))
      add(kernel_case(simd::isa::avx2), bench_decode_kernel<simd::isa::avx2>, b);
    if (simd::best_isa() == simd::isa::avx512)
      add(kernel_case(simd::isa::avx512), bench_decode_kernel<simd::isa::avx512>, b);
#endif
  }
  return true;
}();

}  // namespace
