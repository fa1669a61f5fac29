// gdos: the command-line face of the library.
//
//   gdos decode [FILE] [--json]        a reply body (stdin by default) as a table or JSON
//   gdos encode --order N ...          the POST body of a request (password masked on stdout)
//   gdos query --order N ...           the real call, over libcurl (examples/curl_transport)
//   gdos demo                          the mock endpoint + `query` against it, over TLS
//   gdos mock [--port N] ...           the mock endpoint in the foreground
//
// The password comes from GDOS_LOGIN_PASSWORD or a no-echo prompt on the terminal, never from
// the command line, and is never printed: request printing masks it, call_error scrubs it.
//
// Exit status: 0 success; 1 the server answered with an errorCode other than 0; 2 usage error,
// invalid request or unreadable input; 3 no usable reply (transport failure, HTTP status,
// content type, malformed body).
#include "curl_transport.hpp"
#include "fixture.hpp"
#include "mock.hpp"
#include "run.hpp"

#include <gdos/gdos.hpp>

#include <fcntl.h>
#include <fmt/core.h>
#include <termios.h>
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using json = nlohmann::ordered_json;

constexpr int exit_ok = 0;
constexpr int exit_api_error = 1;
constexpr int exit_usage = 2;
constexpr int exit_no_reply = 3;

// ---- text from the wire ------------------------------------------------------------------------

// Text from a server goes to a terminal: invalid UTF-8 becomes U+FFFD and control bytes `?`, so
// a reply cannot move the cursor or change the terminal's state.
std::string clean(std::string_view decoded) {
  std::string s = gdos::form::to_utf8_lossy(decoded);
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return s;
}

std::string text(const std::optional<gdos::form::encoded_view>& v) {
  return v ? clean(v->decode()) : std::string();
}

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

void print_response(const gdos::response& r, bool as_json) {
  if (as_json) {
    std::fputs((to_json(r).dump(2) + "\n").c_str(), stdout);
  } else {
    std::fputs(table(r).c_str(), stdout);
  }
}

// ---- secrets
// -------------------------------------------------------------------------------------

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::string(v) : std::string();
}

// The terminal's settings while the prompt has echo off, restored by the signal handler too so
// that Ctrl-C at the prompt does not leave the terminal silent.
int prompt_fd = -1;
termios prompt_saved{};

extern "C" void restore_terminal_and_die(int sig) {
  if (prompt_fd >= 0) tcsetattr(prompt_fd, TCSAFLUSH, &prompt_saved);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

// The password from GDOS_LOGIN_PASSWORD, else typed on the terminal without echo.
std::optional<std::string> read_password(std::string& error) {
  if (std::string p = env("GDOS_LOGIN_PASSWORD"); !p.empty()) return p;
  const int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    error = "no password: set GDOS_LOGIN_PASSWORD or run gdos on a terminal to be asked for it";
    return std::nullopt;
  }
  termios quiet{};
  if (tcgetattr(fd, &prompt_saved) != 0) {
    close(fd);
    error = "no password: cannot set up the terminal; set GDOS_LOGIN_PASSWORD";
    return std::nullopt;
  }
  quiet = prompt_saved;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHONL);
  prompt_fd = fd;
  auto old_int = std::signal(SIGINT, restore_terminal_and_die);
  auto old_term = std::signal(SIGTERM, restore_terminal_and_die);
  constexpr std::string_view prompt = "loginPassword: ";
  (void)!write(fd, prompt.data(), prompt.size());
  tcsetattr(fd, TCSAFLUSH, &quiet);
  std::string password;
  char c = 0;
  while (read(fd, &c, 1) == 1 && c != '\n' && c != '\r') password.push_back(c);
  tcsetattr(fd, TCSAFLUSH, &prompt_saved);
  std::signal(SIGINT, old_int);
  std::signal(SIGTERM, old_term);
  prompt_fd = -1;
  (void)!write(fd, "\n", 1);
  close(fd);
  if (password.empty()) {
    error = "no password given";
    return std::nullopt;
  }
  return password;
}

// ---- requests ----------------------------------------------------------------------------------

// Every member has an initializer so designated initializers may leave any out (g++ warns
// about the others with -Wextra).
struct request_options {
  std::string login_name{};
  std::optional<std::int64_t> order{};
  std::optional<std::int64_t> certificate_id{};
  int query_type = 1;
  std::string show_validity_period{};  // "", "Y" or "N"
  std::string response_format = "1";   // "0", "1" or "omit"
};

