#include "fixture.hpp"

#include <gdos/request.hpp>
#include <gdos/response.hpp>
#include <gdos/retry.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <fstream>
#include <initializer_list>
#include <map>
#include <set>

namespace gdos_mock {
namespace {

using json = nlohmann::ordered_json;

// Parsing reports the first problem with its JSON path; a failed check throws this inside the
// file only, and parse_fixture() turns it into an error string.
struct fixture_error {
  std::string what;
};

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw fixture_error{path + ": " + what};
}

void only_keys(const json& j, const std::string& path, std::initializer_list<const char*> keys) {
  if (!j.is_object()) fail(path, "expected an object");
  for (const auto& [k, v] : j.items()) {
    bool known = false;
    for (const char* allowed : keys) known = known || k == allowed;
    if (!known) fail(path, "unknown key \"" + k + "\"");
  }
}

std::string str(const json& j, const std::string& path, const char* key, bool required = false) {
  const auto it = j.find(key);
  if (it == j.end()) {
    if (required) fail(path, std::string("missing \"") + key + "\"");
    return {};
  }
  if (!it->is_string()) fail(path + "." + key, "expected a string");
  return it->get<std::string>();
}

std::int64_t integer(const json& j, const std::string& path, const char* key) {
  const auto it = j.find(key);
  if (it == j.end()) fail(path, std::string("missing \"") + key + "\"");
  if (!it->is_number_integer()) fail(path + "." + key, "expected an integer");
  return it->get<std::int64_t>();
}

int progress(const json& j, const std::string& path, const char* key) {
  const auto it = j.find(key);
  if (it == j.end()) return -1;
  if (!it->is_number_integer()) fail(path + "." + key, "expected -1, 0, 1 or 2");
  const auto v = it->get<std::int64_t>();
  if (v < -1 || v > 2) fail(path + "." + key, "expected -1, 0, 1 or 2");
  return static_cast<int>(v);
}

std::vector<std::pair<std::string, std::string>> string_map(const json& j, const std::string& path,
                                                            const char* key) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto it = j.find(key);
  if (it == j.end()) return out;
  if (!it->is_object()) fail(path + "." + key, "expected an object of strings");
  for (const auto& [k, v] : it->items()) {
    if (!v.is_string()) fail(path + "." + key + "." + k, "expected a string");
    out.emplace_back(k, v.get<std::string>());
  }
  return out;
}

const json& array(const json& j, const std::string& path, const char* key) {
  static const json empty = json::array();  // what an absent key reads as
  const auto it = j.find(key);
  if (it == j.end()) return empty;
  if (!it->is_array()) fail(path + "." + key, "expected an array");
  return *it;
}

// The validity and extra fields travel as unknown fields of the certificate, so each name must
// read back as one: not a known certificate field, not one twice. gdos::check_round_trip()
// knows the rules; it is asked about a reply holding only them.
void check_unknown_fields(const certificate& c, const std::string& path) {
  gdos::decoded_response probe;
  gdos::decoded_order& o = probe.orders.emplace_back();
  o.index = 1;
  o.certificates.emplace_back().index = 1;
  std::vector<std::string> where;  // the JSON path of each unknown field
  const auto add = [&](const char* key, const std::vector<std::pair<std::string, std::string>>& m) {
    for (const auto& [name, value] : m) {
      probe.unknown_fields.push_back({1, 1, name, value});
      where.push_back(path + "." + key + "." + name);
    }
  };
  add("validity", c.validity);
  add("extra", c.extra);
  if (probe.unknown_fields.empty()) return;
  const gdos::round_trip_check v = gdos::check_round_trip(probe);
  if (!v) fail(where.at(v.unknown_index), std::string(gdos::message(v.code)));
}

