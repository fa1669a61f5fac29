/// @file exit_codes.hpp
/// @brief Every exit status of `gdos`, in one place (README.md and tools/README.md list the same).
#pragma once

namespace gdos_cli {

/// Success: the reply (or the encoded body) was printed.
inline constexpr int exit_ok = 0;
/// The server answered with an errorCode other than 0 (the reply is well-formed).
inline constexpr int exit_api_error = 1;
/// Usage error, invalid request, no password, unreadable input.
inline constexpr int exit_usage = 2;
/// No usable reply: transport failure, HTTP status, content type, malformed body.
inline constexpr int exit_no_reply = 3;

}  // namespace gdos_cli
