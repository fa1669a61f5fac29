/// @file fixture.hpp
/// @brief The mock endpoint's data: reseller accounts and their orders, read from JSON.
///
/// The format is documented in tools/README.md ("Fixture format"); tools/fixtures/orders.json is
/// the default set, compiled into the mock so that `gdos demo` works from any directory.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gdos_mock {

/// A reseller account the mock accepts.
struct account {
  std::string login_name;      ///< loginName, compared exactly (case-sensitive).
  std::string login_password;  ///< loginPassword, compared exactly; never logged.
};

/// One organization suggested in `suggestedOrgDetails` (wire names in the comments).
struct org_match {
  std::string organization_name;       ///< organizationName
  std::string street_address;          ///< streetAddress
  std::string locality_name;           ///< localityName
  std::string state_or_province_name;  ///< stateOrProvinceName
  std::string postal_code;             ///< postalCode
  std::string country_name;            ///< countryName (ISO 3166-1 alpha-2)
  std::string duns_number;             ///< dunsNumber
  std::string telephone_number;        ///< telephoneNumber
};

/// A certificate of an order.
struct certificate {
  std::optional<std::int64_t> certificate_id;  ///< Looked up by certificateID; not sent back.
  std::string serial_number;                   ///< serialNumber
  std::string object_type;                     ///< objectType
  std::string fqdn;                            ///< FQDN
  std::string certificate_status;              ///< certificateStatus
  std::string certificate_status_reason;       ///< certificateStatusReason
  /// csrStatus, dcvStatus, ovCallBackStatus, organizationValidationStatus, freeDVUPStatus,
  /// evClickThroughStatus: -1 not required, 0 not completed, 1 completed, 2 in progress.
  int csr_status = -1;
  int dcv_status = -1;
  int ov_callback_status = -1;
  int organization_validation_status = -1;
  int free_dvup_status = -1;
  int ev_click_through_status = -1;
  /// Validity fields, sent only when the request says showValidityPeriod=Y: wire name, value.
  std::vector<std::pair<std::string, std::string>> validity;
  /// Further `X_Y_` fields sent as they are (later API versions): wire name, value.
  std::vector<std::pair<std::string, std::string>> extra;
};

/// A timeline step's changes to one certificate: each member that is set replaces the field
/// (validity and extra as a whole). The certificateID never changes.
struct certificate_patch {
  std::optional<std::string> serial_number;              ///< serialNumber
  std::optional<std::string> object_type;                ///< objectType
  std::optional<std::string> fqdn;                       ///< FQDN
  std::optional<std::string> certificate_status;         ///< certificateStatus
  std::optional<std::string> certificate_status_reason;  ///< certificateStatusReason
  std::optional<int> csr_status;                         ///< csrStatus
  std::optional<int> dcv_status;                         ///< dcvStatus
  std::optional<int> ov_callback_status;                 ///< ovCallBackStatus
  std::optional<int> organization_validation_status;     ///< organizationValidationStatus
  std::optional<int> free_dvup_status;                   ///< freeDVUPStatus
  std::optional<int> ev_click_through_status;            ///< evClickThroughStatus
  std::optional<std::vector<std::pair<std::string, std::string>>> validity;  ///< validity
  std::optional<std::vector<std::pair<std::string, std::string>>> extra;     ///< extra
};

/// One state an order moves to: when, and what changes. A step takes effect once every
/// condition it sets holds and every earlier step has taken effect; it stays in effect.
struct timeline_step {
  /// after.requests: the order has been in this many replies already (faulted requests do not
  /// count), so the step shows from the next one on.
  std::optional<std::uint64_t> after_replies;
  /// after.seconds: this long since the first reply the order was in.
  std::optional<std::chrono::milliseconds> after_time;
  std::optional<std::string> order_date_time;      ///< orderDateTime
  std::optional<std::string> order_status;         ///< orderStatus (never empty)
  std::optional<std::string> order_status_reason;  ///< orderStatusReason ("" stops sending it)
  bool sets_org_details = false;       ///< suggestedOrgDetails given (null: no longer sent)
  std::string org_details_status;      ///< Its Status (empty: not sent)
  std::vector<org_match> org_matches;  ///< Its matches
  std::optional<std::vector<std::int64_t>> replaced_by;  ///< replacedBy (the whole list)
  /// Patches by position: entry i changes certificate i + 1; an entry just past the last
  /// certificate adds one.
  std::vector<certificate_patch> certificates;
};

