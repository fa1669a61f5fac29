#include "json_writer.hpp"

#include <gdos/gdos.hpp>

#include <fmt/core.h>

namespace gdos_cli {

void json_writer::newline() {
  if (indent_ == 0) return;
  out_ += '\n';
  out_.append(first_.size() * static_cast<std::size_t>(indent_), ' ');
}

void json_writer::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
    newline();
  }
}

void json_writer::open(char c) {
  before_value();
  out_ += c;
  first_.push_back(true);
}

void json_writer::close(char c) {
  const bool empty = first_.back();
  first_.pop_back();
  if (!empty) newline();
  out_ += c;
}

void json_writer::key(std::string_view k) {
  before_value();
  write_string(k);
  out_ += indent_ == 0 ? ":" : ": ";
  after_key_ = true;
}

void json_writer::value(std::string_view text) {
  before_value();
  write_string(text);
}

void json_writer::write_string(std::string_view text) {
  out_ += '"';
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p != end) {
    const unsigned char c = *p;
    if (c == '"' || c == '\\') {
      out_ += '\\';
      out_ += static_cast<char>(c);
    } else if (c == '\n') {
      out_ += "\\n";
    } else if (c == '\t') {
      out_ += "\\t";
    } else if (c == '\r') {
      out_ += "\\r";
    } else if (c < 0x20 || c == 0x7f) {
      out_ += fmt::format("\\u{:04x}", c);
    } else if (c == 0xc2 && end - p >= 2 && p[1] >= 0x80 && p[1] <= 0x9f) {
      // U+0080..U+009F (C1 controls), two bytes in UTF-8.
      out_ += fmt::format("\\u{:04x}", p[1]);
      ++p;
    } else {
      out_ += static_cast<char>(c);
    }
    ++p;
  }
  out_ += '"';
}

void json_writer::value(std::int64_t v) {
  before_value();
  out_ += std::to_string(v);
}

void json_writer::value(double v) {
  before_value();
  out_ += fmt::format("{}", v);
}

void json_writer::value(bool v) {
  before_value();
  out_ += v ? "true" : "false";
}

void json_writer::null() {
  before_value();
  out_ += "null";
}

std::string utf8_text(std::string_view bytes) { return gdos::form::to_utf8_lossy(bytes); }

}  // namespace gdos_cli
