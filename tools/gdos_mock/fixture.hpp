/// @file fixture.hpp
/// @brief The mock endpoint's data: reseller accounts and their orders, read from JSON.
///
/// The format is documented in tools/README.md ("Fixture format"); tools/fixtures/orders.json is
/// the default set, compiled into the mock so that `gdos demo` works from any directory.
#pragma once

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
};

/// Everything the mock knows.
struct fixture {
  std::vector<account> accounts;
  std::vector<order> orders;

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
