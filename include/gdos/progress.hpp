/// @file progress.hpp
/// @brief Where an order stands, and what changed between two polls of it: the six validation
/// steps of a certificate as pending / done / unknown, the caller's list of final status texts,
/// and the differences between two replies as a sequence of small change records.
///
/// Resellers poll GetDetailedOrderStatus until an order is done: issued, refused, or stuck on
/// a step they must act on. This header answers the three questions such a loop asks, over the
/// typed reply of <gdos/response.hpp> and without any I/O:
///
/// - **Where does this certificate stand?** progress_of() classifies each of the six progress
///   fields (`csrStatus`, `dcvStatus`, `ovCallBackStatus`, `organizationValidationStatus`,
///   `freeDVUPStatus`, `evClickThroughStatus`) as step_state::pending (0 not completed, 2 in
///   progress), step_state::done (1 completed, -1 not required) or step_state::unknown (absent,
///   as in a queryType=0 reply, or a value the API does not document), and says whether
///   validation is complete. next_action() is the reseller's side of a pending step, worded for
///   a person ("complete domain control validation").
/// - **Is this order finished?** The API does not enumerate its `orderStatus` and
///   `certificateStatus` texts, so gdos does not either: final_statuses holds the caller's
///   lists of texts that end the wait, split into success and failure, and compares them with
///   the decoded status. Its default lists are documented at default_succeeded_statuses.
/// - **What changed since the last poll?** diff() (or for_each_change() without allocating)
///   walks two replies of the same order and reports each difference of the documented order
///   and certificate fields: a status or reason text, a step that moved, a certificate or a
///   replacement order that appeared or disappeared, the order number or date. Applied in
///   order to the first reply, the changes give the second (the tests and the fuzz target
///   fuzz_progress check exactly that). describe() turns a change into one printable line.
///
/// Everything is `constexpr` except describe(), and nothing throws but std::bad_alloc from
/// the functions that fill a std::vector or a std::string (those are not `noexcept`).
#pragma once

#include <gdos/config.hpp>
#include <gdos/form.hpp>
#include <gdos/response.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gdos {

// =============================================================================================
// The six steps
// =============================================================================================

/// One of the six progress fields of a certificate, in the order the API lists them.
enum class step : std::uint8_t {
  csr,                      ///< `csrStatus`: the certificate signing request.
  dcv,                      ///< `dcvStatus`: domain control validation.
  ov_callback,              ///< `ovCallBackStatus`: the organization's verification callback.
  organization_validation,  ///< `organizationValidationStatus`: the organization's vetting.
  free_dvup,                ///< `freeDVUPStatus`: the free DV upgrade.
  ev_click_through,         ///< `evClickThroughStatus`: the EV subscriber agreement click-through.
};

/// The six steps in the API's order, for loops: `for (gdos::step s : gdos::all_steps)`.
inline constexpr std::array<step, 6> all_steps = {step::csr,         step::dcv,
                                                  step::ov_callback, step::organization_validation,
                                                  step::free_dvup,   step::ev_click_through};

/// The identifier of `s` ("csr", "dcv", "ov_callback", "organization_validation", "free_dvup",
/// "ev_click_through"), for JSON and logs.
[[nodiscard]] constexpr std::string_view to_string(step s) noexcept;

/// The reply field that carries `s` ("csrStatus", "dcvStatus", ...).
[[nodiscard]] constexpr std::string_view field_name(step s) noexcept;

/// A short name of `s` for people ("CSR", "DCV", "OV callback", "organization validation",
/// "free DV upgrade", "EV click-through").
[[nodiscard]] constexpr std::string_view display_name(step s) noexcept;

/// A progress value in words for people ("not required", "not completed", "completed",
/// "in progress"), as tables print it; "unknown" for a value the API does not document.
/// to_string() gives the identifiers (`in_progress`) for JSON and logs.
[[nodiscard]] constexpr std::string_view display_name(progress_status s) noexcept;

