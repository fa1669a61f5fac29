/// @file call.hpp
/// @brief The one code path that calls the endpoint (libcurl, examples/curl_transport): `query`,
/// `demo` and `watch` share it.
#pragma once

#include "options.hpp"

#include <gdos/gdos.hpp>

#include <memory>
#include <optional>
#include <string>

namespace gdos_cli {

/// Calls the endpoint described by call_settings; one libcurl handle, kept alive across calls
/// (watch polls through one caller).
class caller {
 public:
  explicit caller(const call_settings& s);
  ~caller();
  caller(const caller&) = delete;
  caller& operator=(const caller&) = delete;

  /// One call; prints nothing.
  [[nodiscard]] gdos::result<gdos::reply, gdos::call_error> operator()(const gdos::request& req);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// The error the call would end with because the endpoint is not https (and --allow-plain-http
/// was not given): call_errc::insecure_url, else nullopt.
std::optional<gdos::call_error> insecure_endpoint(const call_settings& s);

/// Performs the call and prints the reply (stdout; a warning on stderr when the reply lacks the
/// order asked for) or reports the error (output.hpp). Returns the exit status and, through
/// `seen`, the error if there was one.
int query(const gdos::request& req, const call_settings& s, gdos::call_error* seen = nullptr);

}  // namespace gdos_cli
