// Invariants of the server-side request parser (gdos::parse_request, gdos/request.hpp) for every
// input, checked with an abort so that libFuzzer (or the replay main) reports the input that
// breaks them:
// - an accepted body gives a valid request that re-encodes and re-parses to the same request,
//   and whose re-encoding is a fixed point;
// - a refused body carries -2, -3 or -4; -2 and -4 name an argument exactly as it appears in the
//   body (a whole field name, never part of a value), -3 a documented argument;
// - the password never appears in an error message or reply.
#include <gdos/request.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"

namespace {

namespace form = gdos::form;
using gdos::api_code;

bool within(std::string_view outer, std::string_view inner) {
  return inner.data() >= outer.data() && inner.data() + inner.size() <= outer.data() + outer.size();
}

bool overlaps(std::string_view a, std::string_view b) {
  return a.data() < b.data() + b.size() && b.data() < a.data() + a.size();
}

// Exactly "loginPassword", ASCII case-insensitively, once decoded: a value the parser treats as
// the password. Written independently of the parser, on purpose.
bool names_password(const form::field& f) {
  const std::string name = f.name.decode();
  constexpr std::string_view want = "loginpassword";
  if (name.size() != want.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != want[i]) return false;
  }
  return true;
}

void check_accepted(std::string_view input, const gdos::parsed_request& p) {
  FUZZ_CHECK(within(input, p.login_name.encoded()));
  FUZZ_CHECK(within(input, p.login_password.encoded()));

  // to_request: exact buffer size, refusal one byte short, and agreement with the parsed form.
  const std::size_t need = p.decoding_buffer_size();
  std::vector<char> buffer(need);
  if (need > 0) {
    const auto short_by_one = p.to_request(std::span<char>(buffer.data(), need - 1));
    FUZZ_CHECK(!short_by_one && short_by_one.error().size == need);
  }
  const auto r = p.to_request(buffer);
  FUZZ_CHECK(r.has_value());
  FUZZ_CHECK(p == *r);
  FUZZ_CHECK(gdos::validate(*r));

  // Re-encode and re-parse: the same request, and the body is a fixed point.
  const auto body = gdos::encode_request(*r);
  FUZZ_CHECK(body.has_value());
  FUZZ_CHECK(body->size() == gdos::encoded_size(*r));
  const auto again = gdos::parse_request(*body);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(*again == *r);
  std::string storage;
  const gdos::request r2 = again->to_request(storage);
  FUZZ_CHECK(r2 == *r);
  const auto body2 = gdos::encode_request(r2);
  FUZZ_CHECK(body2.has_value() && *body2 == *body);
}

void check_refused(std::string_view input, const gdos::api_error& e) {
  FUZZ_CHECK(e.code == api_code::unrecognised_argument || e.code == api_code::missing_argument ||
             e.code == api_code::invalid_argument);
  if (e.code == api_code::missing_argument) {
    FUZZ_CHECK(e.argument == "loginName" || e.argument == "loginPassword" ||
               e.argument == "orderNumber");
  } else {
    // A whole field name of the body: starts a piece and ends at its '=', '&' or the end.
    FUZZ_CHECK(within(input, e.argument));
    FUZZ_CHECK(input.find(e.argument) != std::string_view::npos);
    const auto begin = static_cast<std::size_t>(e.argument.data() - input.data());
    const std::size_t end = begin + e.argument.size();
    FUZZ_CHECK(begin == 0 || input[begin - 1] == '&');
    FUZZ_CHECK(end == input.size() || input[end] == '=' || input[end] == '&');
    FUZZ_CHECK(e.argument.find('&') == std::string_view::npos);
    FUZZ_CHECK(e.argument.find('=') == std::string_view::npos);
  }

  // The message and the reply body agree with each other and with the buffer API.
  const std::string message = e.message();
  FUZZ_CHECK(message.size() == e.message_size());
  std::vector<char> buf(message.size());
  const auto w = e.message_to(buf);
  FUZZ_CHECK(w.ok && std::string_view(buf.data(), buf.size()) == message);
  const std::string reply = gdos::error_reply(e);
  FUZZ_CHECK(reply.size() == gdos::error_reply_size(e));
  auto it = form::fields(reply).begin();
  FUZZ_CHECK(it->name.encoded() == "errorCode");
  FUZZ_CHECK(it->value.encoded() == std::to_string(gdos::to_int(e.code)));
  ++it;
  FUZZ_CHECK(it->name.encoded() == "errorMessage");
  FUZZ_CHECK(it->value.decode() == message);
  FUZZ_CHECK(++it == form::fields(reply).end());

  // The password: the error's argument never touches a password value, and the password shows
  // in the message only where the client itself put it into an argument name (or where the
  // fixed text happens to hold it, as with a password like "is").
  const std::string fixed = gdos::api_error{e.code, {}}.message();
  for (const form::field& f : form::fields(input)) {
    if (!names_password(f) || f.value.empty()) continue;
    FUZZ_CHECK(!overlaps(e.argument, f.value.encoded()));
    const std::string password = f.value.decode();
    if (message.find(password) == std::string::npos) continue;
    FUZZ_CHECK(fixed.find(password) != std::string::npos ||
               e.argument.find(password) != std::string_view::npos ||
               password.find('\'') != std::string::npos);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto p = gdos::parse_request(input);
  if (p) {
    check_accepted(input, *p);
  } else {
    check_refused(input, p.error());
  }
  // Deterministic: the same input gives the same answer.
  const auto q = gdos::parse_request(input);
  FUZZ_CHECK(q.has_value() == p.has_value());
  if (!p) FUZZ_CHECK(q.error() == p.error());
  return 0;
}
