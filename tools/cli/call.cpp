#include "call.hpp"

#include "curl_transport.hpp"
#include "exit_codes.hpp"
#include "output.hpp"

#include <fmt/core.h>

#include <cctype>
#include <chrono>
#include <string>
#include <vector>

namespace gdos_cli {

struct caller::impl {
  call_settings settings;
  gdos_examples::curl_transport curl;
};

caller::caller(const call_settings& s)
    : impl_(std::make_unique<impl>(impl{
          s, gdos_examples::curl_transport({.ca_file = s.ca_file,
                                            .connect_timeout = std::min<std::chrono::milliseconds>(
                                                std::chrono::seconds(10), s.timeout),
                                            .total_timeout = s.timeout,
                                            .max_body = static_cast<std::size_t>(s.max_body_size),
                                            .proxy = s.proxy})})) {}

caller::~caller() = default;

gdos::result<gdos::reply, gdos::call_error> caller::operator()(const gdos::request& req) {
  return gdos::get_detailed_order_status(
      impl_->curl, req,
      {.url = impl_->settings.endpoint,
       .parse = {.max_body_size = static_cast<std::size_t>(impl_->settings.max_body_size)},
       .allow_plain_http = impl_->settings.allow_plain_http});
}

std::optional<gdos::call_error> insecure_endpoint(const call_settings& s) {
  // The library refuses the same URLs when called (call_errc::insecure_url); asking here first
  // spares the user a password prompt for a call that would not be made.
  const std::string_view url = s.endpoint;
  const auto scheme_is = [url](std::string_view scheme) {
    if (url.size() <= scheme.size() || url[scheme.size()] != ':') return false;
    for (std::size_t i = 0; i < scheme.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(url[i])) != scheme[i]) return false;
    return true;
  };
  if (scheme_is("https") || (scheme_is("http") && s.allow_plain_http)) return std::nullopt;
  gdos::call_error e;
  e.code = gdos::call_errc::insecure_url;
  return e;
}

int query(const gdos::request& req, const call_settings& s, gdos::call_error* seen) {
  caller call(s);
  const auto r = call(req);
  if (!r) {
    if (seen != nullptr) *seen = r.error();
    return report(r.error(), s.json);
  }
  std::vector<std::string> warnings;
  if (auto w = missing_order_warning(r->get(), req.order_number)) warnings.push_back(*w);
  print_response(r->get(), s.json, warnings);
  return exit_ok;
}

}  // namespace gdos_cli
