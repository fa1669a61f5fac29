#include "httplib_transport.hpp"

#include <httplib.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <system_error>
#include <thread>

namespace gdos_examples {
namespace {

gdos::transport_errc map_httplib_error(httplib::Error e) noexcept {
  using gdos::transport_errc;
  switch (e) {
    case httplib::Error::Connection:
    case httplib::Error::BindIPAddress:
      return transport_errc::connect;
    case httplib::Error::ConnectionTimeout:
      return transport_errc::timeout;
    case httplib::Error::Read:
      return transport_errc::receive;
    case httplib::Error::Write:
      return transport_errc::send;
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
      return transport_errc::tls_handshake;
    case httplib::Error::SSLServerVerification:
      return transport_errc::tls_verification;
    default:
      return transport_errc::other;
  }
}

// httplib::Client throws std::invalid_argument for a scheme it does not know and converts the
// port with std::stoi, so the URL is split and checked here first.
struct split_url {
  std::string origin;  // scheme://authority
  std::string host;    // without the brackets of an IPv6 literal
  int port = 0;
  std::string path;  // with any query
  bool https = false;
  bool ok = false;
};

split_url split(std::string_view url) {
  split_url out;
  std::size_t scheme_end = 0;
  if (url.starts_with("https://")) {
    scheme_end = 8;
    out.https = true;
  } else if (url.starts_with("http://")) {
    scheme_end = 7;
  } else {
    return out;
  }
  const std::size_t path_start = url.find_first_of("/?#", scheme_end);
  const std::string_view authority = url.substr(scheme_end, path_start - scheme_end);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return out;
  std::string_view host;
  std::string_view rest;
  if (authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos || close == 1) return out;
    host = authority.substr(1, close - 1);
    rest = authority.substr(close + 1);
  } else {
    const std::size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) rest = authority.substr(colon);
  }
  if (host.empty()) return out;
  out.port = out.https ? 443 : 80;
  if (!rest.empty()) {
    if (rest.front() != ':') return out;
    const std::string_view port = rest.substr(1);
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || port.size() > 5 || ec != std::errc{} || end != port.data() + port.size() ||
        value == 0 || value > 65535)
      return out;
    out.port = static_cast<int>(value);
  }
  out.origin = std::string(url.substr(0, path_start));
  out.host = std::string(host);
  out.path = path_start == std::string_view::npos ? "/" : std::string(url.substr(path_start));
  if (out.path.front() != '/') out.path.insert(0, 1, '/');
  out.ok = true;
  return out;
}

std::chrono::milliseconds at_least_1ms(std::chrono::milliseconds d) {
  return std::max(d, std::chrono::milliseconds(1));
}

// The host check OpenSSL makes while verifying the chain, by RFC 6125's rules (no CN when a SAN
// is present, no partial wildcards). It fails the handshake's verification result, which
// cpp-httplib checks before it writes the request.
bool check_host_in_handshake(SSL_CTX* ctx, const std::string& host) {
  X509_VERIFY_PARAM* param = SSL_CTX_get0_param(ctx);
  if (param == nullptr) return false;
  unsigned char ip[16];
  if (inet_pton(AF_INET, host.c_str(), ip) == 1 || inet_pton(AF_INET6, host.c_str(), ip) == 1)
    return X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) == 1;
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  return X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size()) == 1;
}

// Bytes of TLS records received, against a limit (see the header: cpp-httplib bounds neither
// headers nor chunk-size lines). Used only by the calling thread, where OpenSSL calls back.
struct tls_budget {
  std::size_t received = 0;
  std::size_t limit = httplib_max_tls_before_body;
  bool exceeded = false;
};

