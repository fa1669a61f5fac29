/// @file call.hpp
/// @brief The one code path that calls the endpoint (libcurl, examples/curl_transport): `query`,
/// `demo` and the subcommands built like them share it.
#pragma once

#include "options.hpp"

#include <gdos/gdos.hpp>

namespace gdos_cli {

/// Exit status for a failed call (exit_codes.hpp).
int exit_status_of(const gdos::call_error& e);

/// Performs the call and prints the reply (stdout) or the typed error (stderr). Returns the exit
/// status and, through `seen`, the error if there was one.
int query(const gdos::request& req, const call_settings& s, gdos::call_error* seen = nullptr);

}  // namespace gdos_cli
