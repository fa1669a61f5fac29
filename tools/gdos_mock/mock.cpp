#include "mock.hpp"

#include "connection.hpp"
#include "tls.hpp"

#include <gdos/request.hpp>

#include <fcntl.h>
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace gdos_mock {

struct server::impl {
  options opts;
  tls_identity tls;
  detail::ssl_ctx_ptr tls_context;
  std::unique_ptr<endpoint> behaviour;
  std::unique_ptr<detail::bounded_server> https;
  std::unique_ptr<detail::bounded_server> http;
  std::thread https_thread;
  std::thread http_thread;
  int https_port = -1;
  int http_port = -1;
  std::string ca_file;
  std::filesystem::path temp_dir;  // set when the CA file is ours to remove

  std::atomic<std::size_t> count{0};
  std::mutex mutex;
  std::condition_variable cv;
  bool stop_requested = false;
  std::optional<std::chrono::steady_clock::time_point> deadline;
  bool stopped = false;
  std::atomic<bool> server_failed{false};
  std::atomic<bool> https_done{false};
  std::atomic<bool> http_done{false};

  void request_stop() {
    {
      std::lock_guard lock(mutex);
      stop_requested = true;
    }
    cv.notify_all();
  }

  // Sleeps for an injected delay; stopping the server cuts it short.
  void pause(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex);
    cv.wait_for(lock, d, [this] { return stop_requested; });
  }

  // Turns the endpoint's reply into the HTTP response, with its injected delay or drop.
  void respond(const reply& r, httplib::Response& res);

  void on_request(const char* scheme, const httplib::Request& req, const httplib::Response& res) {
    const std::size_t n = ++count;
    if (opts.log) {
      // The method, the path and the outcome only: the body holds the password. Both come from
      // the client (the path percent-decoded), so nothing in them may reach a terminal raw.
      const detail::connection_context* c = detail::current_connection();
      std::string line = std::string("gdos-mock: #") + std::to_string(n) + " " + scheme + " " +
                         printable(req.method, 16) + " " + printable(req.path, 200) + " -> ";
      if (c != nullptr && c->drop) {
        line += "no reply";
      } else {
        line += std::to_string(res.status);
        if (res.body.starts_with("errorCode=")) {
          line += " ";
          line += std::string_view(res.body).substr(0, res.body.find('&'));
        }
      }
      if (c != nullptr && !c->note.empty()) line += " (" + c->note + ")";
      // Last, so that a client's path cannot pass for it: numbers parse_request() read.
      if (c != nullptr && !c->asked_for.empty()) line += " " + c->asked_for;
      opts.log(line);
    }
    if (opts.max_requests != 0 && n >= opts.max_requests) request_stop();
  }
};

namespace {

constexpr const char* form_type = "application/x-www-form-urlencoded";

void reply_error(httplib::Response& res, gdos::api_code code) {
  res.status = 200;
  res.set_content(gdos::error_reply(gdos::api_error{code, {}}), form_type);
}

void html_error(httplib::Response& res, int status, std::string_view title) {
  res.status = status;
  const std::string t(title);
  res.set_content("<!DOCTYPE html>\n<html><head><title>" + std::to_string(status) + " " + t +
                      "</title></head><body><h1>" + t + "</h1></body></html>\n",
                  "text/html; charset=iso-8859-1");
}

void not_found(httplib::Response& res) { html_error(res, 404, "Not Found"); }

// The reason phrase for the statuses the mock sends (cpp-httplib 0.11's table is not exported).
std::string_view reason(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 408:
      return "Request Timeout";
    case 413:
      return "Request Entity Too Large";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Error";
  }
}

// Whether the request announces a body (cpp-httplib 0.11 would read a POST without
// Content-Length or chunked encoding until the client closes; HTTP/1.1 says it has none).
bool announces_body(const httplib::Request& req) {
  return req.has_header("Transfer-Encoding") ||
         (req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0");
}

// The declared Content-Length when it is a plain decimal number, else nullopt.
std::optional<std::uint64_t> content_length(const httplib::Request& req) {
  const std::string v = req.get_header_value("Content-Length");
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size()) return std::nullopt;
  return n;
}

// Reads the body into `out`, at most max_body_size bytes. On failure the reply is set (413 for
// too much, 400 for a body that is malformed or cut short) and false returned.
bool read_body(const httplib::Request& req, const httplib::ContentReader& reader,
               httplib::Response& res, std::string& out) {
  detail::connection_context* c = detail::current_connection();
  const bool chunked = req.has_header("Transfer-Encoding");
  if (!chunked) {
    if (!req.has_header("Content-Length")) return true;  // no body
    const auto n = content_length(req);
    if (!n) {
      if (c != nullptr) c->unread_body = true;
      html_error(res, 400, "Bad Request");
      return false;
    }
    if (*n > max_body_size) {
      if (c != nullptr) c->unread_body = true;
      html_error(res, 413, "Request Entity Too Large");
      return false;
    }
    if (*n == 0) return true;
  }
  // The body's bytes (and chunked framing, generously) on top of the head already read.
  if (c != nullptr) c->read_limit = c->consumed + max_body_size + 8 * 1024;
  bool too_large = false;
  const bool ok = reader([&](const char* data, std::size_t size) {
    if (size > max_body_size - out.size()) {
      too_large = true;
      return false;
    }
    out.append(data, size);
    return true;
  });
  if (ok && !too_large) return true;
  if (c != nullptr) c->unread_body = true;
  if (too_large)
    html_error(res, 413, "Request Entity Too Large");
  else
    html_error(res, 400, "Bad Request");
  return false;
}

