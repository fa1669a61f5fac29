/// @file impl/request.hpp
/// @brief The bodies of gdos/request.hpp: the names of the enumerators, validate(), the encoder,
/// printing with the password masked, Comodo's error messages and replies, and
/// parse_request(). Included at the end of that header.
#pragma once

#include <gdos/common.hpp>
#include <gdos/config.hpp>
#include <gdos/detail/ascii.hpp>
#include <gdos/detail/decimal.hpp>
#include <gdos/form.hpp>
#include <gdos/request.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gdos {

constexpr std::string_view to_string(query_type q) noexcept {
  switch (q) {
    case query_type::status:
      return "status";
    case query_type::detailed:
      return "detailed";
    case query_type::detailed_with_replacements:
      return "detailed_with_replacements";
  }
  return "unknown";
}

constexpr std::string_view to_string(yes_no v) noexcept {
  switch (v) {
    case yes_no::unset:
      return "unset";
    case yes_no::yes:
      return "yes";
    case yes_no::no:
      return "no";
  }
  return "unknown";
}

constexpr std::string_view to_string(response_format f) noexcept {
  switch (f) {
    case response_format::url_encoded:
      return "url_encoded";
    case response_format::json:
      return "json";
    case response_format::omitted:
      return "omitted";
  }
  return "unknown";
}

constexpr std::string_view field_name(request_field f) noexcept {
  switch (f) {
    case request_field::login_name:
      return "loginName";
    case request_field::login_password:
      return "loginPassword";
    case request_field::order_number:
      return "orderNumber";
    case request_field::certificate_id:
      return "certificateID";
    case request_field::query_type:
      return "queryType";
    case request_field::show_validity_period:
      return "showValidityPeriod";
    case request_field::response_format:
      return "responseFormat";
    case request_field::sid:
      return "SID";
  }
  return "unknown";
}

constexpr std::string_view to_string(request_field f) noexcept {
  switch (f) {
    case request_field::login_name:
      return "login_name";
    case request_field::login_password:
      return "login_password";
    case request_field::order_number:
      return "order_number";
    case request_field::certificate_id:
      return "certificate_id";
    case request_field::query_type:
      return "query_type";
    case request_field::show_validity_period:
      return "show_validity_period";
    case request_field::response_format:
      return "response_format";
    case request_field::sid:
      return "sid";
  }
  return "unknown";
}

constexpr std::string_view to_string(request_errc e) noexcept {
  switch (e) {
    case request_errc::ok:
      return "ok";
    case request_errc::missing:
      return "missing";
    case request_errc::too_long:
      return "too_long";
    case request_errc::not_positive:
      return "not_positive";
    case request_errc::out_of_range:
      return "out_of_range";
    case request_errc::buffer_too_small:
      return "buffer_too_small";
  }
  return "unknown";
}

constexpr std::string_view message(request_errc e) noexcept {
  switch (e) {
    case request_errc::ok:
      return "ok";
    case request_errc::missing:
      return "missing";
    case request_errc::too_long:
      return "too long";
    case request_errc::not_positive:
      return "not a positive integer";
    case request_errc::out_of_range:
      return "out of range";
    case request_errc::buffer_too_small:
      return "buffer too small";
  }
  return "unknown request error";
}

constexpr validation_result validate(const request& r) noexcept {
  using f = request_field;
  using e = request_errc;
  // A character is at least one byte, so only long values pay for counting characters.
  if (r.login_name.empty()) return {e::missing, f::login_name};
  if (r.login_name.size() > max_login_name_length &&
      form::utf8_length(r.login_name) > max_login_name_length)
    return {e::too_long, f::login_name};
  if (r.login_password.empty()) return {e::missing, f::login_password};
  if (r.login_password.size() > max_login_password_length &&
      form::utf8_length(r.login_password) > max_login_password_length)
    return {e::too_long, f::login_password};
  if (!r.order_number && !r.certificate_id) return {e::missing, f::order_number};
  if (r.order_number && *r.order_number <= 0) return {e::not_positive, f::order_number};
  if (r.certificate_id) {
    if (*r.certificate_id <= 0) return {e::not_positive, f::certificate_id};
    if (*r.certificate_id > max_certificate_id) return {e::too_long, f::certificate_id};
  }
  if (static_cast<unsigned>(r.query_type) > 2u) return {e::out_of_range, f::query_type};
  if (static_cast<unsigned>(r.show_validity_period) > 2u)
    return {e::out_of_range, f::show_validity_period};
  switch (r.response_format) {
    case response_format::url_encoded:
    case response_format::json:
    case response_format::omitted:
      break;
    default:
      return {e::out_of_range, f::response_format};
  }
  return {};
}

