/// @file impl/progress.hpp
/// @brief The bodies of gdos/progress.hpp: the names of the steps and states, the step states of
/// a certificate, the final-status lists, the walk behind for_each_change() and diff(), and
/// describe(). Included at the end of that header.
#pragma once

#include <gdos/config.hpp>
#include <gdos/form.hpp>
#include <gdos/progress.hpp>
#include <gdos/response.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gdos {

// ---- the six steps ----------------------------------------------------------------------------

constexpr std::string_view to_string(step s) noexcept {
  switch (s) {
    case step::csr:
      return "csr";
    case step::dcv:
      return "dcv";
    case step::ov_callback:
      return "ov_callback";
    case step::organization_validation:
      return "organization_validation";
    case step::free_dvup:
      return "free_dvup";
    case step::ev_click_through:
      return "ev_click_through";
  }
  return "unknown";
}

constexpr std::string_view field_name(step s) noexcept {
  switch (s) {
    case step::csr:
      return "csrStatus";
    case step::dcv:
      return "dcvStatus";
    case step::ov_callback:
      return "ovCallBackStatus";
    case step::organization_validation:
      return "organizationValidationStatus";
    case step::free_dvup:
      return "freeDVUPStatus";
    case step::ev_click_through:
      return "evClickThroughStatus";
  }
  return "unknown";
}

constexpr std::string_view display_name(step s) noexcept {
  switch (s) {
    case step::csr:
      return "CSR";
    case step::dcv:
      return "DCV";
    case step::ov_callback:
      return "OV callback";
    case step::organization_validation:
      return "organization validation";
    case step::free_dvup:
      return "free DV upgrade";
    case step::ev_click_through:
      return "EV click-through";
  }
  return "unknown step";
}

constexpr std::string_view display_name(progress_status s) noexcept {
  switch (s) {
    case progress_status::not_required:
      return "not required";
    case progress_status::not_completed:
      return "not completed";
    case progress_status::completed:
      return "completed";
    case progress_status::in_progress:
      return "in progress";
  }
  return "unknown";
}

constexpr std::string_view next_action(step s) noexcept {
  switch (s) {
    case step::csr:
      return "submit the certificate signing request (CSR)";
    case step::dcv:
      return "complete domain control validation";
    case step::ov_callback:
      return "answer the organization validation callback";
    case step::organization_validation:
      return "provide what the organization validation team asks for";
    case step::free_dvup:
      return "complete the free DV upgrade";
    case step::ev_click_through:
      return "accept the EV click-through (the subscriber agreement e-mail)";
  }
  return "check the order";
}

template <class S>
constexpr std::optional<progress_status> status_of(const basic_certificate<S>& c, step s) noexcept {
  switch (s) {
    case step::csr:
      return c.csr_status;
    case step::dcv:
      return c.dcv_status;
    case step::ov_callback:
      return c.ov_callback_status;
    case step::organization_validation:
      return c.organization_validation_status;
    case step::free_dvup:
      return c.free_dvup_status;
    case step::ev_click_through:
      return c.ev_click_through_status;
  }
  return std::nullopt;
}

// ---- where a certificate stands ---------------------------------------------------------------

constexpr std::string_view to_string(step_state s) noexcept {
  switch (s) {
    case step_state::unknown:
      return "unknown";
    case step_state::pending:
      return "pending";
    case step_state::done:
      return "done";
  }
  return "unknown";
}

constexpr step_state state_of(std::optional<progress_status> s) noexcept {
  if (!s) return step_state::unknown;
  switch (*s) {
    case progress_status::not_completed:
    case progress_status::in_progress:
      return step_state::pending;
    case progress_status::completed:
    case progress_status::not_required:
      return step_state::done;
  }
  return step_state::unknown;
}

template <class S>
constexpr step_state state_of(const basic_certificate<S>& c, step s) noexcept {
  return state_of(status_of(c, s));
}

