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

// `gdos watch` (usage errors are exit_usage there too). When several apply, the first listed
// here wins: fatal, interrupted, error, deadline, failed.

/// watch: every order reached a final status that is a success (Issued, Valid, or --until).
inline constexpr int exit_watch_succeeded = 0;
/// watch: every order reached a final status, and some of them a failure (Rejected, Revoked,
/// Expired, Cancelled, or --until-failed).
inline constexpr int exit_watch_failed = 4;
/// watch: the deadline passed while some order was not final.
inline constexpr int exit_watch_deadline = 5;
/// watch: some order could not be followed (a permanent error such as -4, or its retries used
/// up); the others were followed to the end.
inline constexpr int exit_watch_error = 6;
/// watch: the server refused the account (-16, permission denied): every order stopped at once.
inline constexpr int exit_watch_fatal = 7;
/// watch: interrupted by SIGINT (Ctrl-C) or SIGTERM, after printing the summary so far
/// (128 + the signal's number, as shells report it).
inline constexpr int exit_watch_sigint = 128 + 2;
inline constexpr int exit_watch_sigterm = 128 + 15;

}  // namespace gdos_cli
