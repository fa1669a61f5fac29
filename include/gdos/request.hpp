/// @file request.hpp
/// @brief Layer 2: the GetDetailedOrderStatus request, for clients (a typed request, validation,
/// a constexpr encoder) and for servers (a zero-copy parser that refuses a body exactly the way
/// Comodo's endpoint does, and the error replies that go with it).
///
/// **The body.** encode_request_to() writes the fields in this fixed order, each name spelled as
/// the API documents it and each value escaped by the form layer's rules (the WHATWG urlencoded
/// serializer, exactly form::encode()), so no value can add, end or change a field:
///
///     loginName=..&loginPassword=..[&orderNumber=N][&certificateID=N]&queryType=N
///         [&showValidityPeriod=Y|N][&responseFormat=N][&SID=..]
///
/// `orderNumber`, `certificateID`, `showValidityPeriod` and `SID` appear only when set;
/// `responseFormat=1` is sent by default so that the reply is url-encoded (the format
/// response.hpp parses), and is left out only when the request says response_format::omitted.
///
/// **What Sectigo documents** (checked against docs.sectigo.com in 2025, the pages cited at each
/// declaration): the request page https://docs.sectigo.com/sps/get-detailed-order-status/request
/// lists loginName, loginPassword, orderNumber, certificateID, queryType (required),
/// showValidityPeriod and responseFormat (1 URL-encoded, 2 JSON; "If omitted, the value defaults
/// to 1"); the changelog https://docs.sectigo.com/sps/get-detailed-order-status/changelog adds
/// "v1.08 (June 2025) Added the responseFormat and SID request parameters" without describing
/// SID further.
///
/// **Counting characters.** loginName (at most 64) and loginPassword (at most 128) are limited
/// in characters, not bytes: a character is a Unicode code point of the UTF-8 value, and each
/// invalid byte sequence counts as the one U+FFFD that WHATWG decoding turns it into
/// (form::utf8_length()). Control bytes are characters like any other.
///
/// **Secrets.** The password is never part of an error, a message or a printed request: errors
/// name fields (validation_result) or arguments by their *name* (api_error), never a value, and
/// printing a request writes `loginPassword=***`.
///
/// Everything but printing is `constexpr`; only the functions returning a `std::string`
/// allocate.
#pragma once

#include <gdos/common.hpp>
#include <gdos/config.hpp>
#include <gdos/detail/ascii.hpp>
#include <gdos/detail/decimal.hpp>
#include <gdos/form.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

