/// @file connection.hpp
/// @brief The mock's sockets: cpp-httplib parses requests and writes replies, this layer owns
/// the connections so that each one is bounded in bytes and in time.
///
/// cpp-httplib 0.11 (Debian 12's, built as a shared library, so its compile-time limits cannot
/// be changed) bounds neither the request head (each header line is checked only once it is
/// whole, and their number is unlimited) nor a body sent without Content-Length, applies its
/// timeout to each read only (a client sending a byte every few seconds holds a worker for
/// ever), and binds with SO_REUSEPORT (two servers share a port). bounded_server keeps
/// cpp-httplib's request parser and routing (Server::process_request) but replaces what is
/// around it: an exclusive bind, a pool whose connections each get one deadline counted from
/// accept(), a byte budget for the head and for the body, TLS done here with non-blocking
/// sockets so every wait ends at the deadline, and one request per connection.
#pragma once

#include <httplib.h>
#include <openssl/ssl.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace gdos_mock::detail {

/// Bounds of one connection (one request: replies say `Connection: close`).
struct limits {
  std::size_t max_head = 32 * 1024;  ///< Request line and headers, bytes.
  std::size_t max_body = 64 * 1024;  ///< Body, bytes (real requests are about 100).
  /// From accept() to the end of reading the request; writing the reply gets as long again.
  std::chrono::milliseconds timeout{10'000};
  std::size_t workers = 32;  ///< Connections served at once; more wait (their clock runs).
};

/// What a handler may know and change about the connection it serves.
struct connection_context {
  std::chrono::steady_clock::time_point deadline;  ///< Reads and writes fail after it.
  std::size_t read_limit = 0;                      ///< Bytes the request may take in total.
  std::size_t consumed = 0;                        ///< Bytes handed to cpp-httplib so far.
  bool unread_body = false;  ///< The request's body was not read (drained before closing).
  bool drop = false;         ///< Close without a reply (an injected fault).
  std::string note;          ///< Appended to the request's log line.
  std::string asked_for;     ///< The order the request named, for its log line (reply::asked_for).
};

/// The context of the connection the calling thread serves, or null outside a handler.
[[nodiscard]] connection_context* current_connection() noexcept;

/// An SSL_CTX owned by std::unique_ptr.
struct ssl_ctx_free {
  void operator()(SSL_CTX* p) const noexcept { SSL_CTX_free(p); }
};
using ssl_ctx_ptr = std::unique_ptr<SSL_CTX, ssl_ctx_free>;

/// A TLS 1.2+ server context for this certificate and key, or null with `error` set.
[[nodiscard]] ssl_ctx_ptr make_server_context(X509* cert, EVP_PKEY* key, std::string& error);

/// cpp-httplib's Server with the connection handling described in the file comment.
class bounded_server final : public httplib::Server {
 public:
  /// `tls` (not owned, must outlive the server): serve TLS with it; null: plain HTTP.
  bounded_server(limits l, SSL_CTX* tls);

  /// Binds `host`:`port` (0: a free port) and listens, alone on that address: SO_REUSEADDR
  /// only (a port in TIME_WAIT can be reused, one somebody listens on cannot).
  /// @return the port, or -1 with `error` set ("address already in use" among others).
  int bind_exclusive(const std::string& host, int port, std::string& error);

  /// Shuts down every connection in progress and refuses new ones: stopping need not wait for
  /// slow clients to reach their deadline.
  void cut_connections();

  /// The limits this server applies.
  [[nodiscard]] const limits& bounds() const noexcept { return limits_; }

 private:
  bool process_and_close_socket(socket_t sock) override;
  bool serve(socket_t sock);
  bool track(socket_t sock);
  void untrack(socket_t sock);

  limits limits_;
  SSL_CTX* tls_;
  std::mutex mutex_;
  std::set<socket_t> open_;
  bool cutting_ = false;
};

}  // namespace gdos_mock::detail
