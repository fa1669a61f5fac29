/// @file response_model.hpp
/// @brief Layer 3, the model: a GetDetailedOrderStatus reply as typed orders, certificates,
/// progress statuses and suggestedOrgDetails lists, with the options and errors of the parsers.
///
/// Every reply type is a template on its string type S, which says who owns the text:
/// - `form::encoded_view` (the aliases `response`, `order`, `certificate`, `org_details`, ...):
///   raw views into the parsed body, decoded on demand; what parse_response() returns;
/// - `std::string_view` (the `decoded_*` aliases): plain text; what the in-place parsers return,
///   and the natural type to build a reply from plain strings for write_response().
///
/// Either way the reply owns no text: its strings live as long as the text they view. Optional
/// members are `std::nullopt` when the field was absent. Fields this version does not know are
/// kept, with the order and certificate (or match) they belong to, in `unknown_fields`.
///
/// Equality (`==`) compares decoded text, so a parsed reply equals the reply it was written from
/// whatever its string types. Everything here is `constexpr`; only parse_error::message() and
/// the functions that fill vectors allocate.
#pragma once

#include <gdos/common.hpp>
#include <gdos/config.hpp>
#include <gdos/form.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace gdos {

// ---- progress and org statuses --------------------------------------------------------------

/// One of a certificate's six progress fields (`csrStatus`, `dcvStatus`, `ovCallBackStatus`,
/// `organizationValidationStatus`, `freeDVUPStatus`, `evClickThroughStatus`). Like api_code,
/// the underlying int holds any other value the server sends; is_known() tells them apart.
enum class progress_status : std::int32_t {
  not_required = -1,  ///< This step does not apply to the certificate.
  not_completed = 0,  ///< The step is still to do.
  completed = 1,      ///< The step is done.
  in_progress = 2,    ///< The step has started.
};

/// True for the four documented progress values.
[[nodiscard]] constexpr bool is_known(progress_status s) noexcept;

/// The identifier of `s` ("not_required", ...), or "unknown" for other values.
[[nodiscard]] constexpr std::string_view to_string(progress_status s) noexcept;

/// The integer the server sent for `s`.
[[nodiscard]] constexpr std::int32_t to_int(progress_status s) noexcept {
  return static_cast<std::int32_t>(s);
}

/// The `Status` of a suggestedOrgDetails list.
enum class org_status : std::uint8_t {
  missing,            ///< The list has no `Status`.
  found,              ///< `Found`: the list holds one group of fields per matching organization.
  not_found,          ///< `NotFound`.
  not_yet_completed,  ///< `NotYetCompleted`.
  not_applicable,     ///< `NotApplicable`.
  other,              ///< Any other text (kept as is in basic_org_details::status).
};

/// The identifier of `s` ("found", "not_found", ...).
[[nodiscard]] constexpr std::string_view to_string(org_status s) noexcept;

/// The text the API sends for `s` ("Found", "NotFound", ...); empty for missing and other.
[[nodiscard]] constexpr std::string_view wire_name(org_status s) noexcept;

// ---- options and errors ---------------------------------------------------------------------

/// How a parser treats input that is well-formed url-encoding but not a well-formed reply.
enum class parse_mode : std::uint8_t {
  /// Duplicate keys, bad indices (`0_`, `01_`, `-1_`, overflowing or over the limit) and
  /// values that do not parse as their field's type are errors.
  strict,
  /// The last of duplicate keys wins (as PHP's parse_str does); a key with a bad index is kept
  /// as an unknown top-level field; a value that does not parse as its field's type is kept
  /// as an unknown field of the same name (the typed member is left as it was).
  lenient,
};

/// The identifier of `m` ("strict", "lenient").
[[nodiscard]] constexpr std::string_view to_string(parse_mode m) noexcept {
  switch (m) {
    case parse_mode::strict:
      return "strict";
    case parse_mode::lenient:
      return "lenient";
  }
  return "unknown";
}