namespace detail {

constexpr char* write_literal(std::string_view s, char* p) noexcept {
  std::char_traits<char>::copy(p, s.data(), s.size());  // memcpy at run time
  return p + s.size();
}

// The separators are part of the literals so that writing a field is two copies at most.
inline constexpr std::string_view k_login_name = "loginName=";
inline constexpr std::string_view k_login_password = "&loginPassword=";
inline constexpr std::string_view k_order_number = "&orderNumber=";
inline constexpr std::string_view k_certificate_id = "&certificateID=";
inline constexpr std::string_view k_query_type = "&queryType=";
inline constexpr std::string_view k_show_validity_period = "&showValidityPeriod=";
inline constexpr std::string_view k_response_format = "&responseFormat=";
inline constexpr std::string_view k_sid = "&SID=";

/// Writes the body of a request that passed validate() at p, which holds encoded_size() bytes.
constexpr char* write_request(const request& r, char* p) noexcept {
  // Values go through form::detail::encode_with_slack(), which may overwrite up to 3 bytes past
  // them: the next literal is always longer than that and rewrites them.
  p = write_literal(k_login_name, p);
  p = form::detail::encode_with_slack(r.login_name, p);
  p = write_literal(k_login_password, p);
  p = form::detail::encode_with_slack(r.login_password, p);
  if (r.order_number) {
    p = write_literal(k_order_number, p);
    p = write_decimal(*r.order_number, p);
  }
  if (r.certificate_id) {
    p = write_literal(k_certificate_id, p);
    p = write_decimal(*r.certificate_id, p);
  }
  p = write_literal(k_query_type, p);
  *p++ = static_cast<char>('0' + static_cast<int>(r.query_type));
  if (r.show_validity_period != yes_no::unset) {
    p = write_literal(k_show_validity_period, p);
    *p++ = r.show_validity_period == yes_no::yes ? 'Y' : 'N';
  }
  if (r.response_format != response_format::omitted) {
    p = write_literal(k_response_format, p);
    *p++ = static_cast<char>('0' + static_cast<int>(r.response_format));
  }
  if (!r.sid.empty()) {
    p = write_literal(k_sid, p);
    // Exact, not with slack: no literal follows to rewrite the bytes past it.
    p = form::encode_unchecked(r.sid, p);
  }
  return p;
}

/// An upper bound of encoded_size(r) that costs no pass over the strings: every byte escaped,
/// every optional field present with its longest valid value. Meaningful for a request that
/// passed validate(), whose strings are at most 4 bytes per character long (so no overflow).
[[nodiscard]] constexpr std::size_t max_encoded_size(const request& r) noexcept {
  return k_login_name.size() + k_login_password.size() + k_order_number.size() + 19 +
         k_certificate_id.size() + max_certificate_id_digits + k_query_type.size() + 1 +
         k_show_validity_period.size() + 1 + k_response_format.size() + 1 + k_sid.size() +
         3 * (r.login_name.size() + r.login_password.size() + r.sid.size());
}

}  // namespace detail

constexpr std::size_t encoded_size(const request& r) noexcept {
  std::size_t n = detail::k_login_name.size() + form::encoded_size(r.login_name) +
                  detail::k_login_password.size() + form::encoded_size(r.login_password) +
                  detail::k_query_type.size() + 1;
  if (r.order_number) n += detail::k_order_number.size() + detail::decimal_size(*r.order_number);
  if (r.certificate_id)
    n += detail::k_certificate_id.size() + detail::decimal_size(*r.certificate_id);
  if (r.show_validity_period != yes_no::unset) n += detail::k_show_validity_period.size() + 1;
  if (r.response_format != response_format::omitted) n += detail::k_response_format.size() + 1;
  if (!r.sid.empty()) n += detail::k_sid.size() + form::encoded_size(r.sid);
  return n;
}

