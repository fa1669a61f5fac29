#include "httplib_transport.hpp"

#include <httplib.h>

#include <string_view>

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

// httplib::Client throws std::invalid_argument for a scheme it does not know, so the URL is
// split and checked here first: scheme://authority and the path (with any query).
struct split_url {
  std::string origin;
  std::string path;
  bool ok = false;
};

split_url split(std::string_view url) {
  split_url out;
  std::size_t scheme_end = 0;
  if (url.starts_with("https://")) {
    scheme_end = 8;
  } else if (url.starts_with("http://")) {
    scheme_end = 7;
  } else {
    return out;
  }
  const std::size_t path_start = url.find_first_of("/?#", scheme_end);
  const std::string_view authority = url.substr(scheme_end, path_start - scheme_end);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return out;
  // httplib::Client converts the port with std::stoi, which throws on overflow: check it here.
  const std::size_t host_end = authority.front() == '[' ? authority.find(']') : authority.find(':');
  if (host_end == std::string_view::npos ? authority.front() == '[' : host_end == 0) return out;
  std::string_view rest =
      host_end == std::string_view::npos ? std::string_view() : authority.substr(host_end);
  if (authority.front() == '[') rest.remove_prefix(1);  // the ']'
  if (!rest.empty()) {
    if (rest.front() != ':') return out;
    const std::string_view port = rest.substr(1);
    if (port.empty() || port.size() > 5) return out;
    unsigned value = 0;
    for (char c : port) {
      if (c < '0' || c > '9') return out;
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value == 0 || value > 65535) return out;
  }
  out.origin = std::string(url.substr(0, path_start));
  out.path = path_start == std::string_view::npos ? "/" : std::string(url.substr(path_start));
  if (out.path.front() != '/') out.path.insert(0, 1, '/');
  out.ok = true;
  return out;
}

}  // namespace

gdos::http_response httplib_transport::operator()(const gdos::http_request& req) const {
  using gdos::http_response;
  using gdos::transport_errc;
  const split_url url = split(req.url);
  if (!url.ok)
    return http_response::transport_failure(transport_errc::invalid_url,
                                            "not an http:// or https:// URL");

  httplib::Client cli(url.origin);
  if (!cli.is_valid())
    return http_response::transport_failure(transport_errc::tls_handshake,
                                            "cpp-httplib could not set up the client");
  cli.enable_server_certificate_verification(true);
  if (!options_.ca_file.empty()) cli.set_ca_cert_path(options_.ca_file);
  cli.set_connection_timeout(options_.connect_timeout);
  cli.set_read_timeout(options_.io_timeout);
  cli.set_write_timeout(options_.io_timeout);
  cli.set_follow_location(false);  // a redirected POST would resend the password elsewhere
  const httplib::Headers headers = {{"User-Agent", "gdos/" GDOS_VERSION_STRING " cpp-httplib"}};

  httplib::Result res = [&] {
    if (req.method == "GET") {
      std::string target = url.path;
      if (!req.body.empty()) {
        target += target.find('?') == std::string::npos ? '?' : '&';
        target += req.body;
      }
      return cli.Get(target, headers);
    }
    return cli.Post(url.path, headers, req.body.data(), req.body.size(),
                    std::string(req.content_type));
  }();

  if (!res) {
    std::string detail = "cpp-httplib: " + httplib::to_string(res.error());
    if (res.error() == httplib::Error::SSLServerVerification) {
      const long v = cli.get_openssl_verify_result();
      detail += ": ";
      detail += X509_verify_cert_error_string(v);
    }
    return http_response::transport_failure(map_httplib_error(res.error()), std::move(detail));
  }
  http_response out;
  out.status = res->status;
  out.content_type = res->get_header_value("Content-Type");
  out.body = std::move(res->body);
  return out;
}

}  // namespace gdos_examples
