/// @file options.hpp
/// @brief The options `encode`, `query` (and the subcommands built like them) share: what to ask
/// for, and where and how to call.
#pragma once

#include <gdos/gdos.hpp>

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gdos_cli {

/// What the request asks for. Every member has an initializer so designated initializers may
/// leave any out (g++ warns about the others with -Wextra).
struct request_options {
  std::string login_name{};
  std::optional<std::int64_t> order{};
  std::optional<std::int64_t> certificate_id{};
  int query_type = 1;
  std::string show_validity_period{};  // "", "Y" or "N"
  std::string response_format = "1";   // "0", "1" or "omit"
};

/// Declares --order, --certificate-id, --login-name, --query-type, --show-validity-period.
void add_request_options(CLI::App& cmd, request_options& o);

/// The request for these options; the views point into `o`, `name` and `password`.
gdos::request make_request(const request_options& o, std::string_view name,
                           std::string_view password);

/// --login-name, else GDOS_LOGIN_NAME.
std::string login_name_of(const request_options& o);

/// Where and how to call.
struct call_settings {
  std::string endpoint{gdos::comodo_url};
  std::string ca_file;
  long timeout_seconds = 60;
  bool json = false;
  bool allow_plain_http = false;  // only `gdos demo`'s -1 step, against the mock it started
};

/// Declares --endpoint, --ca-file, --timeout, --json.
void add_call_options(CLI::App& cmd, call_settings& s);

}  // namespace gdos_cli
