// Response layer benchmarks: the typed GetDetailedOrderStatus reply parser on the bench bodies,
// in the same binary as bench_form.cpp's memchr floor and its peers (untyped split + decode with
// libcurl, Boost.URL, GLib, Poco, cpp-httplib), so one run gives every ratio.
//
// Cases (name/body):
//   response_parse         gdos::parse_response(): typed orders and certificates, integers and
//                          progress statuses parsed, strings left as encoded views (lazy).
//   response_parse_decode  the same, then every string of the reply decoded: each value that
//                          needs it into one reused caller buffer, the others used as they are
//                          (plain text is its own decoding), unknown names included.
//   response_in_place      the body copied into a reused buffer and parsed by
//                          gdos::parse_response_in_place(), which decodes every string once.
//
// Verified before timed: each case first runs on a checking path. The typed reply must have the
// expected orders and certificates and must write back (write_response) to the body byte for
// byte, which it can only do when every field was kept, with its value, at its place (the bench
// bodies are canonical). The decoded strings must match, in count, bytes and an order-independent
// hash, those of a plain byte-by-byte reference written below, which shares no code with gdos.
#include <gdos/response.hpp>

#include "bench_util.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

// ---------------------------------------------------------------------------------------------
// The reference: which strings a typed reply holds, decoded, found the plain way.
// ---------------------------------------------------------------------------------------------

std::uint64_t fnv1a(std::string_view s) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

/// The decoded strings of a reply: how many, their bytes, and a sum of their hashes (order
/// does not matter: the typed reply keeps unknown fields apart from the known ones).
struct strings_digest {
  std::size_t count = 0;
  std::size_t bytes = 0;
  std::uint64_t hash_sum = 0;
  void add(std::string_view s) noexcept {
    ++count;
    bytes += s.size();
    hash_sum += fnv1a(s);
  }
  bool operator==(const strings_digest&) const = default;
};

std::string describe(const strings_digest& d) {
  std::ostringstream os;
  os << d.count << " strings, " << d.bytes << " bytes, hash sum " << std::hex << d.hash_sum;
  return os.str();
}