/// Limits and mode of the parsers. The defaults are safe for untrusted input and far above
/// any real reply (the largest test body, 20 orders of 10 certificates, has 2,700 fields).
struct parse_options {
  parse_mode mode = parse_mode::strict;              ///< strict or lenient.
  std::size_t max_body_size = std::size_t{4} << 20;  ///< Largest body accepted, in bytes.
  std::size_t max_fields = 100000;                   ///< Most `name=value` pieces.
  std::size_t max_orders = 1000;                     ///< Most distinct orders (`X_`).
  std::size_t max_certificates = 1000;               ///< Most certificates in one order.
  std::uint32_t max_index = 1000000;                 ///< Largest X, Y or match index.
  std::size_t max_org_matches = 1000;                ///< Most organizations in one list.
};

/// Why a reply (or a suggestedOrgDetails list) was refused.
enum class response_errc : std::uint8_t {
  ok = 0,          ///< No error.
  body_too_large,  ///< Longer than parse_options::max_body_size.
  empty_body,      ///< Nothing but an optional trailing newline.
  legacy_format,   ///< The newline-delimited format (`-16\nPermission denied!`).
  html_body,       ///< An HTML page (a proxy's or server's error page).
  /// A JSON body (`{` first, after optional spaces): the reply to responseFormat=2. gdos reads
  /// url-encoded replies: ask for responseFormat=1 (response_format::url_encoded).
  json_body,
  not_urlencoded,         ///< No `=` anywhere: not a url-encoded reply.
  missing_error_code,     ///< Url-encoded, but no `errorCode`.
  invalid_error_code,     ///< `errorCode` is not a 32-bit decimal integer.
  invalid_value,          ///< strict: a typed field's value does not parse.
  duplicate_key,          ///< strict: a key appears twice (compared after decoding).
  index_zero,             ///< strict: an index is 0 (indices are 1-based).
  index_signed,           ///< strict: an index has a sign (`-1_`, `%2B1_`).
  index_leading_zero,     ///< strict: an index has a leading zero (`01_`).
  index_overflow,         ///< strict: an index does not fit 32 bits.
  index_too_large,        ///< strict: an index is over parse_options::max_index.
  too_many_fields,        ///< More than parse_options::max_fields pieces.
  too_many_orders,        ///< More than parse_options::max_orders orders.
  too_many_certificates,  ///< More than parse_options::max_certificates in one order.
  too_many_matches,       ///< More than parse_options::max_org_matches organizations.
  missing_org_status,     ///< strict: a suggestedOrgDetails list without `Status`.
  buffer_too_small,       ///< The caller's buffer cannot hold the decoded value.
};

/// The identifier of `e` ("duplicate_key", "legacy_format", ...), or "unknown" for a value it
/// does not name.
[[nodiscard]] constexpr std::string_view to_string(response_errc e) noexcept;

/// A short English description of `e` ("duplicate key", "HTML page instead of a url-encoded
/// reply", ...), which parse_error::message() starts with.
[[nodiscard]] constexpr std::string_view message(response_errc e) noexcept;

/// A refused reply: what, where, and which key.
struct parse_error {
  response_errc code = response_errc::ok;  ///< What went wrong.
  /// Byte offset in the parsed text of the offending field's key (0 for errors about the whole
  /// body, parse_options::max_body_size for body_too_large).
  std::size_t offset = 0;
  /// The offending key, a view into the parsed text (raw; decoded in place by the in-place
  /// parsers). For a duplicate unknown field found after the body was read, its name after the
  /// index prefix. Empty for errors about the whole body.
  std::string_view key{};
  api_code legacy_code = api_code::success;  ///< legacy_format: the code on the first line.
  std::string_view legacy_message{};         ///< legacy_format: the second line (a view).

  /// True when there is an error.
  constexpr explicit operator bool() const noexcept { return code != response_errc::ok; }
  /// Member-wise equality (the views compare as text).
  friend constexpr bool operator==(const parse_error&, const parse_error&) = default;

  /// A one-line English message: message(code), the key (non-printable bytes shown as `?`, at
  /// most 64 of them) and the offset; for legacy_format, the code and message.
  [[nodiscard]] std::string message() const;

