#include "numbers.hpp"

#include <fmt/core.h>

#include <limits>

namespace gdos_cli {

std::optional<std::uint64_t> parse_decimal(std::string_view text) noexcept {
  if (text.empty()) return std::nullopt;
  std::uint64_t v = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (std::numeric_limits<std::uint64_t>::max() - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

namespace {

struct unit {
  std::string_view suffix;
  std::uint64_t ms;
};

// Longest suffix first, so that "ms" is not read as "m" followed by garbage.
constexpr unit units[] = {
    {"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}};

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) noexcept {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  const std::string_view suffix = text.substr(digits);
  std::uint64_t scale = 1000;  // no unit: seconds
  if (!suffix.empty()) {
    scale = 0;
    for (const unit& u : units)
      if (suffix == u.suffix) scale = u.ms;
    if (scale == 0) return std::nullopt;
  }
  const auto n = parse_decimal(text.substr(0, digits));
  constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (!n || *n > max / scale) return std::nullopt;
  return std::chrono::milliseconds(static_cast<std::int64_t>(*n * scale));
}

std::string format_duration(std::chrono::milliseconds d) {
  const auto ms = static_cast<std::uint64_t>(d.count() < 0 ? 0 : d.count());
  for (auto it = std::rbegin(units); it != std::rend(units); ++it)
    if (ms != 0 && ms % it->ms == 0) return fmt::format("{}{}", ms / it->ms, it->suffix);
  return "0s";
}

std::string quote_input(std::string_view text) {
  constexpr std::size_t max = 40;
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    out.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
  }
  if (text.size() > max) out += "...";
  out += "'";
  return out;
}

std::int64_t checked_integer(const std::string& name, const std::string& text, std::int64_t min,
                             std::int64_t max) {
  // A minus sign only where the range goes below zero (gdos mock's --http-port -1): elsewhere
  // "-5" stays "not a decimal integer" rather than "out of range".
  const bool negative = min < 0 && text.size() > 1 && text[0] == '-';
  const std::string_view digits = std::string_view(text).substr(negative ? 1 : 0);
  const auto v = parse_decimal(digits);
  const auto range = fmt::format("a decimal integer from {} to {}", min, max);
  if (!v) {
    const bool digits_only =
        !digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos;
    throw CLI::ValidationError(
        name, fmt::format("{} is {}; expected {}", quote_input(text),
                          digits_only ? "too large" : "not a decimal integer", range));
  }
  const auto out_of_range = [&] {
    return CLI::ValidationError(
        name, fmt::format("{} is out of range; expected {}", quote_input(text), range));
  };
  if (negative) {
    // -min as an unsigned magnitude, without overflowing for INT64_MIN.
    const auto limit = static_cast<std::uint64_t>(-(min + 1)) + 1;
    if (*v > limit) throw out_of_range();
    const std::int64_t value = *v == 0 ? 0 : -static_cast<std::int64_t>(*v - 1) - 1;
    if (value > max) throw out_of_range();
    return value;
  }
  if (*v > static_cast<std::uint64_t>(max) || static_cast<std::int64_t>(*v) < min)
    throw out_of_range();
  return static_cast<std::int64_t>(*v);
}

CLI::Option* add_integer(CLI::App& cmd, const std::string& name, std::int64_t& target,
                         std::int64_t min, std::int64_t max, const std::string& description) {
  return cmd
      .add_option_function<std::string>(
          name,
          [&target, name, min, max](const std::string& s) {
            target = checked_integer(name, s, min, max);
          },
          description)
      ->type_name("N")
      ->default_str(std::to_string(target));
}

CLI::Option* add_integer(CLI::App& cmd, const std::string& name,
                         std::optional<std::int64_t>& target, std::int64_t min, std::int64_t max,
                         const std::string& description) {
  return cmd
      .add_option_function<std::string>(
          name,
          [&target, name, min, max](const std::string& s) {
            target = checked_integer(name, s, min, max);
          },
          description)
      ->type_name("N");
}

CLI::Option* add_integer_list(CLI::App& cmd, const std::string& name,
                              std::vector<std::int64_t>& target, std::int64_t min, std::int64_t max,
                              const std::string& description) {
  return cmd
      .add_option_function<std::vector<std::string>>(
          name,
          [&target, name, min, max](const std::vector<std::string>& values) {
            for (const std::string& s : values)
              target.push_back(checked_integer(name, s, min, max));
          },
          description)
      ->type_name("N")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

std::optional<std::chrono::microseconds> parse_rate(std::string_view text) noexcept {
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == text.npos ? std::string_view() : text.substr(dot + 1);
  if (dot != text.npos && (fraction.empty() || fraction.size() > 6)) return std::nullopt;
  const auto w = parse_decimal(whole);
  const auto f = fraction.empty() ? std::optional<std::uint64_t>(0) : parse_decimal(fraction);
  if (!w || !f || *w > 1'000'000) return std::nullopt;
  std::uint64_t scale = 1'000'000;
  for (std::size_t i = 0; i < fraction.size(); ++i) scale /= 10;
  const std::uint64_t micro = *w * 1'000'000 + *f * scale;  // requests per 10^6 s
  if (micro == 0) return std::nullopt;
  // One request per 10^12 / micro microseconds, rounded up so the rate is never exceeded.
  constexpr std::uint64_t tera = 1'000'000'000'000;
  return std::chrono::microseconds(static_cast<std::int64_t>((tera + micro - 1) / micro));
}

CLI::Option* add_rate(CLI::App& cmd, const std::string& name, std::chrono::microseconds& target,
                      const std::string& description) {
  return cmd
      .add_option_function<std::string>(
          name,
          [&target, name](const std::string& s) {
            const auto spacing = parse_rate(s);
            const auto range = std::string(
                "a number of requests per second from 0.001 to 1000 (decimal, e.g. 0.5)");
            if (!spacing)
              throw CLI::ValidationError(
                  name, fmt::format("{} is not a rate; expected {}", quote_input(s), range));
            if (*spacing < std::chrono::microseconds(1000) ||
                *spacing > std::chrono::microseconds(1'000'000'000))
              throw CLI::ValidationError(
                  name, fmt::format("{} is out of range; expected {}", quote_input(s), range));
            target = *spacing;
          },
          description)
      ->type_name("PER_SECOND");
}

namespace {

std::chrono::milliseconds checked_duration(const std::string& name, const std::string& s,
                                           std::chrono::milliseconds min,
                                           std::chrono::milliseconds max) {
  const auto d = parse_duration(s);
  const auto range = fmt::format(
      "a duration from {} to {} (a number with ms, s, m, h or d; s when there is no unit)",
      format_duration(min), format_duration(max));
  if (!d)
    throw CLI::ValidationError(
        name, fmt::format("{} is not a duration; expected {}", quote_input(s), range));
  if (*d < min || *d > max)
    throw CLI::ValidationError(
        name, fmt::format("{} is out of range; expected {}", quote_input(s), range));
  return *d;
}

}  // namespace

CLI::Option* add_duration(CLI::App& cmd, const std::string& name,
                          std::optional<std::chrono::milliseconds>& target,
                          std::chrono::milliseconds min, std::chrono::milliseconds max,
                          const std::string& description) {
  return cmd
      .add_option_function<std::string>(
          name,
          [&target, name, min, max](const std::string& s) {
            target = checked_duration(name, s, min, max);
          },
          description)
      ->type_name("DURATION");
}

CLI::Option* add_duration(CLI::App& cmd, const std::string& name, std::chrono::milliseconds& target,
                          std::chrono::milliseconds min, std::chrono::milliseconds max,
                          const std::string& description) {
  return cmd
      .add_option_function<std::string>(
          name,
          [&target, name, min, max](const std::string& s) {
            target = checked_duration(name, s, min, max);
          },
          description)
      ->type_name("DURATION")
      ->default_str(format_duration(target));
}

}  // namespace gdos_cli
