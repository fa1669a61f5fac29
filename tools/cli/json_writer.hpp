/// @file json_writer.hpp
/// @brief A streaming JSON writer: members come out in the order written, in linear time (no
/// document tree, no per-key lookup), strings escaped losslessly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gdos_cli {

/// Appends one JSON document to a string. The caller writes a well-formed sequence (a key
/// before each member value); the writer adds the commas, the indentation and the escapes.
class json_writer {
 public:
  /// `indent` spaces per level (0: everything on one line, for JSON Lines).
  explicit json_writer(std::string& out, int indent = 2) : out_(out), indent_(indent) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  /// The next member's name.
  void key(std::string_view k);
  /// A string value: `text` must be valid UTF-8 (see utf8_text()). Control characters, DEL and
  /// the C1 controls are written as \u escapes, so the text survives whole and cannot act on a
  /// terminal the document is shown on.
  void value(std::string_view text);
  void value(const char* text) { value(std::string_view(text)); }
  void value(std::int64_t v);
  void value(int v) { value(static_cast<std::int64_t>(v)); }
  void value(std::uint32_t v) { value(static_cast<std::int64_t>(v)); }
  void value(double v);
  void value(bool v);
  void null();

  /// key() then value().
  template <class T>
  void member(std::string_view k, const T& v) {
    key(k);
    value(v);
  }

 private:
  void open(char c);
  void close(char c);
  void before_value();
  void newline();
  void write_string(std::string_view text);

  std::string& out_;
  int indent_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

/// `bytes` with each invalid UTF-8 sequence replaced by U+FFFD: what JSON strings can hold.
std::string utf8_text(std::string_view bytes);

}  // namespace gdos_cli
