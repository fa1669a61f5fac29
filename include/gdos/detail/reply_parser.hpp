/// @file detail/reply_parser.hpp
/// @brief The reply and suggestedOrgDetails parsers behind gdos/parse_response.hpp.
#pragma once

#include <gdos/common.hpp>
#include <gdos/config.hpp>
#include <gdos/detail/reply_fields.hpp>
#include <gdos/detail/reply_scan.hpp>
#include <gdos/detail/reply_tables.hpp>
#include <gdos/form.hpp>
#include <gdos/response_model.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace gdos::detail {

/// Strips one trailing "\n" or "\r\n".
[[nodiscard]] constexpr std::size_t without_trailing_newline(const char* b,
                                                             std::size_t n) noexcept {
  if (n != 0 && b[n - 1] == '\n') {
    --n;
    if (n != 0 && b[n - 1] == '\r') --n;
  }
  return n;
}

/// Checks done before splitting: size, the legacy newline format, emptiness, HTML, JSON.
/// Returns the usable size (trailing newline removed) or sets `err`.
[[nodiscard]] constexpr std::size_t precheck(const char* b, std::size_t n, const parse_options& opt,
                                             parse_error& err) noexcept {
  if (n > opt.max_body_size) {
    err = {response_errc::body_too_large, opt.max_body_size, {}, api_code::success, {}};
    return 0;
  }
  // Legacy format: the code alone on the first line, the message on the second.
  {
    std::size_t i = 0;
    if (i < n && b[i] == '-') ++i;
    const std::size_t digits_at = i;
    while (i < n && b[i] >= '0' && b[i] <= '9') ++i;
    std::size_t eol = i;
    if (eol < n && b[eol] == '\r') ++eol;
    std::int32_t code = 0;
    if (i > digits_at && eol < n && b[eol] == '\n' && parse_decimal(std::string_view(b, i), code)) {
      std::size_t m = eol + 1;
      std::size_t me = m;
      while (me < n && b[me] != '\n' && b[me] != '\r') ++me;
      err = {response_errc::legacy_format,
             0,
             {},
             static_cast<api_code>(code),
             std::string_view(b + m, me - m)};
      return 0;
    }
  }
  const std::size_t size = without_trailing_newline(b, n);
  if (size == 0) {
    err = {response_errc::empty_body, 0, {}, api_code::success, {}};
    return 0;
  }
  std::size_t i = 0;
  if (size >= 3 && b[0] == '\xEF' && b[1] == '\xBB' && b[2] == '\xBF') i = 3;
  while (i < size && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) ++i;
  if (i < size && b[i] == '<') {
    err = {response_errc::html_body, i, {}, api_code::success, {}};
    return 0;
  }
  // A url-encoded reply starts with a name (errorCode, usually); `{` starts the JSON object a
  // responseFormat=2 request gets back.
  if (i < size && b[i] == '{') {
    err = {response_errc::json_body, i, {}, api_code::success, {}};
    return 0;
  }
  return size;
}

/// One field located in the text, with what its key says:
///
///     3_1_name=value&...
///     ^   ^   ^^    ^
///     |   |   ||    value_end
///     |   |   |value_begin
///     |   |   key_end
///     |   name_begin (past the index prefix; key_begin without one)
///     key_begin
///
/// x and y are the indices of the prefix (the order and certificate, or the match), lv the
/// level they give, row the known field the name is at that level (no_row: unknown). In place,
/// key_end and value_end are where the decoded key and value end.
struct piece {
  const char* key_begin = nullptr;
  const char* key_end = nullptr;
  const char* name_begin = nullptr;
  const char* value_begin = nullptr;
  const char* value_end = nullptr;
  std::uint32_t x = 0;
  std::uint32_t y = 0;
  level lv = level::top;
  row_id row = no_row;
  bool escaped_name = false;  // the raw name has a '%' or '+' (never for names the fast path saw)
};

/// An unknown field of list type U at level `tag` (see tag_of()).
template <class U, class S>
[[nodiscard]] constexpr U make_unknown(std::uint64_t tag, const S& name, const S& value) noexcept {
  if constexpr (requires(U u) { u.certificate; })
    return U{static_cast<std::uint32_t>(tag >> 32), static_cast<std::uint32_t>(tag), name, value};
  else
    return U{static_cast<std::uint32_t>(tag), name, value};
}

