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
/// 1. refuse a URL whose scheme is not `https` (unless call_options::allow_plain_http), then
///    validate and encode the request: in both cases nothing is encoded or sent;
/// 2. call the transport once with `POST <url>`, `application/x-www-form-urlencoded`, the body;
/// 3. check what came back, in this order: a transport failure (no reply at all), an HTTP
///    status other than 200, an empty body, a Content-Type that is not url-encoded (unless the
///    body is a reply format gdos recognises but does not read: the legacy newline format, or
///    JSON, the reply to responseFormat=2, by its `{` or its application/json type; then that is
///    what is reported, as a malformed_reply with response_errc::legacy_format or json_body), a
///    body parse_response() refuses, an errorCode other than 0. Each is a call_error carrying
///    what was seen (call_errc says which). A request with response_format::json is sent as
///    asked, and its JSON reply reported as json_body: this function reads url-encoded replies;
/// 4. return a gdos::reply (reply.hpp) that owns the body and the parsed response viewing it.
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
/// Every text a call_error carries that came from the server or the transport is scrubbed of the
/// password before it is kept: each echo, literal or in any mix of the encodings a server
/// might apply (percent-encoded in either hex case, once or twice; `+` or `%20` for a space;
/// HTML character references; JSON string escapes), becomes `***`, also when it straddles a
/// cut. gdos' own words are never rewritten, and a server text that is the API's documented
/// message for its errorCode (`Permission denied!`) is kept as it is: rewriting text the reader
/// can predict would tell them the password. Kept texts are cut at about 1 KB (the start of a
/// body shown for an HTTP status or Content-Type error at 200 bytes); finding echoes reads at
/// most that much plus the longest possible echo, whatever the size of the reply.
///
/// Unlike layers 1 to 3 this layer is not constexpr (it calls user code and keeps the body in a
/// shared_ptr) and not noexcept: what the transport throws, and std::bad_alloc, pass through.
#pragma once

#include <gdos/common.hpp>
#include <gdos/config.hpp>
#include <gdos/detail/ascii.hpp>
#include <gdos/form.hpp>
#include <gdos/reply.hpp>
#include <gdos/request.hpp>
#include <gdos/response.hpp>

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

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
  ok = 0,            ///< A reply arrived (its status may still be an error).
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

/// The identifier of `e` ("connect", "tls_verification", ...); "unknown" for a value that is
/// not an enumerator.
[[nodiscard]] constexpr std::string_view to_string(transport_errc e) noexcept;

/// One English sentence (without final period) saying what `e` means.
[[nodiscard]] constexpr std::string_view message(transport_errc e) noexcept;

/// What a transport returns: a reply (status != 0), or a failure (status 0, `failure` says why).
///
/// Every member has an initializer, so designated initializers may name only some:
/// `gdos::http_response{.status = 200, .content_type = type, .body = std::move(text)}`.
struct http_response {
  int status = 0;              ///< HTTP status code; 0 when no reply arrived.
  std::string content_type{};  ///< Value of the Content-Type header as received ("" if none).
  std::string body{};          ///< The reply body as received.
  transport_errc failure = transport_errc::ok;  ///< Why no reply arrived, when status is 0.
  std::string failure_detail{};                 ///< The HTTP client's own message for `failure`.

  /// A response saying that no reply arrived: status 0, `code` (other if `ok` was given) and the
  /// client's message, which must not contain the request body.
  [[nodiscard]] static http_response transport_failure(transport_errc code, std::string detail) {
    http_response r;
    r.failure = code == transport_errc::ok ? transport_errc::other : code;
    r.failure_detail = std::move(detail);
    return r;
  }
  /// True when no reply arrived: a failure was set, or the status is 0.
  [[nodiscard]] constexpr bool failed() const noexcept {
    return failure != transport_errc::ok || status == 0;
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
[[nodiscard]] constexpr bool is_form_content_type(std::string_view content_type) noexcept;

/// True when `content_type` names application/json, the type Sectigo documents for the reply
/// to responseFormat=2 (compared as is_form_content_type() compares).
[[nodiscard]] constexpr bool is_json_content_type(std::string_view content_type) noexcept;

// =============================================================================================
// Errors
// =============================================================================================

/// Which step of a call failed (see call_error for what each carries).
enum class call_errc : std::uint8_t {
  ok = 0,        ///< No error.
  insecure_url,  ///< The URL's scheme is not https (and plain HTTP was not allowed): nothing sent.
  invalid_request,  ///< validate() refused the request; nothing was sent.
  transport,        ///< No HTTP reply: the transport failed (connect, TLS, timeout...).
  http_status,      ///< A reply with an HTTP status other than 200.
  empty_body,       ///< A 200 reply with an empty body.
  content_type,     ///< A 200 reply whose Content-Type is not application/x-www-form-urlencoded.
  /// A body parse_response() refuses (HTML page, legacy format, JSON, garbage).
  malformed_reply,
  api_error,  ///< A well-formed reply whose errorCode is not 0 (-16 wrong password...).
};

/// The identifier of `e` ("transport", "api_error", ...); "unknown" for a value that is not an
/// enumerator.
[[nodiscard]] constexpr std::string_view to_string(call_errc e) noexcept;

/// One English sentence (without final period) saying what `e` means; call_error::message()
/// says what was seen.
[[nodiscard]] constexpr std::string_view message(call_errc e) noexcept;

/// A failed call, with what was seen. It owns all its text (nothing views the reply body, which
/// is gone), and none of that text contains the password.
///
/// | code | meaningful members |
/// |---|---|
/// | insecure_url | none (the URL is the caller's own) |
/// | invalid_request | `validation` |
/// | transport | `transport`, `detail` (the client's message) |
/// | http_status | `http_status`, `content_type`, `detail` (start of the body) |
/// | empty_body | `http_status`, `content_type` |
/// | content_type | `http_status`, `content_type`, `detail` (start of the body) |
/// | malformed_reply | `http_status`, `content_type`, `parse` (key and legacy_message emptied),
/// `detail` (parse_error::message()) | | api_error | `http_status`, `content_type`, `api`
/// (errorCode), `detail` (errorMessage), `item` (errorItem), `extra` (errorDetail) |
///
/// Texts from the server or the transport are kept scrubbed of the password and cut at about
/// 1 KB (`...` marks a cut); see the file comment.
struct call_error {
  call_errc code = call_errc::ok;                 ///< Which step failed.
  validation_result validation{};                 ///< invalid_request: field and rule.
  transport_errc transport = transport_errc::ok;  ///< transport: why no reply arrived.
  int http_status = 0;                            ///< The status of the reply, if one came.
  std::string content_type{};                     ///< The reply's Content-Type, as received.
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

  /// Prints message().
  template <string_view_stream Stream>
  friend Stream& operator<<(Stream& os, const call_error& e) {
    os << std::string_view(e.message());
    return os;
  }
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
  /// Also accept an `http` URL. Off by default: a request over plain HTTP hands the password to
  /// anyone on the path (and to an `http_proxy`) before the server can answer -1. Turn on only
  /// to reach a test server's plain-HTTP port on purpose (the mock's -1 demonstration). There is
  /// no loopback exception: another local user may own a loopback port.
  bool allow_plain_http = false;
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

}  // namespace gdos

#include <gdos/impl/transport.hpp>