namespace gdos {

// ---------------------------------------------------------------------------------------------
// The call
// ---------------------------------------------------------------------------------------------

/// The call's URL on Comodo's host.
inline constexpr std::string_view comodo_url =
    "https://secure.comodo.net/products/!GetDetailedOrderStatus";
/// The same call on the second host the API documents.
inline constexpr std::string_view trust_provider_url =
    "https://secure.trust-provider.com/products/!GetDetailedOrderStatus";
/// The HTTP method the call needs (a GET is refused with api_code::get_not_post).
inline constexpr std::string_view request_method = "POST";
/// The `Content-Type` of the request body.
inline constexpr std::string_view request_content_type = "application/x-www-form-urlencoded";

/// Everything an HTTP client needs besides the body: how and where to send it.
struct endpoint {
  std::string_view method{};        ///< Always request_method.
  std::string_view url{};           ///< comodo_url or trust_provider_url.
  std::string_view content_type{};  ///< Always request_content_type.
  /// Member-wise equality.
  friend constexpr bool operator==(const endpoint&, const endpoint&) noexcept = default;
};

/// The call on secure.comodo.net.
inline constexpr endpoint comodo_endpoint{request_method, comodo_url, request_content_type};
/// The call on secure.trust-provider.com.
inline constexpr endpoint trust_provider_endpoint{request_method, trust_provider_url,
                                                  request_content_type};

// ---------------------------------------------------------------------------------------------
// The request
// ---------------------------------------------------------------------------------------------

/// How much the reply tells (`queryType`, required by the API); the enumerators' values are the
/// wire values.
enum class query_type : std::uint8_t {
  status = 0,                      ///< The order's status only.
  detailed = 1,                    ///< Plus the certificates' detailed status (gdos' default).
  detailed_with_replacements = 2,  ///< Plus the replacement orders.
};

/// The identifier of `q` ("status", "detailed", "detailed_with_replacements").
[[nodiscard]] constexpr std::string_view to_string(query_type q) noexcept;

/// An optional Y/N flag (`showValidityPeriod`).
enum class yes_no : std::uint8_t {
  unset = 0,  ///< Not sent.
  yes = 1,    ///< Sent as `Y`.
  no = 2,     ///< Sent as `N`.
};

/// The identifier of `v` ("unset", "yes", "no").
[[nodiscard]] constexpr std::string_view to_string(yes_no v) noexcept;

/// The reply format asked for (`responseFormat`); the enumerators' values are the wire values.
///
/// Sectigo documents two values for this call
/// (https://docs.sectigo.com/sps/get-detailed-order-status/request): 1, URL-encoded parameters,
/// sent with MIME type application/x-www-form-urlencoded and the default when the field is omitted;
/// and 2, JSON, sent as application/json. gdos parses the first only. The newline-delimited
/// format (0) that older Comodo APIs offer is not documented for this call, so gdos does not
/// offer it, and parse_request() refuses it as it refuses any other undocumented value (the
/// reply parser still recognises such a body, which some error replies use, as
/// response_errc::legacy_format).
enum class response_format : std::uint8_t {
  url_encoded = 1,  ///< `1`: a url-encoded reply, the one gdos parses (gdos::request's default).
  json = 2,         ///< `2`: a JSON reply, for callers with their own JSON parser.
  omitted = 255,    ///< Not sent: the server uses its default, 1 (url-encoded), per Sectigo.
};

/// The identifier of `f` ("url_encoded", "json", "omitted").
[[nodiscard]] constexpr std::string_view to_string(response_format f) noexcept;

/// Text a request borrows: a view that must outlive the request, and that refuses to be made
/// from a temporary string.
///
/// `gdos::request{.login_password = load_password()}` with a function returning std::string
/// would view a string destroyed at the end of the statement, and send freed memory as the
/// password. borrowed_string turns that into a compile error on every compiler: its constructor
/// from a `std::string` rvalue is deleted. It converts implicitly from a `std::string` lvalue,
/// a `std::string_view`, and a string literal or `const char*`, and converts implicitly to
/// `std::string_view`.
///
/// What the type system cannot see: a `std::string_view` or `c_str()` taken from a temporary on
/// the way (`.login_password = std::string_view(load_password())`,
/// `.login_password = load_password().c_str()`), or a view made earlier
/// (`std::string_view pw = load_password();`). clang 19 warns for all three (`-Wdangling-gsl`,
/// on by default: borrowed_string is marked as a view of a std::string); g++ 12 warns for none
/// (with -O2 it happened to report the `c_str()` case as -Wuse-after-free). A string that dies or
/// changes while the request is in use stays the caller's job on both. It is deliberately not
/// printable: the request's `<<` prints the password as `***`.
class GDOS_DETAIL_VIEW_OF_STRING borrowed_string {
 public:
  /// An empty string.
  constexpr borrowed_string() noexcept = default;
  // NOLINTBEGIN(google-explicit-constructor): implicit, so that designated initializers and
  // assignments take the usual string types.
  /// Views `s`, which must outlive every use of this object.
  constexpr borrowed_string(std::string_view s) noexcept : s_(s) {}
  /// Views the NUL-terminated `s` (a string literal, usually).
  constexpr borrowed_string(const char* s GDOS_LIFETIMEBOUND) noexcept : s_(s) {}
  /// Views the string `s`, which must outlive every use of this object.
  template <class Traits, class Alloc>
  constexpr borrowed_string(
      const std::basic_string<char, Traits, Alloc>& s GDOS_LIFETIMEBOUND) noexcept
      : s_(s.data(), s.size()) {}
  // NOLINTEND(google-explicit-constructor)
  /// Refused: a temporary string dies at the end of the full expression, leaving this
  /// dangling. Keep the string in a variable that outlives the request.
  template <class Traits, class Alloc>
  borrowed_string(const std::basic_string<char, Traits, Alloc>&& s) = delete;
  /// Refused: a null pointer is no string.
  borrowed_string(std::nullptr_t) = delete;

