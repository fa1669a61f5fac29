// The endpoint's behaviour, separate from the HTTP plumbing in mock.cpp so that it reads as a
// specification: what Comodo answers to a POST body received over HTTPS.
#include "mock.hpp"

#include <gdos/request.hpp>
#include <gdos/response.hpp>

#include <deque>
#include <memory>

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

// The reply body for an injected errorCode.
std::string error_body(std::int32_t code, std::string_view message) {
  std::string out;
  gdos::form::string_writer(out).add("errorCode", code).add("errorMessage", message);
  return out;
}

// What a request body asks for, as the log line names it: "order=N", "certificateID=N" or
// both; empty for a body parse_request() refuses. Only numbers, never the login.
std::string asked_for(std::string_view body) {
  const auto parsed = gdos::parse_request(body);
  if (!parsed) return {};
  std::string out;
  if (parsed->order_number) out = "order=" + std::to_string(*parsed->order_number);
  if (parsed->certificate_id)
    out += (out.empty() ? "" : " ") + std::string("certificateID=") +
           std::to_string(*parsed->certificate_id);
  return out;
}

}  // namespace

// ---- state -------------------------------------------------------------------------------------

// What the endpoint remembers of one order between requests: how far its timeline went.
struct endpoint::order_state {
  std::uint64_t replies = 0;     // successful replies the order was in
  std::uint64_t designated = 0;  // requests that named it (after login), faulted ones too
  clock::time_point first_reply{};
  clock::time_point first_designated{};
  std::size_t step = 0;          // timeline steps in effect
  std::optional<order> current;  // the order with them applied (once one is)
};

endpoint::endpoint(const fixture& data)
    : data_(data), orders_(std::make_unique<order_state[]>(data.orders.size())) {}

endpoint::~endpoint() = default;

const order& endpoint::advance(std::size_t index, clock::time_point now) {
  const order& o = data_.orders[index];
  order_state& st = orders_[index];
  if (st.replies == 0) st.first_reply = now;
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - st.first_reply);
  while (st.step < o.timeline.size()) {
    const timeline_step& next = o.timeline[st.step];
    if ((next.after_replies && st.replies < *next.after_replies) ||
        (next.after_time && elapsed < *next.after_time))
      break;
    if (!st.current) {
      // Everything but the timeline, which the copy does not need.
      order copy;
      copy.order_number = o.order_number;
      copy.account = o.account;
      copy.order_date_time = o.order_date_time;
      copy.order_status = o.order_status;
      copy.order_status_reason = o.order_status_reason;
      copy.org_details_status = o.org_details_status;
      copy.org_matches = o.org_matches;
      copy.replaced_by = o.replaced_by;
      copy.certificates = o.certificates;
      st.current = std::move(copy);
    }
    apply(*st.current, next);
    ++st.step;
  }
  ++st.replies;
  return st.current ? *st.current : o;
}

// The first fault of the fixture that hits: those without an order number counted over all
// requests, the others over the requests for their order.
const fault* endpoint::fault_for(std::optional<std::int64_t> order_number, std::uint64_t n,
                                 std::chrono::milliseconds since_first) const noexcept {
  for (const fault& f : data_.faults)
    if (f.order_number == order_number && f.hits(n, since_first)) return &f;
  return nullptr;
}

// ---- the answer --------------------------------------------------------------------------------

reply endpoint::handle(bool post, std::string_view body) {
  reply r;
  const clock::time_point now = clock::now();
  std::lock_guard lock(mutex_);

  // Named in the log line even when a fault below answers instead of the endpoint, so that a
  // test can follow each order's requests from the log.
  if (post) r.asked_for = asked_for(body);

  // Faults that hit requests as such come first, before the body is looked at, as a load
  // balancer's would.
  const std::uint64_t n = ++requests_;
  if (n == 1) first_request_ = now;
  if (const fault* f = fault_for(std::nullopt, n, since(first_request_, now)))
    if (inject(*f, r)) return r;

  if (!post) {
    r.body = refuse(gdos::api_code::get_not_post);
    return r;
  }
  r.body = answer(body, now, r);
  return r;
}

bool endpoint::inject(const fault& f, reply& r) const {
  switch (f.what) {
    case fault::kind::http:
      r.http_status = f.status;
      r.note = "fault: HTTP " + std::to_string(f.status);
      return true;
    case fault::kind::error_code:
      r.body = error_body(f.error_code, f.error_message);
      r.note = "fault: errorCode " + std::to_string(f.error_code);
      return true;
    case fault::kind::drop:
      r.drop = true;
      r.note = "fault: connection dropped";
      return true;
    case fault::kind::slow:
      r.delay = f.delay;
      r.note = "fault: reply delayed " + std::to_string(f.delay.count()) + " ms";
      return false;  // the answer follows
  }
  return false;
}

std::chrono::milliseconds endpoint::since(clock::time_point first, clock::time_point now) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(now - first);
}

std::string endpoint::answer(std::string_view body, clock::time_point now, reply& out) {
  const fixture& data = data_;
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

  // responseFormat=2 (JSON) gets the url-encoded reply: Sectigo documents its MIME type but not
  // its shape (see tools/README.md). parse_request has refused any value but 1 and 2 already.

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

  // Faults for this order, counted over the requests that designate it.
  const auto index = static_cast<std::size_t>(queried - data.orders.data());
  order_state& st = orders_[index];
  if (st.designated++ == 0) st.first_designated = now;
  if (const fault* f =
          fault_for(queried->order_number, st.designated, since(st.first_designated, now));
      f != nullptr && out.delay.count() == 0 && inject(*f, out))
    return out.body;

  // The order as its timeline has it now, and its replacements as theirs do.
  const order& shown = advance(index, now);
  std::vector<const order*> orders{&shown};
  if (req.query_type == gdos::query_type::detailed_with_replacements)
    for (std::int64_t n : shown.replaced_by) {
      const order* replacement = data.find_order(n);
      orders.push_back(&advance(static_cast<std::size_t>(replacement - data.orders.data()), now));
    }
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