/// What the reseller (or their customer) has to do while `s` is pending, as a phrase that
/// completes "next: ..." ("complete domain control validation").
///
/// The API says only that a step is not completed or in progress, not who is holding it up;
/// these phrases name the party's usual part in Sectigo's validation process (the customer
/// answers the verification call, accepts the EV subscriber agreement e-mail, provides what
/// the validation team asks for). A step `in_progress` still needs the same action to finish.
[[nodiscard]] constexpr std::string_view next_action(step s) noexcept;

/// The value of step `s` in certificate `c`: nullopt when the reply did not carry the field.
template <class S>
[[nodiscard]] constexpr std::optional<progress_status> status_of(const basic_certificate<S>& c,
                                                                 step s) noexcept;

// =============================================================================================
// Where a certificate stands
// =============================================================================================

/// A step's progress reduced to what a polling loop acts on.
enum class step_state : std::uint8_t {
  unknown,  ///< The field is absent (queryType=0 replies carry none) or its value undocumented.
  pending,  ///< 0 not completed or 2 in progress: someone still has to act.
  done,     ///< 1 completed or -1 not required: nothing left to do.
};

/// The identifier of `s` ("unknown", "pending", "done").
[[nodiscard]] constexpr std::string_view to_string(step_state s) noexcept;

/// The state of a progress value (nullopt: the field was absent).
[[nodiscard]] constexpr step_state state_of(std::optional<progress_status> s) noexcept;

/// The state of step `s` of certificate `c`.
template <class S>
[[nodiscard]] constexpr step_state state_of(const basic_certificate<S>& c, step s) noexcept;

/// The six step states of one certificate, a value (it views nothing).
struct certificate_progress {
  /// The state of each step, indexed by `static_cast<std::size_t>(step)`; all unknown by default.
  std::array<step_state, 6> states{};

  /// The state of step `s`.
  [[nodiscard]] constexpr step_state operator[](step s) const noexcept {
    return states[static_cast<std::size_t>(s)];
  }

  /// How many steps are in state `s`.
  [[nodiscard]] constexpr std::size_t count(step_state s) const noexcept;

  /// The certificate as a whole: pending when any step is (there is something to do, whatever
  /// else is unknown), else unknown when any step is, else done.
  [[nodiscard]] constexpr step_state overall() const noexcept;

  /// True when every step is known and done. A reply without progress fields (queryType=0)
  /// never says validation is complete: it does not say anything about it.
  [[nodiscard]] constexpr bool validation_complete() const noexcept {
    return overall() == step_state::done;
  }

  /// The first pending step in the API's order, or nullopt when none is pending.
  [[nodiscard]] constexpr std::optional<step> first_pending() const noexcept;

  /// Step-wise equality.
  friend constexpr bool operator==(const certificate_progress&,
                                   const certificate_progress&) = default;
};

/// The step states of certificate `c`.
template <class S>
[[nodiscard]] constexpr certificate_progress progress_of(const basic_certificate<S>& c) noexcept;

// =============================================================================================
// Final statuses
// =============================================================================================

/// How a status text ends the wait for an order or a certificate.
enum class final_kind : std::uint8_t {
  not_final,  ///< Absent, or not in the caller's lists: keep polling.
  succeeded,  ///< In the success list (issued).
  failed,     ///< In the failure list (rejected, revoked...).
};

/// The identifier of `k` ("not_final", "succeeded", "failed").
[[nodiscard]] constexpr std::string_view to_string(final_kind k) noexcept;