  /// The text.
  [[nodiscard]] constexpr std::string_view view() const noexcept { return s_; }
  /// The text.
  // NOLINTNEXTLINE(google-explicit-constructor): a borrowed_string is used as a string_view.
  constexpr operator std::string_view() const noexcept { return s_; }
  /// The first byte of the text (not NUL-terminated in general).
  [[nodiscard]] constexpr const char* data() const noexcept { return s_.data(); }
  /// The size of the text in bytes.
  [[nodiscard]] constexpr std::size_t size() const noexcept { return s_.size(); }
  /// True when the text is empty.
  [[nodiscard]] constexpr bool empty() const noexcept { return s_.empty(); }

  /// Equality of the texts (not of the addresses).
  friend constexpr bool operator==(const borrowed_string& a, const borrowed_string& b) noexcept {
    return a.s_ == b.s_;
  }
  /// Equality with any text that converts to std::string_view (a literal, a std::string...).
  template <class Text>
    requires(std::is_convertible_v<const Text&, std::string_view> &&
             !std::is_same_v<Text, borrowed_string>)
  friend constexpr bool operator==(const borrowed_string& a, const Text& b) noexcept {
    return a.s_ == std::string_view(b);
  }

 private:
  std::string_view s_{};
};

/// A GetDetailedOrderStatus request. It owns nothing: its strings are borrowed_string views that
/// must outlive the request (and every body-less use of it); a temporary `std::string` is refused
/// at compile time (see borrowed_string for what is not caught). Aggregate, so designated
/// initializers work:
/// `gdos::request{.login_name = "alice", .login_password = pw, .order_number = 1234567}`.
///
/// The defaults are what the typed reply is for: queryType 1 (the certificates with their six
/// progress statuses; 0 would leave every certificate out) and responseFormat 1 (the only
/// format gdos parses). queryType 2 adds the replacement orders after the queried one, which a
/// poller following a replaced order wants (`gdos watch` sends it) but which a caller reading
/// `orders` as "the order I asked for" would mistake for more results.
struct request {
  // Every member has an initializer so that designated initializers may leave any out without
  // -Wmissing-field-initializers (g++ 12, clang 19 with -Wextra).
  borrowed_string login_name{};      ///< `loginName`: 1 to 64 characters.
  borrowed_string login_password{};  ///< `loginPassword`: 1 to 128 characters; never printed.
  /// `orderNumber`: positive. At least one of order_number and certificate_id must be set.
  std::optional<std::int64_t> order_number{};
  /// `certificateID`: positive, at most 16 digits.
  std::optional<std::int64_t> certificate_id{};
  /// `queryType`, always sent (the API requires it); detailed unless the caller says otherwise.
  gdos::query_type query_type = gdos::query_type::detailed;
  /// `showValidityPeriod`, sent only when set.
  yes_no show_validity_period = yes_no::unset;
  /// `responseFormat`: url_encoded unless the caller says otherwise.
  gdos::response_format response_format = gdos::response_format::url_encoded;
  /// `SID`, sent only when not empty. Sectigo's changelog added it in v1.08 (June 2025) without
  /// describing it for this call; initCustomerSession documents an SID as a session handle
  /// (https://docs.sectigo.com/sps/init-customer-session/request), so gdos treats it as a
  /// credential: printed as `***`, never part of an error. No length limit is documented, and
  /// gdos sets none.
  borrowed_string sid{};

