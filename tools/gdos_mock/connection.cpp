#include "connection.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <thread>
#include <utility>
#include <vector>

namespace gdos_mock::detail {
namespace {

using clock = std::chrono::steady_clock;

thread_local connection_context* current = nullptr;
// When the connection the worker is about to serve was accepted: its deadline counts from
// there, so a connection that waited in the queue does not get a fresh allowance.
thread_local clock::time_point accepted_at{};

// cpp-httplib's listen loop hands each accepted socket to a TaskQueue as a closure; this one
// stamps the closure with the time and serves it on one of a fixed set of threads.
class worker_pool final : public httplib::TaskQueue {
 public:
  explicit worker_pool(std::size_t n) {
    threads_.reserve(n);
    try {
      for (std::size_t i = 0; i < n; ++i) threads_.emplace_back([this] { run(); });
    } catch (...) {  // no more threads: the ones started must be joined before unwinding
      shutdown();
      throw;
    }
  }
  ~worker_pool() override { shutdown(); }
  worker_pool(const worker_pool&) = delete;
  worker_pool& operator=(const worker_pool&) = delete;

  void enqueue(std::function<void()> fn) override {
    {
      std::lock_guard lock(mutex_);
      jobs_.push_back({clock::now(), std::move(fn)});
    }
    cv_.notify_one();
  }

  void shutdown() override {
    {
      std::lock_guard lock(mutex_);
      if (done_) return;
      done_ = true;
    }
    cv_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

 private:
  struct job {
    clock::time_point queued;
    std::function<void()> fn;
  };

  void run() {
    for (;;) {
      job j;
      {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [this] { return done_ || !jobs_.empty(); });
        if (jobs_.empty()) return;  // done_ and nothing left
        j = std::move(jobs_.front());
        jobs_.pop_front();
      }
      accepted_at = j.queued;
      j.fn();
    }
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<job> jobs_;
  std::vector<std::thread> threads_;
  bool done_ = false;
};

// Waits until `fd` is ready for `events` or the deadline passes. @return true when ready (or in
// an error state the next read or write will report).
bool wait_for(int fd, short events, clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), INT_MAX)));
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return false;
  }
}

// The socket's side of a TLS or plain connection: every wait ends at the context's deadline,
// every byte handed to cpp-httplib counts against the context's read limit.
class bounded_stream final : public httplib::Stream {
 public:
  bounded_stream(int fd, SSL* ssl, connection_context& c) : fd_(fd), ssl_(ssl), c_(c) {}

  bool is_readable() const override {
    return pos_ < end_ || (ssl_ != nullptr && SSL_pending(ssl_) > 0) ||
           wait_for(fd_, POLLIN, c_.deadline);
  }
  bool is_writable() const override { return !c_.drop && wait_for(fd_, POLLOUT, c_.deadline); }