certificate parse_certificate(const json& j, const std::string& path) {
  only_keys(j, path,
            {"certificateID", "serialNumber", "objectType", "FQDN", "certificateStatus",
             "certificateStatusReason", "csrStatus", "dcvStatus", "ovCallBackStatus",
             "organizationValidationStatus", "freeDVUPStatus", "evClickThroughStatus", "validity",
             "extra"});
  certificate c;
  if (j.contains("certificateID")) {
    c.certificate_id = integer(j, path, "certificateID");
    if (*c.certificate_id <= 0 || *c.certificate_id > 9'999'999'999'999'999)
      fail(path + ".certificateID", "expected 1 to 16 digits");
  }
  c.serial_number = str(j, path, "serialNumber");
  c.object_type = str(j, path, "objectType");
  c.fqdn = str(j, path, "FQDN");
  c.certificate_status = str(j, path, "certificateStatus");
  c.certificate_status_reason = str(j, path, "certificateStatusReason");
  c.csr_status = progress(j, path, "csrStatus");
  c.dcv_status = progress(j, path, "dcvStatus");
  c.ov_callback_status = progress(j, path, "ovCallBackStatus");
  c.organization_validation_status = progress(j, path, "organizationValidationStatus");
  c.free_dvup_status = progress(j, path, "freeDVUPStatus");
  c.ev_click_through_status = progress(j, path, "evClickThroughStatus");
  c.validity = string_map(j, path, "validity");
  c.extra = string_map(j, path, "extra");
  check_unknown_fields(c, path);
  return c;
}

org_match parse_match(const json& j, const std::string& path) {
  only_keys(j, path,
            {"organizationName", "streetAddress", "localityName", "stateOrProvinceName",
             "postalCode", "countryName", "dunsNumber", "telephoneNumber"});
  org_match m;
  m.organization_name = str(j, path, "organizationName", true);
  m.street_address = str(j, path, "streetAddress");
  m.locality_name = str(j, path, "localityName");
  m.state_or_province_name = str(j, path, "stateOrProvinceName");
  m.postal_code = str(j, path, "postalCode");
  m.country_name = str(j, path, "countryName");
  m.duns_number = str(j, path, "dunsNumber");
  m.telephone_number = str(j, path, "telephoneNumber");
  return m;
}

void parse_org_details(const json& j, const std::string& p, std::string& status,
                       std::vector<org_match>& matches_out) {
  only_keys(j, p, {"Status", "matches"});
  status = str(j, p, "Status", true);
  static const std::set<std::string> statuses = {"Found", "NotFound", "NotYetCompleted",
                                                 "NotApplicable"};
  if (statuses.count(status) == 0)
    fail(p + ".Status", "expected Found, NotFound, NotYetCompleted or NotApplicable");
  const json& matches = array(j, p, "matches");
  matches_out.clear();
  for (std::size_t i = 0; i < matches.size(); ++i)
    matches_out.push_back(parse_match(matches[i], p + ".matches[" + std::to_string(i) + "]"));
  if ((status == "Found") != !matches_out.empty())
    fail(p, "matches are listed exactly when Status is Found");
}

std::vector<std::int64_t> parse_replaced_by(const json& j, const std::string& path,
                                            std::int64_t self) {
  std::vector<std::int64_t> out;
  const json& replaced = array(j, path, "replacedBy");
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < replaced.size(); ++i) {
    const std::string p = path + ".replacedBy[" + std::to_string(i) + "]";
    if (!replaced[i].is_number_integer()) fail(p, "expected an order number");
    const auto n = replaced[i].get<std::int64_t>();
    // queryType=2 sends each entry as one more order: a repeat or the order itself would show
    // the same order twice in one reply, which the API never does.
    if (n == self) fail(p, "an order cannot replace itself");
    if (!seen.insert(n).second) fail(p, "order " + std::to_string(n) + " is listed twice");
    out.push_back(n);
  }
  return out;
}

// ---- timelines ---------------------------------------------------------------------------------

std::optional<std::string> opt_str(const json& j, const std::string& path, const char* key) {
  if (!j.contains(key)) return std::nullopt;
  return str(j, path, key);
}

std::optional<int> opt_progress(const json& j, const std::string& path, const char* key) {
  if (!j.contains(key)) return std::nullopt;
  return progress(j, path, key);
}

// A non-negative number of seconds, at most `max`, as milliseconds.
std::chrono::milliseconds seconds_of(const json& v, const std::string& path, double max) {
  if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > max)
    fail(path, "expected a number of seconds from 0 to " + std::to_string(static_cast<long>(max)));
  return std::chrono::milliseconds(static_cast<std::int64_t>(v.get<double>() * 1000.0 + 0.5));
}

// A positive integer up to 2^53 (what a JSON number holds exactly).
std::uint64_t count(const json& v, const std::string& path) {
  if (!v.is_number_integer() || v.get<std::int64_t>() < 1 ||
      v.get<std::int64_t>() > (std::int64_t{1} << 53))
    fail(path, "expected a positive integer");
  return static_cast<std::uint64_t>(v.get<std::int64_t>());
}