/// The status texts final_statuses{} treats as a success: `Issued`, the `orderStatus` of a
/// finished order, and `Valid`, the description Sectigo gives an issued certificate
/// (docs.sectigo.com/sps/certificate-issuance-push/status-code: status code 6, status "issued",
/// description "Valid").
///
/// Sources: Sectigo's published GetDetailedOrderStatus pages show `orderStatus` only as
/// `Pending` (docs.sectigo.com/sps/get-detailed-order-status/request and
/// docs.sectigo.com/mcp/mark-certificates/endpoint-get-detailed-order-status), and name the
/// other states in their push-notification and revocation pages cited here; they publish no
/// list of the texts. Check the texts your account's replies carry and pass your own lists
/// when they differ.
inline constexpr std::array<std::string_view, 2> default_succeeded_statuses = {"Issued", "Valid"};

/// The status texts final_statuses{} treats as a failure: `Rejected` and `Revoked` (documented
/// certificate states: docs.sectigo.com/sps/certificate-issuance-push/status-code status codes
/// 7 and 8, and the results of !autoRevokeCertificate at
/// docs.sectigo.com/sps/auto-revoke-certificate/request), `Expired` and `Cancelled` (the end of
/// an order's life; not in Sectigo's published examples).
///
/// `Replaced` is deliberately in neither list: Sectigo documents that a certificate marked
/// replaced can later be revoked (!autoRevokeCertificate with includeInCRL=Y), and a replaced
/// order is followed through its replacement order (queryType=2). Callers who want to stop
/// there add it to their own list.
inline constexpr std::array<std::string_view, 4> default_failed_statuses = {"Rejected", "Revoked",
                                                                            "Expired", "Cancelled"};

/// The caller's lists of final status texts: which `orderStatus` / `certificateStatus` texts
/// end the wait, as a success or as a failure. The API does not enumerate these texts, so they
/// are data, not an enumeration: a tool takes them from its users (`gdos watch --until`).
///
/// Texts compare exactly (case matters) with the *decoded* status, so `Issued` matches a raw
/// `Issued` or `%49ssued` in the body. A text in both lists counts as a success. The object views
/// the two lists it was given (it copies nothing): they must outlive it. The default object
/// uses default_succeeded_statuses and default_failed_statuses, which live for the whole
/// program.
class final_statuses {
 public:
  /// The default lists: default_succeeded_statuses and default_failed_statuses.
  constexpr final_statuses() noexcept = default;
  /// The caller's lists (views: they must outlive this object).
  constexpr final_statuses(std::span<const std::string_view> succeeded GDOS_LIFETIMEBOUND,
                           std::span<const std::string_view> failed GDOS_LIFETIMEBOUND) noexcept
      : succeeded_(succeeded), failed_(failed) {}

  /// The texts that end the wait as a success.
  [[nodiscard]] constexpr std::span<const std::string_view> succeeded() const noexcept {
    return succeeded_;
  }
  /// The texts that end the wait as a failure.
  [[nodiscard]] constexpr std::span<const std::string_view> failed() const noexcept {
    return failed_;
  }

  /// How the decoded `text` ends the wait.
  template <response_string S>
  [[nodiscard]] constexpr final_kind classify(const S& text) const noexcept;
  /// classify() of a status that may be absent (absent is not final).
  template <response_string S>
  [[nodiscard]] constexpr final_kind classify(const std::optional<S>& text) const noexcept {
    return text ? classify(*text) : final_kind::not_final;
  }
  /// classify() of the order's `orderStatus`.
  template <class S>
  [[nodiscard]] constexpr final_kind classify(const basic_order<S>& o) const noexcept {
    return classify(o.status);
  }
  /// classify() of the certificate's `certificateStatus`.
  template <class S>
  [[nodiscard]] constexpr final_kind classify(const basic_certificate<S>& c) const noexcept {
    return classify(c.status);
  }

  /// True when `x` (a status text, an optional one, an order or a certificate) is final.
  template <class T>
  [[nodiscard]] constexpr bool is_final(const T& x) const noexcept {
    return classify(x) != final_kind::not_final;
  }

 private:
  [[nodiscard]] static constexpr bool equals(const form::encoded_view& a,
                                             std::string_view b) noexcept {
    return a.equals_decoded(b);
  }
  [[nodiscard]] static constexpr bool equals(std::string_view a, std::string_view b) noexcept {
    return a == b;
  }