constexpr std::size_t certificate_progress::count(step_state s) const noexcept {
  std::size_t n = 0;
  for (const step_state x : states) n += x == s ? 1 : 0;
  return n;
}

constexpr step_state certificate_progress::overall() const noexcept {
  if (count(step_state::pending) != 0) return step_state::pending;
  if (count(step_state::unknown) != 0) return step_state::unknown;
  return step_state::done;
}

constexpr std::optional<step> certificate_progress::first_pending() const noexcept {
  for (const step s : all_steps)
    if ((*this)[s] == step_state::pending) return s;
  return std::nullopt;
}

template <class S>
constexpr certificate_progress progress_of(const basic_certificate<S>& c) noexcept {
  certificate_progress p;
  for (const step s : all_steps) p.states[static_cast<std::size_t>(s)] = state_of(c, s);
  return p;
}

// ---- final statuses ---------------------------------------------------------------------------

constexpr std::string_view to_string(final_kind k) noexcept {
  switch (k) {
    case final_kind::not_final:
      return "not_final";
    case final_kind::succeeded:
      return "succeeded";
    case final_kind::failed:
      return "failed";
  }
  return "unknown";
}

template <response_string S>
constexpr final_kind final_statuses::classify(const S& text) const noexcept {
  for (const std::string_view t : succeeded_)
    if (equals(text, t)) return final_kind::succeeded;
  for (const std::string_view t : failed_)
    if (equals(text, t)) return final_kind::failed;
  return final_kind::not_final;
}

// ---- changes between two replies --------------------------------------------------------------

constexpr std::string_view to_string(change_kind k) noexcept {
  switch (k) {
    case change_kind::order_added:
      return "order_added";
    case change_kind::order_removed:
      return "order_removed";
    case change_kind::order_number:
      return "order_number";
    case change_kind::order_date_time:
      return "order_date_time";
    case change_kind::order_status:
      return "order_status";
    case change_kind::order_status_reason:
      return "order_status_reason";
    case change_kind::suggested_org_details:
      return "suggested_org_details";
    case change_kind::certificate_added:
      return "certificate_added";
    case change_kind::certificate_removed:
      return "certificate_removed";
    case change_kind::serial_number:
      return "serial_number";
    case change_kind::object_type:
      return "object_type";
    case change_kind::fqdn:
      return "fqdn";
    case change_kind::certificate_status:
      return "certificate_status";
    case change_kind::certificate_status_reason:
      return "certificate_status_reason";
    case change_kind::step:
      return "step";
  }
  return "unknown";
}

template <class S>
constexpr bool operator==(const basic_change<S>& a, const basic_change<S>& b) noexcept {
  const auto same = [](const std::optional<S>& x, const std::optional<S>& y) {
    return x.has_value() == y.has_value() && (!x || *x == *y);
  };
  return a.kind == b.kind && a.order == b.order && a.certificate == b.certificate &&
         a.which_step == b.which_step && same(a.text_before, b.text_before) &&
         same(a.text_after, b.text_after) && a.number_before == b.number_before &&
         a.number_after == b.number_after && a.step_before == b.step_before &&
         a.step_after == b.step_after;
}

template <class S>
constexpr std::string_view field_name_of(const basic_change<S>& c) noexcept {
  switch (c.kind) {
    case change_kind::order_number:
      return "orderNumber";
    case change_kind::order_date_time:
      return "orderDateTime";
    case change_kind::order_status:
      return "orderStatus";
    case change_kind::order_status_reason:
      return "orderStatusReason";
    case change_kind::suggested_org_details:
      return "suggestedOrgDetails";
    case change_kind::serial_number:
      return "serialNumber";
    case change_kind::object_type:
      return "objectType";
    case change_kind::fqdn:
      return "FQDN";
    case change_kind::certificate_status:
      return "certificateStatus";
    case change_kind::certificate_status_reason:
      return "certificateStatusReason";
    case change_kind::step:
      return field_name(c.which_step);
    case change_kind::order_added:
    case change_kind::order_removed:
    case change_kind::certificate_added:
    case change_kind::certificate_removed:
      break;
  }
  return {};
}

