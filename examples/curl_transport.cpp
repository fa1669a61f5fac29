#include "curl_transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <utility>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace gdos_examples {
namespace {

gdos::transport_errc map_curl_error(CURLcode rc) noexcept {
  using gdos::transport_errc;
  switch (rc) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return transport_errc::invalid_url;
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
      return transport_errc::resolve;
    case CURLE_COULDNT_CONNECT:
      return transport_errc::connect;
    case CURLE_OPERATION_TIMEDOUT:
      return transport_errc::timeout;
    case CURLE_PEER_FAILED_VERIFICATION:
      return transport_errc::tls_verification;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
      return transport_errc::tls_handshake;
    case CURLE_SEND_ERROR:
      return transport_errc::send;
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return transport_errc::receive;
    case CURLE_FILESIZE_EXCEEDED:
      return transport_errc::too_large;
    default:
      return transport_errc::other;
  }
}

#if defined(__GLIBC__)
// libcurl's allocator (see the header's comment on the password): every block is cleared before
// it is freed, so what libcurl held (the request, the upload buffer with the body) does not stay
// in freed heap memory. malloc_usable_size() gives the size libcurl does not pass to free().
void* wiping_malloc(std::size_t n) { return std::malloc(n); }
void wiping_free(void* p) {
  if (p == nullptr) return;
  explicit_bzero(p, malloc_usable_size(p));
  std::free(p);
}
// Never realloc() in place: a block that moves would leave its old bytes behind uncleared.
void* wiping_realloc(void* p, std::size_t n) {
  if (p == nullptr) return std::malloc(n);
  if (n == 0) {
    wiping_free(p);
    return nullptr;
  }
  void* q = std::malloc(n);
  if (q == nullptr) return nullptr;
  std::memcpy(q, p, std::min(n, malloc_usable_size(p)));
  wiping_free(p);
  return q;
}
char* wiping_strdup(const char* s) {
  const std::size_t n = std::strlen(s) + 1;
  auto* d = static_cast<char*>(std::malloc(n));
  if (d != nullptr) std::memcpy(d, s, n);
  return d;
}
void* wiping_calloc(std::size_t n, std::size_t size) { return std::calloc(n, size); }
#endif

CURLcode init_libcurl() {
#if defined(__GLIBC__)
  return curl_global_init_mem(CURL_GLOBAL_DEFAULT, wiping_malloc, wiping_free, wiping_realloc,
                              wiping_strdup, wiping_calloc);
#else
  return curl_global_init(CURL_GLOBAL_DEFAULT);
#endif
}

// libcurl reads 0 as "no timeout" and a long may be narrower than the count.
long timeout_ms(std::chrono::milliseconds d) noexcept {
  return static_cast<long>(std::clamp<std::chrono::milliseconds::rep>(d.count(), 1, LONG_MAX));
}

struct sink {
  CURL* handle;
  std::string* body;
  std::size_t max_body;
  std::size_t header_bytes = 0;
  bool overflow = false;
};

std::size_t write_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* s = static_cast<sink*>(user);
  const std::size_t bytes = size * n;
  if (s->body->size() + bytes > s->max_body) {
    s->overflow = true;
    return 0;  // anything short of `bytes` makes curl stop with CURLE_WRITE_ERROR
  }
  if (s->body->empty()) {
    // An announced length within the limit is allocated once, instead of by doubling (which
    // holds the old and the new buffer at once).
    curl_off_t length = -1;
    if (curl_easy_getinfo(s->handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) == CURLE_OK &&
        length > 0 && static_cast<std::size_t>(length) <= s->max_body)
      s->body->reserve(static_cast<std::size_t>(length));
  }
  s->body->append(data, bytes);
  return bytes;
}

std::size_t count_header(char*, std::size_t size, std::size_t n, void* user) {
  auto* s = static_cast<sink*>(user);
  s->header_bytes += size * n;
  if (s->header_bytes > curl_max_headers) {
    s->overflow = true;
    return 0;
  }
  return size * n;
}

// The body goes to libcurl through these, straight from gdos' buffer (see the header).
struct upload {
  const char* data;
  std::size_t size;
  std::size_t sent = 0;
};

