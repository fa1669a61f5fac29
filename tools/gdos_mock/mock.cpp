#include "mock.hpp"

#include "tls.hpp"

#include <gdos/request.hpp>

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace gdos_mock {

struct server::impl {
  options opts;
  tls_identity tls;
  std::unique_ptr<httplib::SSLServer> https;
  std::unique_ptr<httplib::Server> http;
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

  void on_request(const char* scheme, const httplib::Request& req, const httplib::Response& res) {
    const std::size_t n = ++count;
    if (opts.log) {
      // The method, the path and the outcome only: the body holds the password.
      std::string line = std::string("gdos-mock: #") + std::to_string(n) + " " + scheme + " " +
                         req.method + " " + req.path + " -> " + std::to_string(res.status);
      if (res.body.starts_with("errorCode=")) {
        line += " ";
        line += std::string_view(res.body).substr(0, res.body.find('&'));
      }
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

void not_found(httplib::Response& res) {
  res.status = 404;
  res.set_content(
      "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>"
      "<body><h1>Not Found</h1></body></html>\n",
      "text/html; charset=iso-8859-1");
}

// Every method the servers can route, so that nothing falls through to httplib's default 404
// (which would leave a POST body unread on a keep-alive connection).
template <class Server, class Handler>
void route_everything(Server& s, const Handler& h) {
  // httplib's stop() waits for idle keep-alive connections to time out: keep that short, so a
  // bounded run (--max-requests) ends promptly even when a client keeps its connection open.
  s.set_keep_alive_timeout(1);
  const std::string any = ".*";
  s.Get(any, h);
  s.Post(any, h);
  s.Put(any, h);
  s.Patch(any, h);
  s.Delete(any, h);
  s.Options(any, h);
}

bool write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out.flush());
}

}  // namespace

server::server(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

server::~server() {
  stop();
  std::error_code ec;
  if (!impl_->temp_dir.empty()) std::filesystem::remove_all(impl_->temp_dir, ec);
}

std::unique_ptr<server> server::start(options opts, std::string& error) {
  auto p = std::make_unique<impl>();
  p->opts = std::move(opts);
  impl& s = *p;

  s.tls = make_tls_identity(error);
  if (!s.tls.ca_cert) return nullptr;

  if (s.opts.ca_file.empty()) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "gdos-mock-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) {
      error = "cannot create a temporary directory for the CA file";
      return nullptr;
    }
    s.temp_dir = tmpl;
    s.ca_file = (s.temp_dir / "ca.pem").string();
  } else {
    s.ca_file = s.opts.ca_file;
  }
  if (!write_file(s.ca_file, s.tls.ca_pem)) {
    error = "cannot write the CA certificate to " + s.ca_file;
    std::error_code ec;
    if (!s.temp_dir.empty()) std::filesystem::remove_all(s.temp_dir, ec);
    return nullptr;
  }

  auto result = std::unique_ptr<server>(new server(std::move(p)));

  // httplib's SSL_CTX takes its own references to the certificate and key.
  s.https = std::make_unique<httplib::SSLServer>(s.tls.server_cert.get(), s.tls.server_key.get());
  if (!s.https->is_valid()) {
    error = "cpp-httplib could not set up TLS with the generated certificate";
    return nullptr;
  }
  const fixture* data = &s.opts.data;
  route_everything(*s.https, [data](const httplib::Request& req, httplib::Response& res) {
    if (req.path != endpoint_path) return not_found(res);
    if (req.method != "POST") return reply_error(res, gdos::api_code::get_not_post);
    res.status = 200;
    res.set_content(answer(*data, req.body), form_type);
  });
  s.https->set_logger([&s](const httplib::Request& req, const httplib::Response& res) {
    s.on_request("https", req, res);
  });

  const int port =
      s.opts.https_port == 0
          ? s.https->bind_to_any_port(s.opts.host)
          : (s.https->bind_to_port(s.opts.host, s.opts.https_port) ? s.opts.https_port : -1);
  if (port <= 0) {
    error = "cannot listen on " + s.opts.host + " for HTTPS";
    return nullptr;
  }
  s.https_port = port;

  if (s.opts.http_port >= 0) {
    s.http = std::make_unique<httplib::Server>();
    route_everything(*s.http, [](const httplib::Request&, httplib::Response& res) {
      reply_error(res, gdos::api_code::not_https);
    });
    s.http->set_logger([&s](const httplib::Request& req, const httplib::Response& res) {
      s.on_request("http", req, res);
    });
    const int hport =
        s.opts.http_port == 0
            ? s.http->bind_to_any_port(s.opts.host)
            : (s.http->bind_to_port(s.opts.host, s.opts.http_port) ? s.opts.http_port : -1);
    if (hport <= 0) {
      error = "cannot listen on " + s.opts.host + " for plain HTTP";
      return nullptr;
    }
    s.http_port = hport;
  }

  if (s.opts.duration.count() > 0) s.deadline = std::chrono::steady_clock::now() + s.opts.duration;

  // Both sockets are listening already (bind_to_* does listen()), so clients may connect as
  // soon as start() returns; the threads only run the accept loops.
  s.https_thread = std::thread([&s] {
    if (!s.https->listen_after_bind()) s.server_failed = true;
    s.https_done = true;
    s.request_stop();
  });
  if (s.http) {
    s.http_thread = std::thread([&s] {
      if (!s.http->listen_after_bind()) s.server_failed = true;
      s.http_done = true;
      s.request_stop();
    });
  }
  return result;
}

std::string server::url() const {
  return "https://" + impl_->opts.host + ":" + std::to_string(impl_->https_port) +
         std::string(endpoint_path);
}

std::string server::http_url() const {
  if (impl_->http_port < 0) return {};
  return "http://" + impl_->opts.host + ":" + std::to_string(impl_->http_port) +
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
  // httplib's stop() closes the listening socket, after which listen_after_bind() returns once
  // the worker pool has finished the connections in progress (replies are not cut short). It
  // does nothing while the thread has not yet entered its accept loop, hence the wait.
  const auto halt = [](httplib::Server* svr, std::thread& t, const std::atomic<bool>& done) {
    if (!t.joinable()) return;
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
