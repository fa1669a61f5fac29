/// @file parse_response.hpp
/// @brief Layer 3, parsing: a GetDetailedOrderStatus reply body, or a suggestedOrgDetails list,
/// into the types of gdos/response_model.hpp, without copying.
///
/// Two ways to read the same text:
/// - parse_response() and parse_org_details() leave the text as it is; the result's strings
///   are form::encoded_view's into it, decoded on demand (a caller pays only for what it reads);
/// - parse_response_in_place() and parse_org_details_in_place() decode every key and value in
///   the caller's mutable buffer first; the result's strings are plain std::string_view's.
///
/// Either way the result owns no text: it is valid as long as the text it was parsed from.
/// Errors are values (`result<T, parse_error>`): a typed code (response_errc), the byte offset
/// and the offending key; nothing half-filled is ever returned. Memory grows with the number of
/// distinct orders, certificates, matches and unknown fields, never with the value of an index;
/// every count and size has a limit in parse_options, with safe defaults. The parsers are
/// `constexpr` and throw nothing but `std::bad_alloc` (from filling the vectors).
///
/// @note Each parser is a function template whose only template parameter, `Lazy`, callers
/// leave defaulted. It makes a translation unit instantiate a parser when it calls it, not
/// whenever it includes this header: a parser is a sizable instantiation (bench/README.md,
/// Compile time). The parameter is passed on to the implementation so that the call in the body
/// depends on it, because clang instantiates a constexpr function named in a non-dependent call
/// as soon as it reads the template's body.
///
/// @note With GDOS_SEPARATE_COMPILATION defined to 1 (opt-in, config.hpp), a call at run time
/// goes to a copy of the parser compiled once, in the one file of the program that includes
/// gdos/src.hpp, and the calling unit compiles none of the parser's code; constant evaluation
/// still runs the templates. The results are the same in both modes.
#pragma once

#include <gdos/common.hpp>
#include <gdos/config.hpp>
#include <gdos/form.hpp>
#include <gdos/response_model.hpp>

#include <span>
#include <string_view>

namespace gdos {

/// Parses a GetDetailedOrderStatus reply without copying it.
///
/// The strings of the result are views into `body` (decoded on demand: see form::encoded_view)
/// and live as long as it does. Keys are matched after decoding; integers and progress statuses
/// are parsed; orders and certificates come in ascending index order whatever order the keys
/// had; unknown fields are kept (basic_response::unknown_fields). One trailing "\n" or "\r\n"
/// is ignored. Memory grows with the number of distinct orders, certificates and unknown
/// fields, never with the value of an index.
///
/// Errors (see response_errc): a body over the size limit, empty, in the legacy newline format
/// (code and message reported), an HTML page, not url-encoded, without errorCode, with an
/// errorCode that is not an integer, over a limit; in strict mode also duplicate keys, bad
/// indices and values that do not parse. Only std::bad_alloc can escape.
template <class Lazy = void>
[[nodiscard]] constexpr result<response, parse_error> parse_response(
    std::string_view body GDOS_LIFETIMEBOUND, const parse_options& options = {});

/// Refused: the reply would view a body that dies at the end of the full expression
/// (`*parse_response(fetch())` reads freed memory). Keep the body in a variable, or let
/// parse_reply() (reply.hpp) take it over and keep it: `parse_reply(fetch())`.
template <class Lazy = void, class String>
  requires detail::temporary_string<String>
result<response, parse_error> parse_response(String&& temporary_body_use_parse_reply,
                                             const parse_options& options = {}) = delete;

/// Parses a reply held in mutable memory, decoding every key and value in place first, so the
/// strings of the result are plain text (each decoded exactly once: a `%2541` in the body is
/// `%41` in the result). The result's views point into `body` and live as long as it does.
/// The bytes of `body` are changed, also when an error is returned. Allocates only the order,
/// certificate and unknown-field vectors. Errors as parse_response(); only std::bad_alloc can
/// escape.
template <class Lazy = void>
[[nodiscard]] constexpr result<decoded_response, parse_error> parse_response_in_place(
    std::span<char> body GDOS_LIFETIMEBOUND, const parse_options& options = {});

/// Parses a suggestedOrgDetails list: `list` is the field's value decoded once (the outer
/// decoding), which the caller owns, e.g.
/// `std::string list = decode_or(o.suggested_org_details, "");` or a decoded_order's value
/// (org_details_of(order) in reply.hpp does both steps and keeps the text). The result's strings
/// are encoded_views into `list` (the inner decoding is done on demand, so `%26` in an organization
/// name stays inside the name) and live as long as `list`. Un-indexed names belong to match 1.
/// strict mode refuses a list without `Status`, duplicate keys and bad indices. Only std::bad_alloc
/// can escape.
template <class Lazy = void>
[[nodiscard]] constexpr result<org_details, parse_error> parse_org_details(
    std::string_view list GDOS_LIFETIMEBOUND, const parse_options& options = {});

/// Refused: the list would view text that dies at the end of the full expression
/// (`parse_org_details(o.suggested_org_details->decode())` reads freed memory). Keep the text in
/// a variable, or call org_details_of(order) (reply.hpp), which keeps it.
template <class Lazy = void, class String>
  requires detail::temporary_string<String>
result<org_details, parse_error> parse_org_details(String&& temporary_list_use_org_details_of,
                                                   const parse_options& options = {}) = delete;

/// Decodes the raw suggestedOrgDetails value `value` into `buffer`, then parses it as
/// parse_org_details(list). The result's strings point into `buffer`, which the caller owns and
/// must keep alive. Error buffer_too_small when `buffer` is shorter than
/// `value.decoded_size()`. Only std::bad_alloc can escape.
template <class Lazy = void>
[[nodiscard]] constexpr result<org_details, parse_error> parse_org_details(
    const form::encoded_view& value, std::span<char> buffer GDOS_LIFETIMEBOUND,
    const parse_options& options = {});

/// Parses a suggestedOrgDetails list (decoded once, as for parse_org_details) held in mutable
/// memory, decoding each key and value in place, so the result's strings are plain text
/// pointing into `list`. The bytes of `list` are changed. Only std::bad_alloc can escape.
template <class Lazy = void>
[[nodiscard]] constexpr result<decoded_org_details, parse_error> parse_org_details_in_place(
    std::span<char> list GDOS_LIFETIMEBOUND, const parse_options& options = {});

}  // namespace gdos

#include <gdos/impl/parse_response.hpp>
