/// @file detail/reply_fields.hpp
/// @brief The known fields of a reply and of a suggestedOrgDetails list: one table per level
/// (top, order, certificate; the list's own level and its matches). Each row is a wire name and
/// the member that holds its value; everything that handles known fields loops over these rows
/// (the parsers and their fast-path matcher, the writers, equality, the round-trip check), so a
/// new field is a member in response_model.hpp and a row here (see HACKING.md).
#pragma once

#include <gdos/common.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace gdos {

// Declared in response_model.hpp. The rows name their members in templates, so the types need
// not be complete here, and this header need not include that one (which includes it).
template <class S>
struct basic_response;
template <class S>
struct basic_order;
template <class S>
struct basic_certificate;
template <class S>
struct basic_org_details;
template <class S>
struct basic_org_match;
enum class progress_status : std::int32_t;

}  // namespace gdos

namespace gdos::detail {

/// Where a field sits. The first three are a reply's, the last two a suggestedOrgDetails
/// list's: its `Status` and the fields of a match (`N_name`).
enum class level : std::uint8_t { top, order, certificate, org_list, org_match };

/// What a known field's value is, which decides how it is parsed, stored and written.
enum class value_kind : std::uint8_t {
  text,      // std::optional<S>: the text as sent (decoded in place by the in-place parsers)
  progress,  // std::optional<progress_status>: a 32-bit decimal integer, any value kept
  number,    // std::optional<std::int64_t>: a 64-bit decimal integer
  code,      // api_code: errorCode, the one required field, a 32-bit decimal integer
};

template <class Record>
struct record_string;
template <template <class> class Record, class S>
struct record_string<Record<S>> {
  using type = S;
};

/// One known field: its name on the wire and the member of Record that holds it. The kind
/// follows from the member's type, so the two cannot disagree; the other members are null.
template <class Record>
struct field_row {
  using string_type = typename record_string<Record>::type;

  std::string_view name;
  value_kind kind;  // set by each constructor, from the member's type
  std::optional<string_type> Record::* text = nullptr;
  std::optional<progress_status> Record::* progress = nullptr;
  std::optional<std::int64_t> Record::* number = nullptr;
  api_code Record::* code = nullptr;