std::size_t read_body(char* buffer, std::size_t size, std::size_t n, void* user) {
  auto* u = static_cast<upload*>(user);
  const std::size_t bytes = std::min(size * n, u->size - u->sent);
  std::memcpy(buffer, u->data + u->sent, bytes);
  u->sent += bytes;
  return bytes;
}

// libcurl rewinds the body to resend it on a fresh connection when a reused one was dead.
int seek_body(void* user, curl_off_t offset, int origin) {
  auto* u = static_cast<upload*>(user);
  if (origin != SEEK_SET || offset < 0 || static_cast<std::size_t>(offset) > u->size)
    return CURL_SEEKFUNC_CANTSEEK;
  u->sent = static_cast<std::size_t>(offset);
  return CURL_SEEKFUNC_OK;
}

}  // namespace

struct curl_transport::handle {
  CURL* easy = nullptr;
  CURLcode global = CURLE_OK;
  ~handle() {
    if (easy != nullptr) curl_easy_cleanup(easy);
  }
};

curl_transport::curl_transport(curl_options options)
    : options_(std::move(options)), handle_(std::make_unique<handle>()) {
  // curl_global_init is not guaranteed thread-safe on every libcurl build, so it runs once, the
  // first time a transport is made, under the thread-safe initialisation of a local static.
  static const CURLcode global = init_libcurl();
  handle_->global = global;
  if (global == CURLE_OK) handle_->easy = curl_easy_init();
}

curl_transport::~curl_transport() = default;
curl_transport::curl_transport(curl_transport&&) noexcept = default;
curl_transport& curl_transport::operator=(curl_transport&&) noexcept = default;