  /// Prints message().
  template <string_view_stream Stream>
  friend Stream& operator<<(Stream& os, const parse_error& e) {
    os << std::string_view(e.message());
    return os;
  }
};

// ---- unknown fields -------------------------------------------------------------------------

/// The string types a reply can hold: `form::encoded_view` (raw text, decoded on demand) or
/// `std::string_view` (plain text, already decoded).
template <class S>
concept response_string = std::same_as<S, form::encoded_view> || std::same_as<S, std::string_view>;

/// A field this version does not know, kept with the order and certificate it belongs to.
///
/// `order` is X and `certificate` is Y of an `X_Y_name` key; 0 means "not inside one": a
/// top-level field has both 0, an order's field has certificate 0. `name` is the key after its
/// index prefix (the whole key at the top level). The strings live as long as the parsed text.
template <class S>
struct basic_unknown_field {
  std::uint32_t order = 0;        ///< X, or 0 for a top-level field.
  std::uint32_t certificate = 0;  ///< Y, or 0 for a top-level or order field.
  S name{};                       ///< The name after the `X_` / `X_Y_` prefix.
  S value{};                      ///< The value.
};

/// Field-wise equality; strings compare decoded.
template <class S1, class S2>
[[nodiscard]] constexpr bool operator==(const basic_unknown_field<S1>& a,
                                        const basic_unknown_field<S2>& b) noexcept;

/// A field of a suggestedOrgDetails list that this version does not know. `match` is N of an
/// `N_name` key, 0 for an un-indexed name.
template <class S>
struct basic_org_unknown_field {
  std::uint32_t match = 0;  ///< N, or 0 when the key has no index.
  S name{};                 ///< The name after the `N_` prefix.
  S value{};                ///< The value.
};

/// Field-wise equality; strings compare decoded.
template <class S1, class S2>
[[nodiscard]] constexpr bool operator==(const basic_org_unknown_field<S1>& a,
                                        const basic_org_unknown_field<S2>& b) noexcept;

/// The unknown fields of one level (the top level, an order, a certificate, a match), in the
/// order they were met: a filtering forward range over a list of unknown fields. It allocates
/// nothing and lives as long as the list it views (do not modify the list meanwhile).
template <class U>
class unknown_fields_view {
 public:
  /// Forward iterator yielding `const U&`: the fields of the level, in list order.
  class iterator;

  /// An empty range.
  constexpr unknown_fields_view() noexcept = default;
  /// The fields of `all` whose level is `tag`: `(order << 32) | certificate` for reply fields,
  /// the match index for suggestedOrgDetails fields.
  constexpr unknown_fields_view(std::span<const U> all GDOS_LIFETIMEBOUND,
                                std::uint64_t tag) noexcept
      : all_(all), tag_(tag) {}

  /// The first field of the level.
  [[nodiscard]] constexpr iterator begin() const noexcept;
  /// Past the last field of the level.
  [[nodiscard]] constexpr iterator end() const noexcept;
  /// True when the level has no unknown field.
  [[nodiscard]] constexpr bool empty() const noexcept;

 private:
  std::span<const U> all_{};
  std::uint64_t tag_ = 0;
};

// ---- the reply ------------------------------------------------------------------------------

/// Certificate Y of an order (`X_Y_` fields). Absent fields are nullopt; strings live as long
/// as the parsed text.
template <class S>
struct basic_certificate {
  std::uint32_t index = 0;                            ///< Y, 1-based.
  std::optional<S> serial_number;                     ///< `serialNumber` (hex).
  std::optional<S> object_type;                       ///< `objectType`.
  std::optional<S> fqdn;                              ///< `FQDN`.
  std::optional<S> status;                            ///< `certificateStatus`.
  std::optional<S> status_reason;                     ///< `certificateStatusReason`.
  std::optional<progress_status> csr_status;          ///< `csrStatus`.
  std::optional<progress_status> dcv_status;          ///< `dcvStatus`.
  std::optional<progress_status> ov_callback_status;  ///< `ovCallBackStatus`.
  std::optional<progress_status>
      organization_validation_status;                      ///< `organizationValidationStatus`.
  std::optional<progress_status> free_dvup_status;         ///< `freeDVUPStatus`.
  std::optional<progress_status> ev_click_through_status;  ///< `evClickThroughStatus`.
};

