/// @file retry.hpp
/// @brief Which failed calls are worth retrying, and how long to wait before the next attempt:
/// a retry policy as data, and pure functions over it that tests drive with a fixed seed.
///
/// A client polling GetDetailedOrderStatus meets failures of three kinds, and must tell them
/// apart to behave well towards the server and its user:
///
/// - **retry**: the same request may well succeed later: no reply at all (connect, timeout,
///   a connection that broke), an HTTP 5xx, 408 or 429, an error page or an empty body in
///   place of the reply, errorCode -14 ("An unknown error occurred!") and the call-limit code
///   api_call_limit (-42).
/// - **permanent**: the same request will fail the same way: the request is invalid (refused
///   before sending, or -2 / -3 / -4 from the server), the URL is not https (refused before
///   sending) or the server says -1 / -17, the server's certificate is not trusted, a reply
///   over the parser's limits, any other errorCode. Give up on this order, keep the others.
/// - **fatal**: nothing else will work either: -16, "Permission denied" (wrong login or
///   password, locked account, blocked source address), which holds for every order of the
///   account. Stop the whole run.
///
/// classify() sorts a gdos::call_error into these by a retry_policy whose lists say which
/// codes go where (the defaults above; a caller who meets other codes adds them). The delay
/// before the next attempt is exponential backoff with jitter: backoff_delay() is a pure
/// function of the policy, the number of failures so far and a seed, using a counter-based
/// generator (splitmix64()) instead of global random state, so a test with a fixed seed
/// gets exact delays and a client gets different delays per order and run from different
/// seeds. decide_retry() puts both together.
///
/// Everything here is `constexpr` and `noexcept`; nothing allocates.
#pragma once

#include <gdos/common.hpp>
#include <gdos/config.hpp>
#include <gdos/response.hpp>
#include <gdos/transport.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <span>
#include <string_view>

