/// @file output.hpp
/// @brief Everything `gdos` prints about a reply or a failure, in one place: the table for
/// people, the JSON document for scripts (described by docs/gdos-cli.schema.json), and the
/// one-line error on stderr.
///
/// Cost: linear in the reply plus one sort of the unknown fields (n log n): unknown fields are
/// grouped by level once, never searched per order or certificate.
#pragma once

#include <gdos/gdos.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gdos_cli {

class json_writer;

/// Text from a server, made safe for a terminal: invalid UTF-8 becomes U+FFFD and control
/// characters (C0, DEL, C1) `?`, so a reply cannot move the cursor or change the terminal's state.
std::string clean(std::string_view decoded);

/// A progress status in words for people ("in progress"; "-" when absent).
std::string progress_word(std::optional<gdos::progress_status> p);

/// clean() of a decoded optional field; empty when absent.
std::string text(const std::optional<gdos::form::encoded_view>& v);

/// The table `decode` and `query` print.
std::string table(const gdos::response& r);

/// Writes the reply as the JSON object the schema calls "reply" (with `warnings` when any).
void write_reply_json(json_writer& w, const gdos::response& r,
                      const std::vector<std::string>& warnings = {});

/// Prints the reply on stdout, as the table or as one JSON document; each warning also goes to
/// stderr as `gdos: warning: ...`.
void print_response(const gdos::response& r, bool as_json,
                    const std::vector<std::string>& warnings = {});

/// Why a reply that answered errorCode 0 may still not be the one asked for: a sentence when it
/// has no order `order_number` (or no order at all, when only a certificateID was asked).
std::optional<std::string> missing_order_warning(const gdos::response& r,
                                                 std::optional<std::int64_t> order_number);

// ---- failures ----------------------------------------------------------------------------------

/// The `step` of an error document for a call_error: call_errc's identifier.
std::string step_of(const gdos::call_error& e);

/// `<step>[/<transport error>]`: how report() names a failure (`transport/timeout`).
std::string kind_of(const gdos::call_error& e);

/// The line after `gdos: <step>: ` for a call_error: the message without a prefix that repeats
/// the step, control bytes as `?`.
std::string message_of(const gdos::call_error& e);

/// How --json documents are laid out: indented (`decode`, `query`), or one per line (`watch`,
/// JSON Lines).
enum class json_layout { document, line };

/// Reports a failed call (or a reply `decode` refused, put in the same shape): one line on
/// stderr, `gdos: <step>[/<transport error>]: <message>`, and with `as_json` the error document
/// on stdout. Returns the exit status (exit_codes.hpp).
int report(const gdos::call_error& e, bool as_json, json_layout layout = json_layout::document);

/// Reports a usage error, or (`step` "input") input that cannot be read: `gdos: <message>` on
/// stderr, the error document on stdout with `as_json`. Returns exit_usage.
int report_usage(std::string_view message, bool as_json, std::string_view step = "usage",
                 json_layout layout = json_layout::document);

/// Prints only the error document of report_usage() on stdout (for errors whose stderr line
/// someone else prints, such as CLI11's).
void print_usage_json(std::string_view message, std::string_view step = "usage",
                      json_layout layout = json_layout::document);

/// Writes `{"error": {...}}` for a failed call.
void write_error_json(json_writer& w, const gdos::call_error& e);

/// Writes the `{...}` inside it (the schema's "error").
void write_error_object(json_writer& w, const gdos::call_error& e);

/// The exit status for a failed call (exit_codes.hpp).
int exit_status_of(const gdos::call_error& e);

}  // namespace gdos_cli