  std::span<const std::string_view> succeeded_{default_succeeded_statuses};
  std::span<const std::string_view> failed_{default_failed_statuses};
};

// =============================================================================================
// Changes between two replies
// =============================================================================================

/// What a change record reports.
enum class change_kind : std::uint8_t {
  order_added,                ///< Order `order` appeared (X >= 2: a replacement order).
  order_removed,              ///< Order `order` disappeared, with its certificates.
  order_number,               ///< `orderNumber` changed: number_before -> number_after.
  order_date_time,            ///< `orderDateTime` changed: text_before -> text_after.
  order_status,               ///< `orderStatus` changed.
  order_status_reason,        ///< `orderStatusReason` changed.
  suggested_org_details,      ///< `suggestedOrgDetails` changed.
  certificate_added,          ///< Certificate `certificate` of order `order` appeared.
  certificate_removed,        ///< Certificate `certificate` of order `order` disappeared.
  serial_number,              ///< `serialNumber` changed.
  object_type,                ///< `objectType` changed.
  fqdn,                       ///< `FQDN` changed.
  certificate_status,         ///< `certificateStatus` changed.
  certificate_status_reason,  ///< `certificateStatusReason` changed.
  step,                       ///< Step `which_step` moved: step_before -> step_after.
};

/// The identifier of `k` ("order_added", "certificate_status", "step", ...).
[[nodiscard]] constexpr std::string_view to_string(change_kind k) noexcept;

/// One difference between two replies of the same order.
///
/// `kind` says which field, `order` and `certificate` (0 for order-level kinds) where, and one
/// pair of members holds the values before and after, nullopt meaning "absent":
///
/// | kind | values |
/// |---|---|
/// | order_number | number_before, number_after |
/// | order_date_time, order_status, order_status_reason, suggested_org_details, serial_number,
/// object_type, fqdn, certificate_status, certificate_status_reason | text_before, text_after | |
/// step | which_step, step_before, step_after | | order_added, order_removed, certificate_added,
/// certificate_removed | none |
///
/// The texts are the replies' own strings (S is form::encoded_view for a `response`,
/// std::string_view for a `decoded_response`): they view the bodies the two replies view, and
/// are valid as long as those are.
template <class S>
struct basic_change {
  change_kind kind = change_kind::order_added;  ///< What changed.
  std::uint32_t order = 0;                      ///< X of the order concerned.
  std::uint32_t certificate = 0;               ///< Y of the certificate concerned; 0 for the order.
  gdos::step which_step = gdos::step::csr;     ///< kind step: the step that moved.
  std::optional<S> text_before;                ///< Text kinds: the value before.
  std::optional<S> text_after;                 ///< Text kinds: the value after.
  std::optional<std::int64_t> number_before;   ///< order_number: the value before.
  std::optional<std::int64_t> number_after;    ///< order_number: the value after.
  std::optional<progress_status> step_before;  ///< step: the value before.
  std::optional<progress_status> step_after;   ///< step: the value after.

  /// True for changes of the order itself (certificate is 0).
  [[nodiscard]] constexpr bool is_order_level() const noexcept { return certificate == 0; }
  /// kind step: the step's state before (unknown for other kinds).
  [[nodiscard]] constexpr step_state state_before() const noexcept {
    return kind == change_kind::step ? state_of(step_before) : step_state::unknown;
  }
  /// kind step: the step's state after (unknown for other kinds).
  [[nodiscard]] constexpr step_state state_after() const noexcept {
    return kind == change_kind::step ? state_of(step_after) : step_state::unknown;
  }
};

/// Member-wise equality; texts compare decoded.
template <class S>
[[nodiscard]] constexpr bool operator==(const basic_change<S>& a,
                                        const basic_change<S>& b) noexcept;

