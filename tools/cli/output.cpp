#include "output.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <utility>

namespace gdos_cli {
namespace {

using json = nlohmann::ordered_json;

std::string progress_word(std::optional<gdos::progress_status> p) {
  if (!p) return "-";
  switch (*p) {
    case gdos::progress_status::not_required:
      return "not required";
    case gdos::progress_status::not_completed:
      return "not completed";
    case gdos::progress_status::completed:
      return "completed";
    case gdos::progress_status::in_progress:
      return "in progress";
  }
  return fmt::format("unknown ({})", gdos::to_int(*p));
}

using progress_member = std::optional<gdos::progress_status> gdos::certificate::*;

struct progress_field {
  const char* wire;
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

// ---- the table ---------------------------------------------------------------------------------

void row(std::string& out, int indent, std::string_view label, std::string_view value) {
  if (value.empty()) return;
  out += fmt::format("{:{}}{:<30} {}\n", "", indent, label, value);
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
  }
}

// ---- JSON --------------------------------------------------------------------------------------

void put(json& j, const char* key, const std::optional<gdos::form::encoded_view>& v) {
  if (v) j[key] = text(v);
}

template <class Range>
json unknown_json(const Range& fields) {
  json j = json::object();
  for (const gdos::unknown_field& u : fields) j[clean(u.name.decode())] = clean(u.value.decode());
  return j;
}

json org_details_json(const gdos::form::encoded_view& value) {
  const std::string list = value.decode();
  const auto d = gdos::parse_org_details(list, {.mode = gdos::parse_mode::lenient});
  json j = json::object();
  if (!d) {
    j["raw"] = clean(list);
    j["parseError"] = d.error().message();
    return j;
  }
  put(j, "Status", d->status);
  j["matches"] = json::array();
  for (const gdos::org_match& m : d->matches) {
    json jm = {{"index", m.index}};
    put(jm, "organizationName", m.organization_name);
    put(jm, "streetAddress", m.street_address);
    put(jm, "localityName", m.locality_name);
    put(jm, "stateOrProvinceName", m.state_or_province_name);
    put(jm, "postalCode", m.postal_code);
    put(jm, "countryName", m.country_name);
    put(jm, "dunsNumber", m.duns_number);
    put(jm, "telephoneNumber", m.telephone_number);
    j["matches"].push_back(std::move(jm));
  }
  return j;
}

json to_json(const gdos::response& r) {
  json j;
  j["errorCode"] = gdos::to_int(r.error_code);
  put(j, "errorMessage", r.error_message);
  put(j, "errorItem", r.error_item);
  put(j, "errorDetail", r.error_detail);
  j["orders"] = json::array();
  for (const gdos::order& o : r.orders) {
    json jo = {{"index", o.index}};
    if (o.number) jo["orderNumber"] = *o.number;
    put(jo, "orderDateTime", o.date_time);
    put(jo, "orderStatus", o.status);
    put(jo, "orderStatusReason", o.status_reason);
    if (o.suggested_org_details)
      jo["suggestedOrgDetails"] = org_details_json(*o.suggested_org_details);
    jo["certificates"] = json::array();
    for (const gdos::certificate& c : o.certificates) {
      json jc = {{"index", c.index}};
      put(jc, "FQDN", c.fqdn);
      put(jc, "objectType", c.object_type);
      put(jc, "serialNumber", c.serial_number);
      put(jc, "certificateStatus", c.status);
      put(jc, "certificateStatusReason", c.status_reason);
      for (const progress_field& p : progress_fields)
        if (const auto& s = c.*p.member)
          jc[p.wire] = {{"code", gdos::to_int(*s)}, {"text", progress_word(s)}};
      jc["unknownFields"] = unknown_json(r.unknown_fields_of(o.index, c.index));
      jo["certificates"].push_back(std::move(jc));
    }
    jo["unknownFields"] = unknown_json(r.unknown_fields_of(o.index));
    j["orders"].push_back(std::move(jo));
  }
  j["unknownFields"] = unknown_json(r.unknown_fields_of());
  return j;
}

}  // namespace

std::string clean(std::string_view decoded) {
  std::string s = gdos::form::to_utf8_lossy(decoded);
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return s;
}

std::string text(const std::optional<gdos::form::encoded_view>& v) {
  return v ? clean(v->decode()) : std::string();
}

std::string table(const gdos::response& r) {
  std::string out;
  out +=
      fmt::format("errorCode {} ({})", gdos::to_int(r.error_code), gdos::to_string(r.error_code));
  if (r.error_message) out += ": " + text(r.error_message);
  out += fmt::format(", {} order{}\n", r.orders.size(), r.orders.size() == 1 ? "" : "s");
  for (const gdos::unknown_field& u : r.unknown_fields_of())
    row(out, 0, clean(u.name.decode()), clean(u.value.decode()));
  for (const gdos::order& o : r.orders) {
    out += fmt::format("\nOrder {}{}\n", o.index, o.index == 1 ? "" : " (replacement)");
    row(out, 2, "orderNumber", o.number ? std::to_string(*o.number) : "");
    row(out, 2, "orderDateTime", text(o.date_time));
    row(out, 2, "orderStatus", text(o.status));
    row(out, 2, "orderStatusReason", text(o.status_reason));
    org_details_table(out, o);
    for (const gdos::unknown_field& u : r.unknown_fields_of(o.index))
      row(out, 2, clean(u.name.decode()), clean(u.value.decode()));
    for (const gdos::certificate& c : o.certificates) {
      out += fmt::format("  Certificate {}\n", c.index);
      row(out, 4, "FQDN", text(c.fqdn));
      row(out, 4, "objectType", text(c.object_type));
      row(out, 4, "serialNumber", text(c.serial_number));
      row(out, 4, "certificateStatus", text(c.status));
      row(out, 4, "certificateStatusReason", text(c.status_reason));
      for (const progress_field& p : progress_fields)
        row(out, 4, p.wire, progress_word(c.*p.member));
      for (const gdos::unknown_field& u : r.unknown_fields_of(o.index, c.index))
        row(out, 4, clean(u.name.decode()), clean(u.value.decode()));
    }
  }
  return out;
}

void print_response(const gdos::response& r, bool as_json) {
  if (as_json) {
    std::fputs((to_json(r).dump(2) + "\n").c_str(), stdout);
  } else {
    std::fputs(table(r).c_str(), stdout);
  }
}

}  // namespace gdos_cli