// IPv6 literals go in brackets in a URL.
std::string url_host(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

bool replace_file(const std::string& path, std::string_view text) {
  // A new file beside the target, then rename(): a reader never sees half of it, and whatever
  // is at `path` (a symlink planted in a shared directory included) is replaced, never written
  // through.
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    tmp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(attempt);
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0 && errno != EEXIST) return false;
  }
  if (fd < 0) return false;
  bool ok = true;
  for (std::size_t done = 0; ok && done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n > 0)
      done += static_cast<std::size_t>(n);
    else if (n < 0 && errno != EINTR)
      ok = false;
  }
  ok = ::close(fd) == 0 && ok;
  ok = ok && ::rename(tmp.c_str(), path.c_str()) == 0;
  if (!ok) ::unlink(tmp.c_str());
  return ok;
}

std::string printable(std::string_view text, std::size_t max) {
  std::string out;
  out.reserve(std::min(text.size(), max) + 3);
  for (std::size_t i = 0; i < text.size() && i < max; ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    out += b < 0x20 || b >= 0x7f ? '?' : static_cast<char>(b);
  }
  if (text.size() > max) out += "...";
  return out;
}

void server::impl::respond(const reply& r, httplib::Response& res) {
  detail::connection_context* c = detail::current_connection();
  if (c != nullptr) {
    c->note = r.note;
    c->asked_for = r.asked_for;
  }
  if (r.delay.count() > 0) pause(r.delay);
  if (c != nullptr) {
    // The reply gets its own allowance, whatever reading the request (or the delay) took.
    c->deadline = std::chrono::steady_clock::now() + opts.request_timeout;
    c->drop = r.drop;
  }
  if (r.http_status != 200)
    html_error(res, r.http_status, reason(r.http_status));
  else
    res.set_content(r.body, form_type);
}

