/// @file watch.hpp
/// @brief `gdos watch`: follow orders until they are final (watch.cpp says how it schedules).
/// `gdos demo` runs it too.
#pragma once

#include "options.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gdos_cli {

/// Most orders one run follows (given, read from --orders-file, and replacement orders found).
inline constexpr std::size_t max_watched_orders = 256;
/// Largest --orders-file, in bytes.
inline constexpr std::size_t max_orders_file = 64 * 1024;

/// The settings of a watch; the defaults are `gdos watch`'s.
struct watch_options {
  /// Login name, --query-type (2 here: replacement orders are followed), --show-validity-period.
  request_options request{.query_type = 2};
  /// Endpoint, CA, proxy, timeout (30 s here), body limit (1 MiB here: a reply is kept per
  /// order), --json, password sources.
  call_settings call{.timeout = std::chrono::seconds(30), .max_body_size = 1 << 20};
  std::vector<std::int64_t> orders;                    ///< --order
  std::string orders_file;                             ///< --orders-file
  std::chrono::milliseconds interval{300'000};         ///< --interval (5 min)
  std::chrono::microseconds spacing{1'000'000};        ///< 1 / --max-rate (1 request per second)
  std::vector<std::string> until;                      ///< --until
  std::vector<std::string> until_failed;               ///< --until-failed
  std::optional<std::chrono::milliseconds> deadline;   ///< --deadline (none by default)
  std::int64_t max_retries = 5;                        ///< --max-retries
  std::chrono::milliseconds retry_delay{2000};         ///< --retry-delay
  std::chrono::milliseconds retry_max_delay{300'000};  ///< --retry-max-delay
  std::optional<std::int64_t> seed;                    ///< --seed (random by default)
};

/// Follows `orders` (at most max_watched_orders) with `o`'s settings, printing changes and a
/// summary; blocks SIGINT and SIGTERM for the rest of the process and handles them (they end
/// the watch). Returns the exit status (exit_codes.hpp, exit_watch_*); may end the process
/// itself (std::_Exit with that status) when a call was still running at a signal or the
/// deadline.
int watch_orders(const watch_options& o, std::string login_name, std::string password,
                 std::vector<std::int64_t> orders);

}  // namespace gdos_cli
