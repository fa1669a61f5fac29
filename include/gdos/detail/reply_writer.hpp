/// @file detail/reply_writer.hpp
/// @brief The reply and suggestedOrgDetails writers behind gdos/write_response.hpp: a sizing
/// pass and a writing pass over the same code.
#pragma once

#include <gdos/config.hpp>
#include <gdos/detail/reply_scan.hpp>
#include <gdos/form.hpp>
#include <gdos/response_model.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gdos::detail {

struct size_sink {
  std::size_t n = 0;
  constexpr void put(char) noexcept { ++n; }
  constexpr void put(std::string_view s) noexcept { n += s.size(); }
  constexpr void put_encoded(std::string_view plain) noexcept { n += form::encoded_size(plain); }
  constexpr void put_encoded(char c) noexcept { n += form::is_unreserved(c) || c == ' ' ? 1 : 3; }
};

struct ptr_sink {
  char* p;
  constexpr void put(char c) noexcept { *p++ = c; }
  constexpr void put(std::string_view s) noexcept { p = std::copy(s.begin(), s.end(), p); }
  constexpr void put_encoded(std::string_view plain) noexcept {
    p = form::encode_unchecked(plain, p);
  }
  constexpr void put_encoded(char c) noexcept {
    const char one[1] = {c};
    p = form::encode_unchecked(std::string_view(one, 1), p);
  }
};

/// True when `raw` is already in the form the urlencoded serializer writes, up to the case of
/// hex digits: unreserved bytes, `+` and `%XX`. Such text is copied as it is.
[[nodiscard]] constexpr bool is_serialized_form(std::string_view raw) noexcept {
  const char* p = raw.data();
  const char* end = p + raw.size();
  for (; p != end; ++p) {
    if (form::is_unreserved(*p) || *p == '+') continue;
    if (*p != '%' || !form::detail::valid_escape_at(p, end)) return false;
    p += 2;
  }
  return true;
}

template <class Sink>
constexpr void put_text(Sink& s, std::string_view plain) noexcept {
  s.put_encoded(plain);
}

template <class Sink>
constexpr void put_text(Sink& s, const form::encoded_view& v) noexcept {
  const std::string_view raw = v.encoded();
  if (is_serialized_form(raw)) {
    s.put(raw);
    return;
  }
  // Not in serialized form (say a raw '&' in a view someone built): write decode-then-encode,
  // which has the same decoded text.
  const char* p = raw.data();
  const char* end = p + raw.size();
  while (p != end) s.put_encoded(form::detail::next_decoded(p, end));
}

template <class Sink, class Int>
constexpr void put_decimal(Sink& s, Int v) noexcept {
  s.put(form::detail::to_decimal(v).view());
}

template <class Sink>
constexpr void put_prefix(Sink& s, std::uint32_t x, std::uint32_t y) noexcept {
  s.put('&');
  if (x == 0) return;
  put_decimal(s, x);
  s.put('_');
  if (y == 0) return;
  put_decimal(s, y);
  s.put('_');
}

template <class Sink, class S>
constexpr void put_field(Sink& s, std::uint32_t x, std::uint32_t y, std::string_view name,
                         const std::optional<S>& v) noexcept {
  if (!v) return;
  put_prefix(s, x, y);
  s.put(name);
  s.put('=');
  put_text(s, *v);
}

template <class Sink>
constexpr void put_field(Sink& s, std::uint32_t x, std::uint32_t y, std::string_view name,
                         const std::optional<progress_status>& v) noexcept {
  if (!v) return;
  put_prefix(s, x, y);
  s.put(name);
  s.put('=');
  put_decimal(s, to_int(*v));
}

template <class Sink>
constexpr void put_field(Sink& s, std::uint32_t x, std::uint32_t y, std::string_view name,
                         const std::optional<std::int64_t>& v) noexcept {
  if (!v) return;
  put_prefix(s, x, y);
  s.put(name);
  s.put('=');
  put_decimal(s, *v);
}

/// Writes the unknown fields level by level. When the list is grouped in ascending level order
/// and the orders and certificates are ascending too (what the parser produces), one cursor
/// walks the list once; otherwise each level filters the whole list.
template <class U>
class unknown_cursor {
 public:
  constexpr explicit unknown_cursor(const std::vector<U>& v, bool levels_sorted) noexcept
      : v_(v), sorted_(levels_sorted) {
    for (std::size_t i = 1; i < v.size() && sorted_; ++i)
      sorted_ = tag_of(v[i - 1]) <= tag_of(v[i]);
  }

  template <class Fn>
  constexpr void each(std::uint64_t tag, Fn&& fn) noexcept {
    if (sorted_) {
      while (i_ < v_.size() && tag_of(v_[i_]) < tag) ++i_;
      for (; i_ < v_.size() && tag_of(v_[i_]) == tag; ++i_) fn(v_[i_]);
    } else {
      for (const auto& u : v_)
        if (tag_of(u) == tag) fn(u);
    }
  }