void count_record(int write_p, int /*version*/, int content_type, const void* buf, std::size_t len,
                  SSL* ssl, void* arg) {
  if (write_p != 0 || content_type != SSL3_RT_HEADER || len < 5) return;
  auto* budget = static_cast<tls_budget*>(arg);
  const auto* header = static_cast<const unsigned char*>(buf);
  budget->received += 5 + (std::size_t{header[3]} << 8 | header[4]);
  if (budget->received > budget->limit && !budget->exceeded) {
    budget->exceeded = true;
    // The next read fails and cpp-httplib gives up. The socket is this call's, open, and used
    // by this thread only (OpenSSL is reading from it right now).
    shutdown(SSL_get_fd(ssl), SHUT_RDWR);
  }
}

// Calls httplib's stop() once the deadline has passed, and again every 50 ms until the call
// ends: while cpp-httplib connects it holds the lock stop() takes, and a stop() before the
// request is in flight does nothing.
class watchdog {
 public:
  watchdog(httplib::Client& client, std::chrono::milliseconds after)
      : thread_([this, &client, deadline = std::chrono::steady_clock::now() + after] {
          std::unique_lock lock(mutex_);
          if (ended_.wait_until(lock, deadline, [this] { return done_; })) return;
          fired_ = true;
          do {
            lock.unlock();
            client.stop();
            lock.lock();
          } while (!ended_.wait_for(lock, std::chrono::milliseconds(50), [this] { return done_; }));
        }) {}
  watchdog(const watchdog&) = delete;
  watchdog& operator=(const watchdog&) = delete;
  ~watchdog() { finish(); }

  /// Stops the thread; afterwards fired() says whether the deadline passed.
  void finish() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    ended_.notify_all();
    thread_.join();
  }
  [[nodiscard]] bool fired() const noexcept { return fired_; }

 private:
  std::mutex mutex_;
  std::condition_variable ended_;
  bool done_ = false;
  bool fired_ = false;
  std::thread thread_;  // last: it starts once the members it uses exist
};

// SIGPIPE blocked in this thread while it lives; one raised meanwhile (by a write to a server
// that closed) is discarded rather than delivered when the mask is restored.
class sigpipe_blocked {
 public:
  sigpipe_blocked() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    restore_ = pthread_sigmask(SIG_BLOCK, &pipe_, &old_) == 0 && sigismember(&old_, SIGPIPE) == 0;
  }
  sigpipe_blocked(const sigpipe_blocked&) = delete;
  sigpipe_blocked& operator=(const sigpipe_blocked&) = delete;
  ~sigpipe_blocked() {
    if (!restore_) return;
    const timespec now{};
    while (sigtimedwait(&pipe_, nullptr, &now) == SIGPIPE) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t pipe_{};
  sigset_t old_{};
  bool restore_ = false;
};

}  // namespace

