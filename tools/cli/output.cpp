#include "output.hpp"

#include "exit_codes.hpp"
#include "json_writer.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <span>
#include <utility>

namespace gdos_cli {
namespace {

using org_unknown_field = gdos::basic_org_unknown_field<gdos::form::encoded_view>;

// ---- vocabulary --------------------------------------------------------------------------------

using progress_member = std::optional<gdos::progress_status> gdos::certificate::*;

struct progress_field {
  std::string_view wire;
  progress_member member;
};

constexpr progress_field progress_fields[] = {
    {"csrStatus", &gdos::certificate::csr_status},
    {"dcvStatus", &gdos::certificate::dcv_status},
    {"ovCallBackStatus", &gdos::certificate::ov_callback_status},
    {"organizationValidationStatus", &gdos::certificate::organization_validation_status},
    {"freeDVUPStatus", &gdos::certificate::free_dvup_status},
    {"evClickThroughStatus", &gdos::certificate::ev_click_through_status},
};

// ---- unknown fields, grouped by level once -----------------------------------------------------

std::uint64_t level_of(const gdos::unknown_field& u) {
  return (static_cast<std::uint64_t>(u.order) << 32) | u.certificate;
}
std::uint64_t level_of(const org_unknown_field& u) { return u.match; }
constexpr std::uint64_t level(std::uint32_t order, std::uint32_t certificate = 0) {
  return (static_cast<std::uint64_t>(order) << 32) | certificate;
}

// The fields of a list sorted by level (body order within a level), looked up by binary
// search: n log n once, instead of a walk over the whole list per order and certificate.
template <class U>
class by_level {
 public:
  explicit by_level(const std::vector<U>& all) : sorted_(all.size()) {
    std::transform(all.begin(), all.end(), sorted_.begin(), [](const U& u) { return &u; });
    // By level, then by position in the list (the pointers' order): body order within a level.
    // (Not std::stable_sort: clang warns that libstdc++ 12's uses a deprecated function.)
    std::sort(sorted_.begin(), sorted_.end(), [](const U* a, const U* b) {
      return level_of(*a) != level_of(*b) ? level_of(*a) < level_of(*b) : a < b;
    });
  }
  [[nodiscard]] std::span<const U* const> of(std::uint64_t tag) const {
    const auto lo = std::lower_bound(sorted_.begin(), sorted_.end(), tag,
                                     [](const U* u, std::uint64_t t) { return level_of(*u) < t; });
    const auto hi = std::upper_bound(lo, sorted_.end(), tag,
                                     [](std::uint64_t t, const U* u) { return t < level_of(*u); });
    return {lo, hi};
  }

