/// @file reply.hpp
/// @brief Layer 3, owning: a parsed reply (or suggestedOrgDetails list) together with the text
/// its views point into, for callers who keep a result past the body's scope or return it from a
/// function.
///
/// The parsers copy nothing: a `gdos::response` views the body it was parsed from and dies with
/// it. That is the fast path, and the wrong one for
///
///     gdos::response load() { std::string b = fetch(); return *gdos::parse_response(b); }
///
/// whose views point into `b` once `b` is gone. The owning types here are the same model plus
/// the text, kept on the heap behind a `std::shared_ptr<const std::string>`: moving or copying
/// one never moves the bytes, so the views stay valid as long as any copy lives.
///
/// - gdos::reply *is* a gdos::response that owns its body: what parse_reply() returns, and what
///   get_detailed_order_status() returns (with the HTTP status and Content-Type);
/// - gdos::owned_org_details *is* a gdos::org_details that owns its list: what org_details_of()
///   returns for an order's suggestedOrgDetails.
///
/// One concept, twice: pass either wherever a `const response&` (or `const org_details&`) is
/// taken. Keep the owning object, not a copy of its base: a `gdos::response` copied out of a reply
/// views the reply's body and dies with it (see reply).
#pragma once

#include <gdos/common.hpp>
#include <gdos/config.hpp>
#include <gdos/form.hpp>
#include <gdos/parse_response.hpp>
#include <gdos/response_model.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace gdos {

namespace detail {
struct reply_access;
}  // namespace detail

/// A parsed reply that owns its body: a gdos::response (`r.orders`, `r.unknown_fields`...) whose
/// views point into a body this object keeps alive.
///
/// The body lives on the heap behind a `shared_ptr<const std::string>`, so moving or copying a
/// reply never moves the bytes, and views taken from a reply stay valid as long as that reply
/// (or a copy sharing the body) lives. Return a reply, not a response, from a function:
/// `gdos::reply load() { return gdos::parse_reply(fetch()).value_or(gdos::reply{}); }`. The
/// accessors that return views are refused on a temporary reply (`(*parse_reply(b)).body()` does
/// not compile), whose body may die with it.
///
/// From get_detailed_order_status() it also carries the HTTP status and Content-Type; from
/// parse_reply() they are 0 and empty.
class reply : public response {
 public:
  /// An empty reply (no body, no orders).
  reply() = default;

  /// The parsed response (this object); its strings view body().
  [[nodiscard]] const response& get() const& noexcept GDOS_LIFETIMEBOUND { return *this; }
  /// Refused: the response would view the body of a temporary reply.
  [[nodiscard]] const response& get() const&& = delete;
  /// The raw body, as received. Valid as long as this reply or a copy of it.
  [[nodiscard]] std::string_view body() const& noexcept GDOS_LIFETIMEBOUND {
    return body_ ? std::string_view(*body_) : std::string_view();
  }
  /// Refused: the view would dangle with a temporary reply.
  [[nodiscard]] std::string_view body() const&& = delete;
  /// The HTTP status of the reply (200), or 0 for a reply from parse_reply().
  [[nodiscard]] int http_status() const noexcept { return status_; }
  /// The Content-Type received, or empty for a reply from parse_reply().
  [[nodiscard]] const std::string& content_type() const& noexcept GDOS_LIFETIMEBOUND {
    return content_type_;
  }
  /// The Content-Type of a temporary reply, copied out.
  [[nodiscard]] std::string content_type() const&& { return content_type_; }

 private:
  friend struct detail::reply_access;
  std::shared_ptr<const std::string> body_;
  int status_ = 0;
  std::string content_type_;
};

/// A parsed suggestedOrgDetails list that owns its text: a gdos::org_details whose views point
/// into the decoded list this object keeps alive (shared, immutable, as in reply).
class owned_org_details : public org_details {
 public:
  /// An empty list (no Status, no match): status_kind() is org_status::missing.
  owned_org_details() = default;

