/// @file httplib_transport.hpp
/// @brief A gdos transport over cpp-httplib's HTTPS client (Debian's 0.11.4).
///
///     gdos_examples::httplib_transport client({.ca_file = "/etc/my-ca.pem"});
///     auto r = gdos::get_detailed_order_status(client, request);
///
/// **Trust.** Certificate verification is always on. `ca_file` is then the only trusted
/// authority (cpp-httplib loads it instead of the system store). The host name is checked by
/// OpenSSL during the handshake (X509_VERIFY_PARAM_set1_host, or set1_ip_asc for an IP
/// address), by RFC 6125's rules: cpp-httplib's own check falls back to the certificate's CN
/// when a SAN is present, which 6.4.4 forbids. A certificate that fails either check ends the
/// call before the request, and so the password, is sent (transport_errc::tls_verification).
///
/// **Bounds**, and what cpp-httplib 0.11 does not let a transport bound:
/// - the whole call ends within `total_timeout`: a watchdog thread calls httplib's stop() at
///   the deadline, which shuts the socket down under the request (a server sending one byte
///   every few seconds never trips the per-read timeout). Not covered: name resolution
///   (getaddrinfo has no timeout in cpp-httplib 0.11; the system resolver's own timeouts
///   apply), and the connect and TLS handshake, during which stop() must wait for the lock
///   httplib holds; each of those two is bounded by min(connect_timeout, total_timeout);
/// - the body: at most `max_body` bytes, enforced as it arrives (a content receiver), and a
///   Content-Length over it is refused before any body is read (transport_errc::too_large).
///   Automatic decompression is off (cpp-httplib 0.11 inflates gzip and brotli bodies it never
///   asked for) and `Accept-Encoding: identity` is sent;
/// - response headers: cpp-httplib 0.11 bounds neither their number nor their total size, nor
///   the length of one line (its 8 KiB CPPHTTPLIB_HEADER_MAX_LENGTH is checked only once a
///   line has been read whole, and is compiled into Debian's libcpp-httplib.so), and the same
///   line reader reads chunk-size lines. Over https this transport counts the TLS records
///   received (an OpenSSL message callback) and shuts the connection down past
///   httplib_max_tls_before_body bytes before the body starts, and past `max_body` plus an
///   eighth for chunk framing plus 64 KiB after it (transport_errc::too_large). Over plain
///   http (only with gdos::call_options::allow_plain_http) nothing but `total_timeout` bounds
///   the headers: cpp-httplib 0.11 gives a transport no hook on the bytes it reads from a
///   socket.
///
/// **The password.** The body is written from gdos' buffer through a content provider (a
/// Request's body would be copied by cpp-httplib's handle_request and freed uncleared); after
/// a call no copy of it is left in the process (tests/hostile/residue.cpp). Redirects are not
/// followed. No proxy is used unless `proxy` says so (cpp-httplib ignores the environment).
///
/// **Signals.** OpenSSL and cpp-httplib write to the socket without MSG_NOSIGNAL, so a server
/// that closes while the request is being written raises SIGPIPE, which kills a program that
/// has not ignored it. The transport blocks SIGPIPE in the calling thread during a call and
/// discards one it raised; a program should still `std::signal(SIGPIPE, SIG_IGN)` once (the
/// example programs do), as with the libcurl transport.
///
/// **Build** (Debian 12, libcpp-httplib-dev 0.11.4): Debian ships httplib split into a
/// declarations-only header and a compiled libcpp-httplib.so built with OpenSSL, zlib and
/// brotli. Compile with the flags `pkg-config --cflags cpp-httplib` gives
/// (-DCPPHTTPLIB_OPENSSL_SUPPORT and the others: they change class layouts, so they must match
/// the library) and link `pkg-config --libs cpp-httplib` plus -lssl -lcrypto. Without
/// CPPHTTPLIB_OPENSSL_SUPPORT an https URL is refused.
#pragma once

#include <gdos/transport.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>

namespace gdos_examples {

/// Most bytes of TLS records a call accepts before the body starts: 256 KiB of response
/// headers, plus the handshake (OpenSSL takes at most 100 KiB of certificates by default).
inline constexpr std::size_t httplib_max_tls_before_body = std::size_t{384} << 10;

/// Settings of an httplib_transport (the same shape as curl_options).
struct httplib_options {
  /// PEM file of the only authorities to trust (e.g. the mock's CA). Empty: the system store
  /// (OpenSSL's default paths).
  std::string ca_file{};
  /// Time allowed to connect, and again for the TLS handshake. At least 1 ms.
  std::chrono::milliseconds connect_timeout{10'000};
  /// Time allowed for the whole call (see the file comment for what it does not cover).
  std::chrono::milliseconds total_timeout{60'000};
  /// Replies longer than this fail with transport_errc::too_large instead of filling memory.
  std::size_t max_body = std::size_t{16} << 20;
  /// Proxy as `host:port` or `http://host:port`; an https endpoint is reached through it with
  /// CONNECT, so TLS stays end to end. Empty: no proxy (cpp-httplib ignores `https_proxy`).
  std::string proxy{};
};

/// A callable satisfying gdos::transport, one new connection per call (cpp-httplib clients are
/// bound to one host, and the URL comes with each request), and one watchdog thread per call.
/// Never throws except std::bad_alloc.
class httplib_transport {
 public:
  /// Keeps the settings; nothing is opened until a call.
  explicit httplib_transport(httplib_options options = {}) : options_(std::move(options)) {}

  /// Performs `req`: a POST with the body (what gdos sends), or a GET with the body as query
  /// string (only for testing a server's -17: it puts the password in the URL, which
  /// cpp-httplib copies freely).
  [[nodiscard]] gdos::http_response operator()(const gdos::http_request& req) const;

  /// The settings in use.
  [[nodiscard]] const httplib_options& options() const noexcept { return options_; }

 private:
  httplib_options options_;
};

static_assert(gdos::transport<httplib_transport>);

}  // namespace gdos_examples
