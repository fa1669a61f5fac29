/// @file response.hpp
/// @brief Layer 3: the GetDetailedOrderStatus reply, parsed into typed orders and certificates
/// without copying, and written back for servers, mocks and tests.
///
/// A reply is an `application/x-www-form-urlencoded` body:
///
///     errorCode=0&1_orderNumber=7250060&1_orderDateTime=2025-06-11+11%3A57&1_orderStatus=Pending
///     &1_1_FQDN=www.example.com&1_1_dcvStatus=1&...
///
/// `X_name` is a field of order X (1-based; 1 is the queried order, 2.. its replacements),
/// `X_Y_name` a field of certificate Y of order X. parse_response() turns it into a `response`
/// whose strings are `form::encoded_view`s pointing into the caller's body (they decode on
/// demand, so a caller pays only for what it reads) and whose integers and progress statuses
/// are parsed. parse_response_in_place() decodes every string in the caller's mutable buffer
/// instead and returns a `decoded_response` of plain `std::string_view`s. Both are
/// `basic_response<S>`: the same members, S being the string type. `orderDateTime` as a
/// `std::chrono::local_seconds` (basic_order::local_time()) comes from gdos/response_dates.hpp,
/// which this header includes and the parsing header does not.
///
/// Nothing is dropped: fields this version does not know (later API versions add `slId`,
/// `validityPeriodStart`, `upsTrackingID`, ...) are kept, in order, with the order and
/// certificate they belong to, and write_response() writes them back. check_round_trip() says
/// whether a reply built by hand will read back as written.
///
/// `X_suggestedOrgDetails` holds a second url-encoded list inside its value (so it is encoded
/// twice on the wire). parse_org_details() parses it on demand from the value decoded once.
///
/// Errors are values: parsers return `result<T, parse_error>` and never throw; the functions
/// that fill `std::vector`s can let only `std::bad_alloc` escape, and are the only ones not
/// marked `noexcept`. Everything is `constexpr` but the owning types.
///
/// The parsed types view the text they were parsed from. gdos::reply and
/// gdos::owned_org_details (reply.hpp) are the same types owning their text: what to keep past
/// the body's scope or return from a function.
///
/// This header is the layer's umbrella; its parts can be included alone:
/// - gdos/response_model.hpp: the reply types, the parse options and errors;
/// - gdos/parse_response.hpp: the parsers (the model and the parsers, nothing else);
/// - gdos/write_response.hpp: the writers and the round-trip check;
/// - gdos/reply.hpp: the owning types, parse_reply() and org_details_of().
#pragma once

#include <gdos/parse_response.hpp>
#include <gdos/reply.hpp>
#include <gdos/response_model.hpp>
#include <gdos/write_response.hpp>

// Apart from the parsers, for <chrono>.
#include <gdos/response_dates.hpp>