 private:
  std::vector<const U*> sorted_;
};

// One level's unknown fields decoded (bytes, not yet made UTF-8 or printable), split into the
// values of typed fields the lenient parser could not read (a name in `typed`) and the others.
struct level_fields {
  std::vector<std::pair<std::string, std::string>> unknown;  // name, value; body order
  std::vector<std::pair<std::string, std::string>> unparsed;
};

template <class U>
level_fields decode_level(std::span<const U* const> fields,
                          std::span<const std::string_view> typed = {}) {
  level_fields out;
  out.unknown.reserve(fields.size());
  for (const U* u : fields) {
    std::string name = u->name.decode();
    const bool is_typed = std::find(typed.begin(), typed.end(), name) != typed.end();
    (is_typed ? out.unparsed : out.unknown).emplace_back(std::move(name), u->value.decode());
  }
  return out;
}

// ---- the table ---------------------------------------------------------------------------------

void row(std::string& out, int indent, std::string_view label, std::string_view value) {
  if (value.empty()) return;
  out.append(static_cast<std::size_t>(indent), ' ');
  out += label;
  // Padded to 30 characters (UTF-8 continuation bytes take no column).
  const auto width = static_cast<std::size_t>(std::count_if(label.begin(), label.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  }));
  out.append(width < 30 ? 30 - width : 0, ' ');
  out += ' ';
  out += value;
  out += '\n';
}

void unknown_rows(std::string& out, int indent, const level_fields& f) {
  for (const auto& [name, value] : f.unparsed)
    row(out, indent, clean(name) + " (unparsed)", clean(value));
  for (const auto& [name, value] : f.unknown) row(out, indent, clean(name), clean(value));
}

void org_details_table(std::string& out, const gdos::order& o) {
  if (!o.suggested_org_details) return;
  const std::string list = o.suggested_org_details->decode();
  const auto d = gdos::parse_org_details(list, {.mode = gdos::parse_mode::lenient});
  if (!d) {
    row(out, 2, "suggestedOrgDetails", clean(list) + "  (unparsed: " + d.error().message() + ")");
    return;
  }
  row(out, 2, "suggestedOrgDetails", d->status ? text(d->status) : "(no Status)");
  const by_level<org_unknown_field> unknown(d->unknown_fields);
  unknown_rows(out, 4, decode_level(unknown.of(0)));
  for (const gdos::org_match& m : d->matches) {
    out += fmt::format("    organization {}\n", m.index);
    row(out, 6, "organizationName", text(m.organization_name));
    row(out, 6, "streetAddress", text(m.street_address));
    row(out, 6, "localityName", text(m.locality_name));
    row(out, 6, "stateOrProvinceName", text(m.state_or_province_name));
    row(out, 6, "postalCode", text(m.postal_code));
    row(out, 6, "countryName", text(m.country_name));
    row(out, 6, "dunsNumber", text(m.duns_number));
    row(out, 6, "telephoneNumber", text(m.telephone_number));
    unknown_rows(out, 6, decode_level(unknown.of(m.index)));
  }
}

constexpr std::string_view order_typed[] = {"orderNumber"};
constexpr std::string_view certificate_typed[] = {
    "csrStatus",      "dcvStatus",           "ovCallBackStatus", "organizationValidationStatus",
    "freeDVUPStatus", "evClickThroughStatus"};

// ---- JSON --------------------------------------------------------------------------------------

void put(json_writer& w, std::string_view key, const std::optional<gdos::form::encoded_view>& v) {
  if (v) w.member(key, utf8_text(v->decode()));
}

void put_unparsed(json_writer& w, const level_fields& f, std::string_view name) {
  bool any = false;
  for (const auto& [n, v] : f.unparsed) {
    if (n != name) continue;
    if (!any) {
      w.key("unparsed");
      w.begin_array();
      any = true;
    }
    w.value(utf8_text(v));
  }
  if (any) w.end_array();
}

bool has_unparsed(const level_fields& f, std::string_view name) {
  return std::any_of(f.unparsed.begin(), f.unparsed.end(),
                     [name](const auto& p) { return p.first == name; });
}

// `"unknownFields": {...}`: each name once, in body order; a name met more than once at one
// level (possible only when names differ in bytes that are not UTF-8, which all read as U+FFFD)
// gets an array of its values.
void unknown_json(json_writer& w, const level_fields& f) {
  std::vector<std::pair<std::string, std::string>> u;
  u.reserve(f.unknown.size());
  for (const auto& [name, value] : f.unknown) u.emplace_back(utf8_text(name), utf8_text(value));
  std::vector<std::size_t> by_name(u.size());
  std::iota(by_name.begin(), by_name.end(), std::size_t{0});
  std::sort(by_name.begin(), by_name.end(), [&u](std::size_t a, std::size_t b) {
    const int c = u[a].first.compare(u[b].first);
    return c != 0 ? c < 0 : a < b;
  });
  // first[i]: the first position with u[i]'s name; count[first]: how many share it.
  std::vector<std::size_t> first(u.size());
  std::vector<std::size_t> count(u.size(), 0);
  for (std::size_t k = 0; k < by_name.size();) {
    std::size_t e = k + 1;
    while (e < by_name.size() && u[by_name[e]].first == u[by_name[k]].first) ++e;
    for (std::size_t j = k; j < e; ++j) first[by_name[j]] = by_name[k];
    count[by_name[k]] = e - k;
    k = e;
  }
  // Values of repeated names in body order: positions grouped by first occurrence.
  std::vector<std::vector<std::size_t>> repeats;
  std::vector<std::size_t> repeat_slot(u.size(), 0);
  for (std::size_t i = 0; i < u.size(); ++i) {
    if (count[first[i]] < 2) continue;
    if (first[i] == i) {
      repeat_slot[i] = repeats.size();
      repeats.emplace_back();
    }
    repeats[repeat_slot[first[i]]].push_back(i);
  }
  w.key("unknownFields");
  w.begin_object();
  for (std::size_t i = 0; i < u.size(); ++i) {
    if (first[i] != i) continue;
    w.key(u[i].first);
    if (count[i] == 1) {
      w.value(u[i].second);
      continue;
    }
    w.begin_array();
    for (std::size_t j : repeats[repeat_slot[i]]) w.value(u[j].second);
    w.end_array();
  }
  w.end_object();
}

void org_match_fields(json_writer& w, const gdos::org_match& m) {
  put(w, "organizationName", m.organization_name);
  put(w, "streetAddress", m.street_address);
  put(w, "localityName", m.locality_name);
  put(w, "stateOrProvinceName", m.state_or_province_name);
  put(w, "postalCode", m.postal_code);
  put(w, "countryName", m.country_name);
  put(w, "dunsNumber", m.duns_number);
  put(w, "telephoneNumber", m.telephone_number);
}

void org_details_json(json_writer& w, const gdos::form::encoded_view& value) {
  const std::string list = value.decode();
  const auto d = gdos::parse_org_details(list, {.mode = gdos::parse_mode::lenient});
  w.begin_object();
  if (!d) {
    w.member("raw", utf8_text(list));
    w.member("parseError", d.error().message());
    w.end_object();
    return;
  }
  put(w, "Status", d->status);
  const by_level<org_unknown_field> unknown(d->unknown_fields);
  w.key("matches");
  w.begin_array();
  for (const gdos::org_match& m : d->matches) {
    w.begin_object();
    w.member("index", m.index);
    org_match_fields(w, m);
    unknown_json(w, decode_level(unknown.of(m.index)));
    w.end_object();
  }
  w.end_array();
  unknown_json(w, decode_level(unknown.of(0)));
  w.end_object();
}

void certificate_json(json_writer& w, const gdos::certificate& c, const level_fields& f) {
  w.begin_object();
  w.member("index", c.index);
  put(w, "FQDN", c.fqdn);
  put(w, "objectType", c.object_type);
  put(w, "serialNumber", c.serial_number);
  put(w, "certificateStatus", c.status);
  put(w, "certificateStatusReason", c.status_reason);
  for (const progress_field& p : progress_fields) {
    const auto& s = c.*p.member;
    if (!s && !has_unparsed(f, p.wire)) continue;
    w.key(p.wire);
    w.begin_object();
    if (s) {
      w.member("code", gdos::to_int(*s));
      w.member("text", gdos::to_string(*s));
    }
    put_unparsed(w, f, p.wire);
    w.end_object();
  }
  unknown_json(w, f);
  w.end_object();
}

void order_json(json_writer& w, const gdos::order& o,
                const by_level<gdos::unknown_field>& unknown) {
  const level_fields f = decode_level(unknown.of(level(o.index)), order_typed);
  w.begin_object();
  w.member("index", o.index);
  w.member("replacement", o.index != 1);
  if (has_unparsed(f, "orderNumber")) {
    w.key("orderNumber");
    w.begin_object();
    if (o.number) w.member("value", *o.number);
    put_unparsed(w, f, "orderNumber");
    w.end_object();
  } else if (o.number) {
    w.member("orderNumber", *o.number);
  }
  put(w, "orderDateTime", o.date_time);
  put(w, "orderStatus", o.status);
  put(w, "orderStatusReason", o.status_reason);
  if (o.suggested_org_details) {
    w.key("suggestedOrgDetails");
    org_details_json(w, *o.suggested_org_details);
  }
  w.key("certificates");
  w.begin_array();
  for (const gdos::certificate& c : o.certificates)
    certificate_json(w, c, decode_level(unknown.of(level(o.index, c.index)), certificate_typed));
  w.end_array();
  unknown_json(w, f);
  w.end_object();
}

void print_warnings(const std::vector<std::string>& warnings) {
  std::fflush(stdout);
  for (const std::string& s : warnings) fmt::print(stderr, "gdos: warning: {}\n", clean(s));
  std::fflush(stderr);
}

}  // namespace