certificate_patch parse_patch(const json& j, const std::string& path) {
  if (j.is_object() && j.contains("certificateID"))
    fail(path + ".certificateID", "a certificate's certificateID cannot change in a timeline");
  only_keys(j, path,
            {"serialNumber", "objectType", "FQDN", "certificateStatus", "certificateStatusReason",
             "csrStatus", "dcvStatus", "ovCallBackStatus", "organizationValidationStatus",
             "freeDVUPStatus", "evClickThroughStatus", "validity", "extra"});
  certificate_patch c;
  c.serial_number = opt_str(j, path, "serialNumber");
  c.object_type = opt_str(j, path, "objectType");
  c.fqdn = opt_str(j, path, "FQDN");
  c.certificate_status = opt_str(j, path, "certificateStatus");
  c.certificate_status_reason = opt_str(j, path, "certificateStatusReason");
  c.csr_status = opt_progress(j, path, "csrStatus");
  c.dcv_status = opt_progress(j, path, "dcvStatus");
  c.ov_callback_status = opt_progress(j, path, "ovCallBackStatus");
  c.organization_validation_status = opt_progress(j, path, "organizationValidationStatus");
  c.free_dvup_status = opt_progress(j, path, "freeDVUPStatus");
  c.ev_click_through_status = opt_progress(j, path, "evClickThroughStatus");
  if (j.contains("validity")) c.validity = string_map(j, path, "validity");
  if (j.contains("extra")) c.extra = string_map(j, path, "extra");
  return c;
}

timeline_step parse_step(const json& j, const std::string& path, std::int64_t self) {
  only_keys(j, path,
            {"after", "orderDateTime", "orderStatus", "orderStatusReason", "suggestedOrgDetails",
             "replacedBy", "certificates"});
  timeline_step s;
  const auto after = j.find("after");
  if (after == j.end()) fail(path, "missing \"after\" (requests and/or seconds)");
  only_keys(*after, path + ".after", {"requests", "seconds"});
  if (after->contains("requests"))
    s.after_replies = count(after->at("requests"), path + ".after.requests");
  if (after->contains("seconds"))
    s.after_time = seconds_of(after->at("seconds"), path + ".after.seconds", 86400.0 * 366);
  if (!s.after_replies && !s.after_time)
    fail(path + ".after", "give \"requests\", \"seconds\" or both");
  s.order_date_time = opt_str(j, path, "orderDateTime");
  s.order_status = opt_str(j, path, "orderStatus");
  if (s.order_status && s.order_status->empty())
    fail(path + ".orderStatus", "an order always has a status");
  s.order_status_reason = opt_str(j, path, "orderStatusReason");
  if (const auto it = j.find("suggestedOrgDetails"); it != j.end()) {
    s.sets_org_details = true;
    if (!it->is_null())
      parse_org_details(*it, path + ".suggestedOrgDetails", s.org_details_status, s.org_matches);
  }
  if (j.contains("replacedBy")) s.replaced_by = parse_replaced_by(j, path, self);
  const json& certs = array(j, path, "certificates");
  for (std::size_t i = 0; i < certs.size(); ++i)
    s.certificates.push_back(
        parse_patch(certs[i], path + ".certificates[" + std::to_string(i) + "]"));
  return s;
}

// Steps take effect in order, so their thresholds must not go back; and every state they make
// must be one the mock can send. Each step's changes are checked once, on a working copy, so
// checking costs what the fixture's size does.
void check_timeline(const order& o, const std::string& path) {
  if (o.timeline.empty()) return;
  order state;
  state.certificates = o.certificates;
  std::uint64_t replies = 0;
  std::chrono::milliseconds time{0};
  for (std::size_t i = 0; i < o.timeline.size(); ++i) {
    const timeline_step& s = o.timeline[i];
    const std::string p = path + ".timeline[" + std::to_string(i) + "]";
    if (s.after_replies) {
      if (*s.after_replies < replies)
        fail(p + ".after.requests", "fewer than an earlier step's (steps take effect in order)");
      replies = *s.after_replies;
    }
    if (s.after_time) {
      if (*s.after_time < time)
        fail(p + ".after.seconds", "earlier than an earlier step's (steps take effect in order)");
      time = *s.after_time;
    }
    if (s.certificates.size() > state.certificates.size() + 1)
      fail(p + ".certificates",
           "patches go by position: the order has " + std::to_string(state.certificates.size()) +
               " certificate(s) at this step, so at most one more can be added");
    apply(state, s);
    for (std::size_t c = 0; c < s.certificates.size(); ++c)
      if (s.certificates[c].validity || s.certificates[c].extra)
        check_unknown_fields(state.certificates[c], p + ".certificates[" + std::to_string(c) + "]");
  }
}