  /// Field-wise equality (string contents, not addresses).
  friend constexpr bool operator==(const request&, const request&) noexcept = default;
};

/// Longest loginName, in characters (see the file comment for how they are counted).
inline constexpr std::size_t max_login_name_length = 64;
/// Longest loginPassword, in characters.
inline constexpr std::size_t max_login_password_length = 128;
/// Most digits a certificateID may have.
inline constexpr std::size_t max_certificate_id_digits = 16;
/// Largest certificateID: sixteen nines.
inline constexpr std::int64_t max_certificate_id = 9'999'999'999'999'999;

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/// A field of the request, for errors.
enum class request_field : std::uint8_t {
  login_name,            ///< `loginName`
  login_password,        ///< `loginPassword`
  order_number,          ///< `orderNumber` (also reported when neither it nor certificateID is set)
  certificate_id,        ///< `certificateID`
  query_type,            ///< `queryType`
  show_validity_period,  ///< `showValidityPeriod`
  response_format,       ///< `responseFormat`
  sid,                   ///< `SID`
};

/// The field's name on the wire, as the API spells it ("loginName", "certificateID", ...).
[[nodiscard]] constexpr std::string_view field_name(request_field f) noexcept;

/// The identifier of `f` ("login_name", "certificate_id", ...); field_name() gives the name on
/// the wire.
[[nodiscard]] constexpr std::string_view to_string(request_field f) noexcept;

/// What is wrong with a request.
enum class request_errc : std::uint8_t {
  ok = 0,            ///< Nothing.
  missing,           ///< Empty login name or password; neither orderNumber nor certificateID.
  too_long,          ///< More characters (or certificateID digits) than allowed.
  not_positive,      ///< orderNumber or certificateID zero or negative.
  out_of_range,      ///< An enumeration holding a value it does not name.
  buffer_too_small,  ///< encode_request_to() only: the body did not fit (nothing was written).
};

/// The identifier of `e` ("missing", "too_long", ...).
[[nodiscard]] constexpr std::string_view to_string(request_errc e) noexcept;

/// A short English description of `e` ("too long", "not a positive integer", ...), as
/// validation_result prints it after the field's name.
[[nodiscard]] constexpr std::string_view message(request_errc e) noexcept;

/// Outcome of validate(): the first rule the request breaks, and in which field. It holds no
/// part of any value, so it is safe to log; `<<` prints it as `loginName: too long` (or `ok`).
struct validation_result {
  request_errc code = request_errc::ok;  ///< What is wrong; request_errc::ok when nothing is.
  request_field field{};                 ///< Where (meaningless when code is ok).
  /// True when the request is valid.
  constexpr explicit operator bool() const noexcept { return code == request_errc::ok; }
  /// Member-wise equality.
  friend constexpr bool operator==(const validation_result&,
                                   const validation_result&) noexcept = default;
  /// One line: the field's wire name and the problem (`loginName: too long`), or `ok`. What
  /// `<<` prints.
  [[nodiscard]] constexpr std::string message() const {
    if (code == request_errc::ok) return "ok";
    std::string out(field_name(field));
    out += ": ";
    out += gdos::message(code);
    return out;
  }
};

/// Checks `r` against the API's rules, in field order: login name 1..64 characters, password
/// 1..128 characters, orderNumber or certificateID set (else `missing` on order_number),
/// orderNumber > 0, certificateID > 0 with at most 16 digits, and each enumeration holding
/// one of its named values. It answers "would the API accept this request" (json is a valid
/// response_format even though gdos' parser reads only url_encoded replies); the SID is not
/// checked (no rule is documented).
[[nodiscard]] constexpr validation_result validate(const request& r) noexcept;

// ---------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------

/// Outcome of encode_request_to(). Exactly one of three things happened:
/// - code == ok: the body was written, `size` bytes;
/// - code == buffer_too_small: nothing was written, `size` is what the body needs;
/// - any other code: the request is invalid (validate() said so about `field`), nothing was
///   written and `size` is 0, because an invalid request has no body.
struct encode_result {
  std::size_t size = 0;                  ///< Bytes written (ok) or needed (buffer_too_small).
  request_errc code = request_errc::ok;  ///< ok, buffer_too_small, or a validation error.
  request_field field{};                 ///< The invalid field, for validation errors.
  /// True when the body was written.
  constexpr explicit operator bool() const noexcept { return code == request_errc::ok; }
  /// The validation part: ok unless the request itself is invalid.
  [[nodiscard]] constexpr validation_result validation() const noexcept {
    return code == request_errc::buffer_too_small ? validation_result{}
                                                  : validation_result{code, field};
  }
  /// One line: `ok`, `buffer too small: N bytes needed`, or the validation error
  /// (`loginName: too long`). What `<<` prints.
  [[nodiscard]] constexpr std::string message() const {
    if (code != request_errc::buffer_too_small) return validation().message();
    std::string out(gdos::message(code));
    out += ": ";
    out += detail::to_decimal(size).view();
    out += " bytes needed";
    return out;
  }
  /// Prints message().
  template <string_view_stream Stream>
  friend Stream& operator<<(Stream& os, const encode_result& r) {
    os << std::string_view(r.message());
    return os;
  }
  /// Member-wise equality.
  friend constexpr bool operator==(const encode_result&, const encode_result&) noexcept = default;
};

/// Size in bytes of the body encode_request_to() writes for `r`. Only meaningful for a request
/// that passes validate() (an invalid request has no body).
[[nodiscard]] constexpr std::size_t encoded_size(const request& r) noexcept;

/// Validates `r` and writes its body into `dest` (no allocation). Writes nothing unless the
/// request is valid and the whole body fits; see encode_result for how each case is reported.
[[nodiscard]] constexpr encode_result encode_request_to(const request& r,
                                                        std::span<char> dest) noexcept;

/// Validates `r` and returns its body as a new string, or why the request is invalid.
[[nodiscard]] constexpr result<std::string, validation_result> encode_request(const request& r);

// ---------------------------------------------------------------------------------------------
// Printing (the password is always masked)
// ---------------------------------------------------------------------------------------------

/// Prints `r` the way it would be encoded, with the password (whatever its value, even empty)
/// and a set SID replaced by `***`, and invalid enumeration values shown as numbers. Never
/// validates.
template <string_view_stream Stream>
Stream& operator<<(Stream& os, const request& r);

/// Prints `v` as `ok`, or as the field's wire name and the problem (`loginName: too long`).
template <string_view_stream Stream>
Stream& operator<<(Stream& os, const validation_result& v);

// ---------------------------------------------------------------------------------------------
// Server side: Comodo's errors
// ---------------------------------------------------------------------------------------------

/// A refusal in the API's own terms: the code and the argument it is about.
///
/// `argument` is an argument *name*, never a value: for unrecognised_argument and
/// invalid_argument it is the name exactly as it appears in the parsed body (still encoded, a
/// view into the body, valid as long as the body); for missing_argument it is the documented
/// name (a static string). Errors built by hand may view anything that outlives them.
struct api_error {
  api_code code = api_code::unknown_error;  ///< The errorCode.
  std::string_view argument{};              ///< The argument's name (see above).

