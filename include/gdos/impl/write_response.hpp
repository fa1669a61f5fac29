/// @file impl/write_response.hpp
/// @brief The bodies of gdos/write_response.hpp: the writers hand the reply to
/// detail/reply_writer.hpp; the round-trip checks apply their rules here. Included at the end of
/// that header.
#pragma once

#include <gdos/detail/decimal.hpp>
#include <gdos/detail/reply_fields.hpp>
#include <gdos/detail/reply_scan.hpp>
#include <gdos/detail/reply_tables.hpp>
#include <gdos/detail/reply_writer.hpp>
#include <gdos/write_response.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gdos {

template <response_string S>
constexpr form::write_result write_response(const basic_response<S>& r,
                                            std::span<char> dest) noexcept {
  const detail::level_walk walk(r.unknown_fields);
  return detail::write_to(dest,
                          [&r, &walk](auto& sink) { detail::write_response_body(sink, r, walk); });
}

template <response_string S>
constexpr std::string write_response(const basic_response<S>& r) {
  const detail::level_walk walk(r.unknown_fields);
  return detail::write_string(
      [&r, &walk](auto& sink) { detail::write_response_body(sink, r, walk); });
}

template <response_string S>
constexpr form::write_result write_org_details(const basic_org_details<S>& d,
                                               std::span<char> dest) noexcept {
  const detail::level_walk walk(d.unknown_fields);
  return detail::write_to(
      dest, [&d, &walk](auto& sink) { detail::write_org_details_body(sink, d, walk); });
}

template <response_string S>
constexpr std::string write_org_details(const basic_org_details<S>& d) {
  const detail::level_walk walk(d.unknown_fields);
  return detail::write_string(
      [&d, &walk](auto& sink) { detail::write_org_details_body(sink, d, walk); });
}

constexpr decoded_response make_error_response(api_code code, std::string_view message,
                                               std::optional<std::string_view> item) noexcept {
  decoded_response r;
  r.error_code = code;
  r.error_message = message;
  r.error_item = item;
  return r;
}

constexpr std::string_view to_string(round_trip_errc e) noexcept {
  using enum round_trip_errc;
  switch (e) {
    case ok:
      return "ok";
    case index_zero:
      return "index_zero";
    case index_too_large:
      return "index_too_large";
    case not_ascending:
      return "not_ascending";
    case too_many_orders:
      return "too_many_orders";
    case too_many_certificates:
      return "too_many_certificates";
    case too_many_matches:
      return "too_many_matches";
    case orphan_field:
      return "orphan_field";
    case indexed_name:
      return "indexed_name";
    case known_name:
      return "known_name";
    case empty:
      return "empty";
    case duplicate_name:
      return "duplicate_name";
    case missing_status:
      return "missing_status";
    case too_many_fields:
      return "too_many_fields";
    case body_too_large:
      return "body_too_large";
  }
  return "unknown";
}

constexpr std::string_view message(round_trip_errc e) noexcept {
  using enum round_trip_errc;
  switch (e) {
    case ok:
      return "ok";
    case index_zero:
      return "index 0 (indices start at 1)";
    case index_too_large:
      return "index larger than the configured maximum";
    case not_ascending:
      return "indices not strictly ascending";
    case too_many_orders:
      return "more orders than the configured maximum";
    case too_many_certificates:
      return "more certificates in one order than the configured maximum";
    case too_many_matches:
      return "more organizations than the configured maximum";
    case orphan_field:
      return "unknown field of an order, certificate or match that does not exist";
    case indexed_name:
      return "unknown field whose name starts with an index prefix";
    case known_name:
      return "unknown field named like a known field of its level";
    case empty:
      return "order, certificate or match without any field";
    case duplicate_name:
      return "unknown field named like an earlier one of its level";
    case missing_status:
      return "suggestedOrgDetails list without Status";
    case too_many_fields:
      return "more fields than the configured maximum";
    case body_too_large:
      return "text larger than the configured maximum body size";
  }
  return "unknown round-trip error";
}

inline std::string round_trip_check::message() const {
  if (code == round_trip_errc::ok) return "ok";
  std::string out(gdos::message(code));
  std::string_view sep = ": ";
  const auto where = [&](std::string_view what, std::uint64_t v) {
    out += sep;
    out += what;
    out += ' ';
    out += detail::to_decimal(v).view();
    sep = ", ";
  };
  if (order != 0) where("order", order);
  if (certificate != 0) where("certificate", certificate);
  if (match != 0) where("match", match);
  if (unknown_index != npos) where("unknown field", unknown_index);
  return out;
}