/// Field-wise equality; strings compare decoded.
template <class S1, class S2>
[[nodiscard]] constexpr bool operator==(const basic_certificate<S1>& a,
                                        const basic_certificate<S2>& b) noexcept;

/// Order X of a reply (`X_` fields) with its certificates in ascending index order.
template <class S>
struct basic_order {
  std::uint32_t index = 0;             ///< X, 1-based.
  std::optional<std::int64_t> number;  ///< `orderNumber`.
  std::optional<S> date_time;          ///< `orderDateTime`, raw (see local_time()).
  std::optional<S> status;             ///< `orderStatus`.
  std::optional<S> status_reason;      ///< `orderStatusReason`.
  /// `suggestedOrgDetails`: once decoded, a url-encoded list for parse_org_details().
  std::optional<S> suggested_org_details;
  std::vector<basic_certificate<S>> certificates;  ///< In ascending index order.

  /// date_time parsed by parse_date_time(): a `std::optional<std::chrono::local_seconds>`,
  /// nullopt when absent or not of that shape. Defined in gdos/response_dates.hpp (which
  /// gdos/response.hpp includes), so that a unit including only gdos/parse_response.hpp does
  /// not compile `<chrono>`; `Lazy` is never given.
  template <class Lazy = void>
  [[nodiscard]] constexpr auto local_time() const noexcept;

  /// The certificate with index `y`, or nullptr. Valid until `certificates` changes.
  [[nodiscard]] constexpr const basic_certificate<S>* find_certificate(
      std::uint32_t y) const noexcept;
};

/// Field-wise equality; strings compare decoded.
template <class S1, class S2>
[[nodiscard]] constexpr bool operator==(const basic_order<S1>& a,
                                        const basic_order<S2>& b) noexcept;

/// A GetDetailedOrderStatus reply.
///
/// From parse_response() its strings are encoded_views into the body (S = form::encoded_view,
/// alias `response`); from parse_response_in_place() plain views into the decoded buffer
/// (S = std::string_view, alias `decoded_response`, also the natural type to build a reply
/// from plain strings for write_response()). Orders are in ascending index order.
template <class S>
struct basic_response {
  /// An empty reply: errorCode 0, no order.
  constexpr basic_response() = default;
  /// A copy (its strings view the same text).
  constexpr basic_response(const basic_response&) = default;
  /// Moved (its strings view the same text).
  constexpr basic_response(basic_response&&) noexcept = default;
  /// Copy assignment.
  constexpr basic_response& operator=(const basic_response&) = default;
  /// Move assignment.
  constexpr basic_response& operator=(basic_response&&) noexcept = default;
  /// Refused: a response copied or moved out of a type that owns its text (gdos::reply) views
  /// that text and dies with its owner (`gdos::response r = *get_detailed_order_status(...);`).
  /// Keep the reply itself, or bind a reference: `const gdos::response& r = reply;`.
  template <class Owner>
    requires(std::derived_from<std::remove_cvref_t<Owner>, basic_response> &&
             !std::same_as<std::remove_cvref_t<Owner>, basic_response>)
  basic_response(Owner&& owner_keep_it_instead_of_a_sliced_copy) = delete;
  /// Refused, as the constructor from a type that owns its text.
  template <class Owner>
    requires(std::derived_from<std::remove_cvref_t<Owner>, basic_response> &&
             !std::same_as<std::remove_cvref_t<Owner>, basic_response>)
  basic_response& operator=(Owner&& owner_keep_it_instead_of_a_sliced_copy) = delete;

