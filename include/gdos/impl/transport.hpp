/// @file impl/transport.hpp
/// @brief The bodies of gdos/transport.hpp: the names of the errors, the Content-Type checks,
/// the password scrubbing of the texts a call_error keeps, check_http_response() and
/// get_detailed_order_status(). Included at the end of that header.
#pragma once

#include <gdos/common.hpp>
#include <gdos/config.hpp>
#include <gdos/detail/ascii.hpp>
#include <gdos/form.hpp>
#include <gdos/reply.hpp>
#include <gdos/request.hpp>
#include <gdos/response.hpp>
#include <gdos/transport.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gdos {

constexpr std::string_view to_string(transport_errc e) noexcept {
  switch (e) {
    case transport_errc::ok:
      return "ok";
    case transport_errc::invalid_url:
      return "invalid_url";
    case transport_errc::resolve:
      return "resolve";
    case transport_errc::connect:
      return "connect";
    case transport_errc::timeout:
      return "timeout";
    case transport_errc::tls_handshake:
      return "tls_handshake";
    case transport_errc::tls_verification:
      return "tls_verification";
    case transport_errc::send:
      return "send";
    case transport_errc::receive:
      return "receive";
    case transport_errc::too_large:
      return "too_large";
    case transport_errc::other:
      return "other";
  }
  return "unknown";
}

constexpr std::string_view message(transport_errc e) noexcept {
  switch (e) {
    case transport_errc::ok:
      return "a reply arrived";
    case transport_errc::invalid_url:
      return "the URL could not be used";
    case transport_errc::resolve:
      return "the host name did not resolve";
    case transport_errc::connect:
      return "no connection could be made";
    case transport_errc::timeout:
      return "the exchange took longer than the transport allows";
    case transport_errc::tls_handshake:
      return "TLS could not be set up";
    case transport_errc::tls_verification:
      return "the server's certificate is not trusted or does not match the host";
    case transport_errc::send:
      return "the connection broke while sending";
    case transport_errc::receive:
      return "the connection broke while receiving";
    case transport_errc::too_large:
      return "the reply exceeded the transport's size limit";
    case transport_errc::other:
      return "the transport failed";
  }
  return "unknown transport error";
}