namespace detail {

/// The rules of one index: 1 to max_index, above the one before it (prev 0: the first).
[[nodiscard]] constexpr round_trip_errc check_index(std::uint32_t i, std::uint32_t prev,
                                                    const parse_options& opt) noexcept {
  if (i == 0) return round_trip_errc::index_zero;
  if (i > opt.max_index) return round_trip_errc::index_too_large;
  if (i <= prev) return round_trip_errc::not_ascending;
  return round_trip_errc::ok;
}

/// True when the decoded name starts with `[+-]?digits_` (any value): the parsers would read an
/// index there.
template <class S>
[[nodiscard]] constexpr bool starts_with_index(const S& name) noexcept {
  const std::string_view raw = raw_text(name);
  constexpr bool decode = std::same_as<S, form::encoded_view>;
  return parse_index<decode>(raw.data(), raw.data() + raw.size(), 0xFFFFFFFFu).status !=
         index_status::none;
}

/// True when the decoded `name` is a known field of one of Records: the parsers would store it
/// there rather than keep it as an unknown field.
template <class... Records, class S>
[[nodiscard]] constexpr bool is_known_name(const S& name) noexcept {
  std::string_view text = raw_text(name);
  // As the parsers do: a name that decodes to more than the longest known name is unknown.
  std::array<char, max_name_size + 4> buf{};
  if constexpr (std::same_as<S, form::encoded_view>) {
    if (form::needs_decoding(text)) {
      const std::size_t n = decode_short(text, buf);
      if (n == static_cast<std::size_t>(-1)) return false;
      text = std::string_view(buf.data(), n);
    }
  }
  return ((lookup_row<Records>(text) != no_row) || ...);
}

/// The earliest unknown field (position) repeating the level and decoded name of an earlier
/// one, or npos: the parser's deferred check (O(n log n) whatever the names).
template <class U>
[[nodiscard]] constexpr std::size_t first_duplicate(const std::vector<U>& v) {
  return unknown_dedup::first_repeat(v);
}

// ---- the rules, one function each, in the order check_round_trip() applies them ---------------
//
// The unknown-field rules look each field up by its level (a binary search of orders,
// certificates or matches); duplicates are found by hashing the names (first_duplicate()); the
// text is sized in list order (checked_response_size()), never level by level.

constexpr round_trip_check in_reply(round_trip_errc e, std::uint32_t x, std::uint32_t y,
                                    std::size_t k = round_trip_check::npos) noexcept {
  return {.code = e, .order = x, .certificate = y, .match = 0, .unknown_index = k};
}

constexpr round_trip_check in_list(round_trip_errc e, std::uint32_t n,
                                   std::size_t k = round_trip_check::npos) noexcept {
  return {.code = e, .order = 0, .certificate = 0, .match = n, .unknown_index = k};
}

/// Which orders and certificates of a reply have an unknown field: one flag per order (its
/// position), then one per certificate, order by order.
class reply_flags {
 public:
  template <class S>
  constexpr explicit reply_flags(const basic_response<S>& r) : first_(r.orders.size()) {
    std::size_t at = r.orders.size();
    for (std::size_t i = 0; i < r.orders.size(); at += r.orders[i++].certificates.size())
      first_[i] = at;
    scratch(at).swap(flags_);
  }
  constexpr void set_order(std::size_t op) noexcept { flags_[op] = 1; }
  constexpr void set_certificate(std::size_t op, std::size_t cp) noexcept {
    flags_[static_cast<std::size_t>(first_[op]) + cp] = 1;
  }
  [[nodiscard]] constexpr bool order(std::size_t op) const noexcept { return flags_[op] != 0; }
  [[nodiscard]] constexpr bool certificate(std::size_t op, std::size_t cp) const noexcept {
    return flags_[static_cast<std::size_t>(first_[op]) + cp] != 0;
  }