/// What the reply parser and the suggestedOrgDetails parser share: the text and the error,
/// counting fields, splitting one and reading its name, storing a value in the member its row
/// names under the duplicate rule, and keeping unknown fields. InPlace: S is std::string_view
/// and every key and value is decoded in the buffer `mb` (the same bytes as [b, b+n)) before it
/// is classified.
template <class S, bool InPlace>
class parser_base {
 public:
  [[nodiscard]] constexpr const parse_error& error() const noexcept { return err_; }

 protected:
  static constexpr bool decode_keys = !InPlace;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  using name_buffer = std::array<char, max_name_size + 4>;

  constexpr parser_base(const char* b, std::size_t n, char* mb, const parse_options& opt) noexcept
      : begin_(b),
        end_(b + n),
        mbegin_(mb),
        opt_(opt),
        // A field takes at least one byte and a separator: short bodies need no counting.
        count_fields_(n / 2 + 1 > opt.max_fields) {}

  [[nodiscard]] constexpr bool strict() const noexcept { return opt_.mode == parse_mode::strict; }

  [[nodiscard]] static constexpr std::string_view as_view(const S& s) noexcept {
    if constexpr (std::is_same_v<S, std::string_view>)
      return s;
    else
      return s.encoded();
  }

  GDOS_DETAIL_COLD constexpr bool fail(response_errc code, const char* kb,
                                       const char* ke) noexcept {
    err_ = {code,
            static_cast<std::size_t>(kb - begin_),
            std::string_view(kb, static_cast<std::size_t>(ke - kb)),
            api_code::success,
            {}};
    return false;
  }

  // Counts the field that starts at p; false, with the error set, past max_fields.
  [[nodiscard]] constexpr bool count_field(const char* p) noexcept {
    if (count_fields_ && ++fields_ > opt_.max_fields)
      return fail(response_errc::too_many_fields, p, p);
    return true;
  }

  // In place: decodes [b, e) where it is; returns the end of the decoded text.
  [[nodiscard]] constexpr const char* decode_here(const char* b, const char* e) noexcept {
    char* mb = mbegin_ + (b - begin_);
    return b + form::decode_in_place(std::span<char>(mb, static_cast<std::size_t>(e - b)));
  }

  // The field that starts at p (not at a '&'), its key and value decoded where they are in
  // place; `next` is set to where the following field starts.
  [[nodiscard]] constexpr piece split(const char* p, const char*& next) noexcept {
    const char* ke = find_eq_or_amp(p, end_);
    const char* vb = ke != end_ && *ke == '=' ? ke + 1 : ke;
    const char* ve = find_amp(vb, end_);
    next = ve == end_ ? end_ : ve + 1;
    if constexpr (InPlace) {
      ke = decode_here(p, ke);
      ve = decode_here(vb, ve);
    }
    return {.key_begin = p, .key_end = ke, .name_begin = p, .value_begin = vb, .value_end = ve};
  }

  // The name of f as the text to look up: raw, or decoded into `buf` when it has an escape
  // (setting f.escaped_name). Empty when it decodes to more than any known name: no known name
  // is empty, so nothing matches it.
  [[nodiscard]] constexpr std::string_view lookup_text(piece& f, name_buffer& buf) noexcept {
    const std::string_view raw(f.name_begin, static_cast<std::size_t>(f.key_end - f.name_begin));
    f.escaped_name = decode_keys && form::needs_decoding(raw);
    if (!f.escaped_name) return raw;
    const std::size_t n = decode_short(raw, buf);
    return n != static_cast<std::size_t>(-1) ? std::string_view(buf.data(), n) : std::string_view{};
  }

  template <class T>
  [[nodiscard]] constexpr bool set(std::optional<T>& slot, T v, const piece& f) {
    if (slot.has_value() && strict())
      return fail(response_errc::duplicate_key, f.key_begin, f.key_end);
    slot = v;
    return true;
  }

  [[nodiscard]] constexpr bool set_text(std::optional<S>& slot, const piece& f) {
    return set(slot, make_string<S>(f.value_begin, f.value_end), f);
  }

