/// @file impl/write_response.hpp
/// @brief The bodies of gdos/write_response.hpp: the writers hand the reply to
/// detail/reply_writer.hpp; the round-trip checks apply their rules here. Included at the end of
/// that header.
#pragma once

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
  return detail::write_to(dest, [&r](auto& sink) { detail::write_response_body(sink, r); });
}

template <response_string S>
constexpr std::string write_response(const basic_response<S>& r) {
  return detail::write_string([&r](auto& sink) { detail::write_response_body(sink, r); });
}

template <response_string S>
constexpr form::write_result write_org_details(const basic_org_details<S>& d,
                                               std::span<char> dest) noexcept {
  return detail::write_to(dest, [&d](auto& sink) { detail::write_org_details_body(sink, d); });
}

template <response_string S>
constexpr std::string write_org_details(const basic_org_details<S>& d) {
  return detail::write_string([&d](auto& sink) { detail::write_org_details_body(sink, d); });
}

constexpr decoded_response make_error_response(api_code code, std::string_view message,
                                               std::optional<std::string_view> item) noexcept {
  decoded_response r;
  r.error_code = code;
  r.error_message = message;
  r.error_item = item;
  return r;
}

constexpr std::string_view to_string(write_errc e) noexcept {
  using enum write_errc;
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
  return "unknown write error";
}

namespace detail {

/// The rules of one index: 1 to max_index, above the one before it (prev 0: the first).
[[nodiscard]] constexpr write_errc check_index(std::uint32_t i, std::uint32_t prev,
                                               const parse_options& opt) noexcept {
  if (i == 0) return write_errc::index_zero;
  if (i > opt.max_index) return write_errc::index_too_large;
  if (i <= prev) return write_errc::not_ascending;
  return write_errc::ok;
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
      const auto d = form::decode_to(text, buf);
      if (!d) return false;
      text = std::string_view(buf.data(), d.size);
    }
  }
  return ((lookup_row<Records>(text) != no_row) || ...);
}

/// The earliest unknown field (position) repeating the level and decoded name of an earlier
/// one, or npos.
template <class U>
[[nodiscard]] constexpr std::size_t first_duplicate(const std::vector<U>& v) {
  constexpr std::size_t npos = static_cast<std::size_t>(-1);
  if (v.size() < 2) return npos;
  scratch idx(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) idx[i] = i;
  heap_sort(idx, [&v](std::uint64_t a, std::uint64_t b) { return unknown_less(v, a, b); });
  std::size_t first = npos;
  for (std::size_t i = 1; i < idx.size(); ++i) {
    const auto& a = v[static_cast<std::size_t>(idx[i - 1])];
    const auto& b = v[static_cast<std::size_t>(idx[i])];
    // Equal ones are sorted by position: idx[i] is a later copy of the run's first.
    if (tag_of(a) == tag_of(b) && str_eq(a.name, b.name))
      first = std::min(first, static_cast<std::size_t>(idx[i]));
  }
  return first;
}

}  // namespace detail