constexpr encode_result encode_request_to(const request& r, std::span<char> dest) noexcept {
  const validation_result v = validate(r);
  if (!v) return {0, v.code, v.field};
  // A buffer that holds the worst case is written in one pass, without sizing first: the common
  // case of a reused buffer of a few hundred bytes.
  if (dest.size() >= detail::max_encoded_size(r)) {
    const char* end = detail::write_request(r, dest.data());
    GDOS_ASSERT(static_cast<std::size_t>(end - dest.data()) == encoded_size(r));
    return {static_cast<std::size_t>(end - dest.data()), request_errc::ok, {}};
  }
  const std::size_t n = encoded_size(r);
  if (n > dest.size()) return {n, request_errc::buffer_too_small, {}};
  [[maybe_unused]] const char* end = detail::write_request(r, dest.data());
  GDOS_ASSERT(end == dest.data() + n);  // write_request's precondition held
  return {n, request_errc::ok, {}};
}

constexpr result<std::string, validation_result> encode_request(const request& r) {
  const validation_result v = validate(r);
  if (!v) return v;
  // Sized for the worst case and trimmed, so that the values are read once; at most a few
  // hundred bytes of capacity go unused, since a valid request's strings are short.
  std::string body(detail::max_encoded_size(r), '\0');
  body.resize(static_cast<std::size_t>(detail::write_request(r, body.data()) - body.data()));
  return body;
}

namespace detail {

template <class Stream>
void print_encoded(Stream& os, std::string_view plain) {
  std::array<char, std::size_t{3} * 64> buf{};
  while (!plain.empty()) {
    const std::string_view chunk = plain.substr(0, 64);
    const char* end = form::encode_unchecked(chunk, buf.data());
    os << std::string_view(buf.data(), static_cast<std::size_t>(end - buf.data()));
    plain.remove_prefix(chunk.size());
  }
}

template <class Stream>
void print_integer(Stream& os, std::int64_t v) {
  os << to_decimal(v).view();
}

}  // namespace detail

template <string_view_stream Stream>
Stream& operator<<(Stream& os, const request& r) {
  os << detail::k_login_name;
  detail::print_encoded(os, r.login_name);
  os << detail::k_login_password << std::string_view("***");
  if (r.order_number) {
    os << detail::k_order_number;
    detail::print_integer(os, *r.order_number);
  }
  if (r.certificate_id) {
    os << detail::k_certificate_id;
    detail::print_integer(os, *r.certificate_id);
  }
  os << detail::k_query_type;
  detail::print_integer(os, static_cast<std::int64_t>(r.query_type));
  if (r.show_validity_period == yes_no::yes) {
    os << detail::k_show_validity_period << std::string_view("Y");
  } else if (r.show_validity_period == yes_no::no) {
    os << detail::k_show_validity_period << std::string_view("N");
  } else if (r.show_validity_period != yes_no::unset) {
    os << detail::k_show_validity_period;
    detail::print_integer(os, static_cast<std::int64_t>(r.show_validity_period));
  }
  if (r.response_format != response_format::omitted) {
    os << detail::k_response_format;
    detail::print_integer(os, static_cast<std::int64_t>(r.response_format));
  }
  if (!r.sid.empty()) os << detail::k_sid << std::string_view("***");
  return os;
}

template <string_view_stream Stream>
Stream& operator<<(Stream& os, const validation_result& v) {
  if (v) {
    os << std::string_view("ok");
  } else {
    os << field_name(v.field) << std::string_view(": ") << message(v.code);
  }
  return os;
}