  api_code error_code = api_code::success;  ///< `errorCode`; any integer is kept.
  std::optional<S> error_message;           ///< `errorMessage` (sent when errorCode != 0).
  std::optional<S> error_item;              ///< `errorItem` (the argument in question).
  std::optional<S> error_detail;            ///< `errorDetail`.
  std::vector<basic_order<S>> orders;       ///< In ascending index order.
  /// Every field this version does not know, of every level, each tagged with its order and
  /// certificate index (see basic_unknown_field). Within a level they are in body order; use
  /// unknown_fields_of() to walk one level.
  std::vector<basic_unknown_field<S>> unknown_fields;

  /// True when errorCode is 0.
  [[nodiscard]] constexpr bool ok() const noexcept { return error_code == api_code::success; }

  /// The order with index `x`, or nullptr. Valid until `orders` changes.
  [[nodiscard]] constexpr const basic_order<S>* find_order(std::uint32_t x) const noexcept;

  /// The unknown fields of one level, in body order: the top level by default, order X's own
  /// with `unknown_fields_of(X)`, certificate Y's of order X with `unknown_fields_of(X, Y)`.
  /// Walks the whole list (linear time). Valid until `unknown_fields` changes.
  [[nodiscard]] constexpr unknown_fields_view<basic_unknown_field<S>> unknown_fields_of(
      std::uint32_t order = 0, std::uint32_t certificate = 0) const noexcept;

  /// The unknown field named `name` (compared with the decoded name) of certificate
  /// `certificate` of order `order` (0 for "not inside one", as in basic_unknown_field), or
  /// nullptr: one call instead of a loop over unknown_fields_of(). The first in body order, if a
  /// lenient parse kept several. Linear in the number of unknown fields. Valid until
  /// `unknown_fields` changes.
  ///
  /// This is how to read the fields `showValidityPeriod=Y` adds: Sectigo's request page says it
  /// displays "the validity period of the certificate" but its pages name no response field for
  /// it, so gdos does not type them. gdos' mock sends `validityPeriodStart` and
  /// `validityPeriodEnd` (`2025-01-15 10:05`, the shape of orderDateTime, which
  /// parse_date_time() reads) and `validityPeriodDays`:
  /// `parse_date_time(r.find_unknown(1, 1, "validityPeriodEnd")->value)` after a null check.
  [[nodiscard]] constexpr const basic_unknown_field<S>* find_unknown(
      std::uint32_t order, std::uint32_t certificate, std::string_view name) const noexcept;
};

/// Decoded equality: error fields, orders and certificates, and unknown fields compared level
/// by level (their order within a level matters, their interleaving across levels does not).
/// Linear time; lists whose levels interleave (never so in a parsed reply) are put in level
/// order first, with a radix sort in scratch memory of 32 bytes per unknown field, or, should
/// that memory not be there, compared level by level by filtering (quadratic time).
template <class S1, class S2>
[[nodiscard]] constexpr bool operator==(const basic_response<S1>& a,
                                        const basic_response<S2>& b) noexcept;

/// A reply whose strings are raw views into the body, decoded on demand.
using response = basic_response<form::encoded_view>;
/// A reply whose strings are plain (decoded) text.
using decoded_response = basic_response<std::string_view>;
/// An order of a `response`.
using order = basic_order<form::encoded_view>;
/// An order of a `decoded_response`.
using decoded_order = basic_order<std::string_view>;
/// A certificate of a `response`.
using certificate = basic_certificate<form::encoded_view>;
/// A certificate of a `decoded_response`.
using decoded_certificate = basic_certificate<std::string_view>;
/// An unknown field of a `response`.
using unknown_field = basic_unknown_field<form::encoded_view>;
/// An unknown field of a `decoded_response`.
using decoded_unknown_field = basic_unknown_field<std::string_view>;

// ---- suggestedOrgDetails --------------------------------------------------------------------