// ---- faults ----------------------------------------------------------------------------------

// Sectigo's reseller API documents -42 as "Call limit reached, please try again later" (the
// code gdos::api_call_limit names); api_error has no text for it, so the text lives here.
constexpr std::int32_t call_limit_code = gdos::to_int(gdos::api_call_limit);
constexpr const char* call_limit_message = "Call limit reached, please try again later";

fault parse_fault(const json& j, const std::string& path, const fixture& f) {
  only_keys(j, path,
            {"fault", "status", "errorCode", "errorMessage", "delaySeconds", "orderNumber",
             "requests", "every", "rate", "seed", "seconds"});
  fault x;
  const std::string what = str(j, path, "fault", true);
  // Which keys belong to which kind: a key for another kind is a mistake worth naming.
  const auto only_for = [&](const char* key, const char* kind) {
    if (j.contains(key) && what != kind)
      fail(path + "." + key, std::string("only for \"fault\": \"") + kind + "\"");
  };
  only_for("status", "http");
  only_for("errorCode", "errorCode");
  only_for("errorMessage", "errorCode");
  only_for("delaySeconds", "slow");
  if (what == "http") {
    x.what = fault::kind::http;
    if (j.contains("status")) {
      const std::int64_t st = integer(j, path, "status");
      if (st < 400 || st > 599) fail(path + ".status", "expected an HTTP error status, 400 to 599");
      x.status = static_cast<int>(st);
    }
  } else if (what == "errorCode") {
    x.what = fault::kind::error_code;
    const std::int64_t code = integer(j, path, "errorCode");
    if (code >= 0 || code < INT32_MIN) fail(path + ".errorCode", "expected a negative errorCode");
    x.error_code = static_cast<std::int32_t>(code);
    const auto known = static_cast<gdos::api_code>(x.error_code);
    const bool plain = gdos::is_known(known) && known != gdos::api_code::unrecognised_argument &&
                       known != gdos::api_code::missing_argument &&
                       known != gdos::api_code::invalid_argument;
    if (j.contains("errorMessage"))
      x.error_message = str(j, path, "errorMessage");
    else if (plain)
      x.error_message = gdos::api_error{known, {}}.message();
    else if (x.error_code == call_limit_code)
      x.error_message = call_limit_message;
    else
      fail(path, "errorCode " + std::to_string(code) +
                     " has no fixed message here: give \"errorMessage\"");
    if (x.error_message.empty()) fail(path + ".errorMessage", "expected a message");
  } else if (what == "drop") {
    x.what = fault::kind::drop;
  } else if (what == "slow") {
    x.what = fault::kind::slow;
    if (!j.contains("delaySeconds")) fail(path, "missing \"delaySeconds\"");
    x.delay = seconds_of(j.at("delaySeconds"), path + ".delaySeconds", 600);
    if (x.delay.count() == 0) fail(path + ".delaySeconds", "expected more than 0 seconds");
  } else {
    fail(path + ".fault", "expected \"http\", \"errorCode\", \"drop\" or \"slow\"");
  }
  if (j.contains("orderNumber")) {
    x.order_number = integer(j, path, "orderNumber");
    if (f.find_order(*x.order_number) == nullptr)
      fail(path + ".orderNumber",
           "order " + std::to_string(*x.order_number) + " is not in the fixture");
  }

  int schedules = 0;
  for (const char* key : {"requests", "every", "rate", "seconds"})
    schedules += j.contains(key) ? 1 : 0;
  if (schedules != 1)
    fail(path, "give exactly one schedule: \"requests\", \"every\", \"rate\" or \"seconds\"");
  if (j.contains("seed") && !j.contains("rate")) fail(path + ".seed", "only with \"rate\"");
  if (j.contains("requests")) {
    x.when = fault::schedule::requests;
    const json& list = array(j, path, "requests");
    if (list.empty()) fail(path + ".requests", "expected at least one request number");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string p = path + ".requests[" + std::to_string(i) + "]";
      const std::uint64_t n = count(list[i], p);
      if (!x.requests.empty() && n <= x.requests.back()) fail(p, "request numbers must ascend");
      x.requests.push_back(n);
    }
  } else if (j.contains("every")) {
    x.when = fault::schedule::every;
    x.every = count(j.at("every"), path + ".every");
  } else if (j.contains("rate")) {
    x.when = fault::schedule::rate;
    const json& r = j.at("rate");
    if (!r.is_number() || !(r.get<double>() > 0) || r.get<double>() > 1)
      fail(path + ".rate", "expected a probability above 0, at most 1");
    x.rate = r.get<double>();
    if (j.contains("seed")) {
      const json& seed = j.at("seed");
      if (!seed.is_number_unsigned()) fail(path + ".seed", "expected a non-negative integer");
      x.seed = seed.get<std::uint64_t>();
    }
  } else {
    x.when = fault::schedule::window;
    const json& w = j.at("seconds");
    if (!w.is_array() || w.size() != 2) fail(path + ".seconds", "expected [from, to]");
    x.from = seconds_of(w[0], path + ".seconds[0]", 86400.0 * 366);
    x.to = seconds_of(w[1], path + ".seconds[1]", 86400.0 * 366);
    if (x.to <= x.from) fail(path + ".seconds", "the window ends before it starts");
  }
  return x;
}

