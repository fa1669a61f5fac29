#include "options.hpp"

#include "numbers.hpp"
#include "password.hpp"

#include <string_view>

namespace gdos_cli {

void add_request_options(CLI::App& cmd, request_options& o, bool with_order) {
  if (with_order) {
    // Both may be given: the request then carries both, and the server answers for the order
    // only when the certificate is one of its own.
    add_integer(cmd, "--order", o.order, 1, INT64_MAX, "orderNumber to query (decimal)");
    add_integer(cmd, "--certificate-id", o.certificate_id, 1, gdos::max_certificate_id,
                "certificateID to query (decimal, at most 16 digits; with --order: both are sent, "
                "and must match)");
  }
  cmd.add_option("--login-name", o.login_name,
                 "loginName (default: $GDOS_LOGIN_NAME; the password is never taken from the "
                 "command line: see --password-file, --password-stdin, $GDOS_LOGIN_PASSWORD, or "
                 "the prompt)");
  add_integer(cmd, "--query-type", o.query_type, 0, 2,
              "0 status only, 1 + certificate details, 2 + replacement orders");
  cmd.add_option("--show-validity-period", o.show_validity_period, "Y or N (default: not sent)")
      ->check(CLI::IsMember({"Y", "N"}));
}

gdos::request make_request(const request_options& o, std::string_view name,
                           std::string_view password) {
  gdos::request r;
  r.login_name = name;
  r.login_password = password;
  r.order_number = o.order;
  r.certificate_id = o.certificate_id;
  r.query_type = static_cast<gdos::query_type>(o.query_type);
  if (o.show_validity_period == "Y") r.show_validity_period = gdos::yes_no::yes;
  if (o.show_validity_period == "N") r.show_validity_period = gdos::yes_no::no;
  if (o.response_format == "2") r.response_format = gdos::response_format::json;
  if (o.response_format == "omit") r.response_format = gdos::response_format::omitted;
  return r;
}

std::string login_name_of(const request_options& o) {
  return o.login_name.empty() ? env("GDOS_LOGIN_NAME") : o.login_name;
}

void add_call_options(CLI::App& cmd, call_settings& s) {
  cmd.add_option("--endpoint", s.endpoint, "Endpoint URL (https; see --allow-plain-http)")
      ->envname("GDOS_ENDPOINT")
      ->capture_default_str();
  cmd.add_option("--ca-file", s.ca_file,
                 "Trust this CA file (PEM) instead of the system's authorities")
      ->envname("GDOS_CA_FILE");
  cmd.add_option("--proxy", s.proxy,
                 "HTTP proxy URL (http://host:port); https is tunnelled with CONNECT. Default: "
                 "libcurl's, which honours https_proxy / no_proxy (see README)");
  add_duration(cmd, "--timeout", s.timeout, std::chrono::milliseconds(100), std::chrono::hours(1),
               "Time allowed for one call");
  add_integer(cmd, "--max-body-size", s.max_body_size, 1, std::int64_t{1} << 30,
              "Largest reply accepted, in bytes");
  cmd.add_flag("--allow-plain-http", s.allow_plain_http,
               "Accept an http:// endpoint (the password then crosses the network readable)");
  cmd.add_flag("--json", s.json,
               "JSON instead of text (watch: JSON Lines); see docs/gdos-cli.schema.json");
  add_password_options(cmd, s.password);
}

bool wants_json(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--") return false;
    if (a == "--json") return true;
  }
  return false;
}

}  // namespace gdos_cli