 private:
  scratch first_;
  scratch flags_;
};

/// Rule 1 of a reply: indices and counts of orders and certificates. Adds the known fields to
/// `fields`.
template <class S>
[[nodiscard]] constexpr round_trip_check reply_indices(const basic_response<S>& r,
                                                       const parse_options& options,
                                                       std::size_t& fields) noexcept {
  using e = round_trip_errc;
  const auto& orders = r.orders;
  fields += count_known(r);
  for (std::size_t i = 0; i < orders.size(); ++i) {
    const basic_order<S>& o = orders[i];
    if (const e c = check_index(o.index, i == 0 ? 0 : orders[i - 1].index, options); c != e::ok)
      return in_reply(c, o.index, 0);
    if (i == options.max_orders) return in_reply(e::too_many_orders, o.index, 0);
    fields += count_known(o);
    for (std::size_t j = 0; j < o.certificates.size(); ++j) {
      const basic_certificate<S>& c = o.certificates[j];
      if (const e ce = check_index(c.index, j == 0 ? 0 : o.certificates[j - 1].index, options);
          ce != e::ok)
        return in_reply(ce, o.index, c.index);
      if (j == options.max_certificates)
        return in_reply(e::too_many_certificates, o.index, c.index);
      fields += count_known(c);
    }
  }
  return {};
}

/// Rule 2 of a reply: each unknown field belongs to an existing order and certificate, is not
/// read as an index prefix, and is not named like a known field of its level. Flags the orders
/// and certificates that have one.
template <class S>
[[nodiscard]] constexpr round_trip_check reply_unknown_fields(const basic_response<S>& r,
                                                              reply_flags& has_unknown) noexcept {
  using e = round_trip_errc;
  for (std::size_t k = 0; k < r.unknown_fields.size(); ++k) {
    const basic_unknown_field<S>& u = r.unknown_fields[k];
    level lv = level::top;
    if (u.order != 0) {
      const basic_order<S>* o = r.find_order(u.order);
      if (o == nullptr) return in_reply(e::orphan_field, u.order, u.certificate, k);
      const auto op = static_cast<std::size_t>(o - r.orders.data());
      lv = level::order;
      if (u.certificate == 0) {
        has_unknown.set_order(op);
      } else {
        const basic_certificate<S>* c = o->find_certificate(u.certificate);
        if (c == nullptr) return in_reply(e::orphan_field, u.order, u.certificate, k);
        lv = level::certificate;
        has_unknown.set_certificate(op, static_cast<std::size_t>(c - o->certificates.data()));
      }
    } else if (u.certificate != 0) {
      return in_reply(e::orphan_field, 0, u.certificate, k);
    }
    if (lv != level::certificate && starts_with_index(u.name))
      return in_reply(e::indexed_name, u.order, u.certificate, k);
    const bool known = lv == level::top     ? is_known_name<basic_response<S>>(u.name)
                       : lv == level::order ? is_known_name<basic_order<S>>(u.name)
                                            : is_known_name<basic_certificate<S>>(u.name);
    if (known) return in_reply(e::known_name, u.order, u.certificate, k);
  }
  return {};
}

/// Rule 3 of a reply: each order and certificate has a field, known or unknown.
template <class S>
[[nodiscard]] constexpr round_trip_check reply_entries(const basic_response<S>& r,
                                                       const reply_flags& has_unknown) noexcept {
  for (std::size_t i = 0; i < r.orders.size(); ++i) {
    const basic_order<S>& o = r.orders[i];
    if (o.certificates.empty() && !has_unknown.order(i) && count_known(o) == 0)
      return in_reply(round_trip_errc::empty, o.index, 0);
    for (std::size_t j = 0; j < o.certificates.size(); ++j)
      if (!has_unknown.certificate(i, j) && count_known(o.certificates[j]) == 0)
        return in_reply(round_trip_errc::empty, o.index, o.certificates[j].index);
  }
  return {};
}

/// The last rule of both: at most max_fields fields, and at most max_body_size bytes of text
/// (`size`, what the writer would write).
[[nodiscard]] constexpr round_trip_errc check_limits(std::size_t fields, std::size_t size,
                                                     const parse_options& options) noexcept {
  if (fields > options.max_fields) return round_trip_errc::too_many_fields;
  if (size > options.max_body_size) return round_trip_errc::body_too_large;
  return round_trip_errc::ok;
}

/// Rule 1 of a suggestedOrgDetails list: `Status` in strict mode; the matches' indices and count.
/// Adds the known fields to `fields`.
template <class S>
[[nodiscard]] constexpr round_trip_check list_matches(const basic_org_details<S>& d,
                                                      const parse_options& options,
                                                      std::size_t& fields) noexcept {
  using e = round_trip_errc;
  if (!d.status && options.mode == parse_mode::strict) return in_list(e::missing_status, 0);
  fields += count_known(d);
  for (std::size_t i = 0; i < d.matches.size(); ++i) {
    const std::uint32_t n = d.matches[i].index;
    if (const e c = check_index(n, i == 0 ? 0 : d.matches[i - 1].index, options); c != e::ok)
      return in_list(c, n);
    if (i == options.max_org_matches) return in_list(e::too_many_matches, n);
    fields += count_known(d.matches[i]);
  }
  return {};
}

/// Rule 2 of a list: each unknown field belongs to an existing match (or none), an un-indexed
/// one is not read as an index prefix, and none is named like a known field it would become.
/// Flags the matches that have one.
template <class S>
[[nodiscard]] constexpr round_trip_check list_unknown_fields(const basic_org_details<S>& d,
                                                             scratch& has_unknown) noexcept {
  using e = round_trip_errc;
  const auto& matches = d.matches;
  for (std::size_t k = 0; k < d.unknown_fields.size(); ++k) {
    const basic_org_unknown_field<S>& u = d.unknown_fields[k];
    if (u.match != 0) {
      const auto it = std::lower_bound(
          matches.begin(), matches.end(), u.match,
          [](const basic_org_match<S>& m, std::uint32_t i) { return m.index < i; });
      if (it == matches.end() || it->index != u.match) return in_list(e::orphan_field, u.match, k);
      has_unknown[static_cast<std::size_t>(it - matches.begin())] = 1;
    } else if (starts_with_index(u.name)) {
      return in_list(e::indexed_name, 0, k);
    }
    // An un-indexed match field would go to match 1.
    const bool known = u.match != 0
                           ? is_known_name<basic_org_match<S>>(u.name)
                           : is_known_name<basic_org_details<S>, basic_org_match<S>>(u.name);
    if (known) return in_list(e::known_name, u.match, k);
  }
  return {};
}

}  // namespace detail