/// An order, as the endpoint describes it.
struct order {
  std::int64_t order_number = 0;  ///< orderNumber
  /// The account (index into fixture::accounts) the order belongs to: only that reseller can
  /// query it; for the others it does not exist.
  std::size_t account = 0;
  std::string order_date_time;      ///< orderDateTime ("2025-06-11 11:57")
  std::string order_status;         ///< orderStatus
  std::string order_status_reason;  ///< orderStatusReason (may be empty)
  /// suggestedOrgDetails `Status`: Found, NotFound, NotYetCompleted, NotApplicable; empty: the
  /// field is not sent.
  std::string org_details_status;
  std::vector<org_match> org_matches;     ///< The matches, when Found.
  std::vector<std::int64_t> replaced_by;  ///< Replacement orders (sent with queryType=2).
  std::vector<certificate> certificates;  ///< Sent with queryType 1 and 2.
  std::vector<timeline_step> timeline;    ///< States the order moves through, in order.
};

/// Applies one timeline step's changes to `o` (not its conditions: the caller decides when).
void apply(order& o, const timeline_step& step);

/// A failure the mock injects instead of (or before) its answer.
struct fault {
  /// What happens to the request.
  enum class kind {
    http,        ///< An HTTP error status with an HTML page (`status`, 503 by default).
    error_code,  ///< `errorCode` and `errorMessage` instead of the answer.
    drop,        ///< The connection is closed without a reply.
    slow,        ///< The answer comes after `delay`.
  };
  /// Which requests it hits.
  enum class schedule {
    requests,  ///< The numbered requests in `requests`.
    every,     ///< Every `every`-th request.
    rate,      ///< Each request with probability `rate` (a hash of `seed` and the number).
    window,    ///< Every request from `from` to before `to` (time since the first request).
  };
  kind what = kind::http;
  int status = 503;                    ///< kind::http
  std::int32_t error_code = 0;         ///< kind::error_code
  std::string error_message;           ///< kind::error_code (decoded)
  std::chrono::milliseconds delay{0};  ///< kind::slow
  /// Counted among the requests for this order (after login), not all requests.
  std::optional<std::int64_t> order_number;
  schedule when = schedule::requests;
  std::vector<std::uint64_t> requests;  ///< schedule::requests, ascending
  std::uint64_t every = 0;              ///< schedule::every
  double rate = 0;                      ///< schedule::rate, in (0, 1]
  std::uint64_t seed = 0;               ///< schedule::rate
  std::chrono::milliseconds from{0};    ///< schedule::window
  std::chrono::milliseconds to{0};      ///< schedule::window

  /// Whether the fault hits request number `n` (1-based), `since_first` after the first request
  /// it counts.
  [[nodiscard]] bool hits(std::uint64_t n, std::chrono::milliseconds since_first) const noexcept;
};

/// Everything the mock knows.
struct fixture {
  std::vector<account> accounts;
  std::vector<order> orders;
  std::vector<fault> faults;  ///< Checked in order; the first that hits decides.

  /// The order with this number, or null.
  [[nodiscard]] const order* find_order(std::int64_t number) const noexcept;
  /// The order holding the certificate with this certificateID, or null.
  [[nodiscard]] const order* find_by_certificate(std::int64_t id) const noexcept;
};

/// The largest fixture file load_fixture() reads (bytes): far above any hand-written scenario,
/// small enough that a wrong path (a disk image, /dev/zero) fails at once.
inline constexpr std::size_t max_fixture_size = 32 * 1024 * 1024;

/// Parses fixture JSON. On error returns nullopt and sets `error` (with the JSON path).
[[nodiscard]] std::optional<fixture> parse_fixture(std::string_view json, std::string& error);

/// Reads and parses a fixture file.
[[nodiscard]] std::optional<fixture> load_fixture(const std::string& path, std::string& error);

/// The default fixture (tools/fixtures/orders.json, compiled in).
[[nodiscard]] std::string_view default_fixture_json() noexcept;

}  // namespace gdos_mock