std::string clean(std::string_view decoded) {
  const std::string s = gdos::form::to_utf8_lossy(decoded);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) {
      out += '?';
    } else if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9f) {
      out += '?';  // a C1 control (U+0080..U+009F): CSI and friends on some terminals
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string progress_word(std::optional<gdos::progress_status> p) {
  if (!p) return "-";
  if (!gdos::is_known(*p)) return fmt::format("unknown ({})", gdos::to_int(*p));
  return std::string(gdos::display_name(*p));  // the library's words, as JSON has its identifiers
}

std::string text(const std::optional<gdos::form::encoded_view>& v) {
  return v ? clean(v->decode()) : std::string();
}

std::string table(const gdos::response& r) {
  const by_level<gdos::unknown_field> unknown(r.unknown_fields);
  std::string out;
  out +=
      fmt::format("errorCode {} ({})", gdos::to_int(r.error_code), gdos::to_string(r.error_code));
  if (r.error_message) out += ": " + text(r.error_message);
  out += fmt::format(", {} order{}\n", r.orders.size(), r.orders.size() == 1 ? "" : "s");
  unknown_rows(out, 0, decode_level(unknown.of(0)));
  for (const gdos::order& o : r.orders) {
    out += fmt::format("\nOrder {}{}\n", o.index, o.index == 1 ? "" : " (replacement)");
    row(out, 2, "orderNumber", o.number ? std::to_string(*o.number) : "");
    row(out, 2, "orderDateTime", text(o.date_time));
    row(out, 2, "orderStatus", text(o.status));
    row(out, 2, "orderStatusReason", text(o.status_reason));
    org_details_table(out, o);
    unknown_rows(out, 2, decode_level(unknown.of(level(o.index)), order_typed));
    for (const gdos::certificate& c : o.certificates) {
      out += fmt::format("  Certificate {}\n", c.index);
      row(out, 4, "FQDN", text(c.fqdn));
      row(out, 4, "objectType", text(c.object_type));
      row(out, 4, "serialNumber", text(c.serial_number));
      row(out, 4, "certificateStatus", text(c.status));
      row(out, 4, "certificateStatusReason", text(c.status_reason));
      for (const progress_field& p : progress_fields)
        row(out, 4, p.wire, progress_word(c.*p.member));
      unknown_rows(out, 4, decode_level(unknown.of(level(o.index, c.index)), certificate_typed));
    }
  }
  return out;
}

void write_reply_json(json_writer& w, const gdos::response& r,
                      const std::vector<std::string>& warnings) {
  const by_level<gdos::unknown_field> unknown(r.unknown_fields);
  w.begin_object();
  w.member("errorCode", gdos::to_int(r.error_code));
  put(w, "errorMessage", r.error_message);
  put(w, "errorItem", r.error_item);
  put(w, "errorDetail", r.error_detail);
  w.key("orders");
  w.begin_array();
  for (const gdos::order& o : r.orders) order_json(w, o, unknown);
  w.end_array();
  unknown_json(w, decode_level(unknown.of(0)));
  if (!warnings.empty()) {
    w.key("warnings");
    w.begin_array();
    for (const std::string& s : warnings) w.value(utf8_text(s));
    w.end_array();
  }
  w.end_object();
}

void print_response(const gdos::response& r, bool as_json,
                    const std::vector<std::string>& warnings) {
  std::string out;
  if (as_json) {
    json_writer w(out);
    write_reply_json(w, r, warnings);
    out += '\n';
  } else {
    out = table(r);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  print_warnings(warnings);
}

std::optional<std::string> missing_order_warning(const gdos::response& r,
                                                 std::optional<std::int64_t> order_number) {
  if (!r.ok()) return std::nullopt;
  if (!order_number) {
    if (r.orders.empty()) return "the reply (errorCode 0) holds no order at all";
    return std::nullopt;
  }
  for (const gdos::order& o : r.orders)
    if (o.number == order_number) return std::nullopt;
  return fmt::format("the reply (errorCode 0) does not hold order {}, the one asked for",
                     *order_number);
}

// ---- failures ----------------------------------------------------------------------------------

std::string step_of(const gdos::call_error& e) { return std::string(gdos::to_string(e.code)); }

std::string message_of(const gdos::call_error& e) {
  switch (e.code) {
    case gdos::call_errc::invalid_request:
      return fmt::format("{}: {}", gdos::field_name(e.validation.field),
                         gdos::message(e.validation.code));
    case gdos::call_errc::transport:
      return e.detail.empty() ? "no reply" : clean(e.detail);
    case gdos::call_errc::malformed_reply:
      return clean(e.detail);
    case gdos::call_errc::insecure_url:
      return "refused to send the password to a URL that is not https (--allow-plain-http "
             "allows http)";
    default:
      return e.message();
  }
}

void write_error_json(json_writer& w, const gdos::call_error& e) {
  w.begin_object();
  w.key("error");
  write_error_object(w, e);
  w.end_object();
}

void write_error_object(json_writer& w, const gdos::call_error& e) {
  w.begin_object();
  w.member("step", step_of(e));
  w.member("message", utf8_text(message_of(e)));
  switch (e.code) {
    case gdos::call_errc::invalid_request:
      w.member("field", gdos::field_name(e.validation.field));
      w.member("rule", gdos::to_string(e.validation.code));
      break;
    case gdos::call_errc::transport:
      w.member("transport", gdos::to_string(e.transport));
      if (!e.detail.empty()) w.member("detail", utf8_text(e.detail));
      break;
    default:
      break;
  }
  if (e.http_status != 0) w.member("httpStatus", e.http_status);
  if (!e.content_type.empty()) w.member("contentType", utf8_text(e.content_type));
  if (e.code == gdos::call_errc::malformed_reply) {
    w.member("parse", gdos::to_string(e.parse.code));
    w.member("offset", static_cast<std::int64_t>(e.parse.offset));
    if (e.parse.code == gdos::response_errc::legacy_format) {
      w.member("errorCode", gdos::to_int(e.parse.legacy_code));
      if (!e.parse.legacy_message.empty())
        w.member("errorMessage", utf8_text(e.parse.legacy_message));
    }
  }
  if (e.code == gdos::call_errc::api_error) {
    w.member("errorCode", gdos::to_int(e.api));
    if (!e.detail.empty()) w.member("errorMessage", utf8_text(e.detail));
    if (!e.item.empty()) w.member("errorItem", utf8_text(e.item));
    if (!e.extra.empty()) w.member("errorDetail", utf8_text(e.extra));
  }
  if (e.code == gdos::call_errc::http_status || e.code == gdos::call_errc::content_type)
    if (!e.detail.empty()) w.member("bodyExcerpt", utf8_text(e.detail));
  w.end_object();
}

std::string kind_of(const gdos::call_error& e) {
  std::string kind = step_of(e);
  if (e.code == gdos::call_errc::transport) kind += "/" + std::string(gdos::to_string(e.transport));
  return kind;
}

int report(const gdos::call_error& e, bool as_json, json_layout layout) {
  const std::string kind = kind_of(e);
  if (as_json) {
    std::string out;
    json_writer w(out, layout == json_layout::line ? 0 : 2);
    write_error_json(w, e);
    out += '\n';
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  std::fflush(stdout);
  fmt::print(stderr, "gdos: {}: {}\n", kind, message_of(e));
  std::fflush(stderr);
  return exit_status_of(e);
}

int exit_status_of(const gdos::call_error& e) {
  switch (e.code) {
    case gdos::call_errc::api_error:
      return exit_api_error;
    case gdos::call_errc::insecure_url:
    case gdos::call_errc::invalid_request:
      return exit_usage;
    default:
      return exit_no_reply;
  }
}

void print_usage_json(std::string_view message, std::string_view step, json_layout layout) {
  std::string out;
  json_writer w(out, layout == json_layout::line ? 0 : 2);
  w.begin_object();
  w.key("error");
  w.begin_object();
  w.member("step", step);
  w.member("message", utf8_text(message));
  w.end_object();
  w.end_object();
  out += '\n';
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
}

int report_usage(std::string_view message, bool as_json, std::string_view step,
                 json_layout layout) {
  if (as_json) print_usage_json(message, step, layout);
  std::fflush(stdout);
  fmt::print(stderr, "gdos: {}\n", clean(message));
  std::fflush(stderr);
  return exit_usage;
}

}  // namespace gdos_cli
