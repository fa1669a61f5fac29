// The endpoint's behaviour, separate from the HTTP plumbing in mock.cpp so that it reads as a
// specification: what Comodo answers to a POST body received over HTTPS.
#include "mock.hpp"

#include <gdos/request.hpp>
#include <gdos/response.hpp>

#include <deque>

namespace gdos_mock {
namespace {

std::string refuse(gdos::api_code code, std::string_view argument = {}) {
  return gdos::error_reply(gdos::api_error{code, argument});
}

std::optional<std::string_view> non_empty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return std::string_view(s);
}

// parse_request's refusal, with an argument name of any length (a -2 names whatever the body
// held) cut to max_echoed_name bytes, so that a reply never grows with the request.
std::string refuse(const gdos::api_error& e) {
  if (e.argument.size() <= max_echoed_name) return gdos::error_reply(e);
  const std::string cut = std::string(e.argument.substr(0, max_echoed_name)) + "...";
  return gdos::error_reply(gdos::api_error{e.code, cut});
}

}  // namespace

endpoint::endpoint(const fixture& data) : data_(data) {}

reply endpoint::handle(bool post, std::string_view body) {
  reply r;
  r.body = post ? answer(data_, body) : refuse(gdos::api_code::get_not_post);
  return r;
}

std::string answer(const fixture& data, std::string_view body) {
  const auto parsed = gdos::parse_request(body);
  if (!parsed) return refuse(parsed.error());
  const gdos::parsed_request& req = *parsed;

  // The same answer for an unknown login and a wrong password, so neither can be probed.
  const account* who = nullptr;
  for (const account& a : data.accounts)
    if (req.login_name.equals_decoded(a.login_name)) who = &a;
  if (who == nullptr || !req.login_password.equals_decoded(who->login_password))
    return refuse(gdos::api_code::permission_denied);
  const auto account_index = static_cast<std::size_t>(who - data.accounts.data());

  // The newline-delimited format is not documented closely enough to imitate (see README).
  if (req.response_format == gdos::response_format::newline_delimited)
    return refuse(gdos::api_code::invalid_argument, "responseFormat");

  // Another reseller's order or certificate is answered as one that does not exist: the
  // endpoint must not tell a reseller that a number belongs to somebody else.
  const auto mine = [&](const order* o) { return o != nullptr && o->account == account_index; };
  const order* queried = nullptr;
  if (req.order_number) {
    queried = data.find_order(*req.order_number);
    if (!mine(queried)) return refuse(gdos::api_code::invalid_argument, "orderNumber");
  }
  if (req.certificate_id) {
    const order* holder = data.find_by_certificate(*req.certificate_id);
    // With both arguments, they must designate the same order.
    if (!mine(holder) || (queried != nullptr && holder != queried))
      return refuse(gdos::api_code::invalid_argument, "certificateID");
    queried = holder;
  }

  std::vector<const order*> orders{queried};
  if (req.query_type == gdos::query_type::detailed_with_replacements)
    for (std::int64_t n : queried->replaced_by) orders.push_back(data.find_order(n));
  const bool details = req.query_type != gdos::query_type::status;
  const bool validity = req.show_validity_period == gdos::yes_no::yes;

  gdos::decoded_response r;
  std::deque<std::string> org_lists;  // the inner suggestedOrgDetails lists the reply views
  for (std::size_t i = 0; i < orders.size(); ++i) {
    const order& o = *orders[i];
    const auto x = static_cast<std::uint32_t>(i + 1);
    gdos::decoded_order d;
    d.index = x;
    d.number = o.order_number;
    d.date_time = non_empty(o.order_date_time);
    d.status = o.order_status;
    d.status_reason = non_empty(o.order_status_reason);
    if (details && !o.org_details_status.empty()) {
      gdos::decoded_org_details od;
      od.status = o.org_details_status;
      for (std::size_t m = 0; m < o.org_matches.size(); ++m) {
        const org_match& src = o.org_matches[m];
        gdos::decoded_org_match dm;
        dm.index = static_cast<std::uint32_t>(m + 1);
        dm.organization_name = non_empty(src.organization_name);
        dm.street_address = non_empty(src.street_address);
        dm.locality_name = non_empty(src.locality_name);
        dm.state_or_province_name = non_empty(src.state_or_province_name);
        dm.postal_code = non_empty(src.postal_code);
        dm.country_name = non_empty(src.country_name);
        dm.duns_number = non_empty(src.duns_number);
        dm.telephone_number = non_empty(src.telephone_number);
        od.matches.push_back(dm);
      }
      d.suggested_org_details = org_lists.emplace_back(gdos::write_org_details(od));
    }
    if (details) {
      for (std::size_t j = 0; j < o.certificates.size(); ++j) {
        const certificate& c = o.certificates[j];
        const auto y = static_cast<std::uint32_t>(j + 1);
        gdos::decoded_certificate dc;
        dc.index = y;
        dc.serial_number = non_empty(c.serial_number);
        dc.object_type = non_empty(c.object_type);
        dc.fqdn = non_empty(c.fqdn);
        dc.status = non_empty(c.certificate_status);
        dc.status_reason = non_empty(c.certificate_status_reason);
        dc.csr_status = static_cast<gdos::progress_status>(c.csr_status);
        dc.dcv_status = static_cast<gdos::progress_status>(c.dcv_status);
        dc.ov_callback_status = static_cast<gdos::progress_status>(c.ov_callback_status);
        dc.organization_validation_status =
            static_cast<gdos::progress_status>(c.organization_validation_status);
        dc.free_dvup_status = static_cast<gdos::progress_status>(c.free_dvup_status);
        dc.ev_click_through_status = static_cast<gdos::progress_status>(c.ev_click_through_status);
        d.certificates.push_back(dc);
        // Fields gdos has no member for travel as unknown fields, as a later API version's
        // would: the validity period only when asked for, the rest always.
        if (validity)
          for (const auto& [name, value] : c.validity)
            r.unknown_fields.push_back({x, y, name, value});
        for (const auto& [name, value] : c.extra) r.unknown_fields.push_back({x, y, name, value});
      }
    }
    r.orders.push_back(std::move(d));
  }
  return gdos::write_response(r);
}

}  // namespace gdos_mock
