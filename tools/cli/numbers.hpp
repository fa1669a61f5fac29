/// @file numbers.hpp
/// @brief Numeric options, read one way everywhere: decimal digits only.
///
/// A zero-padded id from a spreadsheet (`--order 01234567`) is the decimal 1234567, never octal;
/// `0x10`, a plus sign, spaces, fractions and exponents are refused, and so is a minus sign
/// unless the option's range goes below zero (`gdos mock --http-port -1`); a value outside the
/// option's range (or one that does not fit 64 bits) is a usage error (exit 2) naming the
/// option and the range, never wrapped, saturated or silently replaced.
///
/// One implementation for both programs: `gdos` and `gdos mock` / `gdos-mock` (whose options
/// tools/gdos_mock/run.cpp declares with add_integer()) link the same library,
/// gdos_tool_numbers. Durations are a decimal count with an
/// optional unit: `500ms`, `30s` (the default unit), `5m`, `2h`, `1d`.
#pragma once

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gdos_cli {

/// The decimal digits in `text` as a number: nullopt when `text` is empty, holds anything but
/// ASCII digits, or is larger than UINT64_MAX. Leading zeros are allowed and mean nothing.
[[nodiscard]] std::optional<std::uint64_t> parse_decimal(std::string_view text) noexcept;

/// A duration as described in the file comment, in milliseconds; nullopt when malformed or
/// larger than INT64_MAX milliseconds.
[[nodiscard]] std::optional<std::chrono::milliseconds> parse_duration(
    std::string_view text) noexcept;

/// `d` the way parse_duration() reads it back, in the largest unit that divides it ("5m").
[[nodiscard]] std::string format_duration(std::chrono::milliseconds d);

/// At most the first 40 bytes of a value the user gave, control bytes as `?`, for a message.
[[nodiscard]] std::string quote_input(std::string_view text);

/// Declares `name` as a decimal integer option in [min, max] stored in `target`.
CLI::Option* add_integer(CLI::App& cmd, const std::string& name, std::int64_t& target,
                         std::int64_t min, std::int64_t max, const std::string& description);
/// As above, for an option that may be left out (`target` stays nullopt).
CLI::Option* add_integer(CLI::App& cmd, const std::string& name,
                         std::optional<std::int64_t>& target, std::int64_t min, std::int64_t max,
                         const std::string& description);
/// Declares `name` as a repeatable decimal integer option in [min, max], each value appended to
/// `target` (`--order 1 --order 2`).
CLI::Option* add_integer_list(CLI::App& cmd, const std::string& name,
                              std::vector<std::int64_t>& target, std::int64_t min, std::int64_t max,
                              const std::string& description);
/// A rate in requests per second: decimal digits with an optional fraction of at most six
/// digits (`0.5`, `2`, `10`), returned as the least spacing between two requests in
/// microseconds (rounded up); nullopt when malformed or zero.
[[nodiscard]] std::optional<std::chrono::microseconds> parse_rate(std::string_view text) noexcept;
/// Declares `name` as a rate option (parse_rate()) from 0.001 to 1000 per second; `target`
/// receives the spacing.
CLI::Option* add_rate(CLI::App& cmd, const std::string& name, std::chrono::microseconds& target,
                      const std::string& description);
/// Checks one decimal integer in [min, max] as the options do (a leading `-` only when `min` is
/// negative); throws CLI::ValidationError naming `what` otherwise. For values read from files
/// too.
std::int64_t checked_integer(const std::string& what, const std::string& text, std::int64_t min,
                             std::int64_t max);

/// Declares `name` as a duration option (see the file comment) in [min, max].
CLI::Option* add_duration(CLI::App& cmd, const std::string& name,
                          std::optional<std::chrono::milliseconds>& target,
                          std::chrono::milliseconds min, std::chrono::milliseconds max,
                          const std::string& description);
/// As above, for an option with a default (`target`'s value).
CLI::Option* add_duration(CLI::App& cmd, const std::string& name, std::chrono::milliseconds& target,
                          std::chrono::milliseconds min, std::chrono::milliseconds max,
                          const std::string& description);

}  // namespace gdos_cli
