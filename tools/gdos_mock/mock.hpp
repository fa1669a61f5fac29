/// @file mock.hpp
/// @brief A fake GetDetailedOrderStatus endpoint for integration tests, over real HTTPS on
/// loopback. Used by `gdos mock`, `gdos demo`, the gdos-mock program and the end-to-end tests.
///
/// It answers the way Comodo's endpoint does, using gdos's own server side (parse_request,
/// error_reply, the response writer):
/// - plain HTTP, any request: -1 "Request was not made over https!";
/// - HTTPS, any method but POST on the endpoint's path: -17;
/// - a body parse_request() refuses: its -2 / -3 / -4;
/// - an unknown loginName or a wrong loginPassword: -16;
/// - an orderNumber / certificateID not in the fixture: -4 on that argument;
/// - otherwise the order, shaped by queryType (0 status, 1 + certificates, 2 + replacement
///   orders) and showValidityPeriod (Y adds the certificates' validity fields).
/// Other paths get a 404 HTML page, as a real web server would.
///
/// A fresh CA and server certificate are generated at every start (see tls.hpp); the CA is
/// written to a PEM file for clients. A program embedding the server should ignore SIGPIPE:
/// OpenSSL's writes to a client that went away raise it (gdos, gdos-mock and the tests do). Logs
/// name the method, path and errorCode of each request, never a request body, so the password never
/// appears in them.
#pragma once

#include "fixture.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace gdos_mock {

/// The endpoint's path, as on secure.comodo.net.
inline constexpr std::string_view endpoint_path = "/products/!GetDetailedOrderStatus";

/// How to run the mock.
struct options {
  fixture data;                      ///< Accounts and orders (e.g. from load_fixture()).
  std::string host = "127.0.0.1";    ///< Address to listen on (loopback unless you mean it).
  int https_port = 0;                ///< HTTPS port; 0 picks a free one.
  int http_port = 0;                 ///< Plain-HTTP port answering -1; 0 picks one; -1: none.
  std::string ca_file;               ///< Where to write the CA (PEM); empty: a temporary file.
  std::size_t max_requests = 0;      ///< wait() returns after this many requests; 0: no limit.
  std::chrono::seconds duration{0};  ///< wait() returns after this long; 0: no limit.
  /// Receives one line per request (no trailing newline); may be called from several threads
  /// at once. Empty: no log.
  std::function<void(std::string_view)> log;
};

/// A running mock endpoint. Servers run on their own threads from start() until stop() or
/// destruction.
class server {
 public:
  /// Generates the TLS identity, writes the CA file, binds both ports and starts serving.
  /// Returns null and sets `error` when any of that fails.
  [[nodiscard]] static std::unique_ptr<server> start(options opts, std::string& error);

  /// Stops serving and removes a temporary CA file.
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// `https://HOST:PORT/products/!GetDetailedOrderStatus`.
  [[nodiscard]] std::string url() const;
  /// `http://HOST:PORT/products/!GetDetailedOrderStatus` (empty when there is no HTTP port).
  [[nodiscard]] std::string http_url() const;
  /// Path of the CA certificate (PEM) clients must trust.
  [[nodiscard]] const std::string& ca_file() const noexcept;
  /// The bound HTTPS port.
  [[nodiscard]] int https_port() const noexcept;
  /// The bound plain-HTTP port, or -1.
  [[nodiscard]] int http_port() const noexcept;
  /// Requests answered so far, on both ports.
  [[nodiscard]] std::size_t requests() const noexcept;

  /// Blocks until stop() is called, a server fails, or the max_requests / duration limit is
  /// reached. @return false when a server failed.
  bool wait();
  /// wait() for at most `timeout`. @return true when the wait would be over (stopped, failed or
  /// a limit reached), false when the time ran out first.
  bool wait_for(std::chrono::milliseconds timeout);
  /// True when a server thread ended on an error.
  [[nodiscard]] bool failed() const noexcept;
  /// Stops both servers and joins their threads; safe to call more than once.
  void stop();

  struct impl;  ///< Implementation (public only so the .cpp's helpers can name it).

 private:
  explicit server(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

/// The reply body the endpoint sends for a POST body received over HTTPS (everything but the
/// transport: -2/-3/-4 from parse_request, -16, -4 on unknown orders, or the order).
[[nodiscard]] std::string answer(const fixture& data, std::string_view body);

}  // namespace gdos_mock