void add_request_options(CLI::App& cmd, request_options& o) {
  // Both may be given: the request then carries both, and the server answers for the order
  // only when the certificate is one of its own.
  cmd.add_option("--order", o.order, "orderNumber to query");
  cmd.add_option("--certificate-id", o.certificate_id,
                 "certificateID to query (with --order: both are sent, and must match)");
  cmd.add_option("--login-name", o.login_name,
                 "loginName (default: $GDOS_LOGIN_NAME; the password is read from "
                 "$GDOS_LOGIN_PASSWORD or asked for, never taken from the command line)");
  cmd.add_option("--query-type", o.query_type,
                 "0 status only, 1 + certificate details, 2 + replacement orders")
      ->check(CLI::IsMember({0, 1, 2}))
      ->capture_default_str();
  cmd.add_option("--show-validity-period", o.show_validity_period, "Y or N (default: not sent)")
      ->check(CLI::IsMember({"Y", "N"}));
}

gdos::request make_request(const request_options& o, std::string_view name,
                           std::string_view password) {
  gdos::request r;
  r.login_name = name;
  r.login_password = password;
  r.order_number = o.order;
  r.certificate_id = o.certificate_id;
  r.query_type = static_cast<gdos::query_type>(o.query_type);
  if (o.show_validity_period == "Y") r.show_validity_period = gdos::yes_no::yes;
  if (o.show_validity_period == "N") r.show_validity_period = gdos::yes_no::no;
  if (o.response_format == "0") r.response_format = gdos::response_format::newline_delimited;
  if (o.response_format == "omit") r.response_format = gdos::response_format::omitted;
  return r;
}

std::string login_name_of(const request_options& o) {
  return o.login_name.empty() ? env("GDOS_LOGIN_NAME") : o.login_name;
}

// ---- query: the one code path `gdos query` and `gdos demo` share -----------------------------

struct call_settings {
  std::string endpoint{gdos::comodo_url};
  std::string ca_file;
  long timeout_seconds = 60;
  bool json = false;
};

int exit_status_of(const gdos::call_error& e) {
  switch (e.code) {
    case gdos::call_errc::api_error:
      return exit_api_error;
    case gdos::call_errc::invalid_request:
      return exit_usage;
    default:
      return exit_no_reply;
  }
}

// Performs the call through the libcurl transport and prints the reply (stdout) or the typed
// error (stderr). Returns the exit status and, through `seen`, the error if there was one.
int query(const gdos::request& req, const call_settings& s, gdos::call_error* seen = nullptr) {
  gdos_examples::curl_transport curl({.ca_file = s.ca_file,
                                      .connect_timeout = std::chrono::seconds(10),
                                      .total_timeout = std::chrono::seconds(s.timeout_seconds)});
  const auto r = gdos::get_detailed_order_status(curl, req, {.url = s.endpoint});
  if (!r) {
    const gdos::call_error& e = r.error();
    std::string kind(gdos::to_string(e.code));
    if (e.code == gdos::call_errc::transport)
      kind += "/" + std::string(gdos::to_string(e.transport));
    std::fflush(stdout);
    fmt::print(stderr, "gdos: {}: {}\n", kind, e.message());
    std::fflush(stderr);
    if (seen != nullptr) *seen = e;
    return exit_status_of(e);
  }
  print_response(r->get(), s.json);
  return exit_ok;
}

// ---- commands ----------------------------------------------------------------------------------

int cmd_decode(const std::string& file, bool as_json, bool lenient) {
  std::string body;
  if (file.empty() || file == "-") {
    body.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      fmt::print(stderr, "gdos: cannot open {}\n", file);
      return exit_usage;
    }
    body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  gdos::parse_options po;
  if (lenient) po.mode = gdos::parse_mode::lenient;
  const auto r = gdos::parse_response(body, po);
  if (!r) {
    fmt::print(stderr, "gdos: malformed reply: {}\n", r.error().message());
    return exit_no_reply;
  }
  if (!r->ok()) {
    // The reply is well-formed, so scripts still get it whole; the error itself goes to stderr.
    if (as_json) print_response(*r, true);
    fmt::print(stderr, "gdos: errorCode {}: {}\n", gdos::to_int(r->error_code),
               text(r->error_message));
    return exit_api_error;
  }
  print_response(*r, as_json);
  return exit_ok;
}

