#include "fixture.hpp"

#include <gdos/response.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <initializer_list>
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
// read back as one: not a known certificate field, not one twice. gdos::validate() knows the
// rules; it is asked about a reply holding only them.
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
  const gdos::write_check v = gdos::validate(probe);
  if (!v) fail(where.at(v.unknown_field), std::string(gdos::to_string(v.ec)));
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
             "suggestedOrgDetails", "replacedBy", "certificates"});
  order o;
  o.order_number = integer(j, path, "orderNumber");
  if (o.order_number <= 0) fail(path + ".orderNumber", "expected a positive integer");
  o.account = owner(j, path, accounts);
  o.order_date_time = str(j, path, "orderDateTime");
  o.order_status = str(j, path, "orderStatus", true);
  o.order_status_reason = str(j, path, "orderStatusReason");
  if (const auto it = j.find("suggestedOrgDetails"); it != j.end()) {
    const std::string p = path + ".suggestedOrgDetails";
    only_keys(*it, p, {"Status", "matches"});
    o.org_details_status = str(*it, p, "Status", true);
    static const std::set<std::string> statuses = {"Found", "NotFound", "NotYetCompleted",
                                                   "NotApplicable"};
    if (statuses.count(o.org_details_status) == 0)
      fail(p + ".Status", "expected Found, NotFound, NotYetCompleted or NotApplicable");
    const json& matches = array(*it, p, "matches");
    for (std::size_t i = 0; i < matches.size(); ++i)
      o.org_matches.push_back(parse_match(matches[i], p + ".matches[" + std::to_string(i) + "]"));
    if ((o.org_details_status == "Found") != !o.org_matches.empty())
      fail(p, "matches are listed exactly when Status is Found");
  }
  const json& replaced = array(j, path, "replacedBy");
  for (std::size_t i = 0; i < replaced.size(); ++i) {
    const std::string p = path + ".replacedBy[" + std::to_string(i) + "]";
    if (!replaced[i].is_number_integer()) fail(p, "expected an order number");
    const auto n = replaced[i].get<std::int64_t>();
    // queryType=2 sends each entry as one more order: a repeat or the order itself would show
    // the same order twice in one reply, which the API never does.
    if (n == o.order_number) fail(p, "an order cannot replace itself");
    if (std::find(o.replaced_by.begin(), o.replaced_by.end(), n) != o.replaced_by.end())
      fail(p, "order " + std::to_string(n) + " is listed twice");
    o.replaced_by.push_back(n);
  }
  const json& certs = array(j, path, "certificates");
  for (std::size_t i = 0; i < certs.size(); ++i)
    o.certificates.push_back(
        parse_certificate(certs[i], path + ".certificates[" + std::to_string(i) + "]"));
  return o;
}

fixture parse(const json& root) {
  only_keys(root, "$", {"accounts", "orders"});
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

  std::set<std::int64_t> numbers;
  std::set<std::int64_t> certificate_ids;
  for (const order& o : f.orders) {
    if (!numbers.insert(o.order_number).second)
      fail("$.orders", "orderNumber " + std::to_string(o.order_number) + " appears twice");
    for (const certificate& c : o.certificates)
      if (c.certificate_id && !certificate_ids.insert(*c.certificate_id).second)
        fail("$.orders", "certificateID " + std::to_string(*c.certificate_id) + " appears twice");
  }
  for (const order& o : f.orders)
    for (std::int64_t r : o.replaced_by) {
      const order* replacement = f.find_order(r);
      if (replacement == nullptr)
        fail("$.orders", "order " + std::to_string(o.order_number) + " is replaced by " +
                             std::to_string(r) + ", which is not in the fixture");
      // A reseller sees only its own orders, replacements included.
      if (replacement->account != o.account)
        fail("$.orders", "order " + std::to_string(o.order_number) + " is replaced by " +
                             std::to_string(r) + ", which belongs to another account");
    }
  return f;
}

}  // namespace

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