namespace detail {

template <class S>
[[nodiscard]] constexpr bool same_text(const std::optional<S>& a,
                                       const std::optional<S>& b) noexcept {
  return a.has_value() == b.has_value() && (!a || *a == *b);
}

template <class S, class F>
constexpr void text_change(F& emit, change_kind kind, std::uint32_t x, std::uint32_t y,
                           const std::optional<S>& before, const std::optional<S>& after) {
  if (same_text(before, after)) return;
  basic_change<S> c;
  c.kind = kind;
  c.order = x;
  c.certificate = y;
  c.text_before = before;
  c.text_after = after;
  emit(std::as_const(c));
}

template <class S, class F>
constexpr void certificate_changes(F& emit, std::uint32_t x, const basic_certificate<S>& a,
                                   const basic_certificate<S>& b) {
  const std::uint32_t y = b.index;
  text_change(emit, change_kind::serial_number, x, y, a.serial_number, b.serial_number);
  text_change(emit, change_kind::object_type, x, y, a.object_type, b.object_type);
  text_change(emit, change_kind::fqdn, x, y, a.fqdn, b.fqdn);
  text_change(emit, change_kind::certificate_status, x, y, a.status, b.status);
  text_change(emit, change_kind::certificate_status_reason, x, y, a.status_reason, b.status_reason);
  for (const step s : all_steps) {
    const std::optional<progress_status> before = status_of(a, s);
    const std::optional<progress_status> after = status_of(b, s);
    if (before == after) continue;
    basic_change<S> c;
    c.kind = change_kind::step;
    c.order = x;
    c.certificate = y;
    c.which_step = s;
    c.step_before = before;
    c.step_after = after;
    emit(std::as_const(c));
  }
}

template <class S, class F>
constexpr void emit_bare(F& emit, change_kind kind, std::uint32_t x, std::uint32_t y) {
  basic_change<S> c;
  c.kind = kind;
  c.order = x;
  c.certificate = y;
  emit(std::as_const(c));
}

/// Changes of one order present in both replies (`a` may be an empty stand-in for an added
/// order). The certificates are merged by index, which both lists hold in ascending order.
template <class S, class F>
constexpr void order_changes(F& emit, const basic_order<S>& a, const basic_order<S>& b) {
  const std::uint32_t x = b.index;
  if (a.number != b.number) {
    basic_change<S> c;
    c.kind = change_kind::order_number;
    c.order = x;
    c.number_before = a.number;
    c.number_after = b.number;
    emit(std::as_const(c));
  }
  text_change(emit, change_kind::order_date_time, x, 0, a.date_time, b.date_time);
  text_change(emit, change_kind::order_status, x, 0, a.status, b.status);
  text_change(emit, change_kind::order_status_reason, x, 0, a.status_reason, b.status_reason);
  text_change(emit, change_kind::suggested_org_details, x, 0, a.suggested_org_details,
              b.suggested_org_details);

  const auto& ca = a.certificates;
  const auto& cb = b.certificates;
  const basic_certificate<S> none{};
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < ca.size() || j < cb.size()) {
    if (j == cb.size() || (i < ca.size() && ca[i].index < cb[j].index)) {
      emit_bare<S>(emit, change_kind::certificate_removed, x, ca[i].index);
      ++i;
    } else if (i == ca.size() || cb[j].index < ca[i].index) {
      emit_bare<S>(emit, change_kind::certificate_added, x, cb[j].index);
      certificate_changes(emit, x, none, cb[j]);
      ++j;
    } else {
      certificate_changes(emit, x, ca[i], cb[j]);
      ++i;
      ++j;
    }
  }
}

}  // namespace detail