server::server(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

server::~server() {
  stop();
  std::error_code ec;
  if (!impl_->temp_dir.empty()) std::filesystem::remove_all(impl_->temp_dir, ec);
}

std::unique_ptr<server> server::start(options opts, std::string& error, start_errc* code) {
  start_errc ignored{};
  start_errc& why = code != nullptr ? *code : ignored;
  why = start_errc::ok;
  auto p = std::make_unique<impl>();
  p->opts = std::move(opts);
  impl& s = *p;

  s.tls = make_tls_identity(error);
  if (!s.tls.ca_cert) {
    why = start_errc::tls;
    return nullptr;
  }
  s.tls_context =
      detail::make_server_context(s.tls.server_cert.get(), s.tls.server_key.get(), error);
  if (!s.tls_context) {
    why = start_errc::tls;
    return nullptr;
  }

  if (s.opts.ca_file.empty()) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "gdos-mock-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) {
      error = "cannot create a temporary directory for the CA file";
      why = start_errc::ca_file;
      return nullptr;
    }
    s.temp_dir = tmpl;
    s.ca_file = (s.temp_dir / "ca.pem").string();
  } else {
    s.ca_file = s.opts.ca_file;
  }
  if (!replace_file(s.ca_file, s.tls.ca_pem)) {
    error = "cannot write the CA certificate to " + s.ca_file;
    why = start_errc::ca_file;
    std::error_code ec;
    if (!s.temp_dir.empty()) std::filesystem::remove_all(s.temp_dir, ec);
    return nullptr;
  }

  auto result = std::unique_ptr<server>(new server(std::move(p)));

  detail::limits bounds;
  bounds.max_head = max_head_size;
  bounds.max_body = max_body_size;
  bounds.timeout = s.opts.request_timeout;
  s.behaviour = std::make_unique<endpoint>(s.opts.data);
  s.https = std::make_unique<detail::bounded_server>(bounds, s.tls_context.get());
  // Everything but a POST to the endpoint is answered before any body is read.
  s.https->set_pre_routing_handler([&s](const httplib::Request& req, httplib::Response& res) {
    if (req.path == endpoint_path && req.method == "POST")
      return httplib::Server::HandlerResponse::Unhandled;
    if (detail::connection_context* c = detail::current_connection(); c && announces_body(req))
      c->unread_body = true;
    if (req.path != endpoint_path)
      not_found(res);
    else
      s.respond(s.behaviour->handle(false, {}), res);
    return httplib::Server::HandlerResponse::Handled;
  });
  s.https->Post(std::string(endpoint_path),
                [&s](const httplib::Request& req, httplib::Response& res,
                     const httplib::ContentReader& reader) {
                  std::string body;
                  if (read_body(req, reader, res, body))
                    s.respond(s.behaviour->handle(true, body), res);
                });
  // A body over the limit is refused before the client sends it, when it asks first.
  s.https->set_expect_100_continue_handler([](const httplib::Request& req, httplib::Response& res) {
    const auto n = content_length(req);
    if (n && *n <= max_body_size) return 100;
    html_error(res, 413, "Request Entity Too Large");
    if (detail::connection_context* c = detail::current_connection()) c->unread_body = true;
    return 413;
  });
  s.https->set_logger([&s](const httplib::Request& req, const httplib::Response& res) {
    s.on_request("https", req, res);
  });

  const int port = s.https->bind_exclusive(s.opts.host, s.opts.https_port, error);
  if (port <= 0) {
    why = start_errc::listen;
    return nullptr;
  }
  s.https_port = port;

  if (s.opts.http_port >= 0) {
    s.http = std::make_unique<detail::bounded_server>(bounds, nullptr);
    // -1 to everything, before any body is read.
    s.http->set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
      if (detail::connection_context* c = detail::current_connection(); c && announces_body(req))
        c->unread_body = true;
      reply_error(res, gdos::api_code::not_https);
      return httplib::Server::HandlerResponse::Handled;
    });
    s.http->set_logger([&s](const httplib::Request& req, const httplib::Response& res) {
      s.on_request("http", req, res);
    });
    const int hport = s.http->bind_exclusive(s.opts.host, s.opts.http_port, error);
    if (hport <= 0) {
      why = start_errc::listen;
      return nullptr;
    }
    s.http_port = hport;
  }

  if (s.opts.duration.count() > 0) s.deadline = std::chrono::steady_clock::now() + s.opts.duration;

  // Both sockets are listening already (bind_* does listen()), so clients may connect as
  // soon as start() returns; the threads only run the accept loops.
  const auto serve = [&s](detail::bounded_server& svr, std::atomic<bool>& done) {
    try {
      if (!svr.listen_after_bind()) s.server_failed = true;
    } catch (...) {  // e.g. the worker threads could not be created
      s.server_failed = true;
    }
    done = true;
    s.request_stop();
  };
  s.https_thread = std::thread([&s, serve] { serve(*s.https, s.https_done); });
  if (s.http) s.http_thread = std::thread([&s, serve] { serve(*s.http, s.http_done); });
  return result;
}

std::string server::url() const {
  return "https://" + url_host(impl_->opts.host) + ":" + std::to_string(impl_->https_port) +
         std::string(endpoint_path);
}

std::string server::http_url() const {
  if (impl_->http_port < 0) return {};
  return "http://" + url_host(impl_->opts.host) + ":" + std::to_string(impl_->http_port) +
         std::string(endpoint_path);
}

const std::string& server::ca_file() const noexcept { return impl_->ca_file; }
int server::https_port() const noexcept { return impl_->https_port; }
int server::http_port() const noexcept { return impl_->http_port; }
std::size_t server::requests() const noexcept { return impl_->count.load(); }

bool server::wait() {
  while (!wait_for(std::chrono::hours(1))) {
  }
  return !failed();
}

bool server::wait_for(std::chrono::milliseconds timeout) {
  impl& s = *impl_;
  std::unique_lock lock(s.mutex);
  auto until = std::chrono::steady_clock::now() + timeout;
  if (s.deadline && *s.deadline < until) until = *s.deadline;
  s.cv.wait_until(lock, until, [&s] { return s.stop_requested; });
  return s.stop_requested || (s.deadline && std::chrono::steady_clock::now() >= *s.deadline);
}

bool server::failed() const noexcept { return impl_->server_failed; }

void server::stop() {
  impl& s = *impl_;
  {
    std::lock_guard lock(s.mutex);
    if (s.stopped) return;
    s.stopped = true;
    s.stop_requested = true;
  }
  s.cv.notify_all();
  // Connections in progress are cut first (a slow client would otherwise hold stop() until its
  // deadline); httplib's stop() then closes the listening socket, after which
  // listen_after_bind() returns once the workers have let go. It does nothing while the thread
  // has not yet entered its accept loop, hence the wait.
  const auto halt = [](detail::bounded_server* svr, std::thread& t, const std::atomic<bool>& done) {
    if (!t.joinable()) return;
    svr->cut_connections();
    // Exactly one stop() once running: a second one trips an assertion inside httplib.
    while (!done) {
      if (svr->is_running()) {
        svr->stop();
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    t.join();
  };
  halt(s.https.get(), s.https_thread, s.https_done);
  halt(s.http.get(), s.http_thread, s.http_done);
}

}  // namespace gdos_mock