namespace detail {

/// A message is a fixed prefix, the argument (for -2, -3, -4 only) and a fixed suffix.
struct message_parts {
  std::string_view prefix;
  std::string_view argument;
  std::string_view suffix;
  [[nodiscard]] constexpr std::size_t size() const noexcept {
    return prefix.size() + argument.size() + suffix.size();
  }
};

[[nodiscard]] constexpr message_parts message_of(const api_error& e) noexcept {
  switch (e.code) {
    case api_code::not_https:
      return {"Request was not made over https!", {}, {}};
    case api_code::unrecognised_argument:
      return {"'", e.argument, "' is an unrecognised argument!"};
    case api_code::missing_argument:
      return {"The '", e.argument, "' argument is missing!"};
    case api_code::invalid_argument:
      return {"The value of the '", e.argument, "' argument is invalid!"};
    case api_code::unknown_error:
      return {"An unknown error occurred!", {}, {}};
    case api_code::permission_denied:
      return {"Permission denied!", {}, {}};
    case api_code::get_not_post:
      return {"Request used GET rather than POST!", {}, {}};
    case api_code::success:
      break;
  }
  return {};
}

}  // namespace detail

constexpr std::size_t api_error::message_size() const noexcept {
  return detail::message_of(*this).size();
}

constexpr form::write_result api_error::message_to(std::span<char> dest) const noexcept {
  const detail::message_parts m = detail::message_of(*this);
  if (m.size() > dest.size()) return {m.size(), false};
  char* p = detail::write_literal(m.prefix, dest.data());
  p = detail::write_literal(m.argument, p);
  detail::write_literal(m.suffix, p);
  return {m.size(), true};
}

constexpr std::string api_error::message() const {
  std::string out(message_size(), '\0');
  (void)message_to(out);
  return out;
}

template <string_view_stream Stream>
Stream& operator<<(Stream& os, const api_error& e) {
  const detail::message_parts m = detail::message_of(e);
  os << m.prefix << m.argument << m.suffix;
  return os;
}

namespace detail {

inline constexpr std::string_view k_error_code = "errorCode=";
inline constexpr std::string_view k_error_message = "&errorMessage=";

}  // namespace detail

constexpr std::size_t error_reply_size(const api_error& e) noexcept {
  const detail::message_parts m = detail::message_of(e);
  return detail::k_error_code.size() + detail::decimal_size(to_int(e.code)) +
         detail::k_error_message.size() + form::encoded_size(m.prefix) +
         form::encoded_size(m.argument) + form::encoded_size(m.suffix);
}

constexpr form::write_result error_reply_to(const api_error& e, std::span<char> dest) noexcept {
  const std::size_t n = error_reply_size(e);
  if (n > dest.size()) return {n, false};
  const detail::message_parts m = detail::message_of(e);
  char* p = detail::write_literal(detail::k_error_code, dest.data());
  p = detail::write_decimal(to_int(e.code), p);
  p = detail::write_literal(detail::k_error_message, p);
  p = form::encode_unchecked(m.prefix, p);
  p = form::encode_unchecked(m.argument, p);
  form::encode_unchecked(m.suffix, p);
  return {n, true};
}

constexpr std::string error_reply(const api_error& e) {
  std::string out(error_reply_size(e), '\0');
  (void)error_reply_to(e, out);
  return out;
}

constexpr result<request, form::write_result> parsed_request::to_request(
    std::span<char> buffer) const noexcept {
  const std::size_t need = decoding_buffer_size();
  if (need > buffer.size()) return form::write_result{need, false};
  char* p = buffer.data();
  request r;
  r.login_name = view(login_name, p);
  r.login_password = view(login_password, p);
  r.order_number = order_number;
  r.certificate_id = certificate_id;
  r.query_type = query_type;
  r.show_validity_period = show_validity_period;
  r.response_format = response_format;
  r.sid = view(sid, p);
  return r;
}

