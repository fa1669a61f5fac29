/// @file password.hpp
/// @brief Where `gdos` gets the login password: never the command line, never printed.
///
/// Sources, first that applies:
/// 1. `--password-file PATH`: the first line of a regular file that only its owner (you) can
///    read or write, as ssh requires of private keys; a symlink as PATH is refused (opened with
///    O_NOFOLLOW, checked on the open descriptor, so it cannot be swapped in between);
/// 2. `--password-stdin`: the first line of standard input (as `docker login`);
/// 3. `GDOS_LOGIN_PASSWORD`: read once, then wiped from the process's environment block and
///    unset, so that neither /proc/PID/environ nor a child process sees it;
/// 4. a prompt on the terminal (/dev/tty) with echo off.
/// Files and stdin are read up to max_password_input bytes: one line, a trailing "\n" or "\r\n"
/// removed, nothing after it. Before any of these is read, core dumps are turned off
/// (PR_SET_DUMPABLE 0, RLIMIT_CORE 0), so a crash cannot write the password to disk.
#pragma once

#include <CLI/CLI.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace gdos_cli {

/// The options that choose the password source.
struct password_options {
  std::string file;         ///< --password-file
  bool from_stdin = false;  ///< --password-stdin
};

/// Most bytes read from a password file or standard input: the API allows 128 characters.
inline constexpr std::size_t max_password_input = 1024;

/// Declares --password-file and --password-stdin (mutually exclusive).
void add_password_options(CLI::App& cmd, password_options& o);

/// The variable's value, or empty when it is unset.
std::string env(const char* name);

/// Turns core dumps off for the rest of the process (see the file comment).
void protect_secrets_in_memory() noexcept;

/// The password from the first source that applies (see the file comment). On failure returns
/// nullopt and sets `error` to a sentence for the user.
std::optional<std::string> read_password(const password_options& o, std::string& error);

/// Wipes GDOS_LOGIN_PASSWORD's value in the environment block and unsets it (for callers that
/// do not need the password at all).
void drop_password_variable() noexcept;

}  // namespace gdos_cli