int cmd_encode(const request_options& o, const std::string& out_file) {
  const std::string name = login_name_of(o);
  std::string password;
  std::string error;
  if (!out_file.empty()) {
    auto p = read_password(error);
    if (!p) {
      fmt::print(stderr, "gdos: {}\n", error);
      return exit_usage;
    }
    password = std::move(*p);
  } else {
    // Only the masked body is printed, so no password is needed; a stand-in lets validate()
    // check everything else.
    password = env("GDOS_LOGIN_PASSWORD");
    if (password.empty()) password = "-";
  }
  const gdos::request req = make_request(o, name, password);
  const gdos::validation_result v = gdos::validate(req);
  if (!v) {
    std::ostringstream msg;
    msg << v;
    fmt::print(stderr, "gdos: invalid request: {}\n", msg.str());
    return exit_usage;
  }
  std::ostringstream masked;
  masked << req;
  std::fputs((masked.str() + "\n").c_str(), stdout);
  if (!out_file.empty()) {
    // The real body holds the password: written only to the file the user named, readable by
    // the user alone.
    const auto body = gdos::encode_request(req);
    const int fd = open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || write(fd, body->data(), body->size()) != static_cast<ssize_t>(body->size()) ||
        close(fd) != 0) {
      fmt::print(stderr, "gdos: cannot write {}\n", out_file);
      return exit_usage;
    }
    fmt::print(stderr, "gdos: wrote the body ({} bytes, loginPassword included) to {}\n",
               body->size(), out_file);
  }
  return exit_ok;
}

int cmd_query(const request_options& o, const call_settings& s) {
  const std::string name = login_name_of(o);
  if (name.empty()) {
    fmt::print(stderr, "gdos: no login name: use --login-name or set GDOS_LOGIN_NAME\n");
    return exit_usage;
  }
  if (!o.order && !o.certificate_id) {
    fmt::print(stderr, "gdos: say which order: --order N or --certificate-id N\n");
    return exit_usage;
  }
  std::string error;
  const auto password = read_password(error);
  if (!password) {
    fmt::print(stderr, "gdos: {}\n", error);
    return exit_usage;
  }
  return query(make_request(o, name, *password), s);
}

// The demo: the mock on a free loopback port, and `query` against it over verified TLS.
int cmd_demo() {
  std::string error;
  auto data = gdos_mock::parse_fixture(gdos_mock::default_fixture_json(), error);
  if (!data) {
    fmt::print(stderr, "gdos demo: built-in fixture: {}\n", error);
    return 1;
  }
  const gdos_mock::account account = data->accounts.front();
  gdos_mock::options mo;
  mo.data = std::move(*data);
  mo.duration = std::chrono::seconds(120);  // a safety net: the demo never leaves it running
  auto mock = gdos_mock::server::start(std::move(mo), error);
  if (!mock) {
    fmt::print(stderr, "gdos demo: cannot start the mock endpoint: {}\n", error);
    return 1;
  }
  fmt::print(
      "gdos demo: a mock GetDetailedOrderStatus endpoint is running on loopback with a CA made "
      "for this run.\n"
      "  URL      {}\n  CA file  {}\n"
      "Each step below is `gdos query` (libcurl, certificate verification on) against it, as "
      "reseller '{}'.\n",
      mock->url(), mock->ca_file(), account.login_name);

  call_settings s;
  s.endpoint = mock->url();
  s.ca_file = mock->ca_file();
  s.timeout_seconds = 20;
  int unexpected = 0;
  const auto step = [&](std::string_view title, const request_options& o, std::string_view password,
                        int expected_status) {
    fmt::print("\n==== {}\n", title);
    std::fflush(stdout);
    const int status = query(make_request(o, account.login_name, password), s);
    if (status != expected_status) {
      ++unexpected;
      fmt::print(stderr, "gdos demo: expected exit status {}, got {}\n", expected_status, status);
    }
  };

  step("gdos query --order 1000005 --query-type 2 --show-validity-period Y  (replaced order)",
       {.order = 1000005, .query_type = 2, .show_validity_period = "Y"}, account.login_password,
       exit_ok);
  step("gdos query --order 1000007 --query-type 1  (multi-domain, validity not asked for)",
       {.order = 1000007, .query_type = 1}, account.login_password, exit_ok);
  step("gdos query --certificate-id 5100010 --query-type 1  (OV pending, organizations found)",
       {.certificate_id = 5100010, .query_type = 1}, account.login_password, exit_ok);
  step("gdos query --order 1000003 --query-type 0  (rejected, status only)",
       {.order = 1000003, .query_type = 0}, account.login_password, exit_ok);
  step("gdos query --order 1000002 with a wrong password  (expect errorCode -16)",
       {.order = 1000002}, "not-the-password", exit_api_error);
  step("gdos query --order 4242  (not in the fixture: expect errorCode -4)", {.order = 4242},
       account.login_password, exit_api_error);
  {
    call_settings plain = s;
    plain.endpoint = mock->http_url();
    fmt::print("\n==== the same query over plain HTTP ({})  (expect errorCode -1)\n",
               plain.endpoint);
    std::fflush(stdout);
    if (query(make_request({.order = 1000002}, account.login_name, account.login_password),
              plain) != exit_api_error)
      ++unexpected;
  }
  {
    call_settings untrusted = s;
    untrusted.ca_file.clear();
    fmt::print("\n==== the same query without the mock's CA  (expect a TLS verification error)\n");
    std::fflush(stdout);
    gdos::call_error e;
    query(make_request({.order = 1000002}, account.login_name, account.login_password), untrusted,
          &e);
    if (e.code != gdos::call_errc::transport ||
        e.transport != gdos::transport_errc::tls_verification)
      ++unexpected;
  }

  const std::size_t requests = mock->requests();
  mock->stop();
  fmt::print("\ngdos demo: {} requests answered by the mock, {}; mock stopped.\n", requests,
             unexpected == 0 ? "every outcome as expected" : "SOME OUTCOMES UNEXPECTED");
  return unexpected == 0 ? 0 : 1;
}

