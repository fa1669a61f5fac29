/// @file impl/response_dates.hpp
/// @brief The bodies of gdos/response_dates.hpp, and basic_order::local_time(). Included at the
/// end of that header.
#pragma once

#include <gdos/detail/decimal.hpp>
#include <gdos/response_dates.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string_view>

namespace gdos {

constexpr std::optional<std::chrono::local_seconds> parse_date_time(
    std::string_view text) noexcept {
  if (text.size() != 16 && text.size() != 19) return std::nullopt;
  // Each part is a fixed number of digits at a fixed place.
  const auto num = [&text](std::size_t pos, std::size_t len, int& out) {
    const detail::digits_read d = detail::read_digits(text.substr(pos, len));
    out = static_cast<int>(d.value);
    return d.ok();
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!num(0, 4, y) || text[4] != '-' || !num(5, 2, mo) || text[7] != '-' || !num(8, 2, d) ||
      text[10] != ' ' || !num(11, 2, h) || text[13] != ':' || !num(14, 2, mi))
    return std::nullopt;
  if (text.size() == 19 && (text[16] != ':' || !num(17, 2, s))) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y},
                                        std::chrono::month{static_cast<unsigned>(mo)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
  return std::chrono::local_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} +
         std::chrono::seconds{s};
}

constexpr std::optional<std::chrono::local_seconds> parse_date_time(
    const form::encoded_view& text) noexcept {
  std::array<char, 19> buf{};
  const auto r = text.decode_to(buf);
  if (!r) return std::nullopt;
  return parse_date_time(std::string_view(buf.data(), r.size));
}

template <class S>
template <class Lazy>
constexpr auto basic_order<S>::local_time() const noexcept {
  if (!date_time) return std::optional<std::chrono::local_seconds>{};
  return parse_date_time(*date_time);
}

}  // namespace gdos
