/// @file options.hpp
/// @brief The options `encode`, `query` and `watch` share: what to ask for, and where and how
/// to call. Numbers are read by numbers.hpp (decimal only, real ranges).
#pragma once

#include "password.hpp"

#include <gdos/gdos.hpp>

#include <CLI/CLI.hpp>

#include <chrono>
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
  std::int64_t query_type = 1;
  std::string show_validity_period{};  // "", "Y" or "N"
  std::string response_format = "1";   // "1", "2" or "omit"
};

/// Declares --order, --certificate-id, --login-name, --query-type, --show-validity-period
/// (`with_order` false: all but --order and --certificate-id, for `watch`).
void add_request_options(CLI::App& cmd, request_options& o, bool with_order = true);

/// The request for these options; the views point into `o`, `name` and `password`.
gdos::request make_request(const request_options& o, std::string_view name,
                           std::string_view password);

/// --login-name, else GDOS_LOGIN_NAME.
std::string login_name_of(const request_options& o);

/// The message when there is no login name.
inline constexpr std::string_view no_login_name =
    "no login name: use --login-name or set GDOS_LOGIN_NAME";

/// Where and how to call.
struct call_settings {
  std::string endpoint{gdos::comodo_url};  ///< --endpoint, else $GDOS_ENDPOINT
  std::string ca_file{};                   ///< --ca-file, else $GDOS_CA_FILE
  std::string proxy{};                     ///< --proxy (empty: libcurl's default behaviour)
  std::chrono::milliseconds timeout{60'000};
  /// --max-body-size: the largest reply read and parsed (the library's default, 4 MiB).
  std::int64_t max_body_size = static_cast<std::int64_t>(gdos::parse_options{}.max_body_size);
  bool allow_plain_http = false;
  bool json = false;
  password_options password{};
};

/// Declares --endpoint, --ca-file, --proxy, --timeout, --max-body-size, --allow-plain-http,
/// --json and the password sources (defaults: the values `s` holds).
void add_call_options(CLI::App& cmd, call_settings& s);

/// True when `argv` holds a `--json` flag before any `--`: what `gdos` looks at to answer a
/// usage error in JSON too, since CLI11 could not finish parsing the flags.
bool wants_json(int argc, char** argv);

}  // namespace gdos_cli
