/// @file write_response.hpp
/// @brief Layer 3, writing: a reply (or a suggestedOrgDetails list) as the body a server sends,
/// for servers, mocks and tests; and the check that a reply built by hand reads back as written.
///
/// The writers take any reply of gdos/response_model.hpp: a parsed one (its encoded_views
/// already in serialized form are copied as they are) or one built from plain strings (a
/// decoded_response, whose strings are encoded here). Like every gdos encoder they size first
/// and write into caller memory, never truncating silently, or return a new std::string.
///
/// `parse_response(write_response(r)) == r` holds for every reply the parsers return. A reply
/// built by hand can break it (an unknown field named like a known one would come back as that
/// field); check_round_trip() says whether it holds, and if not, which rule breaks where.
#pragma once

#include <gdos/common.hpp>
#include <gdos/config.hpp>
#include <gdos/form.hpp>
#include <gdos/response_model.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gdos {

// ---- writing --------------------------------------------------------------------------------

/// Writes `r` as a reply body: `errorCode`, the error fields, the top-level unknown fields, then
/// each order's fields, unknown fields and certificates (each with its unknown fields). Plain
/// strings (decoded_response) are encoded; encoded_views already in serialized form are copied
/// as they are, others are re-encoded from their decoded text. Writes nothing unless all of it
/// fits in `dest`; the result's size is what the whole body needs (see form::write_result).
///
/// parse_response(write(r)) == r holds for every reply the parsers return, and for built ones
/// that look like them: orders and certificates with ascending unique indices (1 to
/// max_index), each with at least one field; unknown fields that belong to existing orders and
/// certificates, whose names are not known names of their level, and, at the top and order
/// level, do not start with an index prefix (`digits_`). check_round_trip() checks a reply built
/// by hand against these rules and the parser's limits, and says which rule it breaks where.
///
/// Time is linear in the text written. Unknown fields listed with their levels interleaved
/// (never so in a parsed reply) are first put in level order with a radix sort, in scratch
/// memory of 32 bytes per unknown field; should that memory not be there, each level's fields
/// are filtered from the whole list instead (same text, quadratic time).
template <response_string S>
[[nodiscard]] constexpr form::write_result write_response(const basic_response<S>& r,
                                                          std::span<char> dest) noexcept;

/// write_response() into a new std::string. Only std::bad_alloc can escape.
template <response_string S>
[[nodiscard]] constexpr std::string write_response(const basic_response<S>& r);

/// Writes a suggestedOrgDetails list (`Status`, un-indexed unknown fields, then each match's
/// `N_` fields and unknown fields), the inner list that goes, encoded once more by
/// write_response(), into an order's suggested_org_details. Writes nothing unless all of it
/// fits. parse_org_details(write(d)) == d under the same conditions as write_response().
template <response_string S>
[[nodiscard]] constexpr form::write_result write_org_details(const basic_org_details<S>& d,
                                                             std::span<char> dest) noexcept;

/// write_org_details() into a new std::string. Only std::bad_alloc can escape.
template <response_string S>
[[nodiscard]] constexpr std::string write_org_details(const basic_org_details<S>& d);

/// An error reply (`errorCode=code&errorMessage=message[&errorItem=item]`), as a
/// decoded_response ready for write_response(): for tests and mocks that need any error reply.
/// A server answering a refused request writes Comodo's exact messages with error_reply()
/// (request.hpp) instead. The views must outlive the result.
[[nodiscard]] constexpr decoded_response make_error_response(
    api_code code, std::string_view message GDOS_LIFETIMEBOUND,
    std::optional<std::string_view> item = std::nullopt) noexcept;

// ---- checking that a reply reads back as written -------------------------------------------

/// The first reason check_round_trip() finds why write_response() (or write_org_details())
/// would not give back, once parsed with the same options, what it was given.
enum class round_trip_errc : std::uint8_t {
  /// Nothing: the text written parses back to an equal reply.
  ok = 0,
  /// An order, certificate or match index is 0 (indices start at 1).
  index_zero,
  /// An index over parse_options::max_index.
  index_too_large,
  /// Orders, an order's certificates or the matches out of strictly ascending index order (a
  /// repeated index included).
  not_ascending,
  /// More orders than parse_options::max_orders.
  too_many_orders,
  /// More certificates in one order than parse_options::max_certificates.
  too_many_certificates,
  /// More matches than parse_options::max_org_matches.
  too_many_matches,
  /// An unknown field of an order, certificate or match that is not there (or of certificate
  /// Y of order 0).
  orphan_field,
  /// An unknown field of the top or order level (or an un-indexed one of a suggestedOrgDetails
  /// list) whose name starts like an index, `[+-]digits_`: it would come back one level down,
  /// or as an index error.
  indexed_name,
  /// An unknown field named like a known field of its level: it would come back as that field.
  known_name,
  /// An order, certificate or match without a single field, known or unknown: nothing of it
  /// would be written.
  empty,
  /// An unknown field named like an earlier one of its level (decoded).
  duplicate_name,
  /// strict: a suggestedOrgDetails list without `Status`.
  missing_status,
  /// More `name=value` pieces than parse_options::max_fields.
  too_many_fields,
  /// The text would be longer than parse_options::max_body_size.
  body_too_large,
};