gdos::http_response curl_transport::operator()(const gdos::http_request& req) {
  using gdos::http_response;
  using gdos::transport_errc;
  if (!handle_ || handle_->easy == nullptr)
    return http_response::transport_failure(transport_errc::other, "libcurl failed to initialise");
  CURL* h = handle_->easy;
  // Reset every option but keep the connection, DNS and TLS session caches.
  curl_easy_reset(h);

  const bool get = req.method == "GET";
  std::string url(req.url);
  if (get && !req.body.empty()) {
    url += url.find('?') == std::string::npos ? '?' : '&';
    url += req.body;
  }

  const std::string method(req.method);
  http_response out;
  sink s{h, &out.body, options_.max_body};
  upload body{req.body.data(), req.body.size()};
  char errbuf[CURL_ERROR_SIZE] = {};
  const std::string content_type = "Content-Type: " + std::string(req.content_type);
  curl_slist* headers = nullptr;
  // An empty "Expect:" stops curl from waiting for "100 Continue" before sending larger bodies.
  for (const char* line : {content_type.c_str(), "Expect:", "Accept: */*"}) {
    curl_slist* next = curl_slist_append(headers, line);
    if (next == nullptr) {
      curl_slist_free_all(headers);
      return http_response::transport_failure(transport_errc::other, "out of memory");
    }
    headers = next;
  }

  // A refused option must not go unnoticed where it is about safety (an old libcurl without
  // CURLOPT_PROTOCOLS_STR, a CA path it cannot use...): the call stops before connecting.
  const char* refused = nullptr;
  const auto set = [h, &refused](CURLoption option, auto value, const char* name) {
    if (curl_easy_setopt(h, option, value) != CURLE_OK && refused == nullptr) refused = name;
  };
  set(CURLOPT_URL, url.c_str(), "CURLOPT_URL");
#if LIBCURL_VERSION_NUM >= 0x075500
  set(CURLOPT_PROTOCOLS_STR, "http,https", "CURLOPT_PROTOCOLS_STR");
#else
  set(CURLOPT_PROTOCOLS, long{CURLPROTO_HTTP | CURLPROTO_HTTPS}, "CURLOPT_PROTOCOLS");
#endif
  // A redirected POST would resend the password to wherever the redirect points.
  set(CURLOPT_FOLLOWLOCATION, 0L, "CURLOPT_FOLLOWLOCATION");
  set(CURLOPT_NOSIGNAL, 1L, "CURLOPT_NOSIGNAL");
  set(CURLOPT_SSL_VERIFYPEER, 1L, "CURLOPT_SSL_VERIFYPEER");
  set(CURLOPT_SSL_VERIFYHOST, 2L, "CURLOPT_SSL_VERIFYHOST");
  set(CURLOPT_SSLVERSION, long{CURL_SSLVERSION_TLSv1_2}, "CURLOPT_SSLVERSION");
  if (!options_.ca_file.empty()) {
    set(CURLOPT_CAINFO, options_.ca_file.c_str(), "CURLOPT_CAINFO");
    // Else libcurl keeps its build-time CA directory (Debian: /etc/ssl/certs) beside the file.
    set(CURLOPT_CAPATH, static_cast<const char*>(nullptr), "CURLOPT_CAPATH");
  }
  if (!options_.proxy.empty()) set(CURLOPT_PROXY, options_.proxy.c_str(), "CURLOPT_PROXY");
  set(CURLOPT_CONNECTTIMEOUT_MS, timeout_ms(options_.connect_timeout), "CURLOPT_CONNECTTIMEOUT_MS");
  set(CURLOPT_TIMEOUT_MS, timeout_ms(options_.total_timeout), "CURLOPT_TIMEOUT_MS");
  set(CURLOPT_HTTPHEADER, headers, "CURLOPT_HTTPHEADER");
  set(CURLOPT_USERAGENT, "gdos/" GDOS_VERSION_STRING " libcurl", "CURLOPT_USERAGENT");
  set(CURLOPT_ERRORBUFFER, static_cast<char*>(errbuf), "CURLOPT_ERRORBUFFER");
  set(CURLOPT_WRITEFUNCTION, &write_body, "CURLOPT_WRITEFUNCTION");
  set(CURLOPT_WRITEDATA, &s, "CURLOPT_WRITEDATA");
  // A Content-Length over the limit is refused before any of the body is read.
  set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_body),
      "CURLOPT_MAXFILESIZE_LARGE");
  set(CURLOPT_HEADERFUNCTION, &count_header, "CURLOPT_HEADERFUNCTION");
  set(CURLOPT_HEADERDATA, &s, "CURLOPT_HEADERDATA");
  if (get) {
    set(CURLOPT_HTTPGET, 1L, "CURLOPT_HTTPGET");
  } else {
    // The body through the read callback rather than CURLOPT_POSTFIELDS: one copy of the
    // password in libcurl instead of two (see the header).
    set(CURLOPT_POST, 1L, "CURLOPT_POST");
    set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()),
        "CURLOPT_POSTFIELDSIZE_LARGE");
    set(CURLOPT_READFUNCTION, &read_body, "CURLOPT_READFUNCTION");
    set(CURLOPT_READDATA, &body, "CURLOPT_READDATA");
    set(CURLOPT_SEEKFUNCTION, &seek_body, "CURLOPT_SEEKFUNCTION");
    set(CURLOPT_SEEKDATA, &body, "CURLOPT_SEEKDATA");
    if (req.method != "POST") set(CURLOPT_CUSTOMREQUEST, method.c_str(), "CURLOPT_CUSTOMREQUEST");
  }

  const CURLcode rc = refused == nullptr ? curl_easy_perform(h) : CURLE_FAILED_INIT;
  // The handle outlives this call: it must not keep pointers to what dies with it.
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  curl_slist_free_all(headers);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, nullptr);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, nullptr);
  curl_easy_setopt(h, CURLOPT_READDATA, nullptr);
  curl_easy_setopt(h, CURLOPT_SEEKDATA, nullptr);

  if (refused != nullptr)
    return http_response::transport_failure(transport_errc::other,
                                            std::string("libcurl refused ") + refused);
  if (rc != CURLE_OK) {
    if (s.overflow)
      return http_response::transport_failure(
          transport_errc::too_large,
          s.header_bytes > curl_max_headers
              ? "reply headers larger than " + std::to_string(curl_max_headers) + " bytes"
              : "reply larger than " + std::to_string(options_.max_body) + " bytes");
    std::string detail = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc);
    return http_response::transport_failure(
        map_curl_error(rc), "curl: (" + std::to_string(static_cast<int>(rc)) + ") " + detail);
  }

  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  out.status = static_cast<int>(status);
  char* ct = nullptr;
  if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct != nullptr)
    out.content_type = ct;
  return out;
}

}  // namespace gdos_examples