// The account an order belongs to: named by its loginName, the first account when not named.
std::size_t owner(const json& j, const std::string& path, const std::vector<account>& accounts) {
  if (!j.contains("account")) return 0;
  const std::string name = str(j, path, "account");
  for (std::size_t i = 0; i < accounts.size(); ++i)
    if (accounts[i].login_name == name) return i;
  fail(path + ".account", "no account with loginName \"" + name + "\" in $.accounts");
}

order parse_order(const json& j, const std::string& path, const std::vector<account>& accounts) {
  only_keys(j, path,
            {"orderNumber", "account", "orderDateTime", "orderStatus", "orderStatusReason",
             "suggestedOrgDetails", "replacedBy", "certificates", "timeline"});
  order o;
  o.order_number = integer(j, path, "orderNumber");
  if (o.order_number <= 0) fail(path + ".orderNumber", "expected a positive integer");
  o.account = owner(j, path, accounts);
  o.order_date_time = str(j, path, "orderDateTime");
  o.order_status = str(j, path, "orderStatus", true);
  o.order_status_reason = str(j, path, "orderStatusReason");
  if (const auto it = j.find("suggestedOrgDetails"); it != j.end())
    parse_org_details(*it, path + ".suggestedOrgDetails", o.org_details_status, o.org_matches);
  o.replaced_by = parse_replaced_by(j, path, o.order_number);
  const json& certs = array(j, path, "certificates");
  for (std::size_t i = 0; i < certs.size(); ++i)
    o.certificates.push_back(
        parse_certificate(certs[i], path + ".certificates[" + std::to_string(i) + "]"));
  const json& steps = array(j, path, "timeline");
  for (std::size_t i = 0; i < steps.size(); ++i)
    o.timeline.push_back(
        parse_step(steps[i], path + ".timeline[" + std::to_string(i) + "]", o.order_number));
  check_timeline(o, path);
  return o;
}

fixture parse(const json& root) {
  only_keys(root, "$", {"accounts", "orders", "faults"});
  fixture f;
  const json& accounts = array(root, "$", "accounts");
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    const std::string p = "$.accounts[" + std::to_string(i) + "]";
    only_keys(accounts[i], p, {"loginName", "loginPassword"});
    f.accounts.push_back(
        {str(accounts[i], p, "loginName", true), str(accounts[i], p, "loginPassword", true)});
  }
  if (f.accounts.empty()) fail("$.accounts", "at least one account is needed");
  const json& orders = array(root, "$", "orders");
  for (std::size_t i = 0; i < orders.size(); ++i)
    f.orders.push_back(parse_order(orders[i], "$.orders[" + std::to_string(i) + "]", f.accounts));

  std::map<std::int64_t, std::size_t> numbers;  // orderNumber -> index
  std::set<std::int64_t> certificate_ids;
  for (std::size_t i = 0; i < f.orders.size(); ++i) {
    const order& o = f.orders[i];
    if (!numbers.emplace(o.order_number, i).second)
      fail("$.orders", "orderNumber " + std::to_string(o.order_number) + " appears twice");
    for (const certificate& c : o.certificates)
      if (c.certificate_id && !certificate_ids.insert(*c.certificate_id).second)
        fail("$.orders", "certificateID " + std::to_string(*c.certificate_id) + " appears twice");
  }
  const auto check_replacements = [&](const order& o, const std::vector<std::int64_t>& list) {
    for (std::int64_t r : list) {
      const auto found = numbers.find(r);
      if (found == numbers.end())
        fail("$.orders", "order " + std::to_string(o.order_number) + " is replaced by " +
                             std::to_string(r) + ", which is not in the fixture");
      // A reseller sees only its own orders, replacements included.
      if (f.orders[found->second].account != o.account)
        fail("$.orders", "order " + std::to_string(o.order_number) + " is replaced by " +
                             std::to_string(r) + ", which belongs to another account");
    }
  };
  for (const order& o : f.orders) {
    check_replacements(o, o.replaced_by);
    for (const timeline_step& s : o.timeline)
      if (s.replaced_by) check_replacements(o, *s.replaced_by);
  }
  const json& faults = array(root, "$", "faults");
  for (std::size_t i = 0; i < faults.size(); ++i)
    f.faults.push_back(parse_fault(faults[i], "$.faults[" + std::to_string(i) + "]", f));
  return f;
}

}  // namespace