gdos::http_response httplib_transport::operator()(const gdos::http_request& req) const {
  using gdos::http_response;
  using gdos::transport_errc;
  const split_url url = split(req.url);
  if (!url.ok)
    return http_response::transport_failure(transport_errc::invalid_url,
                                            "not an http:// or https:// URL");
  split_url proxy;
  if (!options_.proxy.empty()) {
    proxy = split(options_.proxy.find("://") == std::string::npos ? "http://" + options_.proxy
                                                                  : options_.proxy);
    if (!proxy.ok || proxy.https)
      return http_response::transport_failure(transport_errc::invalid_url,
                                              "proxy is not host:port or http://host:port");
  }

  httplib::Client cli(url.origin);
  if (!cli.is_valid())
    return http_response::transport_failure(transport_errc::tls_handshake,
                                            "cpp-httplib could not set up the client");
  const std::chrono::milliseconds total = at_least_1ms(options_.total_timeout);
  cli.enable_server_certificate_verification(true);
  if (!options_.ca_file.empty()) cli.set_ca_cert_path(options_.ca_file);
  cli.set_connection_timeout(std::min(at_least_1ms(options_.connect_timeout), total));
  cli.set_read_timeout(total);
  cli.set_write_timeout(total);
  cli.set_follow_location(false);  // a redirected POST would resend the password elsewhere
  cli.set_decompress(false);
  cli.set_keep_alive(false);
  if (proxy.ok) cli.set_proxy(proxy.host, proxy.port);

  tls_budget budget;
  if (url.https) {
    SSL_CTX* ctx = cli.ssl_context();
    if (ctx == nullptr || !check_host_in_handshake(ctx, url.host) ||
        SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1)
      return http_response::transport_failure(transport_errc::tls_handshake,
                                              "could not set up TLS host verification");
    SSL_CTX_set_msg_callback(ctx, &count_record);
    SSL_CTX_set_msg_callback_arg(ctx, &budget);
  }

  httplib::Request hreq;
  hreq.method = std::string(req.method);
  hreq.path = url.path;
  hreq.headers = {{"User-Agent", "gdos/" GDOS_VERSION_STRING " cpp-httplib"},
                  {"Accept-Encoding", "identity"}};
  if (req.method == "GET") {
    if (!req.body.empty()) {
      hreq.path += hreq.path.find('?') == std::string::npos ? '?' : '&';
      hreq.path += req.body;
    }
  } else {
    hreq.headers.emplace("Content-Type", std::string(req.content_type));
    // The fields Post(path, headers, length, provider, type) sets; with them, and not a body,
    // the request is written straight from gdos' buffer (see the header).
    hreq.content_length_ = req.body.size();
    hreq.content_provider_ = [body = req.body](std::size_t offset, std::size_t length,
                                               httplib::DataSink& sink) {
      return sink.write(body.data() + offset, length);
    };
  }

  http_response out;
  bool too_large = false;
  const std::size_t max_body = options_.max_body;
  hreq.response_handler = [&](const httplib::Response& r) {
    // The headers are in: from here on, the body's limit plus room for chunk framing.
    budget.limit = budget.received + max_body + max_body / 8 + (std::size_t{64} << 10);
    const std::string length = r.get_header_value("Content-Length");
    std::uint64_t announced = 0;
    if (std::from_chars(length.data(), length.data() + length.size(), announced).ec ==
        std::errc{}) {
      if (announced > max_body) {
        too_large = true;
        return false;
      }
      out.body.reserve(static_cast<std::size_t>(announced));
    }
    return true;
  };
  hreq.content_receiver = [&](const char* data, std::size_t n, std::uint64_t, std::uint64_t) {
    if (out.body.size() + n > max_body) {
      too_large = true;
      return false;
    }
    out.body.append(data, n);
    return true;
  };

  httplib::Response res;
  httplib::Error error = httplib::Error::Success;
  bool sent = false;
  bool timed_out = false;
  {
    sigpipe_blocked no_sigpipe;
    try {
      watchdog dog(cli, total);
      sent = cli.send(hreq, res, error);
      dog.finish();
      timed_out = dog.fired();
    } catch (const std::system_error&) {
      return http_response::transport_failure(transport_errc::other,
                                              "could not start the deadline thread");
    }
  }

  if (!sent) {
    if (too_large || budget.exceeded) {
      std::string detail = budget.exceeded && !too_large
                               ? "more than " + std::to_string(budget.limit) +
                                     " bytes of TLS records (headers or framing)"
                               : "reply larger than " + std::to_string(max_body) + " bytes";
      return http_response::transport_failure(transport_errc::too_large, std::move(detail));
    }
    if (timed_out)
      return http_response::transport_failure(
          transport_errc::timeout,
          "no complete reply within " + std::to_string(total.count()) + " ms");
    std::string detail = "cpp-httplib: " + httplib::to_string(error);
    if (error == httplib::Error::SSLServerVerification) {
      detail += ": ";
      detail += X509_verify_cert_error_string(cli.get_openssl_verify_result());
    }
    return http_response::transport_failure(map_httplib_error(error), std::move(detail));
  }
  out.status = res.status;
  out.content_type = res.get_header_value("Content-Type");
  return out;
}

}  // namespace gdos_examples