/// One organization of a suggestedOrgDetails list (`N_` fields; un-indexed names are match 1).
template <class S>
struct basic_org_match {
  std::uint32_t index = 0;                  ///< N, 1-based.
  std::optional<S> organization_name;       ///< `organizationName`.
  std::optional<S> street_address;          ///< `streetAddress`.
  std::optional<S> locality_name;           ///< `localityName`.
  std::optional<S> state_or_province_name;  ///< `stateOrProvinceName`.
  std::optional<S> postal_code;             ///< `postalCode`.
  std::optional<S> country_name;            ///< `countryName` (ISO 3166-1 alpha-2).
  std::optional<S> duns_number;             ///< `dunsNumber`.
  std::optional<S> telephone_number;        ///< `telephoneNumber`.
};

/// Field-wise equality; strings compare decoded.
template <class S1, class S2>
[[nodiscard]] constexpr bool operator==(const basic_org_match<S1>& a,
                                        const basic_org_match<S2>& b) noexcept;

/// A parsed suggestedOrgDetails list. The strings view the text given to parse_org_details()
/// (or its buffer) and live as long as it does.
template <class S>
struct basic_org_details {
  /// An empty list: no Status, no match.
  constexpr basic_org_details() = default;
  /// A copy (its strings view the same text).
  constexpr basic_org_details(const basic_org_details&) = default;
  /// Moved (its strings view the same text).
  constexpr basic_org_details(basic_org_details&&) noexcept = default;
  /// Copy assignment.
  constexpr basic_org_details& operator=(const basic_org_details&) = default;
  /// Move assignment.
  constexpr basic_org_details& operator=(basic_org_details&&) noexcept = default;
  /// Refused: a list copied or moved out of a type that owns its text
  /// (gdos::owned_org_details) views that text and dies with its owner. Keep the owner, or bind
  /// a reference.
  template <class Owner>
    requires(std::derived_from<std::remove_cvref_t<Owner>, basic_org_details> &&
             !std::same_as<std::remove_cvref_t<Owner>, basic_org_details>)
  basic_org_details(Owner&& owner_keep_it_instead_of_a_sliced_copy) = delete;
  /// Refused, as the constructor from a type that owns its text.
  template <class Owner>
    requires(std::derived_from<std::remove_cvref_t<Owner>, basic_org_details> &&
             !std::same_as<std::remove_cvref_t<Owner>, basic_org_details>)
  basic_org_details& operator=(Owner&& owner_keep_it_instead_of_a_sliced_copy) = delete;

  std::optional<S> status;                  ///< `Status`, as sent (see status_kind()).
  std::vector<basic_org_match<S>> matches;  ///< In ascending index order.
  /// Unknown fields of every level, tagged with their match index (0: un-indexed).
  std::vector<basic_org_unknown_field<S>> unknown_fields;

  /// `status` classified.
  [[nodiscard]] constexpr org_status status_kind() const noexcept;

  /// The unknown fields of match N (0: the un-indexed ones), in order. Valid until
  /// `unknown_fields` changes.
  [[nodiscard]] constexpr unknown_fields_view<basic_org_unknown_field<S>> unknown_fields_of(
      std::uint32_t match = 0) const noexcept;

  /// The unknown field named `name` (compared decoded) of match `match` (0: un-indexed), or
  /// nullptr. Linear in the number of unknown fields. Valid until `unknown_fields` changes.
  [[nodiscard]] constexpr const basic_org_unknown_field<S>* find_unknown(
      std::uint32_t match, std::string_view name) const noexcept;
};

/// Decoded equality; unknown fields compared match by match, in time and memory as for replies.
template <class S1, class S2>
[[nodiscard]] constexpr bool operator==(const basic_org_details<S1>& a,
                                        const basic_org_details<S2>& b) noexcept;

/// A suggestedOrgDetails list with raw strings.
using org_details = basic_org_details<form::encoded_view>;
/// A suggestedOrgDetails list with plain strings.
using decoded_org_details = basic_org_details<std::string_view>;
/// A match of an `org_details`.
using org_match = basic_org_match<form::encoded_view>;
/// A match of a `decoded_org_details`.
using decoded_org_match = basic_org_match<std::string_view>;

}  // namespace gdos

#include <gdos/impl/response_model.hpp>
