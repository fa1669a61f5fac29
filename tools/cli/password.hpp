/// @file password.hpp
/// @brief Where `gdos` gets the login password: never the command line, never printed.
#pragma once

#include <optional>
#include <string>

namespace gdos_cli {

/// The variable's value, or empty when it is unset.
std::string env(const char* name);

/// The password from GDOS_LOGIN_PASSWORD, else typed on the terminal without echo. On failure
/// returns nullopt and sets `error` to a sentence for the user.
std::optional<std::string> read_password(std::string& error);

}  // namespace gdos_cli