void apply(order& o, const timeline_step& s) {
  if (s.order_date_time) o.order_date_time = *s.order_date_time;
  if (s.order_status) o.order_status = *s.order_status;
  if (s.order_status_reason) o.order_status_reason = *s.order_status_reason;
  if (s.sets_org_details) {
    o.org_details_status = s.org_details_status;
    o.org_matches = s.org_matches;
  }
  if (s.replaced_by) o.replaced_by = *s.replaced_by;
  for (std::size_t i = 0; i < s.certificates.size(); ++i) {
    if (i == o.certificates.size()) o.certificates.emplace_back();
    certificate& c = o.certificates[i];
    const certificate_patch& p = s.certificates[i];
    const auto set = [](auto& field, const auto& value) {
      if (value) field = *value;
    };
    set(c.serial_number, p.serial_number);
    set(c.object_type, p.object_type);
    set(c.fqdn, p.fqdn);
    set(c.certificate_status, p.certificate_status);
    set(c.certificate_status_reason, p.certificate_status_reason);
    set(c.csr_status, p.csr_status);
    set(c.dcv_status, p.dcv_status);
    set(c.ov_callback_status, p.ov_callback_status);
    set(c.organization_validation_status, p.organization_validation_status);
    set(c.free_dvup_status, p.free_dvup_status);
    set(c.ev_click_through_status, p.ev_click_through_status);
    set(c.validity, p.validity);
    set(c.extra, p.extra);
  }
}

bool fault::hits(std::uint64_t n, std::chrono::milliseconds since_first) const noexcept {
  switch (when) {
    case schedule::requests:
      return std::binary_search(requests.begin(), requests.end(), n);
    case schedule::every:
      return every != 0 && n % every == 0;
    case schedule::rate: {
      // splitmix64 of the seed and the request number: the same requests for the same seed,
      // whatever else happens, so a test can rely on them.
      std::uint64_t z = seed + n * 0x9E3779B97F4A7C15u;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
      z ^= z >> 31;
      return static_cast<double>(z >> 11) * 0x1.0p-53 < rate;
    }
    case schedule::window:
      return since_first >= from && since_first < to;
  }
  return false;
}

const order* fixture::find_order(std::int64_t number) const noexcept {
  for (const order& o : orders)
    if (o.order_number == number) return &o;
  return nullptr;
}

const order* fixture::find_by_certificate(std::int64_t id) const noexcept {
  for (const order& o : orders)
    for (const certificate& c : o.certificates)
      if (c.certificate_id == id) return &o;
  return nullptr;
}

std::optional<fixture> parse_fixture(std::string_view text, std::string& error) {
  try {
    return parse(json::parse(text.begin(), text.end()));
  } catch (const fixture_error& e) {
    error = e.what;
  } catch (const json::exception& e) {
    error = e.what();
  }
  return std::nullopt;
}

std::optional<fixture> load_fixture(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open " + path;
    return std::nullopt;
  }
  // At most one byte more than allowed is read, whatever the file is (/dev/zero included).
  std::string text;
  char chunk[64 * 1024];
  while (text.size() <= max_fixture_size && in) {
    in.read(chunk, static_cast<std::streamsize>(
                       std::min(sizeof chunk, max_fixture_size + 1 - text.size())));
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) {
    error = "cannot read " + path;
    return std::nullopt;
  }
  if (text.size() > max_fixture_size) {
    error = path + ": larger than " + std::to_string(max_fixture_size / (1024 * 1024)) + " MiB";
    return std::nullopt;
  }
  auto f = parse_fixture(text, error);
  if (!f) error = path + ": " + error;
  return f;
}

}  // namespace gdos_mock