  /// Size in bytes of message().
  [[nodiscard]] constexpr std::size_t message_size() const noexcept;
  /// Writes Comodo's errorMessage into `dest` when it fits; writes nothing otherwise.
  [[nodiscard]] constexpr form::write_result message_to(std::span<char> dest) const noexcept;
  /// Comodo's errorMessage for this error: `The 'orderNumber' argument is missing!`,
  /// `'xxxx' is an unrecognised argument!`, `The value of the 'xxxx' argument is invalid!`, the
  /// fixed texts of the other documented codes, and an empty message for codes the API does not
  /// document for this call.
  [[nodiscard]] constexpr std::string message() const;

  /// Member-wise equality.
  friend constexpr bool operator==(const api_error&, const api_error&) noexcept = default;
};

/// Prints Comodo's message for `e`.
template <string_view_stream Stream>
Stream& operator<<(Stream& os, const api_error& e);

/// Size in bytes of the reply body error_reply_to() writes for `e`.
[[nodiscard]] constexpr std::size_t error_reply_size(const api_error& e) noexcept;

/// Writes the url-encoded reply body a server sends for `e`
/// (`errorCode=-3&errorMessage=The+%27orderNumber%27+argument+is+missing%21`) into `dest` when
/// it fits; writes nothing otherwise.
[[nodiscard]] constexpr form::write_result error_reply_to(const api_error& e,
                                                          std::span<char> dest) noexcept;

/// The reply body for `e` as a new string (see error_reply_to()).
[[nodiscard]] constexpr std::string error_reply(const api_error& e);

// ---------------------------------------------------------------------------------------------
// Server side: parsing a body
// ---------------------------------------------------------------------------------------------

/// A request as parse_request() accepted it. The integers are parsed; the strings are still
/// encoded views into the body (valid as long as the body), decoded only when asked, so that
/// accepting a body copies nothing.
struct parsed_request {
  form::encoded_view login_name{};      ///< `loginName`, 1 to 64 characters once decoded.
  form::encoded_view login_password{};  ///< `loginPassword`, 1 to 128 characters once decoded.
  std::optional<std::int64_t> order_number{};    ///< `orderNumber`, when sent.
  std::optional<std::int64_t> certificate_id{};  ///< `certificateID`, when sent.
  /// `queryType`; status when not sent (the API requires it; gdos' mock answers as for 0).
  gdos::query_type query_type = gdos::query_type::status;
  /// `showValidityPeriod`; unset when not sent.
  yes_no show_validity_period = yes_no::unset;
  /// `responseFormat`; omitted when not sent.
  gdos::response_format response_format = gdos::response_format::omitted;
  form::encoded_view sid{};  ///< `SID`, empty when not sent.