  ssize_t read(char* ptr, size_t size) override {
    if (c_.consumed >= c_.read_limit) return -1;
    size = std::min(size, c_.read_limit - c_.consumed);
    if (pos_ == end_) {
      const ssize_t n = fill();
      if (n <= 0) return n;
    }
    const std::size_t n = std::min(size, end_ - pos_);
    std::memcpy(ptr, buf_.data() + pos_, n);
    pos_ += n;
    c_.consumed += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (c_.drop) return -1;
    const int len = static_cast<int>(std::min<std::size_t>(size, INT_MAX));
    for (;;) {
      if (ssl_ == nullptr) {
        const ssize_t n = ::send(fd_, ptr, static_cast<std::size_t>(len), MSG_NOSIGNAL);
        if (n >= 0) return n;
        if (errno == EINTR) continue;
        if ((errno == EAGAIN || errno == EWOULDBLOCK) && wait_for(fd_, POLLOUT, c_.deadline))
          continue;
        return -1;
      }
      ERR_clear_error();
      const int n = SSL_write(ssl_, ptr, len);
      if (n > 0) return n;
      if (!wait_ssl(n)) return -1;
    }
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    address(&::getpeername, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    address(&::getsockname, ip, port);
  }
  socket_t socket() const override { return fd_; }

 private:
  // Reads what is available (at most a buffer's worth) into the buffer.
  ssize_t fill() {
    pos_ = end_ = 0;
    for (;;) {
      if (ssl_ == nullptr) {
        const ssize_t n = ::recv(fd_, buf_.data(), buf_.size(), 0);
        if (n >= 0) {
          end_ = static_cast<std::size_t>(n);
          return n;
        }
        if (errno == EINTR) continue;
        if ((errno == EAGAIN || errno == EWOULDBLOCK) && wait_for(fd_, POLLIN, c_.deadline))
          continue;
        return -1;
      }
      ERR_clear_error();
      const int n = SSL_read(ssl_, buf_.data(), static_cast<int>(buf_.size()));
      if (n > 0) {
        end_ = static_cast<std::size_t>(n);
        return n;
      }
      if (SSL_get_error(ssl_, n) == SSL_ERROR_ZERO_RETURN) return 0;
      if (!wait_ssl(n)) return -1;
    }
  }

  // After an SSL call returned `r`: waits for what OpenSSL needs. @return false on an error or
  // when the deadline passed.
  bool wait_ssl(int r) const {
    switch (SSL_get_error(ssl_, r)) {
      case SSL_ERROR_WANT_READ:
        return wait_for(fd_, POLLIN, c_.deadline);
      case SSL_ERROR_WANT_WRITE:
        return wait_for(fd_, POLLOUT, c_.deadline);
      default:
        return false;
    }
  }

  using name_getter = int (*)(int, sockaddr*, socklen_t*);
  void address(name_getter get, std::string& ip, int& port) const {
    sockaddr_storage a{};
    socklen_t len = sizeof a;
    ip.clear();
    port = 0;
    if (get(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) return;
    std::array<char, NI_MAXHOST> host{};
    std::array<char, NI_MAXSERV> serv{};
    if (::getnameinfo(reinterpret_cast<sockaddr*>(&a), len, host.data(), host.size(), serv.data(),
                      serv.size(), NI_NUMERICHOST | NI_NUMERICSERV) != 0)
      return;
    ip = host.data();
    port = std::atoi(serv.data());
  }

  int fd_;
  SSL* ssl_;
  connection_context& c_;
  std::array<char, 4096> buf_{};
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
};

struct ssl_free {
  void operator()(SSL* p) const noexcept { SSL_free(p); }
};

// Reads and discards what the client still sends, for a moment: closing a socket with unread
// data makes the kernel send a reset, which can destroy the reply before the client reads it.
void drain(int fd) {
  ::shutdown(fd, SHUT_WR);
  const auto until = clock::now() + std::chrono::milliseconds(500);
  std::array<char, 16 * 1024> sink{};
  for (std::size_t total = 0; total < 1024 * 1024;) {
    if (!wait_for(fd, POLLIN, until)) return;
    const ssize_t n = ::recv(fd, sink.data(), sink.size(), 0);
    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) return;
    if (n > 0) total += static_cast<std::size_t>(n);
  }
}

}  // namespace

connection_context* current_connection() noexcept { return current; }

ssl_ctx_ptr make_server_context(X509* cert, EVP_PKEY* key, std::string& error) {
  ssl_ctx_ptr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx || SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION) != 1 ||
      SSL_CTX_use_certificate(ctx.get(), cert) != 1 ||
      SSL_CTX_use_PrivateKey(ctx.get(), key) != 1 || SSL_CTX_check_private_key(ctx.get()) != 1) {
    error = "cannot set up TLS with the generated certificate";
    if (const unsigned long e = ERR_get_error(); e != 0) {
      std::array<char, 256> buf{};
      ERR_error_string_n(e, buf.data(), buf.size());
      error += std::string(": ") + buf.data();
    }
    ERR_clear_error();
    return nullptr;
  }
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  // SSL_write is retried with the same arguments after a wait, from the same buffer.
  SSL_CTX_set_mode(ctx.get(), SSL_MODE_ENABLE_PARTIAL_WRITE);
  return ctx;
}

