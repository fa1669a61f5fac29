/// @file progress_model.hpp
/// @brief The "observable state" of a reply as plain owning values, and an independent
/// implementation of applying gdos::diff()'s change records to it, shared by
/// tests/test_progress.cpp and fuzz/fuzz_progress.cpp.
///
/// The property both check: `apply(observe(a), diff(a, b)) == observe(b)`, with every record
/// consistent on the way (its before-value is the current one, its after-value differs, it adds
/// only what is missing and removes only what is there). The state holds exactly the fields
/// progress.hpp documents as compared; it is built by walking the reply's members, not through
/// anything in progress.hpp, so the check is not the code under test agreeing with itself.
#pragma once

#include <gdos/progress.hpp>
#include <gdos/response.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace gdos_test {

/// The compared fields of one certificate, decoded.
struct certificate_state {
  std::optional<std::string> serial_number, object_type, fqdn, status, status_reason;
  std::array<std::optional<std::int32_t>, 6> steps{};  // csr, dcv, ov, org, dvup, ev
  friend bool operator==(const certificate_state&, const certificate_state&) = default;
};

/// The compared fields of one order, decoded, with its certificates by index.
struct order_state {
  std::optional<std::int64_t> number;
  std::optional<std::string> date_time, status, status_reason, suggested_org_details;
  std::map<std::uint32_t, certificate_state> certificates;
  friend bool operator==(const order_state&, const order_state&) = default;
};

/// A reply's orders by index.
using reply_state = std::map<std::uint32_t, order_state>;

inline std::string plain(std::string_view s) { return std::string(s); }
inline std::string plain(const gdos::form::encoded_view& s) { return s.decode(); }

template <class S>
std::optional<std::string> plain(const std::optional<S>& s) {
  if (!s) return std::nullopt;
  return plain(*s);
}

inline std::optional<std::int32_t> plain(std::optional<gdos::progress_status> s) {
  if (!s) return std::nullopt;
  return static_cast<std::int32_t>(*s);
}

/// The observable state of `r`.
template <class S>
reply_state observe(const gdos::basic_response<S>& r) {
  reply_state out;
  for (const auto& o : r.orders) {
    order_state& os = out[o.index];
    os.number = o.number;
    os.date_time = plain(o.date_time);
    os.status = plain(o.status);
    os.status_reason = plain(o.status_reason);
    os.suggested_org_details = plain(o.suggested_org_details);
    for (const auto& c : o.certificates) {
      certificate_state& cs = os.certificates[c.index];
      cs.serial_number = plain(c.serial_number);
      cs.object_type = plain(c.object_type);
      cs.fqdn = plain(c.fqdn);
      cs.status = plain(c.status);
      cs.status_reason = plain(c.status_reason);
      cs.steps = {plain(c.csr_status),         plain(c.dcv_status),
                  plain(c.ov_callback_status), plain(c.organization_validation_status),
                  plain(c.free_dvup_status),   plain(c.ev_click_through_status)};
    }
  }
  return out;
}

