#include "options.hpp"

#include "password.hpp"

namespace gdos_cli {

void add_request_options(CLI::App& cmd, request_options& o) {
  // Both may be given: the request then carries both, and the server answers for the order
  // only when the certificate is one of its own.
  cmd.add_option("--order", o.order, "orderNumber to query");
  cmd.add_option("--certificate-id", o.certificate_id,
                 "certificateID to query (with --order: both are sent, and must match)");
  cmd.add_option("--login-name", o.login_name,
                 "loginName (default: $GDOS_LOGIN_NAME; the password is read from "
                 "$GDOS_LOGIN_PASSWORD or asked for, never taken from the command line)");
  cmd.add_option("--query-type", o.query_type,
                 "0 status only, 1 + certificate details, 2 + replacement orders")
      ->check(CLI::IsMember({0, 1, 2}))
      ->capture_default_str();
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
  if (o.response_format == "0") r.response_format = gdos::response_format::newline_delimited;
  if (o.response_format == "omit") r.response_format = gdos::response_format::omitted;
  return r;
}

std::string login_name_of(const request_options& o) {
  return o.login_name.empty() ? env("GDOS_LOGIN_NAME") : o.login_name;
}

void add_call_options(CLI::App& cmd, call_settings& s) {
  cmd.add_option("--endpoint", s.endpoint, "Endpoint URL")->capture_default_str();
  cmd.add_option("--ca-file", s.ca_file,
                 "Trust this CA file (PEM) instead of the system's authorities");
  cmd.add_option("--timeout", s.timeout_seconds, "Seconds allowed for the call")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd.add_flag("--json", s.json, "JSON instead of a table");
}

}  // namespace gdos_cli
