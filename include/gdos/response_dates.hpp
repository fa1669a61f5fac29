/// @file response_dates.hpp
/// @brief Layer 3, dates: `orderDateTime` (`2025-06-11 11:57`) as a point on the local time line.
///
/// Kept apart from the model so that a unit that only parses replies (gdos/parse_response.hpp)
/// does not compile `<chrono>` (about 0.07 s with g++ 12: bench/README.md, Compile time).
/// gdos/response.hpp includes this header, and with it basic_order::local_time().
#pragma once

#include <gdos/config.hpp>
#include <gdos/form.hpp>
#include <gdos/response_model.hpp>

#include <chrono>
#include <optional>
#include <string_view>

namespace gdos {

/// Parses `YYYY-MM-DD HH:MM` or `YYYY-MM-DD HH:MM:SS` (decoded text, as in orderDateTime).
/// The API gives no time zone, so none is invented: the result is a `local_seconds`, a time of
/// day on a calendar date. Returns nullopt for any other shape or an impossible date or time.
[[nodiscard]] constexpr std::optional<std::chrono::local_seconds> parse_date_time(
    std::string_view text) noexcept;

/// parse_date_time() of the decoded text of `text` (`2025-06-11+11%3A57` as sent).
[[nodiscard]] constexpr std::optional<std::chrono::local_seconds> parse_date_time(
    const form::encoded_view& text) noexcept;

}  // namespace gdos

#include <gdos/impl/response_dates.hpp>