namespace gdos {

// =============================================================================================
// Verdicts and the policy
// =============================================================================================

/// What to do about a failed call.
enum class retry_verdict : std::uint8_t {
  retry,      ///< Worth trying again later (after backoff_delay()).
  permanent,  ///< The same request will fail again: give up on it, carry on with other orders.
  fatal,      ///< Nothing else will work either (-16): stop the whole run.
};

/// The identifier of `v` ("retry", "permanent", "fatal").
[[nodiscard]] constexpr std::string_view to_string(retry_verdict v) noexcept {
  switch (v) {
    case retry_verdict::retry:
      return "retry";
    case retry_verdict::permanent:
      return "permanent";
    case retry_verdict::fatal:
      return "fatal";
  }
  return "unknown";
}

/// The errorCode of the reseller API family's call limit, -42: too many calls, try later.
///
/// It is not one of GetDetailedOrderStatus' documented codes (api_code keeps it as a plain
/// integer). Sectigo's error-code tables for the same API family list -42 with a description
/// beginning "The maximum ..." (docs.sectigo.com/mcp/mark-certificates/api-unsuccessful-responses),
/// and resellers report it as the rate limit of these calls.
inline constexpr api_code api_call_limit = static_cast<api_code>(-42);

/// The errorCodes retry_policy{} retries: -14, "An unknown error occurred!" (documented for
/// this call as a server-side failure), and api_call_limit (-42).
inline constexpr std::array<api_code, 2> default_retry_codes = {api_code::unknown_error,
                                                                api_call_limit};

/// The errorCodes retry_policy{} treats as fatal for a whole run: -16, "Permission denied!"
/// (Sectigo: "Incorrect login details, account is locked, password has expired or your source
/// IP is blocked", docs.sectigo.com/mcp/mark-certificates/api-unsuccessful-responses): the same
/// credentials fail for every order.
inline constexpr std::array<api_code, 1> default_fatal_codes = {api_code::permission_denied};

/// The HTTP statuses below 500 that retry_policy{} retries: 408 Request Timeout (RFC 9110
/// section 15.5.9: the client may repeat the request) and 429 Too Many Requests (RFC 6585
/// section 4).
inline constexpr std::array<int, 2> default_retry_http_statuses = {408, 429};

/// The transport failures retry_policy{} retries: a name that did not resolve, no connection,
/// a timeout, a TLS handshake that failed, a connection that broke while sending or receiving,
/// and failures the transport could not classify. Not retried: an unusable URL, a server
/// certificate that is not trusted (retrying would not make it trusted, and would keep
/// talking to whoever holds it) and a reply over the transport's size limit.
inline constexpr std::array<transport_errc, 7> default_retry_transport_failures = {
    transport_errc::resolve,       transport_errc::connect, transport_errc::timeout,
    transport_errc::tls_handshake, transport_errc::send,    transport_errc::receive,
    transport_errc::other};

/// Which failures to retry, how often, and how long to wait: plain data with safe defaults,
/// e.g. `gdos::retry_policy{.max_retries = 3, .initial_delay = std::chrono::seconds(1)}`.
///
/// The lists are views (the defaults live for the whole program; a caller's own arrays must
/// outlive the policy). An errorCode in both retry_codes and fatal_codes is fatal.
///
/// Backoff: before attempt n + 1, after n failures in a row (n >= 1), the delay ceiling is
/// `min(max_delay, initial_delay * multiplier^(n-1))`; the delay itself is drawn uniformly in
/// `[ceiling - ceiling * jitter_percent / 100, ceiling]` (see backoff_delay()). Out-of-range
/// values are read as the nearest sensible one: a negative duration as 0, a multiplier below 1
/// as 1, a jitter over 100 as 100.
struct retry_policy {
  /// errorCodes worth retrying.
  std::span<const api_code> retry_codes{default_retry_codes};
  /// errorCodes that stop the whole run.
  std::span<const api_code> fatal_codes{default_fatal_codes};
  /// Transport failures (no HTTP reply) worth retrying.
  std::span<const transport_errc> retry_transport_failures{default_retry_transport_failures};
  /// HTTP statuses worth retrying besides 5xx.
  std::span<const int> retry_http_statuses{default_retry_http_statuses};
  /// Retry every HTTP 5xx (server error) status.
  bool retry_http_5xx = true;
  /// Most retries of one request after its first attempt (so at most max_retries + 1 calls).
  std::uint32_t max_retries = 5;
  /// The delay ceiling after the first failure.
  std::chrono::milliseconds initial_delay{2000};
  /// Growth of the ceiling from one failure to the next.
  std::uint32_t multiplier = 2;
  /// The largest delay ever returned.
  std::chrono::milliseconds max_delay{std::chrono::minutes(5)};
  /// How much of the ceiling may be taken off at random, in percent (0: no jitter, 100: "full
  /// jitter", anywhere from 0 to the ceiling). Jitter spreads the retries of clients that
  /// failed together.
  std::uint32_t jitter_percent = 50;
};

// =============================================================================================
// Classification
// =============================================================================================

namespace detail {

template <class T>
[[nodiscard]] constexpr bool listed(std::span<const T> list, T x) noexcept {
  for (const T& y : list)
    if (y == x) return true;
  return false;
}

}  // namespace detail

/// The verdict on an errorCode other than 0: fatal if in policy.fatal_codes, retry if in
/// policy.retry_codes, else permanent (-1, -2, -3, -4, -17 and codes the API does not
/// document: the same request gets the same answer). 0 is not a failure: permanent.
[[nodiscard]] constexpr retry_verdict classify(api_code code,
                                               const retry_policy& policy = {}) noexcept {
  if (code == api_code::success) return retry_verdict::permanent;
  if (detail::listed(policy.fatal_codes, code)) return retry_verdict::fatal;
  if (detail::listed(policy.retry_codes, code)) return retry_verdict::retry;
  return retry_verdict::permanent;
}

/// The verdict on a transport failure (no HTTP reply): retry if in
/// policy.retry_transport_failures, else permanent.
[[nodiscard]] constexpr retry_verdict classify(transport_errc failure,
                                               const retry_policy& policy = {}) noexcept {
  return detail::listed(policy.retry_transport_failures, failure) ? retry_verdict::retry
                                                                  : retry_verdict::permanent;
}

/// The verdict on a reply with HTTP status `status` (other than 200): retry for 5xx when
/// policy.retry_http_5xx, and for the statuses in policy.retry_http_statuses; else permanent.
[[nodiscard]] constexpr retry_verdict classify_http_status(
    int status, const retry_policy& policy = {}) noexcept {
  if (policy.retry_http_5xx && status >= 500 && status <= 599) return retry_verdict::retry;
  return detail::listed(policy.retry_http_statuses, status) ? retry_verdict::retry
                                                            : retry_verdict::permanent;
}

/// The verdict on a failed call, by the step that failed (call_error::code):
///
/// | code | verdict |
/// |---|---|
/// | insecure_url, invalid_request: refused before sending | permanent |
/// | transport | classify(e.transport) |
/// | http_status | classify_http_status(e.http_status) |
/// | empty_body, content_type | retry: a proxy's or server's error page or an empty reply in place
/// of the answer is transient trouble | | malformed_reply | the legacy format (`-16\nPermission
/// denied!`): classify(e.parse.legacy_code); an HTML page, a body that is not url-encoded or empty:
/// retry; a reply over the parser's limits or breaking its strict rules: permanent | | api_error |
/// classify(e.api) |
///
/// `ok` (no error) is permanent: there is nothing to retry; so is a code this version does
/// not know.
[[nodiscard]] constexpr retry_verdict classify(const call_error& e,
                                               const retry_policy& policy = {}) noexcept {
  switch (e.code) {
    case call_errc::transport:
      return classify(e.transport, policy);
    case call_errc::http_status:
      return classify_http_status(e.http_status, policy);
    case call_errc::empty_body:
    case call_errc::content_type:
      return retry_verdict::retry;
    case call_errc::malformed_reply:
      switch (e.parse.code) {
        case response_errc::legacy_format:
          return classify(e.parse.legacy_code, policy);
        case response_errc::html_body:
        case response_errc::not_urlencoded:
        case response_errc::empty_body:
          return retry_verdict::retry;
        default:
          return retry_verdict::permanent;
      }
    case call_errc::api_error:
      return classify(e.api, policy);
    case call_errc::ok:
    case call_errc::insecure_url:
    case call_errc::invalid_request:
    default:  // a step a later version adds is not known to be transient: not retried
      return retry_verdict::permanent;
  }
}

// =============================================================================================
// Backoff
// =============================================================================================

/// Output `n` (n >= 1) of the splitmix64 generator started at `seed` (Steele, Lea and Flood,
/// "Fast splittable pseudorandom number generators", OOPSLA 2014; the constants of
/// Vigna's public-domain splitmix64.c), computed directly from the counter: the state after n
/// steps is `seed + n * 0x9E3779B97F4A7C15`, which is then mixed. So splitmix64(s, 1),
/// splitmix64(s, 2), ... is the same stream as the stateful generator seeded with s, and any
/// element can be had without the ones before it. Not for cryptography.
[[nodiscard]] constexpr std::uint64_t splitmix64(std::uint64_t seed, std::uint64_t n) noexcept {
  std::uint64_t z = seed + n * 0x9E3779B97F4A7C15u;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

/// The delay ceiling after `failures` failures in a row: 0 for none, else
/// `min(max_delay, initial_delay * multiplier^(failures-1))`, computed without overflow.
/// Non-decreasing in `failures`, never above max_delay.
[[nodiscard]] constexpr std::chrono::milliseconds backoff_ceiling(const retry_policy& policy,
                                                                  std::uint32_t failures) noexcept {
  using ms = std::chrono::milliseconds;
  if (failures == 0) return ms(0);
  const auto nonneg = [](ms d) {
    return d.count() < 0 ? std::uint64_t{0} : static_cast<std::uint64_t>(d.count());
  };
  const std::uint64_t cap = nonneg(policy.max_delay);
  std::uint64_t d = nonneg(policy.initial_delay);
  if (d >= cap) return ms(static_cast<ms::rep>(cap));
  // A ceiling of 0 stays 0 whatever the multiplier (without this, the loop below ran `failures`
  // times: 2^32 steps for an initial delay of 0, found by fuzz_progress).
  if (d == 0) return ms(0);
  const std::uint64_t m = policy.multiplier < 1 ? 1 : policy.multiplier;
  // With m >= 2 and d >= 1 the ceiling reaches the cap within 64 steps, so the loop is short;
  // with m == 1 it never grows.
  for (std::uint32_t i = 1; m > 1 && i < failures && d < cap; ++i) d = d > cap / m ? cap : d * m;
  return ms(static_cast<ms::rep>(d < cap ? d : cap));
}

/// The delay before the next attempt after `failures` failures in a row: backoff_ceiling()
/// minus a jitter drawn from splitmix64(seed, failures), uniform in
/// `[0, ceiling * jitter_percent / 100]` (a modulo draw from 64 bits: its bias, span / 2^64,
/// is below 2^-24 for any delay under 30 years). So it is never above the ceiling (hence never
/// above max_delay), never below `ceiling * (100 - jitter_percent) / 100`, on average
/// `ceiling * (1 - jitter_percent / 200)` (non-decreasing in `failures`), and the same for the
/// same arguments. Use one seed per order and run (e.g. `splitmix64(run_seed, order_number)`)
/// so that clients and orders that failed together do not retry together.
[[nodiscard]] constexpr std::chrono::milliseconds backoff_delay(const retry_policy& policy,
                                                                std::uint32_t failures,
                                                                std::uint64_t seed) noexcept {
  using ms = std::chrono::milliseconds;
  const auto ceiling = static_cast<std::uint64_t>(backoff_ceiling(policy, failures).count());
  const std::uint64_t percent = policy.jitter_percent > 100 ? 100 : policy.jitter_percent;
  // ceiling * percent / 100 without overflowing for ceilings near the type's limit.
  const std::uint64_t span = ceiling / 100 * percent + ceiling % 100 * percent / 100;
  if (span == 0) return ms(static_cast<ms::rep>(ceiling));
  const std::uint64_t r = splitmix64(seed, failures) % (span + 1);
  return ms(static_cast<ms::rep>(ceiling - r));
}

/// What to do after a failed call: the verdict, whether to try again, and after how long.
struct retry_decision {
  retry_verdict verdict = retry_verdict::permanent;  ///< classify() of the failure.
  /// True when the verdict is retry and the policy's max_retries is not used up.
  bool retry = false;
  /// When `retry`: how long to wait before the next attempt (backoff_delay()); else 0.
  std::chrono::milliseconds delay{0};
};

/// What to do after a call that failed with `e`, the `failures`-th failure in a row of the
/// same request (1 after the first attempt failed): the verdict of classify(e, policy), and
/// for a retry verdict, retry while `failures <= max_retries`, after
/// backoff_delay(policy, failures, seed). `failures` of 0 (nothing failed) never retries.
[[nodiscard]] constexpr retry_decision decide_retry(const call_error& e, std::uint32_t failures,
                                                    std::uint64_t seed,
                                                    const retry_policy& policy = {}) noexcept {
  retry_decision d;
  d.verdict = classify(e, policy);
  d.retry = d.verdict == retry_verdict::retry && failures >= 1 && failures <= policy.max_retries;
  if (d.retry) d.delay = backoff_delay(policy, failures, seed);
  return d;
}

}  // namespace gdos