namespace detail {

/// True when the media type of `content_type` is `lower` (given in lower case): compared ASCII
/// case-insensitively, with surrounding spaces and any parameters (`; charset=UTF-8`) ignored, as
/// RFC 9110 compares media types.
[[nodiscard]] constexpr bool media_type_is(std::string_view content_type,
                                           std::string_view lower) noexcept {
  std::string_view t = content_type.substr(0, content_type.find(';'));
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  if (t.size() != lower.size()) return false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

}  // namespace detail

constexpr bool is_form_content_type(std::string_view content_type) noexcept {
  return detail::media_type_is(content_type, request_content_type);
}

constexpr bool is_json_content_type(std::string_view content_type) noexcept {
  return detail::media_type_is(content_type, "application/json");
}

constexpr std::string_view to_string(call_errc e) noexcept {
  switch (e) {
    case call_errc::ok:
      return "ok";
    case call_errc::insecure_url:
      return "insecure_url";
    case call_errc::invalid_request:
      return "invalid_request";
    case call_errc::transport:
      return "transport";
    case call_errc::http_status:
      return "http_status";
    case call_errc::empty_body:
      return "empty_body";
    case call_errc::content_type:
      return "content_type";
    case call_errc::malformed_reply:
      return "malformed_reply";
    case call_errc::api_error:
      return "api_error";
  }
  return "unknown";
}

constexpr std::string_view message(call_errc e) noexcept {
  switch (e) {
    case call_errc::ok:
      return "no error";
    case call_errc::insecure_url:
      return "the URL is not https, so nothing was sent (call_options::allow_plain_http allows "
             "http)";
    case call_errc::invalid_request:
      return "the request is invalid, so nothing was sent";
    case call_errc::transport:
      return "no HTTP reply arrived";
    case call_errc::http_status:
      return "the reply's HTTP status is not 200";
    case call_errc::empty_body:
      return "the reply's body is empty";
    case call_errc::content_type:
      return "the reply's Content-Type is not application/x-www-form-urlencoded";
    case call_errc::malformed_reply:
      return "the reply's body is not a reply gdos can read";
    case call_errc::api_error:
      return "the API answered with an error code";
  }
  return "unknown call error";
}

namespace detail {

/// Longest text from the server or the transport a call_error keeps (bytes, before `...`).
inline constexpr std::size_t kept_text_max = 1024;
/// Longest start of a body an http_status or content_type error keeps.
inline constexpr std::size_t excerpt_max = 200;
/// Longest encoding of one byte echo_lengths() knows (`%252F`, `&#x2F;`, `\u002f`, `&quot;`).
inline constexpr std::size_t max_echo_per_byte = 6;
/// An echo running into the end of a text is scrubbed once it covers this many password bytes.
inline constexpr std::size_t partial_echo_min = 4;

[[nodiscard]] constexpr int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// The byte two hex digits at `t` (either case) spell, or -1.
[[nodiscard]] constexpr int hex_pair(std::string_view t) noexcept {
  if (t.size() < 2) return -1;
  const int hi = hex_value(t[0]);
  const int lo = hex_value(t[1]);
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

[[nodiscard]] constexpr bool starts_with_nocase(std::string_view t,
                                                std::string_view lower) noexcept {
  if (t.size() < lower.size()) return false;
  for (std::size_t i = 0; i < lower.size(); ++i) {
    char c = t[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

/// The lengths of the ways `t` can start with an echo of the byte `c`, as a bit set (bit L: an
/// echo of length L). The ways: the byte itself; `%XX` in either hex case, and `%25XX` (encoded
/// twice); for a space `+` and `%2B` (`+` encoded again); an HTML character reference (`&#47;`,
/// `&#x2f;`, and `&amp;` `&lt;` `&gt;` `&quot;` `&apos;`); a JSON escape (`\/`, `\"`, `\\`,
/// `\u002f`). Several ways can apply at once (`%25` is both `%` and the start of `%252F`).
[[nodiscard]] constexpr unsigned echo_lengths(unsigned char c, std::string_view t) noexcept {
  if (t.empty()) return 0;
  unsigned lengths = 0;
  const auto add = [&lengths](std::size_t n) { lengths |= 1U << n; };
  const auto ch = static_cast<char>(c);
  if (t[0] == ch || (c == ' ' && t[0] == '+')) add(1);
  if (t[0] == '%') {
    if (hex_pair(t.substr(1)) == c) add(3);
    if (starts_with_nocase(t.substr(1), "25") && hex_pair(t.substr(3)) == c) add(5);
    if (c == ' ' && starts_with_nocase(t.substr(1), "2b")) add(3);
  } else if (t[0] == '&') {
    if (t.size() >= 4 && t[1] == '#') {
      if (t[2] == 'x' || t[2] == 'X') {  // &#xH; or &#xHH;, no leading zero
        const int one = hex_value(t[3]);
        if (one > 0 && t.size() >= 5 && t[4] == ';' && one == c) add(5);
        if (one > 0 && t.size() >= 6 && t[5] == ';' && hex_pair(t.substr(3)) == c) add(6);
      } else {  // &#D; to &#DDD;, no leading zero
        int value = 0;
        for (std::size_t i = 2; i < 6 && i < t.size(); ++i) {
          if (t[i] == ';') {
            if (i > 2 && value == c) add(i + 1);
            break;
          }
          const int d = t[i] - '0';
          if (d < 0 || d > 9 || (i == 2 && d == 0)) break;
          value = value * 10 + d;
        }
      }
    }
    const std::string_view named = c == '&'    ? "&amp;"
                                   : c == '<'  ? "&lt;"
                                   : c == '>'  ? "&gt;"
                                   : c == '"'  ? "&quot;"
                                   : c == '\'' ? "&apos;"
                                               : "";
    if (!named.empty() && starts_with_nocase(t, named)) add(named.size());
  } else if (t[0] == '\\' && t.size() >= 2) {
    if ((c == '/' || c == '"' || c == '\\') && t[1] == ch) add(2);
    if (t[1] == 'u' && t.size() >= 6 && t[2] == '0' && t[3] == '0' && hex_pair(t.substr(4)) == c)
      add(6);
  }
  return lengths;
}

/// `text` as an error may keep it: every echo of `secret` (see echo_lengths(); the bytes of one
/// echo may each use a different way) replaced by `***` (overlapping or adjacent echoes by one),
/// cut to about `cap` bytes with `...` after a cut. `complete` says `text` is the whole text (not
/// a prefix of a longer one); an echo running into the end of a complete text is scrubbed too
/// once it covers partial_echo_min password bytes (the server may have cut it).
///
/// Reads at most `cap` + 6 x secret.size() bytes of `text`, whatever its size: an echo covering
/// a kept byte ends within that window. Time O((cap + secret) x secret), one pass.
[[nodiscard]] inline std::string redact(std::string_view text, std::string_view secret,
                                        std::size_t cap = kept_text_max, bool complete = true) {
  constexpr std::size_t none = static_cast<std::size_t>(-1);
  const std::size_t k = secret.size();
  const std::size_t longest_echo = max_echo_per_byte * k;
  const std::size_t window = cap + longest_echo;
  const bool whole = complete && text.size() <= window;
  const std::string_view scan = text.substr(0, window);
  const std::size_t m = scan.size();
  // Bytes before `safe` are decided: every echo covering one ends inside `scan`.
  const std::size_t safe = whole ? m : (m > longest_echo ? m - longest_echo : 0);

  // cover[i] > 0 where an echo covers byte i (difference array: +1 at a start, -1 at an end).
  std::vector<int> cover(m + 1, 0);
  if (k != 0) {
    // ring[(i % slots) * (k + 1) + j]: the earliest start s with scan[s, i) an echo of the first j
    // password bytes, or none. The earliest start dominates: every way on from (i, j) is open to
    // it, so the union of echoes found equals the union of all echoes.
    constexpr std::size_t slots = max_echo_per_byte + 1;  // positions an echo state spans
    std::vector<std::size_t> ring(slots * (k + 1), none);
    for (std::size_t i = 0;; ++i) {
      std::size_t* slot = &ring[(i % slots) * (k + 1)];
      if (slot[0] == none) slot[0] = i;
      if (slot[k] != none) {
        ++cover[slot[k]];
        --cover[i];
      }
      if (i == m) {
        if (whole)
          for (std::size_t j = std::min(partial_echo_min, k); j < k; ++j)
            if (slot[j] != none) {
              ++cover[slot[j]];
              --cover[m];
            }
        break;
      }
      for (std::size_t j = 0; j < k; ++j) {
        if (slot[j] == none) continue;
        unsigned lengths = echo_lengths(static_cast<unsigned char>(secret[j]), scan.substr(i));
        for (std::size_t n = 1; lengths != 0; ++n) {
          if ((lengths & (1U << n)) == 0) continue;
          lengths &= ~(1U << n);
          if (i + n > m) continue;
          std::size_t& next = ring[((i + n) % slots) * (k + 1) + j + 1];
          if (slot[j] < next) next = slot[j];
        }
      }
      for (std::size_t j = 0; j <= k; ++j) slot[j] = none;
    }
  }

  std::string out;
  out.reserve(std::min(cap, safe) + 6);
  std::size_t i = 0;
  int depth = 0;  // cover[0] + ... + cover[i - 1]
  while (i < safe && out.size() < cap) {
    depth += cover[i];
    ++i;
    if (depth == 0) {
      out.push_back(text[i - 1]);
      continue;
    }
    out += "***";
    while (i < m && depth + cover[i] > 0) depth += cover[i++];
  }
  if (i < text.size()) out += "...";
  return out;
}

/// Overwrites a buffer that held the password; the volatile write is not optimized away.
inline void wipe(std::string& s) noexcept {
  volatile char* p = s.data();
  for (std::size_t i = 0; i < s.size(); ++i) p[i] = '\0';
}

}  // namespace detail

inline std::string call_error::message() const {
  std::string out;
  const auto text = [&out](std::string_view t) { detail::append_printable(out, t); };
  switch (code) {
    case call_errc::ok:
      return "ok";
    case call_errc::insecure_url:
      return "refused to send: the URL is not https (call_options::allow_plain_http allows http)";
    case call_errc::invalid_request:
      out = "invalid request: ";
      out += field_name(validation.field);
      out += ": ";
      out += gdos::message(validation.code);
      return out;
    case call_errc::transport:
      out = "no reply (";
      out += to_string(transport);
      out += ")";
      if (!detail.empty()) {
        out += ": ";
        text(detail);
      }
      return out;
    case call_errc::http_status:
      out = "HTTP status " + std::to_string(http_status) + " (expected 200)";
      break;
    case call_errc::empty_body:
      return "HTTP status " + std::to_string(http_status) + " with an empty body";
    case call_errc::content_type:
      out = "reply Content-Type is '";
      text(content_type);
      out += "', expected ";
      out += request_content_type;
      break;
    case call_errc::malformed_reply:
      out = "malformed reply: ";
      text(detail);
      return out;
    case call_errc::api_error:
      out = "errorCode " + std::to_string(to_int(api));
      if (!detail.empty()) {
        out += ": ";
        text(detail);
      }
      if (!item.empty()) {
        out += " (errorItem ";
        text(item);
        out += ")";
      }
      if (!extra.empty()) {
        out += " (errorDetail ";
        text(extra);
        out += ")";
      }
      return out;
  }
  // http_status and content_type: what the body started with, which often says why.
  if (!detail.empty()) {
    out += ": ";
    text(detail);
  }
  return out;
}

namespace detail {

/// True when `url`'s scheme is `https`, or `http` with `allow_http` (ASCII case-insensitive).
[[nodiscard]] constexpr bool scheme_allowed(std::string_view url, bool allow_http) noexcept {
  const std::size_t colon = url.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view scheme = url.substr(0, colon);
  return (scheme.size() == 5 && starts_with_nocase(scheme, "https")) ||
         (allow_http && scheme.size() == 4 && starts_with_nocase(scheme, "http"));
}

/// True when `text` is the API's documented errorMessage for `code` (`Permission denied!`, or
/// `The 'orderNumber' argument is missing!` with one of the request's field names): text the
/// reader can predict, so it is kept as it is, never scrubbed.
[[nodiscard]] constexpr bool is_documented_message(api_code code, std::string_view text) noexcept {
  const auto matches = [&](std::string_view argument) {
    const message_parts m = message_of(api_error{code, argument});
    return m.size() != 0 && m.size() == text.size() && text.starts_with(m.prefix) &&
           text.substr(m.prefix.size()).starts_with(m.argument) && text.ends_with(m.suffix);
  };
  if (matches({})) return true;
  for (std::string_view name : field_names)
    if (matches(name)) return true;
  return false;
}

/// True when `text` is one of the request's field names (what errorItem names).
[[nodiscard]] constexpr bool is_field_name(std::string_view text) noexcept {
  for (std::string_view name : field_names)
    if (text == name) return true;
  return false;
}

/// What a received value may be that the reader can predict (kept_decoded() keeps it as is).
enum class predictable : std::uint8_t { nothing, field_name, documented_message };

/// A received value as an error keeps it (see redact()), unless it is predictable text: the
/// API's documented errorMessage for `code`, or (errorItem) a request field name. It is decoded
/// only as far as redact() reads (each decoded byte takes at most 3 encoded ones), so a 4 MiB
/// errorMessage costs what a short one does.
template <class Encoded>
[[nodiscard]] std::string kept_decoded(const Encoded& value, std::string_view secret,
                                       predictable kind = predictable::nothing,
                                       api_code code = api_code::success) {
  const std::string_view raw = value.encoded();
  constexpr std::size_t longest_predictable = 128;  // the documented messages are shorter
  if (kind != predictable::nothing && raw.size() <= 3 * longest_predictable) {
    std::string decoded = form::decode(raw);
    if (kind == predictable::field_name ? is_field_name(decoded)
                                        : is_documented_message(code, decoded))
      return decoded;
    return redact(decoded, secret);
  }
  const std::size_t needed = kept_text_max + max_echo_per_byte * secret.size();
  const bool cut = raw.size() > 3 * needed;
  return redact(form::decode(cut ? raw.substr(0, 3 * needed) : raw), secret, kept_text_max, !cut);
}

/// The parse error as a call_error keeps it: its message built from the received key and
/// legacy message scrubbed first (so gdos' own words are never rewritten), its views emptied
/// (they point into a body that is about to die).
inline void keep_parse_error(call_error& e, const parse_error& p, std::string_view secret) {
  const std::string key = redact(p.key, secret);
  const std::string legacy = redact(p.legacy_message, secret);
  parse_error shown = p;
  shown.key = key;
  shown.legacy_message = legacy;
  e.detail = shown.message();
  e.parse = p;
  e.parse.key = {};
  e.parse.legacy_message = {};
}

/// For a body behind a Content-Type other than url-encoded: the parse error when the body is a
/// reply format gdos recognises but does not read, which says more than the header does: the
/// legacy newline format, or JSON (a body starting with `{`, or any body sent as
/// application/json: what responseFormat=2 gets back).
template <class Body>
[[nodiscard]] std::optional<parse_error> recognised_foreign_body(const Body& body,
                                                                 std::string_view content_type,
                                                                 const parse_options& options) {
  auto parsed = parse_response(body, options);
  if (!parsed && (parsed.error().code == response_errc::legacy_format ||
                  parsed.error().code == response_errc::json_body))
    return parsed.error();
  if (is_json_content_type(content_type))
    return parse_error{response_errc::json_body, 0, {}, api_code::success, {}};
  return std::nullopt;
}

}  // namespace detail

template <std::same_as<http_response> Http>
result<reply, call_error> check_http_response(Http&& http, const call_options& options,
                                              std::string_view secret) {
  // Every text kept below came from the server or the transport, and is scrubbed as it is kept;
  // gdos' own words are added only by call_error::message().
  call_error e;
  const auto fail = [&e](call_errc code) {
    e.code = code;
    return std::move(e);
  };

  if (http.failed()) {
    e.transport = http.failure == transport_errc::ok ? transport_errc::other : http.failure;
    e.detail = detail::redact(http.failure_detail, secret);
    return fail(call_errc::transport);
  }
  e.http_status = http.status;
  e.content_type = detail::redact(http.content_type, secret);
  if (http.status != 200) {
    e.detail = detail::redact(http.body, secret, detail::excerpt_max);
    return fail(call_errc::http_status);
  }
  if (http.body.empty()) return fail(call_errc::empty_body);
  if (options.check_content_type && !is_form_content_type(http.content_type)) {
    if (const auto foreign =
            detail::recognised_foreign_body(http.body, http.content_type, options.parse)) {
      detail::keep_parse_error(e, *foreign, secret);
      return fail(call_errc::malformed_reply);
    }
    e.detail = detail::redact(http.body, secret, detail::excerpt_max);
    return fail(call_errc::content_type);
  }

  auto body = std::make_shared<const std::string>(std::move(http.body));
  auto parsed = parse_response(*body, options.parse);
  if (!parsed) {
    detail::keep_parse_error(e, parsed.error(), secret);
    return fail(call_errc::malformed_reply);
  }
  const response& got = *parsed;
  if (!got.ok()) {
    e.api = got.error_code;
    using detail::predictable;
    if (got.error_message)
      e.detail = detail::kept_decoded(*got.error_message, secret, predictable::documented_message,
                                      got.error_code);
    if (got.error_item)
      e.item = detail::kept_decoded(*got.error_item, secret, predictable::field_name);
    if (got.error_detail) e.extra = detail::kept_decoded(*got.error_detail, secret);
    return fail(call_errc::api_error);
  }
  return detail::reply_access::make(std::move(body), std::move(*parsed), http.status,
                                    std::move(http.content_type));
}

template <class Transport>
result<reply, call_error> get_detailed_order_status(Transport&& t, const request& req,
                                                    const call_options& options) {
  using T = std::remove_reference_t<Transport>;
  static_assert(transport<T>,
                "gdos::get_detailed_order_status: the transport must be callable as "
                "`gdos::http_response t(const gdos::http_request&)` (see gdos::transport in "
                "<gdos/transport.hpp>)");
  if constexpr (!transport<T>) {
    return call_error{};  // not reached: the static_assert has already failed
  } else {
    if (!detail::scheme_allowed(options.url, options.allow_plain_http)) {
      call_error e;
      e.code = call_errc::insecure_url;
      return e;
    }
    const validation_result v = validate(req);
    if (!v) {
      call_error e;
      e.code = call_errc::invalid_request;
      e.validation = v;
      return e;
    }
    std::string body(encoded_size(req), '\0');
    // Wiped however the call ends, also when the transport throws.
    struct wiper {
      std::string& s;
      ~wiper() { detail::wipe(s); }
    } wipe_body{body};
    (void)encode_request_to(req, body);
    http_request hr;
    hr.method = request_method;
    hr.url = options.url;
    hr.content_type = request_content_type;
    hr.body = body;
    // A plain call rather than std::invoke: transports are function objects or pointers, and
    // <functional> would add a fifth of this header's compile time.
    http_response http = t(std::as_const(hr));
    return check_http_response(std::move(http), options, req.login_password);
  }
}

}  // namespace gdos