template <response_string S, class F>
constexpr void for_each_change(const basic_response<S>& before, const basic_response<S>& after,
                               F&& f) {
  const auto& a = before.orders;
  const auto& b = after.orders;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].index < b[j].index)) {
      detail::emit_bare<S>(f, change_kind::order_removed, a[i].index, 0);
      ++i;
    } else if (i == a.size() || b[j].index < a[i].index) {
      detail::emit_bare<S>(f, change_kind::order_added, b[j].index, 0);
      basic_order<S> none;
      none.index = b[j].index;
      detail::order_changes(f, none, b[j]);
      ++j;
    } else {
      detail::order_changes(f, a[i], b[j]);
      ++i;
      ++j;
    }
  }
}

template <response_string S>
constexpr std::vector<basic_change<S>> diff(const basic_response<S>& before,
                                            const basic_response<S>& after) {
  std::vector<basic_change<S>> out;
  for_each_change(before, after, [&out](const basic_change<S>& c) { out.push_back(c); });
  return out;
}

template <response_string S>
constexpr std::vector<basic_change<S>> diff(const basic_response<S>& after) {
  std::vector<basic_change<S>> out;
  for_each_change(basic_response<S>{}, after,
                  [&out](const basic_change<S>& c) { out.push_back(c); });
  return out;
}

// ---- describe() -------------------------------------------------------------------------------

namespace detail {

inline void describe_printable(std::string& out, std::string_view text) {
  constexpr std::size_t max = 80;
  const std::size_t n = text.size() < max ? text.size() : max;
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    out.push_back(c >= 0x20 && c < 0x7f ? text[i] : '?');
  }
  if (n < text.size()) out += "...";
}

inline void describe_text(std::string& out, const std::optional<std::string_view>& text) {
  if (!text) {
    out += "(absent)";
    return;
  }
  out += '"';
  describe_printable(out, *text);
  out += '"';
}

inline void describe_text(std::string& out, const std::optional<form::encoded_view>& text) {
  if (!text) {
    out += "(absent)";
    return;
  }
  const std::string plain = text->decode();
  describe_text(out, std::optional<std::string_view>(plain));
}

inline void describe_step(std::string& out, std::optional<progress_status> s) {
  if (!s)
    out += "(absent)";
  else if (is_known(*s))
    out += to_string(*s);
  else
    out += "undocumented value " + std::to_string(to_int(*s));
}

}  // namespace detail

template <response_string S>
std::string describe(const basic_change<S>& c) {
  std::string out = "order " + std::to_string(c.order);
  if (c.certificate != 0) out += " certificate " + std::to_string(c.certificate);
  const char* replacement = c.order >= 2 ? " (replacement)" : "";
  switch (c.kind) {
    case change_kind::order_added:
      return out + replacement + " appeared";
    case change_kind::order_removed:
      return out + replacement + " disappeared";
    case change_kind::certificate_added:
      return out + " appeared";
    case change_kind::certificate_removed:
      return out + " disappeared";
    case change_kind::order_number:
      out += ": orderNumber ";
      out += c.number_before ? std::to_string(*c.number_before) : "(absent)";
      out += " -> ";
      out += c.number_after ? std::to_string(*c.number_after) : "(absent)";
      return out;
    case change_kind::step:
      out += ": ";
      out += display_name(c.which_step);
      out += ' ';
      detail::describe_step(out, c.step_before);
      out += " -> ";
      detail::describe_step(out, c.step_after);
      if (c.state_after() == step_state::pending) {
        out += "; next: ";
        out += next_action(c.which_step);
      }
      return out;
    case change_kind::order_date_time:
    case change_kind::order_status:
    case change_kind::order_status_reason:
    case change_kind::suggested_org_details:
    case change_kind::serial_number:
    case change_kind::object_type:
    case change_kind::fqdn:
    case change_kind::certificate_status:
    case change_kind::certificate_status_reason:
      break;
  }
  out += ": ";
  out += field_name_of(c);
  out += ' ';
  detail::describe_text(out, c.text_before);
  out += " -> ";
  detail::describe_text(out, c.text_after);
  return out;
}

}  // namespace gdos