namespace detail {

// In request_field's order.
inline constexpr std::array<std::string_view, 8> field_names = {
    "loginName", "loginPassword",      "orderNumber",    "certificateID",
    "queryType", "showValidityPeriod", "responseFormat", "SID"};
inline constexpr std::size_t longest_field_name = 18;  // showValidityPeriod

/// A value decoded into a fixed buffer, or `fits == false` when it decodes to more than N bytes.
template <std::size_t N>
struct small_decoded {
  std::array<char, N> buf{};
  std::string_view text;
  bool fits = false;
};

template <std::size_t N>
constexpr void decode_small(form::encoded_view v, small_decoded<N>& out) noexcept {
  if (!v.needs_decoding()) {
    out.text = v.encoded();
    out.fits = out.text.size() <= N;
    return;
  }
  const form::write_result w = v.decode_to(out.buf);
  out.fits = w.ok;
  if (w.ok) out.text = std::string_view(out.buf.data(), w.size);
}

/// Which documented field `name` is (decoded, ASCII case-insensitively), or -1.
[[nodiscard]] constexpr int match_field(form::encoded_view name) noexcept {
  small_decoded<longest_field_name> d;
  decode_small(name, d);
  if (!d.fits) return -1;
  for (std::size_t i = 0; i < field_names.size(); ++i)
    if (iequals_ascii(d.text, field_names[i])) return static_cast<int>(i);
  return -1;
}

/// parse_digits() of the decoded text of `v`: digits only, 1..max_digits of them.
[[nodiscard]] constexpr std::optional<std::uint64_t> decoded_digits(
    form::encoded_view v, std::size_t max_digits) noexcept {
  small_decoded<19> d;
  decode_small(v, d);
  if (!d.fits) return std::nullopt;
  return parse_digits(d.text, max_digits);
}

/// True when `v` decodes to at most `max_chars` characters. A character takes at most 4 bytes,
/// so longer decoded text is too long without counting.
template <std::size_t MaxChars>
[[nodiscard]] constexpr bool within_chars(form::encoded_view v) noexcept {
  if (!v.needs_decoding())
    return v.size() <= MaxChars ||
           (v.size() <= 4 * MaxChars && form::utf8_length(v.encoded()) <= MaxChars);
  small_decoded<4 * MaxChars> d;
  decode_small(v, d);
  return d.fits && form::utf8_length(d.text) <= MaxChars;
}

}  // namespace detail

constexpr result<parsed_request, api_error> parse_request(std::string_view body) noexcept {
  parsed_request out;
  std::array<bool, detail::field_names.size()> seen{};
  bool has_name = false;
  bool has_password = false;
  for (const form::field& f : form::fields(body)) {
    const int id = detail::match_field(f.name);
    const api_error invalid{api_code::invalid_argument, f.name.encoded()};
    if (id < 0) return api_error{api_code::unrecognised_argument, f.name.encoded()};
    const auto index = static_cast<std::size_t>(id);
    if (seen[index]) return invalid;
    seen[index] = true;
    if (f.value.empty()) continue;
    switch (static_cast<request_field>(index)) {
      case request_field::login_name:
        if (!detail::within_chars<max_login_name_length>(f.value)) return invalid;
        out.login_name = f.value;
        has_name = true;
        break;
      case request_field::login_password:
        if (!detail::within_chars<max_login_password_length>(f.value)) return invalid;
        out.login_password = f.value;
        has_password = true;
        break;
      case request_field::order_number: {
        const auto n = detail::decoded_digits(f.value, 19);
        if (!n || *n == 0 || *n > 9'223'372'036'854'775'807u) return invalid;
        out.order_number = static_cast<std::int64_t>(*n);
        break;
      }
      case request_field::certificate_id: {
        const auto n = detail::decoded_digits(f.value, max_certificate_id_digits);
        if (!n || *n == 0) return invalid;
        out.certificate_id = static_cast<std::int64_t>(*n);
        break;
      }
      case request_field::query_type: {
        const auto n = detail::decoded_digits(f.value, 19);
        if (!n || *n > 2) return invalid;
        out.query_type = static_cast<gdos::query_type>(*n);
        break;
      }
      case request_field::show_validity_period:
        if (f.value.equals_decoded("Y"))
          out.show_validity_period = yes_no::yes;
        else if (f.value.equals_decoded("N"))
          out.show_validity_period = yes_no::no;
        else
          return invalid;
        break;
      case request_field::response_format: {
        const auto n = detail::decoded_digits(f.value, 19);
        if (!n || *n < 1 || *n > 2) return invalid;
        out.response_format = static_cast<gdos::response_format>(*n);
        break;
      }
      case request_field::sid:
        out.sid = f.value;
        break;
    }
  }
  if (!has_name) return api_error{api_code::missing_argument, "loginName"};
  if (!has_password) return api_error{api_code::missing_argument, "loginPassword"};
  if (!out.order_number && !out.certificate_id)
    return api_error{api_code::missing_argument, "orderNumber"};
  return out;
}

}  // namespace gdos
