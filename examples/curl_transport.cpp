#include "curl_transport.hpp"

#include <curl/curl.h>

#include <string_view>
#include <utility>

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

struct sink {
  std::string* body;
  std::size_t max;
  bool overflow = false;
};

std::size_t write_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* s = static_cast<sink*>(user);
  const std::size_t bytes = size * n;
  if (s->body->size() + bytes > s->max) {
    s->overflow = true;
    return 0;  // anything short of `bytes` makes curl stop with CURLE_WRITE_ERROR
  }
  s->body->append(data, bytes);
  return bytes;
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
  static const CURLcode global = curl_global_init(CURL_GLOBAL_DEFAULT);
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
  sink s{&out.body, options_.max_body};
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

  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(h, CURLOPT_PROTOCOLS, long{CURLPROTO_HTTP | CURLPROTO_HTTPS});
#endif
  // A redirected POST would resend the password to wherever the redirect points.
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "gdos/" GDOS_VERSION_STRING " libcurl");
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &write_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
  if (get) {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else {
    // POSTFIELDS points at the caller's body instead of copying it: the password is not left
    // behind in a buffer libcurl frees without clearing.
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    // The size is given just below, so the body needs no terminating NUL.
    curl_easy_setopt(h, CURLOPT_POSTFIELDS,
                     req.body.data());  // NOLINT(bugprone-suspicious-stringview-data-usage)
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    if (req.method != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  }

  const CURLcode rc = curl_easy_perform(h);
  // The handle outlives this call: it must not keep pointers to what dies with it.
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  curl_slist_free_all(headers);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, nullptr);
  if (!get) curl_easy_setopt(h, CURLOPT_POSTFIELDS, nullptr);

  if (rc != CURLE_OK) {
    if (s.overflow)
      return http_response::transport_failure(
          transport_errc::too_large,
          "reply larger than " + std::to_string(options_.max_body) + " bytes");
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