 private:
  const std::vector<U>& v_;
  bool sorted_;
  std::size_t i_ = 0;
};

template <class Sink, class S>
constexpr void write_response_body(Sink& s, const basic_response<S>& r) noexcept {
  s.put("errorCode=");
  put_decimal(s, to_int(r.error_code));
  put_field(s, 0, 0, "errorMessage", r.error_message);
  put_field(s, 0, 0, "errorItem", r.error_item);
  put_field(s, 0, 0, "errorDetail", r.error_detail);
  bool ascending = true;
  for (std::size_t i = 0; i < r.orders.size() && ascending; ++i) {
    ascending = i == 0 || r.orders[i - 1].index < r.orders[i].index;
    const auto& cs = r.orders[i].certificates;
    for (std::size_t j = 1; j < cs.size() && ascending; ++j)
      ascending = cs[j - 1].index < cs[j].index;
  }
  unknown_cursor<basic_unknown_field<S>> unknown(r.unknown_fields, ascending);
  const auto put_unknown = [&s](const basic_unknown_field<S>& u) {
    put_prefix(s, u.order, u.certificate);
    put_text(s, u.name);
    s.put('=');
    put_text(s, u.value);
  };
  unknown.each(0, put_unknown);
  for (const auto& o : r.orders) {
    const std::uint32_t x = o.index;
    put_field(s, x, 0, "orderNumber", o.number);
    put_field(s, x, 0, "orderDateTime", o.date_time);
    put_field(s, x, 0, "orderStatus", o.status);
    put_field(s, x, 0, "orderStatusReason", o.status_reason);
    put_field(s, x, 0, "suggestedOrgDetails", o.suggested_org_details);
    unknown.each(static_cast<std::uint64_t>(x) << 32, put_unknown);
    for (const auto& c : o.certificates) {
      const std::uint32_t y = c.index;
      put_field(s, x, y, "serialNumber", c.serial_number);
      put_field(s, x, y, "objectType", c.object_type);
      put_field(s, x, y, "FQDN", c.fqdn);
      put_field(s, x, y, "certificateStatus", c.status);
      put_field(s, x, y, "certificateStatusReason", c.status_reason);
      put_field(s, x, y, "csrStatus", c.csr_status);
      put_field(s, x, y, "dcvStatus", c.dcv_status);
      put_field(s, x, y, "ovCallBackStatus", c.ov_callback_status);
      put_field(s, x, y, "organizationValidationStatus", c.organization_validation_status);
      put_field(s, x, y, "freeDVUPStatus", c.free_dvup_status);
      put_field(s, x, y, "evClickThroughStatus", c.ev_click_through_status);
      unknown.each((static_cast<std::uint64_t>(x) << 32) | y, put_unknown);
    }
  }
}

template <class Sink, class S>
constexpr void write_org_details_body(Sink& s, const basic_org_details<S>& d) noexcept {
  // Every pair but the first starts with '&': the first one written clears `first`.
  bool first = true;
  const auto sep = [&] {
    if (!first) s.put('&');
    first = false;
  };
  if (d.status) {
    sep();
    s.put("Status=");
    put_text(s, *d.status);
  }
  bool ascending = true;
  for (std::size_t i = 1; i < d.matches.size() && ascending; ++i)
    ascending = d.matches[i - 1].index < d.matches[i].index;
  unknown_cursor<basic_org_unknown_field<S>> unknown(d.unknown_fields, ascending);
  const auto put_unknown = [&](const basic_org_unknown_field<S>& u) {
    sep();
    if (u.match != 0) {
      put_decimal(s, u.match);
      s.put('_');
    }
    put_text(s, u.name);
    s.put('=');
    put_text(s, u.value);
  };
  unknown.each(0, put_unknown);
  for (const auto& m : d.matches) {
    const auto put = [&](std::string_view name, const std::optional<S>& v) {
      if (!v) return;
      sep();
      put_decimal(s, m.index);
      s.put('_');
      s.put(name);
      s.put('=');
      put_text(s, *v);
    };
    put("organizationName", m.organization_name);
    put("streetAddress", m.street_address);
    put("localityName", m.locality_name);
    put("stateOrProvinceName", m.state_or_province_name);
    put("postalCode", m.postal_code);
    put("countryName", m.country_name);
    put("dunsNumber", m.duns_number);
    put("telephoneNumber", m.telephone_number);
    unknown.each(m.index, put_unknown);
  }
}

template <class Body>
[[nodiscard]] constexpr form::write_result write_to(std::span<char> dest,
                                                    const Body& body) noexcept {
  size_sink n;
  body(n);
  if (n.n > dest.size()) return {n.n, false};
  ptr_sink w{dest.data()};
  body(w);
  return {n.n, true};
}

template <class Body>
[[nodiscard]] constexpr std::string write_string(const Body& body) {
  size_sink n;
  body(n);
  std::string out(n.n, '\0');
  ptr_sink w{out.data()};
  body(w);
  return out;
}

}  // namespace gdos::detail