bounded_server::bounded_server(limits l, SSL_CTX* tls) : limits_(l), tls_(tls) {
  new_task_queue = [n = limits_.workers] { return new worker_pool(n); };
  // cpp-httplib's default adds SO_REUSEPORT, with which a second server on the same port
  // starts without an error and the kernel splits the connections between the two.
  set_socket_options([](socket_t s) {
    const int yes = 1;
    ::setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
}

int bounded_server::bind_exclusive(const std::string& host, int port, std::string& error) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found); rc != 0) {
    error = "cannot listen on " + host + ": " + ::gai_strerror(rc);
    return -1;
  }
  ::freeaddrinfo(found);
  // cpp-httplib reports only success; errno is what its last bind() or listen() left (close()
  // and freeaddrinfo() after it leave errno alone).
  errno = 0;
  const int bound = port == 0 ? bind_to_any_port(host) : (bind_to_port(host, port) ? port : -1);
  if (bound > 0) return bound;
  const int e = errno;
  error = "cannot listen on " + host + " port " + std::to_string(port) + ": " +
          (e == EADDRINUSE ? std::string("address already in use")
           : e != 0        ? std::string(std::strerror(e))
                           : std::string("bind failed"));
  return -1;
}

void bounded_server::cut_connections() {
  std::lock_guard lock(mutex_);
  cutting_ = true;
  for (socket_t s : open_) ::shutdown(s, SHUT_RDWR);
}

bool bounded_server::track(socket_t sock) {
  std::lock_guard lock(mutex_);
  if (cutting_) return false;
  open_.insert(sock);
  return true;
}

void bounded_server::untrack(socket_t sock) {
  // Under the lock, before close(): cut_connections() never touches a reused descriptor.
  std::lock_guard lock(mutex_);
  open_.erase(sock);
}

bool bounded_server::process_and_close_socket(socket_t sock) {
  bool ok = false;
  if (track(sock)) {
    try {
      ok = serve(sock);
    } catch (...) {  // std::bad_alloc, from a handler or cpp-httplib: this connection only
      ok = false;
    }
    untrack(sock);
  }
  ::close(sock);
  return ok;
}

bool bounded_server::serve(socket_t sock) {
  connection_context c;
  c.deadline = accepted_at + limits_.timeout;
  c.read_limit = limits_.max_head;
  if (clock::now() >= c.deadline) return false;
  const int flags = ::fcntl(sock, F_GETFL);
  if (flags < 0 || ::fcntl(sock, F_SETFL, flags | O_NONBLOCK) != 0) return false;

  std::unique_ptr<SSL, ssl_free> ssl;
  if (tls_ != nullptr) {
    ssl.reset(SSL_new(tls_));
    if (!ssl || SSL_set_fd(ssl.get(), sock) != 1) return false;
    for (;;) {
      ERR_clear_error();
      const int r = SSL_accept(ssl.get());
      if (r == 1) break;
      const int e = SSL_get_error(ssl.get(), r);
      if (!((e == SSL_ERROR_WANT_READ && wait_for(sock, POLLIN, c.deadline)) ||
            (e == SSL_ERROR_WANT_WRITE && wait_for(sock, POLLOUT, c.deadline)))) {
        ERR_clear_error();
        return false;
      }
    }
  }

  bounded_stream stream(sock, ssl.get(), c);
  current = &c;
  bool closed = false;
  const bool ok = process_request(stream, /*close_connection=*/true, closed, nullptr);
  current = nullptr;
  if (c.drop) return ok;  // no close_notify, no drain: the connection just ends
  if (ssl) {
    ERR_clear_error();
    SSL_shutdown(ssl.get());  // one close_notify, not waiting for the client's
    ERR_clear_error();
  }
  if (c.unread_body) drain(sock);
  return ok;
}

}  // namespace gdos_mock::detail
