/// @file transport.hpp
/// @brief Layer 4: the glue between gdos and the user's HTTP client.
///
/// gdos performs no I/O. A *transport* is any callable the user writes around an HTTP client
/// (libcurl, cpp-httplib, Boost.Beast, a test fake): it takes a gdos::http_request and returns a
/// gdos::http_response. get_detailed_order_status() does the rest:
///
///     auto r = gdos::get_detailed_order_status(my_transport, gdos::request{...});
///     if (!r) std::cerr << r.error().message() << '\n';          // typed: r.error().code
///     else for (const gdos::order& o : r->orders) use(o);        // views into r's own body
///
/// 1. validate and encode the request (an invalid request is never sent);
/// 2. call the transport once with `POST <url>`, `application/x-www-form-urlencoded`, the body;
/// 3. check what came back, in this order: a transport failure (no reply at all), an HTTP
///    status other than 200, an empty body, a Content-Type that is not url-encoded, a body
///    parse_response() refuses, an errorCode other than 0. Each is a call_error carrying what
///    was seen (call_errc says which);
/// 4. return a `reply` that owns the body and the parsed response viewing it.
///
/// **Transport failures** are values, not exceptions: a transport that could not connect,
/// failed TLS verification or timed out returns http_response::transport_failure(code, text),
/// i.e. status 0 plus a transport_errc and the client's message.
///
/// **Ownership.** The transport returns the body by value (a std::string it may build however it
/// likes); `reply` keeps it on the heap behind a shared pointer, so the parsed views stay valid
/// when the reply is moved or copied, and as long as any copy lives.
///
/// **Secrets.** The request body (it holds the password) is wiped once the transport returns.
/// Every text a call_error carries is scrubbed of the password (plain and encoded) before it is
/// returned, whatever the server or the transport put in it.
///
/// Unlike layers 1 to 3 this layer is not constexpr (it calls user code and keeps the body in a
/// shared_ptr) and not noexcept: what the transport throws, and std::bad_alloc, pass through.
#pragma once

#include <gdos/common.hpp>
#include <gdos/config.hpp>
#include <gdos/form.hpp>
#include <gdos/request.hpp>
#include <gdos/response.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace gdos {

// =============================================================================================
// What a transport sees and returns
// =============================================================================================

/// One HTTP exchange for a transport to perform.
///
/// Every member is a view into storage owned by get_detailed_order_status(), valid only during
/// the transport call: a transport that needs the data later must copy it. `body` holds the
/// login password: never log it, never put it in an error message.
struct http_request {
  std::string_view method = request_method;              ///< "POST".
  std::string_view url = comodo_url;                     ///< Absolute URL of the endpoint.
  std::string_view content_type = request_content_type;  ///< Value of the Content-Type header.
  std::string_view body{};  ///< The url-encoded form (holds the password).
};

/// Why a transport got no HTTP reply at all.
enum class transport_errc : std::uint8_t {
  none = 0,          ///< A reply arrived (its status may still be an error).
  invalid_url,       ///< The URL could not be used (malformed, scheme other than http/https).
  resolve,           ///< The host name did not resolve.
  connect,           ///< No TCP connection (refused, unreachable).
  timeout,           ///< The connection or the exchange took longer than the transport allows.
  tls_handshake,     ///< TLS could not be set up or negotiated (bad CA file, protocol error).
  tls_verification,  ///< The server's certificate is not trusted or does not match the host.
  send,              ///< The connection broke while sending.
  receive,           ///< The connection broke while receiving, or the server sent nothing.
  too_large,         ///< The reply exceeded the transport's size limit.
  other,             ///< Anything else the transport could not classify.
};

