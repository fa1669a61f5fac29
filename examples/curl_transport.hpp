/// @file curl_transport.hpp
/// @brief A gdos transport over libcurl: the piece to copy into a program that already links
/// libcurl. The gdos command-line tool uses it for `gdos query` and `gdos demo`.
///
///     gdos_examples::curl_transport curl({.ca_file = "/etc/my-ca.pem"});
///     auto r = gdos::get_detailed_order_status(curl, request);
///
/// **Trust.** Certificate verification is always on (peer and host name, no switch to turn it
/// off); `ca_file` only changes which authorities are trusted, and then it is the only one:
/// CURLOPT_CAINFO is set to it and CURLOPT_CAPATH unset (libcurl's build-time default, Debian's
/// /etc/ssl/certs, would otherwise keep trusting every system CA beside it).
///
/// **Bounds.** Every call ends within `total_timeout` (libcurl's CURLOPT_TIMEOUT_MS, which
/// covers name resolution, connect, TLS and transfer); a body over `max_body` bytes, or more
/// than curl_max_headers bytes of response headers, stops the transfer as it arrives
/// (transport_errc::too_large; libcurl's own header cap, 300 KiB since 8.3 and in Debian's
/// 7.88.1, is not relied on). No Accept-Encoding is sent and content encodings are never
/// decoded, so a body is at most `max_body` bytes in memory whatever the server claims.
/// Redirects are not followed, and only http and https URLs are used.
///
/// **The password.** libcurl frees its buffers without clearing them: sent with
/// CURLOPT_POSTFIELDS, a small body is copied into the request buffer libcurl builds and again
/// into its upload buffer (OpenSSL needs the same pointer on a retried write), and both copies
/// stay in freed heap memory after the call (measured: 2 copies found by scanning the process's
/// writable mappings after the call). This transport therefore (1) sends the body through
/// CURLOPT_READFUNCTION straight from gdos' buffer, which gdos wipes, so libcurl holds it in
/// its upload buffer only (1 copy left), and (2) on glibc, initialises libcurl with
/// curl_global_init_mem() and allocation callbacks that clear every block before freeing it (0
/// copies left; OpenSSL encrypts records in place, so its buffers hold no plaintext of what was
/// sent). (2) works only if the first curl_transport is created before anything else in the
/// process initialises libcurl: the first initialisation decides libcurl's allocator. While a
/// call is in progress the copies exist; that cannot be avoided.
///
/// **Signals.** The handle sets CURLOPT_NOSIGNAL (safe with threads), so libcurl does not ignore
/// SIGPIPE for you: a program should `std::signal(SIGPIPE, SIG_IGN)` once.
///
/// Transport failures come back as a gdos::http_response with status 0 and a gdos::transport_errc,
/// never as an exception.
#pragma once

#include <gdos/transport.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace gdos_examples {

/// Most bytes of response headers (status line included) a call accepts: a server's reply
/// needs a few hundred.
inline constexpr std::size_t curl_max_headers = std::size_t{256} << 10;

/// Settings of a curl_transport (the same shape as httplib_options).
struct curl_options {
  /// PEM file of the only authorities to trust (e.g. the mock's CA). Empty: libcurl's defaults,
  /// the system store (Debian: /etc/ssl/certs/ca-certificates.crt and /etc/ssl/certs).
  std::string ca_file{};
  /// Time allowed to connect, TLS handshake included. At least 1 ms (libcurl reads 0 as "none").
  std::chrono::milliseconds connect_timeout{10'000};
  /// Time allowed for the whole call, from name resolution to the last body byte. At least 1 ms.
  std::chrono::milliseconds total_timeout{60'000};
  /// Replies longer than this fail with transport_errc::too_large instead of filling memory.
  std::size_t max_body = std::size_t{16} << 20;
  /// Proxy URL (`http://proxy.example:3128`); an https endpoint is reached through it with
  /// CONNECT, so TLS stays end to end. Empty: libcurl's default, which honours the environment's
  /// `https_proxy` / `http_proxy` / `no_proxy`.
  std::string proxy{};
};

/// A callable satisfying gdos::transport: one libcurl easy handle, reused across calls so
/// connections are kept alive. Not thread-safe: use one per thread. Move-only.
class curl_transport {
 public:
  /// Initialises libcurl (once per process; see the file comment) and an easy handle.
  explicit curl_transport(curl_options options = {});
  ~curl_transport();
  curl_transport(curl_transport&&) noexcept;
  curl_transport& operator=(curl_transport&&) noexcept;
  curl_transport(const curl_transport&) = delete;
  curl_transport& operator=(const curl_transport&) = delete;

  /// Performs `req`: a POST with the body (what gdos sends), or a GET with the body as query
  /// string (only for testing a server's -17: it puts the password in the URL, which libcurl
  /// copies freely). Only http and https URLs are allowed and redirects are not followed. Never
  /// throws except std::bad_alloc.
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