/// Applies `c` to `state`. Returns an empty string, or why the record is inconsistent with
/// the state (then the state may be partly changed).
template <class S>
std::string apply(reply_state& state, const gdos::basic_change<S>& c) {
  using k = gdos::change_kind;
  const auto order_it = state.find(c.order);
  if (c.kind == k::order_added) {
    if (c.certificate != 0) return "order_added with a certificate index";
    if (order_it != state.end()) return "order_added for an order that is there";
    state[c.order];
    return {};
  }
  if (order_it == state.end()) return "a change of an order that is not there";
  order_state& o = order_it->second;
  if (c.kind == k::order_removed) {
    if (c.certificate != 0) return "order_removed with a certificate index";
    state.erase(order_it);
    return {};
  }
  const auto set_text = [&c](std::optional<std::string>& field) -> std::string {
    const std::optional<std::string> before = plain(c.text_before);
    const std::optional<std::string> after = plain(c.text_after);
    if (field != before) return "text_before is not the current value";
    if (before == after) return "a text change that changes nothing";
    field = after;
    return {};
  };
  if (c.certificate == 0) {
    switch (c.kind) {
      case k::order_number:
        if (o.number != c.number_before) return "number_before is not the current value";
        if (c.number_before == c.number_after) return "a number change that changes nothing";
        o.number = c.number_after;
        return {};
      case k::order_date_time:
        return set_text(o.date_time);
      case k::order_status:
        return set_text(o.status);
      case k::order_status_reason:
        return set_text(o.status_reason);
      case k::suggested_org_details:
        return set_text(o.suggested_org_details);
      default:
        return "a certificate change without a certificate index";
    }
  }
  const auto cert_it = o.certificates.find(c.certificate);
  if (c.kind == k::certificate_added) {
    if (cert_it != o.certificates.end()) return "certificate_added for one that is there";
    o.certificates[c.certificate];
    return {};
  }
  if (cert_it == o.certificates.end()) return "a change of a certificate that is not there";
  certificate_state& cs = cert_it->second;
  switch (c.kind) {
    case k::certificate_removed:
      o.certificates.erase(cert_it);
      return {};
    case k::serial_number:
      return set_text(cs.serial_number);
    case k::object_type:
      return set_text(cs.object_type);
    case k::fqdn:
      return set_text(cs.fqdn);
    case k::certificate_status:
      return set_text(cs.status);
    case k::certificate_status_reason:
      return set_text(cs.status_reason);
    case k::step: {
      auto& field = cs.steps.at(static_cast<std::size_t>(c.which_step));
      if (field != plain(c.step_before)) return "step_before is not the current value";
      if (c.step_before == c.step_after) return "a step change that changes nothing";
      field = plain(c.step_after);
      return {};
    }
    default:
      return "an order change with a certificate index";
  }
}

/// Applies every change of `changes` to `state` in order; the first inconsistency, or empty.
template <class Changes>
std::string apply_all(reply_state& state, const Changes& changes) {
  for (const auto& c : changes) {
    std::string why = apply(state, c);
    if (!why.empty()) return std::string(gdos::to_string(c.kind)) + ": " + why;
  }
  return {};
}

/// A decoded_response holding `state` (its strings live in `store`, which must outlive it).
inline gdos::decoded_response build(const reply_state& state, std::deque<std::string>& store) {
  const auto keep = [&store](const std::optional<std::string>& s) {
    return s ? std::optional<std::string_view>(store.emplace_back(*s)) : std::nullopt;
  };
  const auto status = [](const std::optional<std::int32_t>& v) {
    return v ? std::optional<gdos::progress_status>(static_cast<gdos::progress_status>(*v))
             : std::nullopt;
  };
  gdos::decoded_response r;
  for (const auto& [x, os] : state) {
    gdos::decoded_order& o = r.orders.emplace_back();
    o.index = x;
    o.number = os.number;
    o.date_time = keep(os.date_time);
    o.status = keep(os.status);
    o.status_reason = keep(os.status_reason);
    o.suggested_org_details = keep(os.suggested_org_details);
    for (const auto& [y, cs] : os.certificates) {
      gdos::decoded_certificate& c = o.certificates.emplace_back();
      c.index = y;
      c.serial_number = keep(cs.serial_number);
      c.object_type = keep(cs.object_type);
      c.fqdn = keep(cs.fqdn);
      c.status = keep(cs.status);
      c.status_reason = keep(cs.status_reason);
      c.csr_status = status(cs.steps[0]);
      c.dcv_status = status(cs.steps[1]);
      c.ov_callback_status = status(cs.steps[2]);
      c.organization_validation_status = status(cs.steps[3]);
      c.free_dvup_status = status(cs.steps[4]);
      c.ev_click_through_status = status(cs.steps[5]);
    }
  }
  return r;
}

}  // namespace gdos_test