  [[nodiscard]] constexpr bool set_progress(std::optional<progress_status>& slot, const piece& f,
                                            bool& untyped) {
    std::int32_t v = 0;
    const char* vb = f.value_begin;
    // The values are nearly always one of "-1", "0", "1", "2".
    if (f.value_end - vb == 1 && static_cast<unsigned char>(*vb - '0') < 10) {
      v = *vb - '0';
    } else if (f.value_end - vb == 2 && *vb == '-' && vb[1] == '1') {
      v = -1;
    } else if (!parse_integer<decode_keys>(vb, f.value_end, v)) {
      return untyped_value(f, untyped);
    }
    return set(slot, static_cast<progress_status>(v), f);
  }

  // A value that does not parse as its field's type: an error in strict mode; in lenient mode
  // the field is left to the caller to keep as an unknown one.
  [[nodiscard]] constexpr bool untyped_value(const piece& f, bool& untyped) noexcept {
    if (strict()) return fail(response_errc::invalid_value, f.key_begin, f.key_end);
    untyped = true;
    return true;
  }

  // Stores the value of f in the member of `rec` that `row` names. False with the error set;
  // `untyped` set when (lenient mode) the value was not stored because it does not parse.
  template <class Record>
  [[nodiscard]] constexpr bool store_row(Record& rec, const field_row<Record>& row, const piece& f,
                                         bool& untyped) {
    switch (row.kind) {
      case value_kind::text:
        if constexpr (has_kind<Record>(value_kind::text)) return set_text(rec.*row.text, f);
        break;
      case value_kind::progress:
        if constexpr (has_kind<Record>(value_kind::progress))
          return set_progress(rec.*row.progress, f, untyped);
        break;
      case value_kind::number:
        if constexpr (has_kind<Record>(value_kind::number)) {
          std::int64_t v = 0;
          if (!parse_integer<decode_keys>(f.value_begin, f.value_end, v))
            return untyped_value(f, untyped);
          return set(rec.*row.number, v, f);
        }
        break;
      case value_kind::code:
        if constexpr (has_kind<Record>(value_kind::code)) {
          // errorCode is required and must parse, in either mode.
          std::int32_t v = 0;
          if (!parse_integer<decode_keys>(f.value_begin, f.value_end, v))
            return fail(response_errc::invalid_error_code, f.key_begin, f.key_end);
          if (have_code_ && strict())
            return fail(response_errc::duplicate_key, f.key_begin, f.key_end);
          have_code_ = true;
          rec.*row.code = static_cast<api_code>(v);
          return true;
        }
        break;
    }
    GDOS_ASSERT(false);  // a row's kind always has its member
    return true;
  }

  // Keeps f as an unknown field of level `tag` in `list`, unless it repeats an earlier one of
  // that level: an error in strict mode, the later value wins in lenient mode.
  template <class U>
  [[nodiscard]] constexpr bool keep_unknown(std::vector<U>& list, std::uint64_t tag,
                                            const piece& f) {
    const S name = make_string<S>(f.name_begin, f.key_end);
    if (f.escaped_name) plain_names_ = false;
    const std::size_t dup = dedup_.find(list, tag, name, plain_names_);
    if (dup != npos) {
      if (strict()) return fail(response_errc::duplicate_key, f.key_begin, f.key_end);
      list[dup].value = make_string<S>(f.value_begin, f.value_end);
      return true;
    }
    // A reply with one unknown field has one per certificate or so: about one per 128 bytes
    // in real replies. Reserving that once saves the copies of repeated growth.
    if (list.capacity() == 0)
      list.reserve(std::max<std::size_t>(16, static_cast<std::size_t>(end_ - begin_) / 128));
    list.push_back(make_unknown<U>(tag, name, make_string<S>(f.value_begin, f.value_end)));
    return true;
  }

  // Stores f in `rec` when its row is known and its value parses (or cannot but the mode is
  // lenient... then) as an unknown field of level `tag` in `list`.
  template <class Record, class U>
  [[nodiscard]] constexpr bool store(Record& rec, std::vector<U>& list, std::uint64_t tag,
                                     const piece& f) {
    if (f.row != no_row) {
      bool untyped = false;
      if (!store_row(rec, rows_of<Record>[f.row], f, untyped)) return false;
      if (!untyped) return true;
    }
    return keep_unknown(list, tag, f);
  }