template <response_string S>
constexpr round_trip_check check_round_trip(const basic_response<S>& r,
                                            const parse_options& options) {
  std::size_t fields = 0;
  if (const auto c = detail::reply_indices(r, options, fields); !c) return c;
  detail::reply_flags has_unknown(r);
  if (const auto c = detail::reply_unknown_fields(r, has_unknown); !c) return c;
  if (const auto c = detail::reply_entries(r, has_unknown); !c) return c;
  if (const std::size_t k = detail::first_duplicate(r.unknown_fields);
      k != round_trip_check::npos) {
    const basic_unknown_field<S>& u = r.unknown_fields[k];
    return detail::in_reply(round_trip_errc::duplicate_name, u.order, u.certificate, k);
  }
  // Rules 1 and 2 hold: each pair is written once, so the text can be sized in list order.
  return detail::in_reply(detail::check_limits(fields + r.unknown_fields.size(),
                                               detail::checked_response_size(r), options),
                          0, 0);
}

template <response_string S>
constexpr round_trip_check check_round_trip(const basic_org_details<S>& d,
                                            const parse_options& options) {
  std::size_t fields = 0;
  if (const auto c = detail::list_matches(d, options, fields); !c) return c;
  detail::scratch has_unknown(d.matches.size());
  if (const auto c = detail::list_unknown_fields(d, has_unknown); !c) return c;
  // Rule 4: each match has a field, known or unknown.
  for (std::size_t i = 0; i < d.matches.size(); ++i)
    if (!has_unknown[i] && detail::count_known(d.matches[i]) == 0)
      return detail::in_list(round_trip_errc::empty, d.matches[i].index);
  // Rule 5: no two unknown fields of one match share a name.
  if (const std::size_t k = detail::first_duplicate(d.unknown_fields); k != round_trip_check::npos)
    return detail::in_list(round_trip_errc::duplicate_name, d.unknown_fields[k].match, k);
  return detail::in_list(detail::check_limits(fields + d.unknown_fields.size(),
                                              detail::checked_org_details_size(d), options),
                         0);
}

}  // namespace gdos
