/// @file curl_transport.hpp
/// @brief A gdos transport over libcurl: the piece to copy into a program that already links
/// libcurl. The gdos command-line tool uses it for `gdos query` and `gdos demo`.
///
///     gdos_examples::curl_transport curl({.ca_file = "/etc/my-ca.pem"});
///     auto r = gdos::get_detailed_order_status(curl, request);
///
/// Certificate verification is always on (peer and host name); `ca_file` only changes which
/// authorities are trusted. The handle sets CURLOPT_NOSIGNAL (safe with threads), so libcurl
/// does not ignore SIGPIPE for you: a program should `std::signal(SIGPIPE, SIG_IGN)` once.
/// Transport failures come back as a gdos::http_response with status 0 and a gdos::transport_errc,
/// never as an exception.
#pragma once

#include <gdos/transport.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace gdos_examples {

/// Settings of a curl_transport.
struct curl_options {
  /// PEM file of the authorities to trust instead of the system store (e.g. the mock's CA).
  /// Empty: the system store (Debian: /etc/ssl/certs/ca-certificates.crt).
  std::string ca_file;
  /// Time allowed to connect, TLS handshake included.
  std::chrono::milliseconds connect_timeout{10'000};
  /// Time allowed for the whole exchange.
  std::chrono::milliseconds total_timeout{60'000};
  /// Replies longer than this fail with transport_errc::too_large instead of filling memory.
  std::size_t max_body = std::size_t{16} << 20;
};

/// A callable satisfying gdos::transport: one libcurl easy handle, reused across calls so
/// connections are kept alive. Not thread-safe: use one per thread. Move-only.
class curl_transport {
 public:
  /// Initialises libcurl (once per process) and an easy handle.
  explicit curl_transport(curl_options options = {});
  ~curl_transport();
  curl_transport(curl_transport&&) noexcept;
  curl_transport& operator=(curl_transport&&) noexcept;
  curl_transport(const curl_transport&) = delete;
  curl_transport& operator=(const curl_transport&) = delete;

  /// Performs `req`: a POST with the body (what gdos sends), or a GET with the body as query
  /// string (only for testing a server's -17: it puts the password in the URL). Only http and
  /// https URLs are allowed and redirects are not followed. Never throws except std::bad_alloc.
  [[nodiscard]] gdos::http_response operator()(const gdos::http_request& req);

  /// The settings in use.
  [[nodiscard]] const curl_options& options() const noexcept { return options_; }

 private:
  struct handle;
  curl_options options_;
  std::unique_ptr<handle> handle_;
};

static_assert(gdos::transport<curl_transport>);

}  // namespace gdos_examples