  /// The parsed list (this object); its strings view list().
  [[nodiscard]] const org_details& get() const& noexcept GDOS_LIFETIMEBOUND { return *this; }
  /// Refused: the list would view the text of a temporary.
  [[nodiscard]] const org_details& get() const&& = delete;
  /// The list, decoded once (the text parse_org_details() reads). Valid as long as this object
  /// or a copy of it.
  [[nodiscard]] std::string_view list() const& noexcept GDOS_LIFETIMEBOUND {
    return list_ ? std::string_view(*list_) : std::string_view();
  }
  /// Refused: the view would dangle with a temporary.
  [[nodiscard]] std::string_view list() const&& = delete;

 private:
  friend struct detail::reply_access;
  std::shared_ptr<const std::string> list_;
};

/// Parses a reply body it takes over: the owning counterpart of parse_response(), for a body
/// that is a temporary (`parse_reply(fetch())`) or that the caller moves in
/// (`parse_reply(std::move(body))`). The reply keeps the body alive (see reply).
///
/// Errors as parse_response(). The body dies with a failed parse, so the error's views (`key`,
/// `legacy_message`) are emptied; its code, offset and legacy_code remain. Only std::bad_alloc
/// can escape. Not constexpr (the body lives in a shared_ptr).
template <class Lazy = void>
[[nodiscard]] result<reply, parse_error> parse_reply(std::string&& body,
                                                     const parse_options& options = {});

/// The suggestedOrgDetails list of order `o`, parsed into an object that owns its text: the
/// field's value decoded once (the outer decoding), then parse_org_details(). An order without
/// the field gives an empty list (status_kind() is org_status::missing), not an error. Errors as
/// parse_org_details(), with their views emptied (the text dies with a failed parse). Only
/// std::bad_alloc can escape.
template <class Lazy = void, response_string S>
[[nodiscard]] result<owned_org_details, parse_error> org_details_of(
    const basic_order<S>& o, const parse_options& options = {});

// ---- implementation -------------------------------------------------------------------------

namespace detail {

/// Builds the owning types; the one place that touches their private members.
struct reply_access {
  static reply make(std::shared_ptr<const std::string> body, response&& parsed, int status,
                    std::string content_type) {
    reply r;
    static_cast<response&>(r) = std::move(parsed);
    r.body_ = std::move(body);  // the parsed views point into *body, which does not move
    r.status_ = status;
    r.content_type_ = std::move(content_type);
    return r;
  }
  static owned_org_details make(std::shared_ptr<const std::string> list, org_details&& parsed) {
    owned_org_details d;
    static_cast<org_details&>(d) = std::move(parsed);
    d.list_ = std::move(list);
    return d;
  }
};

/// A parse error whose text is about to die: its views emptied.
inline parse_error without_views(parse_error e) noexcept {
  e.key = {};
  e.legacy_message = {};
  return e;
}

}  // namespace detail

template <class Lazy>
result<reply, parse_error> parse_reply(std::string&& body, const parse_options& options) {
  auto owned = std::make_shared<const std::string>(std::move(body));
  auto parsed = parse_response<Lazy>(std::string_view(*owned), options);
  if (!parsed) return detail::without_views(parsed.error());
  return detail::reply_access::make(std::move(owned), std::move(parsed).value(), 0, {});
}

template <class Lazy, response_string S>
result<owned_org_details, parse_error> org_details_of(const basic_order<S>& o,
                                                      const parse_options& options) {
  if (!o.suggested_org_details) return owned_org_details{};
  std::shared_ptr<const std::string> list;
  if constexpr (std::is_same_v<S, form::encoded_view>)
    list = std::make_shared<const std::string>(o.suggested_org_details->decode());
  else
    list = std::make_shared<const std::string>(*o.suggested_org_details);
  auto parsed = parse_org_details<Lazy>(std::string_view(*list), options);
  if (!parsed) return detail::without_views(parsed.error());
  return detail::reply_access::make(std::move(list), std::move(parsed).value());
}

}  // namespace gdos