  constexpr field_row(std::string_view n, std::optional<string_type> Record::* m) noexcept
      : name(n), kind(value_kind::text), text(m) {}
  constexpr field_row(std::string_view n, std::optional<progress_status> Record::* m) noexcept
      : name(n), kind(value_kind::progress), progress(m) {}
  constexpr field_row(std::string_view n, std::optional<std::int64_t> Record::* m) noexcept
      : name(n), kind(value_kind::number), number(m) {}
  constexpr field_row(std::string_view n, api_code Record::* m) noexcept
      : name(n), kind(value_kind::code), code(m) {}
};

/// The known fields of a record type, in the order the writers write them.
template <class Record>
struct field_table;

template <class S>
struct field_table<basic_response<S>> {
  using record = basic_response<S>;
  using row = field_row<record>;
  static constexpr level at = level::top;
  // errorCode first: the writer starts the body with it (checked below).
  static constexpr std::array rows{
      row{"errorCode", &record::error_code},
      row{"errorMessage", &record::error_message},
      row{"errorItem", &record::error_item},
      row{"errorDetail", &record::error_detail},
  };
};

template <class S>
struct field_table<basic_order<S>> {
  using record = basic_order<S>;
  using row = field_row<record>;
  static constexpr level at = level::order;
  static constexpr std::array rows{
      row{"orderNumber", &record::number},
      row{"orderDateTime", &record::date_time},
      row{"orderStatus", &record::status},
      row{"orderStatusReason", &record::status_reason},
      row{"suggestedOrgDetails", &record::suggested_org_details},
  };
};

template <class S>
struct field_table<basic_certificate<S>> {
  using record = basic_certificate<S>;
  using row = field_row<record>;
  static constexpr level at = level::certificate;
  // The parser's fast path needs the text rows together and the progress rows together
  // (kind_rows checks it).
  static constexpr std::array rows{
      row{"serialNumber", &record::serial_number},
      row{"objectType", &record::object_type},
      row{"FQDN", &record::fqdn},
      row{"certificateStatus", &record::status},
      row{"certificateStatusReason", &record::status_reason},
      row{"csrStatus", &record::csr_status},
      row{"dcvStatus", &record::dcv_status},
      row{"ovCallBackStatus", &record::ov_callback_status},
      row{"organizationValidationStatus", &record::organization_validation_status},
      row{"freeDVUPStatus", &record::free_dvup_status},
      row{"evClickThroughStatus", &record::ev_click_through_status},
  };
};

template <class S>
struct field_table<basic_org_details<S>> {
  using record = basic_org_details<S>;
  using row = field_row<record>;
  static constexpr level at = level::org_list;
  // Only un-indexed: `1_Status` is an unknown field of match 1.
  static constexpr std::array rows{
      row{"Status", &record::status},
  };
};

template <class S>
struct field_table<basic_org_match<S>> {
  using record = basic_org_match<S>;
  using row = field_row<record>;
  static constexpr level at = level::org_match;
  static constexpr std::array rows{
      row{"organizationName", &record::organization_name},
      row{"streetAddress", &record::street_address},
      row{"localityName", &record::locality_name},
      row{"stateOrProvinceName", &record::state_or_province_name},
      row{"postalCode", &record::postal_code},
      row{"countryName", &record::country_name},
      row{"dunsNumber", &record::duns_number},
      row{"telephoneNumber", &record::telephone_number},
  };
};

/// The rows of Record.
template <class Record>
inline constexpr const auto& rows_of = field_table<Record>::rows;

/// True when some row of Record has kind k: code for a kind is compiled only for the records
/// that have one.
template <class Record>
[[nodiscard]] consteval bool has_kind(value_kind k) {
  for (const auto& row : rows_of<Record>)
    if (row.kind == k) return true;
  return false;
}

/// True when the field `row` names is present in `rec` (errorCode always is).
template <class Record>
[[nodiscard]] constexpr bool is_present(const Record& rec, const field_row<Record>& row) noexcept {
  // Each kind compiled only for the records that have it: the others' members are null.
  switch (row.kind) {
    case value_kind::text:
      if constexpr (has_kind<Record>(value_kind::text)) return (rec.*row.text).has_value();
      break;
    case value_kind::progress:
      if constexpr (has_kind<Record>(value_kind::progress)) return (rec.*row.progress).has_value();
      break;
    case value_kind::number:
      if constexpr (has_kind<Record>(value_kind::number)) return (rec.*row.number).has_value();
      break;
    case value_kind::code:
      return true;
  }
  return false;
}

/// Number of known fields present in `rec`.
template <class Record>
[[nodiscard]] constexpr std::size_t count_known(const Record& rec) noexcept {
  std::size_t n = 0;
  for (const auto& row : rows_of<Record>) n += is_present(rec, row) ? 1 : 0;
  return n;
}

/// A row position within its table; no_row for a name that is not a known field.
using row_id = std::uint8_t;
inline constexpr row_id no_row = 0xff;

/// The rows of one kind, which must be together in Record's table: the fast path tests a row's
/// kind with one comparison, and finds its member in an array of one member-pointer type.
template <class Record, value_kind K>
struct kind_rows {
  static constexpr const auto& rows = rows_of<Record>;
  static constexpr std::size_t first = [] {
    std::size_t i = 0;
    while (i < rows.size() && rows[i].kind != K) ++i;
    return i;
  }();
  static constexpr std::size_t count = [] {
    std::size_t n = 0;
    while (first + n < rows.size() && rows[first + n].kind == K) ++n;
    return n;
  }();
  static_assert(
      [] {
        for (std::size_t i = first + count; i < rows.size(); ++i)
          if (rows[i].kind == K) return false;
        return true;
      }(),
      "the fast path needs the rows of one kind together");
  /// True when `row` is one of them (no_row is not).
  [[nodiscard]] static constexpr bool contains(row_id row) noexcept {
    return static_cast<std::size_t>(static_cast<row_id>(row - first)) < count;
  }
  /// The members of the rows, by row - first.
  static constexpr auto members = [] {
    if constexpr (K == value_kind::text) {
      std::array<decltype(field_row<Record>::text), count> m{};
      for (std::size_t i = 0; i < count; ++i) m[i] = rows[first + i].text;
      return m;
    } else {
      std::array<decltype(field_row<Record>::progress), count> m{};
      for (std::size_t i = 0; i < count; ++i) m[i] = rows[first + i].progress;
      return m;
    }
  }();
};

/// Longest known name (`organizationValidationStatus`); a longer decoded name is unknown.
inline constexpr std::size_t max_name_size = 28;

/// The names of one table prepared for the parser's fast path, which compares raw bytes with
/// `name=` (a key of constant size, so each comparison compiles to a few word compares).
template <std::size_t N>
struct name_index {
  std::array<std::array<char, max_name_size + 1>, N> key{};  // `name=`
  std::array<std::uint8_t, N> key_size{};                    // its bytes
};

/// True when the names of `rows` suit the fast path: each needs no decoding and holds no
/// separator (raw comparison is then exact), is at most max_name_size long and is not there
/// twice.
template <class Rows>
[[nodiscard]] consteval bool names_fit_fast_path(const Rows& rows) {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string_view n = rows[i].name;
    if (n.empty() || n.size() > max_name_size) return false;
    for (const char c : n)
      if (c == '=' || c == '&' || c == '%' || c == '+' || c == '\0') return false;
    for (std::size_t j = 0; j < i; ++j)
      if (rows[j].name == n) return false;
  }
  return true;
}

template <class Record>
[[nodiscard]] consteval auto make_name_index() {
  constexpr const auto& rows = rows_of<Record>;
  static_assert(rows.size() < no_row, "row ids must fit row_id, with no_row left over");
  static_assert(names_fit_fast_path(rows),
                "a field name is empty, too long, repeated, or holds "
                "a byte that needs decoding or separates fields");
  name_index<rows.size()> ix{};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string_view n = rows[i].name;
    for (std::size_t k = 0; k < n.size(); ++k) ix.key[i][k] = n[k];
    ix.key[i][n.size()] = '=';
    ix.key_size[i] = static_cast<std::uint8_t>(n.size() + 1);
  }
  return ix;
}

/// The fast-path index of Record's names.
template <class Record>
inline constexpr auto names_of = make_name_index<Record>();

/// The row of Record called `name` (decoded), or no_row. A loop over the rows: this is the slow
/// path (escaped keys, names without `=`, the round-trip check).
template <class Record>
[[nodiscard]] constexpr row_id lookup_row(std::string_view name) noexcept {
  constexpr const auto& rows = rows_of<Record>;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (rows[i].name == name) return static_cast<row_id>(i);
  return no_row;
}

}  // namespace gdos::detail