  /// Bytes of caller memory to_request() needs: the decoded sizes of the strings that need
  /// decoding. 0 in the common case of plain values.
  [[nodiscard]] constexpr std::size_t decoding_buffer_size() const noexcept {
    return (login_name.needs_decoding() ? login_name.decoded_size() : 0) +
           (login_password.needs_decoding() ? login_password.decoded_size() : 0) +
           (sid.needs_decoding() ? sid.decoded_size() : 0);
  }

  /// The request, its strings viewing the body when they need no decoding and `buffer`
  /// otherwise (so the request lives as long as both). When `buffer` is smaller than
  /// decoding_buffer_size(), nothing is written and the error says the size needed.
  [[nodiscard]] constexpr result<request, form::write_result> to_request(
      std::span<char> buffer GDOS_LIFETIMEBOUND) const noexcept;

  /// The request, decoding into `storage` (resized to decoding_buffer_size()). The request views
  /// the body and `storage`: it is valid while both are and `storage` is not modified.
  [[nodiscard]] constexpr request to_request(std::string& storage GDOS_LIFETIMEBOUND) const {
    storage.resize(decoding_buffer_size());
    return *to_request(std::span<char>(storage));
  }

  /// True when `r` is the request this body carries (strings compared decoded, no allocation).
  friend constexpr bool operator==(const parsed_request& p, const request& r) noexcept {
    return p.login_name.equals_decoded(r.login_name) &&
           p.login_password.equals_decoded(r.login_password) && p.order_number == r.order_number &&
           p.certificate_id == r.certificate_id && p.query_type == r.query_type &&
           p.show_validity_period == r.show_validity_period &&
           p.response_format == r.response_format && p.sid.equals_decoded(r.sid);
  }

 private:
  static constexpr std::string_view view(form::encoded_view v, char*& p) noexcept {
    if (!v.needs_decoding()) return v.encoded();
    char* begin = p;
    p = v.decode_unchecked(p);
    return {begin, static_cast<std::size_t>(p - begin)};
  }
};

/// Parses a GetDetailedOrderStatus POST body the way Comodo's endpoint reads it, copying nothing.
///
/// Argument names are decoded and matched ASCII case-insensitively (`LOGINNAME`, `login%4Eame`);
/// values are case-sensitive. An argument sent with an empty value counts as not sent. Integers
/// are decimal digits only once decoded (no sign, no space; leading zeros allowed): orderNumber
/// 1..2^63-1 in at most 19 digits, certificateID positive in at most 16 digits, queryType 0..2,
/// responseFormat 1..2 (the values Sectigo documents); showValidityPeriod is `Y` or `N`; SID any
/// text. loginName and loginPassword follow validate()'s limits.
///
/// Each refusal is one of Comodo's errors, checked in this order:
/// 1. walking the fields in body order, the first that is
///    - not a documented argument: api_code::unrecognised_argument (-2),
///    - a repeat of an argument already seen (in any case): api_code::invalid_argument (-4),
///    - a documented argument with an invalid value: api_code::invalid_argument (-4),
///    each naming the argument as it appears in the body (still encoded);
/// 2. then api_code::missing_argument (-3) for loginName, then loginPassword, then orderNumber
///    when neither orderNumber nor certificateID was sent.
/// Any byte sequence is accepted as input: malformed bodies (stray `%`, `=` or `&`, binary) end in
/// one of these errors. Errors name arguments only, never a value, so the password is never part
/// of one (a client that leaves an `&` in its password unescaped splits it into pieces the server
/// can only see as argument names; encode_request_to() always escapes it).
[[nodiscard]] constexpr result<parsed_request, api_error> parse_request(
    std::string_view body GDOS_LIFETIMEBOUND) noexcept;

/// Refused: the parsed request and its errors view the body, which a temporary string takes
/// with it at the end of the full expression. Keep the body in a variable.
template <class String>
  requires detail::temporary_string<String>
result<parsed_request, api_error> parse_request(String&& body) = delete;

}  // namespace gdos

#include <gdos/impl/request.hpp>