/// A change between two `response`s (texts are encoded views).
using change = basic_change<form::encoded_view>;
/// A change between two `decoded_response`s (texts are plain views).
using decoded_change = basic_change<std::string_view>;

/// The reply field behind a change of one field ("orderStatus", "dcvStatus" for a step change
/// of DCV, ...); empty for the kinds that add or remove an order or a certificate.
template <class S>
[[nodiscard]] constexpr std::string_view field_name_of(const basic_change<S>& c) noexcept;

/// Calls `f(const basic_change<S>&)` for each difference between `before` and `after`, two
/// replies of the same order (the previous poll and this one), without allocating.
///
/// Orders are matched by index X and certificates by index Y, both walked in ascending index
/// order as the parsers give them (so the cost is linear in the size of the two replies; each
/// text is compared decoded, once). The changes come in that order too: for each order, its
/// own fields (number, date, status, reason, suggestedOrgDetails), then its certificates, each
/// with its texts (serial number, object type, FQDN, status, reason) and then its six steps in
/// the API's order.
///
/// - An order or a certificate that only `after` has is reported as `order_added` /
///   `certificate_added`, followed by the changes that give each of its fields its value
///   (from absent), so a first poll diffed against an empty `basic_response` lists the whole
///   order; one that only `before` has is a single `order_removed` / `certificate_removed`
///   (its fields go with it).
/// - Applying the changes in order to the documented order and certificate fields of `before`
///   (set each field to its after-value, add an empty order or certificate, remove one with
///   everything in it) gives exactly those of `after`; diff(r, r) is empty.
/// - Not compared: the error fields (errorCode, errorMessage...: a poll that fails is a
///   call_error, not a reply to diff) and unknown fields (later API versions' validity dates,
///   tracking numbers...).
///
/// Precondition: the indices of `orders` and of each `certificates` are ascending and unique,
/// as every parser result has; on other input the records are unspecified but the walk still
/// ends after at most one step per order and certificate.
template <response_string S, class F>
constexpr void for_each_change(const basic_response<S>& before, const basic_response<S>& after,
                               F&& f);

/// The differences between `before` and `after` as a vector, in the order for_each_change()
/// gives them. Only std::bad_alloc can escape.
///
/// Lifetime: the records hold copies of the replies' string views, so they are valid as long
/// as the bodies those view: for a gdos::reply, as long as that reply (or a copy of it) lives;
/// for a parse_response() result, as long as the parsed text. Both arguments are marked
/// lifetimebound because a temporary reply takes its body with it (clang warns); for the first
/// poll, use the one-argument diff(after) rather than an empty temporary.
template <response_string S>
[[nodiscard]] constexpr std::vector<basic_change<S>> diff(
    const basic_response<S>& before GDOS_LIFETIMEBOUND,
    const basic_response<S>& after GDOS_LIFETIMEBOUND);

/// The changes from an empty reply to `after`, i.e. all of `after` as a first poll reports it:
/// `order_added` for each order, followed by its fields and its certificates (each
/// `certificate_added`, followed by its fields and steps). Same lifetime as diff(before, after).
template <response_string S>
[[nodiscard]] constexpr std::vector<basic_change<S>> diff(
    const basic_response<S>& after GDOS_LIFETIMEBOUND);

/// One line of English for `c`, for logs and terminals, e.g.
/// `order 1: orderStatus "Pending" -> "Issued"`,
/// `order 1 certificate 1: DCV not_completed -> completed`,
/// `order 1 certificate 2: DCV (absent) -> not_completed; next: complete domain control
/// validation`, `order 2 (replacement) appeared`. Texts are decoded, quoted, cut after 80 bytes and
/// shown with non-printable bytes as `?`, so a hostile reply cannot inject terminal controls or
/// line breaks. Only std::bad_alloc can escape.
template <response_string S>
[[nodiscard]] std::string describe(const basic_change<S>& c);

}  // namespace gdos

#include <gdos/impl/progress.hpp>