/// The identifier of `e` ("connect", "tls_verification", ...).
[[nodiscard]] constexpr std::string_view to_string(transport_errc e) noexcept {
  switch (e) {
    case transport_errc::none:
      return "none";
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

/// What a transport returns: a reply (status != 0), or a failure (status 0, `failure` says why).
///
/// Every member has an initializer, so designated initializers may name only some:
/// `gdos::http_response{.status = 200, .content_type = type, .body = std::move(text)}`.
struct http_response {
  int status = 0;              ///< HTTP status code; 0 when no reply arrived.
  std::string content_type{};  ///< Value of the Content-Type header as received ("" if none).
  std::string body{};          ///< The reply body as received.
  transport_errc failure = transport_errc::none;  ///< Why no reply arrived, when status is 0.
  std::string failure_detail{};                   ///< The HTTP client's own message for `failure`.

  /// A response saying that no reply arrived: status 0, `code` (other if none was given) and the
  /// client's message, which must not contain the request body.
  [[nodiscard]] static http_response transport_failure(transport_errc code, std::string detail) {
    http_response r;
    r.failure = code == transport_errc::none ? transport_errc::other : code;
    r.failure_detail = std::move(detail);
    return r;
  }
  /// True when no reply arrived: a failure was set, or the status is 0.
  [[nodiscard]] constexpr bool failed() const noexcept {
    return failure != transport_errc::none || status == 0;
  }
};

namespace detail {
template <class T>
concept returns_http_response =
    std::convertible_to<std::invoke_result_t<T&, const http_request&>, http_response>;
}  // namespace detail

/// What get_detailed_order_status() needs from a transport: something callable, as an lvalue,
/// with a `const http_request&`, returning an http_response (or a type convertible to one).
/// Lambdas, function objects, function pointers and std::function all qualify.
template <class T>
concept transport = std::invocable<T&, const http_request&> && detail::returns_http_response<T>;

/// True when `content_type` names application/x-www-form-urlencoded: the media type compared
/// ASCII case-insensitively, with surrounding spaces and any parameters (`; charset=UTF-8`)
/// ignored, as RFC 9110 compares media types.
[[nodiscard]] constexpr bool is_form_content_type(std::string_view content_type) noexcept {
  std::string_view t = content_type.substr(0, content_type.find(';'));
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  if (t.size() != request_content_type.size()) return false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != request_content_type[i]) return false;
  }
  return true;
}

// =============================================================================================
// Errors
// =============================================================================================

/// Which step of a call failed (see call_error for what each carries).
enum class call_errc : std::uint8_t {
  ok = 0,           ///< No error.
  invalid_request,  ///< validate() refused the request; nothing was sent.
  transport,        ///< No HTTP reply: the transport failed (connect, TLS, timeout...).
  http_status,      ///< A reply with an HTTP status other than 200.
  empty_body,       ///< A 200 reply with an empty body.
  content_type,     ///< A 200 reply whose Content-Type is not application/x-www-form-urlencoded.
  malformed_reply,  ///< A body parse_response() refuses (HTML page, legacy format, garbage).
  api_error,        ///< A well-formed reply whose errorCode is not 0 (-16 wrong password...).
};