int ref_hex(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string ref_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && ref_hex(s[i + 1]) >= 0 &&
               ref_hex(s[i + 2]) >= 0) {
      out += static_cast<char>(ref_hex(s[i + 1]) * 16 + ref_hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

/// Strips `X_` and `X_Y_` (digits, underscore) from a decoded key.
std::string_view ref_strip_indices(std::string_view key) {
  for (int level = 0; level < 2; ++level) {
    std::size_t i = 0;
    while (i < key.size() && key[i] >= '0' && key[i] <= '9') ++i;
    if (i == 0 || i == key.size() || key[i] != '_') break;
    key.remove_prefix(i + 1);
  }
  return key;
}

/// Known fields whose values are integers (parsed, not strings) and those that are strings.
bool ref_is_integer_field(std::string_view name) {
  for (std::string_view n :
       {"errorCode", "orderNumber", "csrStatus", "dcvStatus", "ovCallBackStatus",
        "organizationValidationStatus", "freeDVUPStatus", "evClickThroughStatus"})
    if (name == n) return true;
  return false;
}
bool ref_is_string_field(std::string_view name) {
  for (std::string_view n :
       {"errorMessage", "errorItem", "errorDetail", "orderDateTime", "orderStatus",
        "orderStatusReason", "suggestedOrgDetails", "serialNumber", "objectType", "FQDN",
        "certificateStatus", "certificateStatusReason"})
    if (name == n) return true;
  return false;
}

strings_digest reference_strings(std::string_view body) {
  strings_digest d;
  std::size_t pos = 0;
  while (pos <= body.size()) {
    std::size_t amp = body.find('&', pos);
    if (amp == std::string_view::npos) amp = body.size();
    const std::string_view piece = body.substr(pos, amp - pos);
    pos = amp + 1;
    if (piece.empty()) continue;
    const std::size_t eq = piece.find('=');
    const std::string key = ref_decode(piece.substr(0, eq));
    const std::string value =
        eq == std::string_view::npos ? std::string() : ref_decode(piece.substr(eq + 1));
    const std::string_view name = ref_strip_indices(key);
    if (ref_is_integer_field(name)) continue;
    if (!ref_is_string_field(name)) d.add(name);  // an unknown field: its name is a string too
    d.add(value);
  }
  return d;
}

// ---------------------------------------------------------------------------------------------
// Walking a typed reply's strings
// ---------------------------------------------------------------------------------------------

/// Calls fn(plain text) for every string of `r`: known string fields, unknown names and values.
/// Encoded views that need decoding are decoded into `buf` (reused; decoded text never outgrows
/// the raw text, so the body's size is enough); the others are used as they are.
template <class Fn>
void each_decoded_string(const gdos::response& r, std::vector<char>& buf, Fn&& fn) {
  char* out = buf.data();
  const auto put = [&](const gdos::form::encoded_view& v) {
    if (!v.needs_decoding()) {
      fn(v.encoded());
      return;
    }
    char* const begin = out;
    out = v.decode_unchecked(out);
    fn(std::string_view(begin, static_cast<std::size_t>(out - begin)));
  };
  const auto opt = [&](const std::optional<gdos::form::encoded_view>& v) {
    if (v) put(*v);
  };
  opt(r.error_message);
  opt(r.error_item);
  opt(r.error_detail);
  for (const gdos::order& o : r.orders) {
    opt(o.date_time);
    opt(o.status);
    opt(o.status_reason);
    opt(o.suggested_org_details);
    for (const gdos::certificate& c : o.certificates) {
      opt(c.serial_number);
      opt(c.object_type);
      opt(c.fqdn);
      opt(c.status);
      opt(c.status_reason);
    }
  }
  for (const gdos::unknown_field& u : r.unknown_fields) {
    put(u.name);
    put(u.value);
  }
}

template <class S>
void each_plain_string(const gdos::basic_response<S>& r, auto&& fn) {
  const auto opt = [&](const std::optional<S>& v) {
    if (v) fn(*v);
  };
  opt(r.error_message);
  opt(r.error_item);
  opt(r.error_detail);
  for (const auto& o : r.orders) {
    opt(o.date_time);
    opt(o.status);
    opt(o.status_reason);
    opt(o.suggested_org_details);
    for (const auto& c : o.certificates) {
      opt(c.serial_number);
      opt(c.object_type);
      opt(c.fqdn);
      opt(c.status);
      opt(c.status_reason);
    }
  }
  for (const auto& u : r.unknown_fields) {
    fn(u.name);
    fn(u.value);
  }
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

struct body_data {
  std::string label;  // one of gdos_bench::body_labels
  std::string_view text;
  std::size_t fields = 0;  // '&'-separated pieces, for items_per_second
  std::size_t orders = 0;  // what gen_bodies.py made
  std::size_t certificates = 0;
  bool org_details = true;  // every order has suggestedOrgDetails
  strings_digest expected;
  std::vector<char> decode_buffer;  // response_parse_decode's output
  std::vector<char> copy;           // response_in_place's mutable body
  bool ready = false;

  void prepare() {
    if (ready) return;
    text = gdos_bench::body(label);
    fields = 1;
    for (char c : text) fields += c == '&' ? 1 : 0;
    expected = reference_strings(text);
    decode_buffer.resize(text.size());
    copy.resize(text.size());
    ready = true;
  }
};

/// The typed reply must be the body's: the expected shape, and writing it back gives the body.
std::string check_reply(const body_data& b,
                        const gdos::result<gdos::response, gdos::parse_error>& r) {
  if (!r) return b.label + ": parse_response refused the body: " + r.error().message();
  if (!r->ok()) return b.label + ": errorCode is not 0";
  if (r->orders.size() != b.orders)
    return b.label + ": " + std::to_string(r->orders.size()) + " orders";
  for (const gdos::order& o : r->orders)
    if (o.certificates.size() != b.certificates || !o.number ||
        o.suggested_org_details.has_value() != b.org_details)
      return b.label + ": order " + std::to_string(o.index) + " is not complete";
  if (gdos::write_response(*r) != b.text)
    return b.label + ": the reply does not write back to the body";
  return {};
}

template <class Case>
bool checked(benchmark::State& state, body_data& b) {
  return gdos_bench::check_once(state, std::string(Case::name) + "/" + b.label,
                                [&]() -> std::string {
                                  b.prepare();
                                  return Case::check(b);
                                });
}

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

struct response_parse {
  static constexpr const char* name = "response_parse";
  static std::string check(body_data& b) { return check_reply(b, gdos::parse_response(b.text)); }
  static void run(benchmark::State& state, body_data& b) {
    for (auto _ : state) {
      const auto r = gdos::parse_response(b.text);
      benchmark::DoNotOptimize(r->orders.data());
      benchmark::DoNotOptimize(r->unknown_fields.size());
    }
  }
};

struct response_parse_decode {
  static constexpr const char* name = "response_parse_decode";
  static std::string check(body_data& b) {
    const auto r = gdos::parse_response(b.text);
    if (std::string e = check_reply(b, r); !e.empty()) return e;
    strings_digest got;
    each_decoded_string(*r, b.decode_buffer, [&](std::string_view s) { got.add(s); });
    if (got == b.expected) return {};
    return b.label + ": decoded strings differ from the reference: got " + describe(got) +
           "; want " + describe(b.expected);
  }
  static void run(benchmark::State& state, body_data& b) {
    for (auto _ : state) {
      const auto r = gdos::parse_response(b.text);
      std::size_t total = 0;
      each_decoded_string(*r, b.decode_buffer, [&](std::string_view s) { total += s.size(); });
      benchmark::DoNotOptimize(total);
      benchmark::ClobberMemory();
    }
  }
};

struct response_in_place {
  static constexpr const char* name = "response_in_place";
  static std::string check(body_data& b) {
    std::memcpy(b.copy.data(), b.text.data(), b.text.size());
    const auto r = gdos::parse_response_in_place(std::span<char>(b.copy));
    if (!r) return b.label + ": parse_response_in_place refused the body: " + r.error().message();
    const auto lazy = gdos::parse_response(b.text);
    if (std::string e = check_reply(b, lazy); !e.empty()) return e;
    if (!(*r == *lazy)) return b.label + ": the in-place reply differs from the lazy one";
    strings_digest got;
    each_plain_string(*r, [&](std::string_view s) { got.add(s); });
    if (got == b.expected) return {};
    return b.label + ": decoded strings differ from the reference: got " + describe(got) +
           "; want " + describe(b.expected);
  }
  static void run(benchmark::State& state, body_data& b) {
    for (auto _ : state) {
      std::memcpy(b.copy.data(), b.text.data(), b.text.size());
      const auto r = gdos::parse_response_in_place(std::span<char>(b.copy));
      benchmark::DoNotOptimize(r->orders.data());
      benchmark::ClobberMemory();
    }
  }
};

template <class Case>
void bench(benchmark::State& state, body_data& b) {
  if (!checked<Case>(state, b)) return;
  const std::uint64_t before = gdos_bench::allocation_count();
  Case::run(state, b);
  gdos_bench::report(state, b.text.size(), b.fields, before);
}

// Registered benchmarks keep pointers into this; a deque never moves its elements.
std::deque<body_data>& response_bodies() {
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
    body_data& b = response_bodies().emplace_back();
    b.label = label;
    const gdos_bench::body_shape& shape = gdos_bench::shape(label);
    b.orders = shape.orders;
    b.certificates = shape.certificates;
    b.org_details = shape.suggested_org_details;
    add(response_parse::name, bench<response_parse>, b);
    add(response_parse_decode::name, bench<response_parse_decode>, b);
    add(response_in_place::name, bench<response_in_place>, b);
  }
  return true;
}();

}  // namespace