/// The identifier of `e` ("known_name", "not_ascending", ...), or "unknown" for a value it
/// does not name.
[[nodiscard]] constexpr std::string_view to_string(round_trip_errc e) noexcept;

/// A short English description of `e` ("unknown field named like a known field of its level").
[[nodiscard]] constexpr std::string_view message(round_trip_errc e) noexcept;

/// Outcome of check_round_trip(): the first rule broken, and where. For a reply, `order` and
/// `certificate` say which order and certificate (0: none, or the level above); for a
/// suggestedOrgDetails list, `match` says which match.
struct round_trip_check {
  /// Marks "no unknown field concerned" in `unknown_index`.
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  round_trip_errc code = round_trip_errc::ok;  ///< What is wrong; ok when nothing is.
  std::uint32_t order = 0;                     ///< The order (X) concerned; 0 for none.
  std::uint32_t certificate = 0;  ///< The certificate (Y) of `order` concerned; 0 for none.
  std::uint32_t match = 0;        ///< The match (N) of a suggestedOrgDetails list; 0 for none.
  /// Position in `unknown_fields` of the unknown field concerned; npos when none is.
  std::size_t unknown_index = npos;

  /// True when the reply can be written and read back.
  constexpr explicit operator bool() const noexcept { return code == round_trip_errc::ok; }
  /// Member-wise equality.
  friend constexpr bool operator==(const round_trip_check&, const round_trip_check&) = default;

  /// One line: message(code) and where (`... known name of its level: order 1, unknown field
  /// 1`), or `ok`.
  [[nodiscard]] std::string message() const;

  /// Prints message().
  template <string_view_stream Stream>
  friend Stream& operator<<(Stream& os, const round_trip_check& c) {
    os << std::string_view(c.message());
    return os;
  }
};

/// Checks that write_response(r) parses back, with the same options, to a reply equal to `r`:
/// what the writer takes for granted in a reply built by hand. In strict mode (the default) the
/// answer is exact: `parse_response(write_response(r), options)` succeeds and equals `r` exactly
/// when check_round_trip() says ok; in lenient mode an ok is still a promise.
///
/// The rules, checked in this order, the first broken one reported (see round_trip_errc):
/// 1. orders, then each order's certificates: indices 1 to max_index, strictly ascending, at
///    most max_orders orders and max_certificates certificates per order;
/// 2. each unknown field, in list order: its order and certificate exist (0 for the levels
///    above); at the top and order levels its name does not start with an index prefix; its
///    name is not a known name of its level;
/// 3. each order and certificate has a field (a certificate or an unknown field counts);
/// 4. no two unknown fields of one level share a name (decoded);
/// 5. at most max_fields fields, and at most max_body_size bytes of text.
///
/// Linear time: for rule 4 the names are hashed, decoded, in one pass and the hashes radix
/// sorted (names whose hashes collide are sorted and compared exactly: n log n at worst).
/// Allocates scratch memory for rules 3 and 4; only std::bad_alloc can escape.
template <response_string S>
[[nodiscard]] constexpr round_trip_check check_round_trip(const basic_response<S>& r,
                                                          const parse_options& options = {});

/// Checks that write_org_details(d) parses back, with parse_org_details() and the same
/// options, to a list equal to `d`; exact in strict mode, as for a reply.
///
/// The rules, checked in this order, the first broken one reported (see round_trip_errc):
/// 1. strict: `Status` is there;
/// 2. matches: indices 1 to max_index, strictly ascending, at most max_org_matches;
/// 3. each unknown field, in list order: its match exists (0: un-indexed); an un-indexed name
///    does not start with an index prefix; the name is not a known name (for an un-indexed
///    field, `Status` or a match field, which would go to match 1);
/// 4. each match has a field (an unknown field counts);
/// 5. no two unknown fields of one match (or two un-indexed ones) share a name (decoded);
/// 6. at most max_fields fields, and at most max_body_size bytes of text.
///
/// Time and memory as for a reply (rule 5 as rule 4 there); only std::bad_alloc can escape.
template <response_string S>
[[nodiscard]] constexpr round_trip_check check_round_trip(const basic_org_details<S>& d,
                                                          const parse_options& options = {});

}  // namespace gdos

#include <gdos/impl/write_response.hpp>
