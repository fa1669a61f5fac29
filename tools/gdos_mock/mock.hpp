/// @file mock.hpp
/// @brief A fake GetDetailedOrderStatus endpoint for integration tests, over real HTTPS on
/// loopback. Used by `gdos mock`, `gdos demo`, the gdos-mock program and the end-to-end tests.
///
/// It answers the way Comodo's endpoint does, using gdos's own server side (parse_request,
/// error_reply, the response writer):
/// - plain HTTP, any request: -1 "Request was not made over https!";
/// - HTTPS, any method but POST on the endpoint's path: -17;
/// - a body parse_request() refuses: its -2 / -3 / -4 (an empty body: -3 on loginName); a
///   -2's echoed argument name is cut to max_echoed_name bytes;
/// - an unknown loginName or a wrong loginPassword: -16;
/// - an orderNumber / certificateID not in the fixture, or another account's: -4 on that
///   argument (the endpoint cannot tell a reseller that somebody else's order exists);
/// - otherwise the order, shaped by queryType (0 status, 1 + certificates, 2 + replacement
///   orders) and showValidityPeriod (Y adds the certificates' validity fields).
/// Other paths get a 404 HTML page, as a real web server would; a body over max_body_size gets
/// HTTP 413.
///
/// Every connection carries one request and is bounded (connection.hpp): max_head_size bytes of
/// request line and headers, max_body_size bytes of body, and `request_timeout` from accept()
/// to the end of the request (as long again to write the reply). The ports are bound
/// exclusively: a port another server listens on is an error ("address already in use").
///
/// A fresh CA and server certificate are generated at every start (see tls.hpp); the CA is
/// written to a PEM file for clients. A program embedding the server should ignore SIGPIPE
/// (gdos, gdos-mock and the tests do), although the mock's own writes never raise it. Logs name
/// the method, path (control and non-ASCII bytes shown as `?`) and errorCode of each request,
/// never a request body, so the password never appears in them.
#pragma once

#include "fixture.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace gdos_mock {

/// The endpoint's path, as on secure.comodo.net.
inline constexpr std::string_view endpoint_path = "/products/!GetDetailedOrderStatus";

/// Largest request body accepted (bytes); real requests are about 100 bytes.
inline constexpr std::size_t max_body_size = 64 * 1024;
/// Largest request line plus headers accepted (bytes).
inline constexpr std::size_t max_head_size = 32 * 1024;
/// Longest argument name a -2 reply echoes (bytes of the name as sent); longer ones are cut and
/// end in "...".
inline constexpr std::size_t max_echoed_name = 64;

/// How to run the mock.
struct options {
  fixture data;                      ///< Accounts and orders (e.g. from load_fixture()).
  std::string host = "127.0.0.1";    ///< Address to listen on (loopback unless you mean it).
  int https_port = 0;                ///< HTTPS port; 0 picks a free one.
  int http_port = 0;                 ///< Plain-HTTP port answering -1; 0 picks one; -1: none.
  std::string ca_file;               ///< Where to write the CA (PEM); empty: a temporary file.
  std::size_t max_requests = 0;      ///< wait() returns after this many requests; 0: no limit.
  std::chrono::seconds duration{0};  ///< wait() returns after this long; 0: no limit.
  /// Per connection: from accept() to the end of the request (headers and body), and again to
  /// write the reply. A client slower than that is disconnected.
  std::chrono::milliseconds request_timeout{10'000};
  /// Receives one line per request (no trailing newline); may be called from several threads
  /// at once. Empty: no log.
  std::function<void(std::string_view)> log;
};

/// Why server::start() failed.
enum class start_errc {
  ok = 0,   ///< It did not.
  tls,      ///< Generating the certificates or setting up TLS failed.
  ca_file,  ///< The CA file (or its temporary directory) could not be written.
  listen,   ///< A port could not be bound (in use, no permission, unknown host).
};

/// A running mock endpoint. Servers run on their own threads from start() until stop() or
/// destruction.
class server {
 public:
  /// Generates the TLS identity, writes the CA file, binds both ports and starts serving.
  /// Returns null and sets `error` (and `code`, when given) when any of that fails.
  [[nodiscard]] static std::unique_ptr<server> start(options opts, std::string& error,
                                                     start_errc* code = nullptr);

  /// Stops serving and removes a temporary CA file.
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// `https://HOST:PORT/products/!GetDetailedOrderStatus` (an IPv6 HOST in brackets).
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

/// Writes `text` to `path` through a new file renamed over it: readers see the old content or
/// the new, never half, and a symlink at `path` is replaced rather than followed. Mode 0644
/// (what the mock writes is public: its CA certificate, its URL). @return false on any failure.
bool replace_file(const std::string& path, std::string_view text);

/// `text` for a log line: bytes below 0x20, DEL and non-ASCII bytes become `?` (a client's path
/// cannot move the cursor, clear the screen or start a new line), cut after `max` bytes with
/// "..." appended.
[[nodiscard]] std::string printable(std::string_view text, std::size_t max);

/// What the endpoint does with one HTTPS request to its path.
struct reply {
  int http_status = 200;  ///< 200 with a form body, or an HTTP error page (an injected fault).
  std::string body;       ///< The url-encoded reply (http_status 200).
  bool drop = false;      ///< Close the connection without replying (an injected fault).
  std::chrono::milliseconds delay{0};  ///< Wait this long before replying (an injected fault).
  std::string note;                    ///< Said in the request's log line (faults).
  /// What the request asked for, for its log line: `order=N` and / or `certificateID=N` as the
  /// body named them (empty when it is not a request parse_request() accepts).
  std::string asked_for;
};

/// The endpoint's behaviour, apart from HTTP: what it answers to a request received over
/// HTTPS, including the fixture's timelines (orders change as they are queried or as time
/// passes) and injected faults. Thread-safe: requests may be answered concurrently.
class endpoint {
 public:
  /// `data` must outlive the endpoint. Timelines and fault schedules start from zero.
  explicit endpoint(const fixture& data);
  ~endpoint();
  endpoint(const endpoint&) = delete;
  endpoint& operator=(const endpoint&) = delete;

  /// The reply to one request to the endpoint's path: `post` says whether the method was POST.
  [[nodiscard]] reply handle(bool post, std::string_view body);

 private:
  using clock = std::chrono::steady_clock;
  struct order_state;

  std::string answer(std::string_view body, clock::time_point now, reply& out);
  const order& advance(std::size_t index, clock::time_point now);
  [[nodiscard]] const fault* fault_for(std::optional<std::int64_t> order_number, std::uint64_t n,
                                       std::chrono::milliseconds since_first) const noexcept;
  bool inject(const fault& f, reply& r) const;
  static std::chrono::milliseconds since(clock::time_point first, clock::time_point now);

  const fixture& data_;
  std::mutex mutex_;
  std::unique_ptr<order_state[]> orders_;  // one per fixture order
  std::uint64_t requests_ = 0;             // requests to the endpoint's path so far
  clock::time_point first_request_{};
};

}  // namespace gdos_mock
