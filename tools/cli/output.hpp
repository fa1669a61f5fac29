/// @file output.hpp
/// @brief How `gdos` prints a reply: the table for people and the JSON document for scripts.
#pragma once

#include <gdos/gdos.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace gdos_cli {

/// Text from a server, made safe for a terminal: invalid UTF-8 becomes U+FFFD and control bytes
/// `?`, so a reply cannot move the cursor or change the terminal's state.
std::string clean(std::string_view decoded);

/// clean() of a decoded optional field; empty when absent.
std::string text(const std::optional<gdos::form::encoded_view>& v);

/// The table `decode` and `query` print.
std::string table(const gdos::response& r);

/// Prints the reply on stdout, as the table or as one JSON document.
void print_response(const gdos::response& r, bool as_json);

}  // namespace gdos_cli