  // The check of duplicate unknown fields that keep_unknown() left for the end, if any.
  template <class U>
  [[nodiscard]] constexpr bool finish_unknown(std::vector<U>& list) {
    const std::size_t dup = dedup_.finish(list, strict());
    if (dup == npos) return true;
    const std::string_view name = as_view(list[dup].name);
    return fail(response_errc::duplicate_key, name.data(), name.data() + name.size());
  }

  const char* begin_;
  const char* end_;
  char* mbegin_;
  const parse_options& opt_;
  parse_error err_{};
  bool count_fields_;
  std::size_t fields_ = 0;
  bool have_code_ = false;
  // False once an unknown name with an escape was kept: until then names compare as raw bytes.
  bool plain_names_ = true;
  unknown_dedup dedup_{};
};

/// The level tag of order x's certificate y (y 0: the order itself; both 0: the top level).
[[nodiscard]] constexpr std::uint64_t reply_tag(std::uint32_t x, std::uint32_t y) noexcept {
  return (static_cast<std::uint64_t>(x) << 32) | y;
}

/// Parses a reply into `r`.
template <class S, bool InPlace>
class response_parser : public parser_base<S, InPlace> {
  using base = parser_base<S, InPlace>;
  using base::begin_, base::end_, base::opt_, base::err_, base::have_code_, base::npos;
  using base::decode_keys, base::fail, base::count_field, base::decode_here, base::split,
      base::lookup_text, base::store, base::keep_unknown, base::finish_unknown, base::as_view;
  using certificate_type = basic_certificate<S>;

 public:
  constexpr response_parser(const char* b, std::size_t n, char* mb, const parse_options& opt,
                            basic_response<S>& r) noexcept
      : base(b, n, mb, opt), r_(r), table_(r.orders) {}

  /// Parses; false with error() set when the reply is refused.
  [[nodiscard]] constexpr bool run() {
    // Looked for first: in place, decoding can add or remove '=' bytes. A reply has one within
    // its first few bytes, so this costs nearly nothing.
    const bool has_eq = form::detail::find_char(begin_, end_, '=') != end_;
    // run_fast() stops at a field it does not handle (already counted), which field_slow()
    // parses before the fast loop resumes.
    for (const char* p = begin_;;) {
      p = run_fast(p);
      if (p == nullptr) return false;
      if (p == end_) break;
      if (!field_slow(p, p)) return false;
    }
    if (!have_code_) {
      err_ = {has_eq ? response_errc::missing_error_code : response_errc::not_urlencoded,
              0,
              {},
              api_code::success,
              {}};
      return false;
    }
    table_.finish();
    return finish_unknown(r_.unknown_fields);
  }