int run_cli(int argc, char** argv) {
  // A peer that closes its connection while OpenSSL writes would otherwise kill the process:
  // the mock serves TLS in-process for `demo`, and curl_transport sets CURLOPT_NOSIGNAL.
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"gdos: GetDetailedOrderStatus (Comodo/Sectigo reseller API) from the command line"};
  app.set_version_flag("--version", "gdos " GDOS_VERSION_STRING);
  app.require_subcommand(1);

  std::string decode_file;
  bool decode_json = false;
  bool decode_lenient = false;
  auto* decode = app.add_subcommand("decode", "Print a reply body (a file, or stdin) as a table");
  decode->add_option("file", decode_file, "Reply body file (default: stdin)");
  decode->add_flag("--json", decode_json, "JSON instead of a table");
  decode->add_flag("--lenient", decode_lenient, "Parse in lenient mode (see gdos::parse_mode)");

  request_options encode_opts;
  std::string encode_out;
  auto* encode = app.add_subcommand(
      "encode", "Print the POST body for a request (loginPassword masked; -o writes it whole)");
  add_request_options(*encode, encode_opts);
  encode->add_option("--response-format", encode_opts.response_format, "0, 1 or omit")
      ->check(CLI::IsMember({"0", "1", "omit"}))
      ->capture_default_str();
  encode->add_option("-o,--output", encode_out,
                     "Write the real body, password included, to this file (mode 0600)");

  request_options query_opts;
  call_settings query_settings;
  auto* q = app.add_subcommand("query", "Call GetDetailedOrderStatus over HTTPS (libcurl)");
  add_request_options(*q, query_opts);
  q->add_option("--endpoint", query_settings.endpoint, "Endpoint URL")->capture_default_str();
  q->add_option("--ca-file", query_settings.ca_file,
                "Trust this CA file (PEM) instead of the system's authorities");
  q->add_option("--timeout", query_settings.timeout_seconds, "Seconds allowed for the call")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  q->add_flag("--json", query_settings.json, "JSON instead of a table");

  auto* demo = app.add_subcommand(
      "demo", "Start the mock endpoint on loopback and query it over TLS (ends by itself)");

  gdos_mock::run_options mock_opts;
  auto* mock = app.add_subcommand("mock", "Run the mock endpoint in the foreground");
  gdos_mock::add_run_options(*mock, mock_opts);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : exit_usage;
  }

  if (*decode) return cmd_decode(decode_file, decode_json, decode_lenient);
  if (*encode) return cmd_encode(encode_opts, encode_out);
  if (*q) return cmd_query(query_opts, query_settings);
  if (*demo) return cmd_demo();
  if (*mock) return gdos_mock::run_foreground(mock_opts);
  return exit_usage;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run_cli(argc, argv);
  } catch (const std::exception& e) {
    // Nothing gdos calls throws on purpose; this is for std::bad_alloc and I/O failures.
    std::fprintf(stderr, "gdos: %s\n", e.what());
    return exit_usage;
  }
}
