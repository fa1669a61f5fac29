/// @file httplib_transport.hpp
/// @brief A gdos transport over cpp-httplib's HTTPS client.
///
///     gdos_examples::httplib_transport client({.ca_file = "/etc/my-ca.pem"});
///     auto r = gdos::get_detailed_order_status(client, request);
///
/// Build notes (Debian 12, libcpp-httplib-dev 0.11.4): Debian ships httplib split into a
/// declarations-only header and a compiled libcpp-httplib.so built with OpenSSL, zlib and brotli.
/// Compile with the flags `pkg-config --cflags cpp-httplib` gives (-DCPPHTTPLIB_OPENSSL_SUPPORT
/// and the others: they change class layouts, so they must match the library) and link
/// `pkg-config --libs cpp-httplib` plus -lssl -lcrypto. Without CPPHTTPLIB_OPENSSL_SUPPORT an
/// https URL is refused.
#pragma once

#include <gdos/transport.hpp>

#include <chrono>
#include <string>

namespace gdos_examples {

/// Settings of an httplib_transport.
struct httplib_options {
  /// PEM file of the authorities to trust instead of the system store (e.g. the mock's CA).
  std::string ca_file;
  /// Time allowed to connect.
  std::chrono::milliseconds connect_timeout{10'000};
  /// Time allowed for each read and each write on the socket.
  std::chrono::milliseconds io_timeout{30'000};
};

/// A callable satisfying gdos::transport, one new connection per call (cpp-httplib clients are
/// bound to one host, and the URL comes with each request). Certificate verification (chain
/// and host name) is always on. Never throws except std::bad_alloc.
class httplib_transport {
 public:
  /// Keeps the settings; nothing is opened until a call.
  explicit httplib_transport(httplib_options options = {}) : options_(std::move(options)) {}

  /// Performs `req`: a POST with the body (what gdos sends), or a GET with the body as query
  /// string (only for testing a server's -17: it puts the password in the URL).
  [[nodiscard]] gdos::http_response operator()(const gdos::http_request& req) const;

 private:
  httplib_options options_;
};

static_assert(gdos::transport<httplib_transport>);

}  // namespace gdos_examples