/// The identifier of `e` ("transport", "api_error", ...).
[[nodiscard]] constexpr std::string_view to_string(call_errc e) noexcept {
  switch (e) {
    case call_errc::ok:
      return "ok";
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

/// A failed call, with what was seen. It owns all its text (nothing views the reply body, which
/// is gone), and none of that text contains the password.
///
/// | code | meaningful members |
/// |---|---|
/// | invalid_request | `validation` |
/// | transport | `transport`, `detail` (the client's message) |
/// | http_status | `http_status`, `content_type`, `detail` (start of the body) |
/// | empty_body | `http_status`, `content_type` |
/// | content_type | `http_status`, `content_type`, `detail` (start of the body) |
/// | malformed_reply | `http_status`, `content_type`, `parse` (key and legacy_message emptied),
/// `detail` (parse_error::message()) | | api_error | `http_status`, `content_type`, `api`
/// (errorCode), `detail` (errorMessage), `item` (errorItem), `extra` (errorDetail) |
struct call_error {
  call_errc code = call_errc::ok;                   ///< Which step failed.
  validation_result validation{};                   ///< invalid_request: field and rule.
  transport_errc transport = transport_errc::none;  ///< transport: why no reply arrived.
  int http_status = 0;                              ///< The status of the reply, if one came.
  std::string content_type{};                       ///< The reply's Content-Type, as received.
  parse_error parse{};  ///< malformed_reply: code, offset, legacy_code (views emptied).
  api_code api = api_code::success;  ///< api_error: the errorCode.
  std::string detail{};  ///< The main text: client message, body excerpt, parse or API message.
  std::string item{};    ///< api_error: errorItem, when the server sent one.
  std::string extra{};   ///< api_error: errorDetail, when the server sent one.

  /// True when there is an error.
  constexpr explicit operator bool() const noexcept { return code != call_errc::ok; }

  /// One line of English for logs and users (`errorCode -16: Permission denied!`,
  /// `no reply (tls_verification): ...`). Safe to print: holds no password. Non-printable
  /// bytes of received text are shown as `?`.
  [[nodiscard]] std::string message() const;
};

// =============================================================================================
// The reply
// =============================================================================================

/// Settings of a call.
struct call_options {
  /// Endpoint URL (trust_provider_url, a mock's URL...). Owned, so that
  /// `{.url = server.url()}` with a temporary string is safe.
  std::string url{comodo_url};
  parse_options parse{};  ///< Limits and mode for parse_response().
  /// Refuse replies whose Content-Type is not url-encoded (call_errc::content_type). Turn off
  /// only for a transport that cannot report content types.
  bool check_content_type = true;
};

namespace detail {
struct reply_access;
}  // namespace detail

/// A successful reply: the parsed response together with the body its views point into.
///
/// A reply *is* a gdos::response (`r->orders`, `r->unknown_fields`) that also owns its body:
/// the body lives on the heap behind a `shared_ptr<const std::string>`, so moving or copying a
/// reply never moves the bytes, and views taken from a reply stay valid as long as that reply
/// (or a copy sharing the body) lives. Do not keep views, or a sliced copy of the response,
/// beyond that.
class reply : public response {
 public:
  /// An empty reply (no body, no orders).
  reply() = default;

  /// The parsed response (this object); its strings view body().
  [[nodiscard]] const response& get() const noexcept GDOS_LIFETIMEBOUND { return *this; }
  /// The raw body, as received. Valid as long as this reply or a copy of it.
  [[nodiscard]] std::string_view body() const noexcept GDOS_LIFETIMEBOUND {
    return body_ ? std::string_view(*body_) : std::string_view();
  }
  /// The HTTP status of the reply (200).
  [[nodiscard]] int http_status() const noexcept { return status_; }
  /// The Content-Type received.
  [[nodiscard]] const std::string& content_type() const noexcept GDOS_LIFETIMEBOUND {
    return content_type_;
  }

 private:
  friend struct detail::reply_access;
  std::shared_ptr<const std::string> body_;
  int status_ = 0;
  std::string content_type_;
};

// =============================================================================================
// The call
// =============================================================================================

/// Checks and parses what a transport returned for a GetDetailedOrderStatus request (step 3 of
/// the file comment): for callers that perform the HTTP exchange themselves, and used by
/// get_detailed_order_status(). `secret` (the password) is scrubbed from every text of the
/// error. Takes the response by rvalue (`std::move(r)` or a braced temporary): its body moves
/// into the reply.
///
/// A template only so that the reply parser is instantiated where this function is used, not
/// in every translation unit that includes gdos.hpp; `Http` is always http_response.
template <std::same_as<http_response> Http = http_response>
[[nodiscard]] result<reply, call_error> check_http_response(Http&& http,
                                                            const call_options& options = {},
                                                            std::string_view secret = {});

/// Calls GetDetailedOrderStatus through `t`: validates and encodes `req`, calls the transport
/// once, checks and parses the reply (see the file comment for the order of checks).
///
/// @return the reply (owning the body; see `reply`), or a call_error saying which step failed
///   and what was seen. An API error (errorCode != 0) is a call_error with code api_error.
/// Exceptions: whatever the transport throws, and std::bad_alloc, pass through.
template <class Transport>
[[nodiscard]] result<reply, call_error> get_detailed_order_status(Transport&& t, const request& req,
                                                                  const call_options& options = {});

// =============================================================================================
// Implementation
// =============================================================================================

namespace detail {

/// Replaces every occurrence of `secret`, and of its url-encoded form, in `text` by `***`.
inline void redact(std::string& text, std::string_view secret) {
  if (secret.empty()) return;
  const auto scrub = [&text](std::string_view needle) {
    for (std::size_t at = text.find(needle); at != std::string::npos;
         at = text.find(needle, at + 3))
      text.replace(at, needle.size(), "***");
  };
  scrub(secret);
  const std::string encoded = form::encode(secret);
  if (encoded != secret) scrub(encoded);
}

/// The first bytes of a body, for error messages.
inline std::string excerpt(std::string_view body) {
  constexpr std::size_t max = 200;
  std::string out(body.substr(0, max));
  if (body.size() > max) out += "...";
  return out;
}

/// Overwrites a buffer that held the password; the volatile write is not optimized away.
inline void wipe(std::string& s) noexcept {
  volatile char* p = s.data();
  for (std::size_t i = 0; i < s.size(); ++i) p[i] = '\0';
}

inline void append_printable(std::string& out, std::string_view text) {
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    out.push_back(c >= 0x20 && c < 0x7f ? ch : '?');
  }
}

}  // namespace detail

inline std::string call_error::message() const {
  std::string out;
  const auto text = [&out](std::string_view t) { detail::append_printable(out, t); };
  switch (code) {
    case call_errc::ok:
      return "ok";
    case call_errc::invalid_request:
      out = "invalid request: ";
      out += field_name(validation.field);
      out += ": ";
      out += to_string(validation.ec);
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

/// Fills a reply; the one place that touches its private members.
struct reply_access {
  static reply make(std::shared_ptr<const std::string> body, response&& parsed, int status,
                    std::string content_type) {
    reply r;
    static_cast<response&>(r) = std::move(parsed);
    r.body_ = std::move(body);  // the parsed views point into *body, which does not move
    r.status_ = status;
    r.content_type_ = std::move(content_type);
    return r;
  }
};

}  // namespace detail

template <std::same_as<http_response> Http>
result<reply, call_error> check_http_response(Http&& http, const call_options& options,
                                              std::string_view secret) {
  call_error e;
  const auto fail = [&e, secret](call_errc code) {
    e.code = code;
    detail::redact(e.content_type, secret);
    detail::redact(e.detail, secret);
    detail::redact(e.item, secret);
    detail::redact(e.extra, secret);
    return std::move(e);
  };

  if (http.failed()) {
    e.transport = http.failure == transport_errc::none ? transport_errc::other : http.failure;
    e.detail = std::move(http.failure_detail);
    return fail(call_errc::transport);
  }
  e.http_status = http.status;
  e.content_type = http.content_type;
  if (http.status != 200) {
    e.detail = detail::excerpt(http.body);
    return fail(call_errc::http_status);
  }
  if (http.body.empty()) return fail(call_errc::empty_body);
  if (options.check_content_type && !is_form_content_type(http.content_type)) {
    e.detail = detail::excerpt(http.body);
    return fail(call_errc::content_type);
  }

  auto body = std::make_shared<const std::string>(std::move(http.body));
  auto parsed = parse_response(*body, options.parse);
  if (!parsed) {
    e.parse = parsed.error();
    e.detail = e.parse.message();
    // The views point into the body, which dies with this function.
    e.parse.key = {};
    e.parse.legacy_message = {};
    return fail(call_errc::malformed_reply);
  }
  const response& got = *parsed;
  if (!got.ok()) {
    e.api = got.error_code;
    if (got.error_message) e.detail = got.error_message->decode();
    if (got.error_item) e.item = got.error_item->decode();
    if (got.error_detail) e.extra = got.error_detail->decode();
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