 private:
  // The common case, in one pass over raw bytes: `[X_[Y_]]name=value` with plain ASCII
  // indices of up to 7 digits and a name without escapes. Returns end_ when the body is done,
  // nullptr on an error, or the start of a field it leaves to field_slow() (before changing
  // anything for it). One loop holds the whole path, so that nothing is spilled per field.
  [[nodiscard]] constexpr const char* run_fast(const char* p) {
    using progress_rows = kind_rows<certificate_type, value_kind::progress>;
    using text_rows = kind_rows<certificate_type, value_kind::text>;
    const char* const end = end_;
    const std::uint32_t max_index = opt_.max_index;
    // Read once: as a member it was reloaded after every store into a certificate, which the
    // compiler cannot prove is not the parser.
    const bool counting = this->count_fields_;
    while (p < end) {
      if (*p == '&') {
        ++p;
        continue;
      }
      if (counting && !count_field(p)) return nullptr;
      // Scalars rather than a piece: they stay in registers on the paths that need no store().
      std::uint32_t x = 0;
      std::uint32_t y = 0;
      level lv = level::top;
      row_id row = no_row;
      const char* vb = nullptr;
      const char* ve = nullptr;
      const char* ke = nullptr;
      const char* q = p;
      const auto digit1 = [](char d) { return static_cast<unsigned char>(d - '1') < 9; };
      if (end - q >= 4 && q[1] == '_' && q[3] == '_' && digit1(q[0]) && digit1(q[2]) &&
          max_index >= 9) {
        // `X_Y_` with one-digit indices: most keys of a reply.
        x = static_cast<std::uint32_t>(q[0] - '0');
        y = static_cast<std::uint32_t>(q[2] - '0');
        lv = level::certificate;
        q += 4;
      } else if (digit1(*q)) {
        if (!read_index(q, end, max_index, x)) return p;
        lv = level::order;
        if (q != end && static_cast<unsigned char>(*q - '1') < 9) {
          if (!read_index(q, end, max_index, y)) return p;
          lv = level::certificate;
        }
      }
      if (q == end) return p;
      const char c = *q;
      // A name that could start an index, a sign or an escape takes the careful path.
      if (lv != level::certificate && ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '%'))
        return p;
      const char* const nb = q;
      row = match_known<S>(lv, q, end, vb);
      if (row != no_row) {
        ke = vb - 1;
      } else {
        ke = find_key_end(q, end);
        if (ke != end && (*ke == '%' || *ke == '+')) return p;
        if (ke == end || *ke == '&') {
          // A known name without '=' (an empty value) was not matched above.
          row = lookup_name<S>(lv, std::string_view(q, static_cast<std::size_t>(ke - q)));
          vb = ke;
        } else {
          vb = ke + 1;
        }
      }
      // The value. A progress value is nearly always "-1", "0", "1" or "2": no need to scan.
      bool quick = false;
      std::int32_t val = 0;
      if (lv == level::certificate && progress_rows::contains(row)) {
        if (vb != end && static_cast<unsigned char>(*vb - '0') < 10 &&
            (vb + 1 == end || vb[1] == '&')) {
          val = *vb - '0';
          ve = vb + 1;
          quick = true;
        } else if (end - vb >= 2 && vb[0] == '-' && vb[1] == '1' &&
                   (vb + 2 == end || vb[2] == '&')) {
          val = -1;
          ve = vb + 2;
          quick = true;
        }
      }
      // In place, the scan for the value's end also tells whether it has anything to decode
      // (most values do not); the lazy parser leaves values as they are.
      bool special = false;
      if (!quick) ve = InPlace ? find_value_end(vb, end, special) : find_amp(vb, end);
      const char* const field = p;
      p = ve == end ? end : ve + 1;
      if constexpr (InPlace) {
        if (special) ve = decode_here(vb, ve);
      }
      if GDOS_DETAIL_LIKELY (lv == level::certificate && x == cert_x_ && y == cert_y_) {
        // Certificate fields are most of a reply: the usual ones go straight into the cached
        // certificate; duplicates and everything else go through store().
        if (quick) {
          auto& slot = cert_->*progress_rows::members[row - progress_rows::first];
          if (!slot.has_value()) {
            slot = static_cast<progress_status>(val);
            continue;
          }
        } else if (row == no_row) {
          // slId, validityPeriodStart, ...
          if (!keep_unknown(r_.unknown_fields, reply_tag(x, y),
                            piece{.key_begin = field,
                                  .key_end = ke,
                                  .name_begin = nb,
                                  .value_begin = vb,
                                  .value_end = ve,
                                  .x = x,
                                  .y = y,
                                  .lv = lv,
                                  .row = row}))
            return nullptr;
          continue;
        } else if (text_rows::contains(row)) {
          auto& slot = cert_->*text_rows::members[row - text_rows::first];
          if (!slot.has_value()) {
            slot = make_string<S>(vb, ve);
            continue;
          }
        }
      }
      if (!store(piece{.key_begin = field,
                       .key_end = ke,
                       .name_begin = nb,
                       .value_begin = vb,
                       .value_end = ve,
                       .x = x,
                       .y = y,
                       .lv = lv,
                       .row = row}))
        return nullptr;
    }
    return end;
  }

  // First '&' in [p, end), or end; `special` set when a '%' or '+' comes before it.
  [[nodiscard]] static constexpr const char* find_value_end(const char* p, const char* end,
                                                            bool& special) noexcept {
#if GDOS_DETAIL_X86_KERNELS
    if (!std::is_constant_evaluated()) return simd::find_amp_noting_specials(p, end, special);
#endif
    const char* e = find_amp(p, end);
    special = form::needs_decoding(std::string_view(p, static_cast<std::size_t>(e - p)));
    return e;
  }

  // Any field: split it, then classify the key decoded byte by byte (in place: decode the key
  // and the value where they are, then classify the plain text).
  GDOS_DETAIL_COLD [[nodiscard]] constexpr bool field_slow(const char* p, const char*& next) {
    piece f = split(p, next);
    return classify(f) && store(f);
  }

  // The index prefixes of f's key (an order, and a certificate), its level and its row.
  GDOS_DETAIL_COLD [[nodiscard]] constexpr bool classify(piece& f) {
    const char* const kb = f.key_begin;
    const char* const ke = f.key_end;
    const index_prefix i1 = parse_index<decode_keys>(kb, ke, opt_.max_index);
    if (i1.status == index_status::ok) {
      const index_prefix i2 = parse_index<decode_keys>(i1.after, ke, opt_.max_index);
      if (i2.status == index_status::none) {
        f.lv = level::order;
        f.x = i1.value;
        f.name_begin = i1.after;
      } else if (i2.status == index_status::ok) {
        f.lv = level::certificate;
        f.x = i1.value;
        f.y = i2.value;
        f.name_begin = i2.after;
      } else if (this->strict()) {
        return fail(index_error(i2.status), kb, ke);
      }
      // else lenient: a top-level unknown field under the whole key.
    } else if (i1.status != index_status::none && this->strict()) {
      return fail(index_error(i1.status), kb, ke);
    }
    typename base::name_buffer buf{};
    f.row = lookup_name<S>(f.lv, lookup_text(f, buf));
    return true;
  }

  // Orders and certificates are found through table_, with the last one used cached:
  // consecutive keys nearly always name the same one. Positions in `orders` and addresses of
  // certificates stay valid while parsing, because table_ only ever appends (a vector of
  // orders that grows moves each order's certificate vector without moving its elements).
  // Forced inline: out of line (g++ 12 left it a call from store() and certificate_at()), the
  // call cost every order-level field and every certificate's first field about 3-7 % of the
  // parse (response_parse / floor_memchr).
  [[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE constexpr basic_order<S>* order_at(const piece& f) {
    if (f.x != order_x_) {
      const std::size_t op = table_.entry(f.x, opt_.max_orders);
      if (op == npos) {
        fail(response_errc::too_many_orders, f.key_begin, f.key_end);
        return nullptr;
      }
      order_x_ = f.x;
      order_pos_ = op;
    }
    return &r_.orders[order_pos_];
  }

  [[nodiscard]] constexpr certificate_type* certificate_at(const piece& f) {
    if (f.x == cert_x_ && f.y == cert_y_) return cert_;
    basic_order<S>* o = order_at(f);
    if (o == nullptr) return nullptr;
    const std::size_t cp = table_.child(order_pos_, f.x, f.y, opt_.max_certificates);
    if (cp == npos) {
      fail(response_errc::too_many_certificates, f.key_begin, f.key_end);
      return nullptr;
    }
    cert_x_ = f.x;
    cert_y_ = f.y;
    cert_ = &o->certificates[cp];
    return cert_;
  }

  [[nodiscard]] constexpr bool store(const piece& f) {
    switch (f.lv) {
      case level::certificate: {
        certificate_type* c = certificate_at(f);
        return c != nullptr && base::store(*c, r_.unknown_fields, reply_tag(f.x, f.y), f);
      }
      case level::order: {
        basic_order<S>* o = order_at(f);
        return o != nullptr && base::store(*o, r_.unknown_fields, reply_tag(f.x, 0), f);
      }
      case level::top:
      case level::org_list:
      case level::org_match:
        break;
    }
    return base::store(r_, r_.unknown_fields, reply_tag(0, 0), f);
  }

  basic_response<S>& r_;
  index_table<basic_order<S>> table_;
  std::uint32_t order_x_ = 0;  // 0: no order cached (indices start at 1)
  std::size_t order_pos_ = 0;
  std::uint32_t cert_x_ = 0;
  std::uint32_t cert_y_ = 0;
  certificate_type* cert_ = nullptr;
};

template <class S, bool InPlace, class /* Lazy: see parse_response.hpp */>
[[nodiscard]] constexpr result<basic_response<S>, parse_error> parse_response_impl(
    const char* b, std::size_t n, char* mb, const parse_options& opt) {
  parse_error err{};
  const std::size_t size = precheck(b, n, opt, err);
  if (err) return err;
  basic_response<S> r;
  response_parser<S, InPlace> p(b, size, mb, opt, r);
  if (!p.run()) return p.error();
  return r;
}

// ---- the suggestedOrgDetails parser ------------------------------------------------------------

/// Parses a suggestedOrgDetails list into `d`: `Status`, and `N_name` fields of match N (known
/// names without an index belong to match 1). The same plumbing as the reply parser, without its
/// fast path: these lists are short.
template <class S, bool InPlace>
class org_details_parser : public parser_base<S, InPlace> {
  using base = parser_base<S, InPlace>;
  using base::begin_, base::end_, base::opt_, base::err_, base::npos;
  using base::decode_keys, base::fail, base::count_field, base::split, base::lookup_text,
      base::finish_unknown;
  using list_type = basic_org_details<S>;
  using match_type = basic_org_match<S>;

 public:
  constexpr org_details_parser(const char* b, std::size_t n, char* mb, const parse_options& opt,
                               basic_org_details<S>& d) noexcept
      : base(b, n, mb, opt), d_(d), table_(d.matches) {}

  /// Parses; false with error() set when the list is refused.
  [[nodiscard]] constexpr bool run() {
    for (const char* p = begin_; p < end_;) {
      if (*p == '&') {
        ++p;
        continue;
      }
      if (!count_field(p)) return false;
      piece f = split(p, p);
      if (!classify(f) || !store(f)) return false;
    }
    if (this->strict() && !d_.status) {
      err_ = {response_errc::missing_org_status, 0, {}, api_code::success, {}};
      return false;
    }
    table_.finish();
    return finish_unknown(d_.unknown_fields);
  }

 private:
  // The index prefix of f's key (a match), its level and its row.
  [[nodiscard]] constexpr bool classify(piece& f) {
    const index_prefix ix = parse_index<decode_keys>(f.key_begin, f.key_end, opt_.max_index);
    if (ix.status == index_status::ok) {
      f.x = ix.value;
      f.name_begin = ix.after;
    } else if (ix.status != index_status::none && this->strict()) {
      return fail(index_error(ix.status), f.key_begin, f.key_end);
    }
    // else un-indexed, or (lenient) a bad index: an un-indexed field under the whole key.
    typename base::name_buffer buf{};
    const std::string_view name = lookup_text(f, buf);
    f.lv = level::org_match;
    if (f.x == 0) {
      f.row = lookup_row<list_type>(name);
      if (f.row != no_row) {
        f.lv = level::org_list;
        return true;
      }
    }
    f.row = lookup_row<match_type>(name);
    // An un-indexed name that is no known field stays at the list's level.
    if (f.x == 0 && f.row == no_row) f.lv = level::org_list;
    return true;
  }

  [[nodiscard]] constexpr bool store(const piece& f) {
    if (f.lv == level::org_list) return base::store(d_, d_.unknown_fields, 0, f);
    // Known names without an index belong to match 1.
    const std::size_t pos = table_.entry(f.x == 0 ? 1 : f.x, opt_.max_org_matches);
    if (pos == npos) return fail(response_errc::too_many_matches, f.key_begin, f.key_end);
    return base::store(d_.matches[pos], d_.unknown_fields, f.x, f);
  }

  list_type& d_;
  index_table<match_type> table_;
};

template <class S, bool InPlace, class /* Lazy: see parse_response.hpp */>
[[nodiscard]] constexpr result<basic_org_details<S>, parse_error> parse_org_details_impl(
    const char* b, std::size_t n, char* mb, const parse_options& opt) {
  if (n > opt.max_body_size)
    return parse_error{response_errc::body_too_large, opt.max_body_size, {}, api_code::success, {}};
  basic_org_details<S> d;
  org_details_parser<S, InPlace> p(b, n, mb, opt, d);
  if (!p.run()) return p.error();
  return d;
}

}  // namespace gdos::detail