template <response_string S>
constexpr write_check validate(const basic_response<S>& r, const parse_options& options) {
  using e = write_errc;
  using detail::level;
  const auto& orders = r.orders;
  std::size_t fields = detail::count_known(r);
  std::size_t certificates = 0;
  for (std::size_t i = 0; i < orders.size(); ++i) {
    const basic_order<S>& o = orders[i];
    if (const e ec = detail::check_index(o.index, i == 0 ? 0 : orders[i - 1].index, options);
        ec != e::ok)
      return {ec, o.index, 0};
    if (i == options.max_orders) return {e::too_many_orders, o.index, 0};
    fields += detail::count_known(o);
    for (std::size_t j = 0; j < o.certificates.size(); ++j) {
      const basic_certificate<S>& c = o.certificates[j];
      if (const e ec =
              detail::check_index(c.index, j == 0 ? 0 : o.certificates[j - 1].index, options);
          ec != e::ok)
        return {ec, o.index, c.index};
      if (j == options.max_certificates) return {e::too_many_certificates, o.index, c.index};
      fields += detail::count_known(c);
    }
    certificates += o.certificates.size();
  }

  // One flag per order (its position) and per certificate (after the orders, order by order):
  // set when an unknown field belongs to it. `first` holds where each order's certificates
  // start among the flags.
  detail::scratch has_unknown(orders.size() + certificates);
  detail::scratch first(orders.size());
  for (std::size_t i = 0, at = orders.size(); i < orders.size();
       at += orders[i++].certificates.size())
    first[i] = at;
  for (std::size_t k = 0; k < r.unknown_fields.size(); ++k) {
    const basic_unknown_field<S>& u = r.unknown_fields[k];
    level lv = level::top;
    if (u.order != 0) {
      const basic_order<S>* o = r.find_order(u.order);
      if (o == nullptr) return {e::orphan_field, u.order, u.certificate, k};
      const auto op = static_cast<std::size_t>(o - orders.data());
      lv = level::order;
      std::size_t flag = op;
      if (u.certificate != 0) {
        const basic_certificate<S>* c = o->find_certificate(u.certificate);
        if (c == nullptr) return {e::orphan_field, u.order, u.certificate, k};
        lv = level::certificate;
        flag = static_cast<std::size_t>(first[op]) +
               static_cast<std::size_t>(c - o->certificates.data());
      }
      has_unknown[flag] = 1;
    } else if (u.certificate != 0) {
      return {e::orphan_field, 0, u.certificate, k};
    }
    if (lv != level::certificate && detail::starts_with_index(u.name))
      return {e::indexed_name, u.order, u.certificate, k};
    const bool known = lv == level::top     ? detail::is_known_name<basic_response<S>>(u.name)
                       : lv == level::order ? detail::is_known_name<basic_order<S>>(u.name)
                                            : detail::is_known_name<basic_certificate<S>>(u.name);
    if (known) return {e::known_name, u.order, u.certificate, k};
  }

  for (std::size_t i = 0; i < orders.size(); ++i) {
    const basic_order<S>& o = orders[i];
    if (o.certificates.empty() && !has_unknown[i] && detail::count_known(o) == 0)
      return {e::empty, o.index, 0};
    for (std::size_t j = 0; j < o.certificates.size(); ++j) {
      const basic_certificate<S>& c = o.certificates[j];
      if (!has_unknown[static_cast<std::size_t>(first[i]) + j] && detail::count_known(c) == 0)
        return {e::empty, o.index, c.index};
    }
  }

  if (const std::size_t k = detail::first_duplicate(r.unknown_fields); k != write_check::npos) {
    const basic_unknown_field<S>& u = r.unknown_fields[k];
    return {e::duplicate_name, u.order, u.certificate, k};
  }
  fields += r.unknown_fields.size();
  if (fields > options.max_fields) return {e::too_many_fields, 0, 0};
  detail::size_sink size;
  detail::write_response_body(size, r);
  if (size.n > options.max_body_size) return {e::body_too_large, 0, 0};
  return {};
}

template <response_string S>
constexpr write_check validate(const basic_org_details<S>& d, const parse_options& options) {
  using e = write_errc;
  if (!d.status && options.mode == parse_mode::strict) return {e::missing_status, 0, 0};
  const auto& matches = d.matches;
  const auto count = [](const basic_org_match<S>& m) { return detail::count_known(m); };
  std::size_t fields = detail::count_known(d);
  for (std::size_t i = 0; i < matches.size(); ++i) {
    const std::uint32_t n = matches[i].index;
    if (const e ec = detail::check_index(n, i == 0 ? 0 : matches[i - 1].index, options);
        ec != e::ok)
      return {ec, n, 0};
    if (i == options.max_org_matches) return {e::too_many_matches, n, 0};
    fields += count(matches[i]);
  }
  detail::scratch has_unknown(matches.size());
  for (std::size_t k = 0; k < d.unknown_fields.size(); ++k) {
    const basic_org_unknown_field<S>& u = d.unknown_fields[k];
    if (u.match != 0) {
      const auto it = std::lower_bound(
          matches.begin(), matches.end(), u.match,
          [](const basic_org_match<S>& m, std::uint32_t i) { return m.index < i; });
      if (it == matches.end() || it->index != u.match) return {e::orphan_field, u.match, 0, k};
      has_unknown[static_cast<std::size_t>(it - matches.begin())] = 1;
    } else if (detail::starts_with_index(u.name)) {
      return {e::indexed_name, 0, 0, k};
    }
    // An un-indexed match field would go to match 1.
    const bool known =
        u.match != 0 ? detail::is_known_name<basic_org_match<S>>(u.name)
                     : detail::is_known_name<basic_org_details<S>, basic_org_match<S>>(u.name);
    if (known) return {e::known_name, u.match, 0, k};
  }
  for (std::size_t i = 0; i < matches.size(); ++i)
    if (!has_unknown[i] && count(matches[i]) == 0) return {e::empty, matches[i].index, 0};
  if (const std::size_t k = detail::first_duplicate(d.unknown_fields); k != write_check::npos)
    return {e::duplicate_name, d.unknown_fields[k].match, 0, k};
  fields += d.unknown_fields.size();
  if (fields > options.max_fields) return {e::too_many_fields, 0, 0};
  detail::size_sink size;
  detail::write_org_details_body(size, d);
  if (size.n > options.max_body_size) return {e::body_too_large, 0, 0};
  return {};
}

}  // namespace gdos
