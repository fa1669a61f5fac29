/// @file detail/reply_parser.hpp
/// @brief The reply and suggestedOrgDetails parsers behind gdos/parse_response.hpp.
#pragma once

#include <gdos/common.hpp>
#include <gdos/config.hpp>
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

/// Checks done before splitting: size, the legacy newline format, emptiness, HTML.
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
  return size;
}

/// One field located in the text: key [kb, ke), its name after the index prefix [nb, ne), the
/// value [vb, ve); the level and indices the prefix gave, the known field the name is.
struct piece {
  const char* kb;
  const char* ke;
  const char* nb;
  const char* ne;
  const char* vb;
  const char* ve;
  std::uint32_t x;
  std::uint32_t y;
  level lv;
  fid id;
  bool escaped_name;  // the raw name has a '%' or '+' (never for names the fast path saw)
};

// The members the known fields go to, in fid order, so that storing is an indexed access.
// (std::array, not C arrays: clang cannot index a variable template of unknown bound in a
// constant expression.)
template <class S>
inline constexpr std::array<std::optional<S> basic_certificate<S>::*, 5> certificate_text = {
    &basic_certificate<S>::serial_number, &basic_certificate<S>::object_type,
    &basic_certificate<S>::fqdn, &basic_certificate<S>::status,
    &basic_certificate<S>::status_reason};
template <class S>
inline constexpr std::array<std::optional<progress_status> basic_certificate<S>::*, 6>
    certificate_progress = {&basic_certificate<S>::csr_status,
                            &basic_certificate<S>::dcv_status,
                            &basic_certificate<S>::ov_callback_status,
                            &basic_certificate<S>::organization_validation_status,
                            &basic_certificate<S>::free_dvup_status,
                            &basic_certificate<S>::ev_click_through_status};
template <class S>
inline constexpr std::array<std::optional<S> basic_order<S>::*, 4> order_text = {
    &basic_order<S>::date_time, &basic_order<S>::status, &basic_order<S>::status_reason,
    &basic_order<S>::suggested_org_details};
template <class S>
inline constexpr std::array<std::optional<S> basic_response<S>::*, 3> top_text = {
    &basic_response<S>::error_message, &basic_response<S>::error_item,
    &basic_response<S>::error_detail};

[[nodiscard]] constexpr std::size_t offset_of(fid id, fid first) noexcept {
  return static_cast<std::size_t>(id) - static_cast<std::size_t>(first);
}

/// Parses a reply into `r`. InPlace: S is std::string_view and every key and value is decoded
/// in the buffer `mb` (the same bytes as [b, b+n)) before it is classified.
template <class S, bool InPlace>
class response_parser {
  static constexpr bool decode_keys = !InPlace;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

 public:
  constexpr response_parser(const char* b, std::size_t n, char* mb, const parse_options& opt,
                            basic_response<S>& r) noexcept
      : begin_(b),
        end_(b + n),
        mbegin_(mb),
        opt_(opt),
        r_(r),
        table_(r.orders),
        // A field takes at least one byte and a separator: short bodies need no counting.
        count_fields_(n / 2 + 1 > opt.max_fields) {}

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
    if (!have_error_code_) {
      err_ = {has_eq ? response_errc::missing_error_code : response_errc::not_urlencoded,
              0,
              {},
              api_code::success,
              {}};
      return false;
    }
    table_.finish();
    const std::size_t dup = dedup_.finish(r_.unknown_fields, strict());
    if (dup != npos) {
      const auto& u = r_.unknown_fields[dup];
      const std::string_view name = as_view(u.name);
      return fail(response_errc::duplicate_key, name.data(), name.data() + name.size());
    }
    return true;
  }

  [[nodiscard]] constexpr const parse_error& error() const noexcept { return err_; }

 private:
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

  // The common case, in one pass over raw bytes: `[X_[Y_]]name=value` with plain ASCII
  // indices of up to 7 digits and a name without escapes. Returns end_ when the body is done,
  // nullptr on an error, or the start of a field it leaves to field_slow() (before changing
  // anything for it). One loop holds the whole path, so that nothing is spilled per field.
  [[nodiscard]] constexpr const char* run_fast(const char* p) {
    const char* const end = end_;
    const std::uint32_t max_index = opt_.max_index;
    while (p < end) {
      if (*p == '&') {
        ++p;
        continue;
      }
      if (count_fields_ && ++fields_ > opt_.max_fields) {
        fail(response_errc::too_many_fields, p, p);
        return nullptr;
      }
      // Scalars rather than a piece: they stay in registers on the paths that need no store().
      std::uint32_t x = 0;
      std::uint32_t y = 0;
      level lv = level::top;
      fid id = fid::unknown;
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
      id = match_known(lv, q, end, vb);
      if (id != fid::unknown) {
        ke = vb - 1;
      } else {
        ke = find_key_end(q, end);
        if (ke != end && (*ke == '%' || *ke == '+')) return p;
        if (ke == end || *ke == '&') {
          // A known name without '=' (an empty value) was not matched above.
          id = lookup_name(lv, std::string_view(q, static_cast<std::size_t>(ke - q)));
          vb = ke;
        } else {
          vb = ke + 1;
        }
      }
      // The value. A progress value is nearly always "-1", "0", "1" or "2": no need to scan.
      bool quick = false;
      std::int32_t val = 0;
      if (lv == level::certificate && id >= fid::csr_status) {
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
      if (!quick) ve = find_amp(vb, end);
      const char* const field = p;
      p = ve == end ? end : ve + 1;
      if constexpr (InPlace) {
        if (!quick) ve = decode_here(vb, ve);
      }
      if GDOS_DETAIL_LIKELY (lv == level::certificate && x == cert_x_ && y == cert_y_) {
        // Certificate fields are most of a reply: the usual ones go straight into the cached
        // certificate; duplicates and everything else go through store().
        if (quick) {
          auto& slot = cert_->*certificate_progress<S>[offset_of(id, fid::csr_status)];
          if (!slot.has_value()) {
            slot = static_cast<progress_status>(val);
            continue;
          }
        } else if (id == fid::unknown) {
          // slId, validityPeriodStart, ...
          if (!push_unknown(piece{field, ke, nb, ke, vb, ve, x, y, lv, id, false}, x, y))
            return nullptr;
          continue;
        } else if (id <= fid::certificate_status_reason) {
          auto& slot = cert_->*certificate_text<S>[offset_of(id, fid::serial_number)];
          if (!slot.has_value()) {
            slot = make_string<S>(vb, ve);
            continue;
          }
        }
      }
      if (!store(piece{field, ke, nb, ke, vb, ve, x, y, lv, id, false})) return nullptr;
    }
    return end;
  }

  // In place: decodes [b, e) where it is; returns the end of the decoded text.
  [[nodiscard]] constexpr const char* decode_here(const char* b, const char* e) noexcept {
    char* mb = mbegin_ + (b - begin_);
    return b + form::decode_in_place(std::span<char>(mb, static_cast<std::size_t>(e - b)));
  }

  // Any field: split it, then classify the key decoded byte by byte (in place: decode the key
  // and the value where they are, then classify the plain text).
  GDOS_DETAIL_COLD [[nodiscard]] constexpr bool field_slow(const char* p, const char*& next) {
    const char* ke = find_eq_or_amp(p, end_);
    const char* vb = ke != end_ && *ke == '=' ? ke + 1 : ke;
    const char* ve = find_amp(vb, end_);
    next = ve == end_ ? end_ : ve + 1;
    if constexpr (InPlace) {
      ke = decode_here(p, ke);
      ve = decode_here(vb, ve);
    }
    return classify(p, ke, vb, ve);
  }

  GDOS_DETAIL_COLD [[nodiscard]] constexpr bool classify(const char* kb, const char* ke,
                                                         const char* vb, const char* ve) {
    piece f{kb, ke, kb, ke, vb, ve, 0, 0, level::top, fid::unknown, false};
    const index_prefix i1 = parse_index<decode_keys>(kb, ke, opt_.max_index);
    if (i1.status == index_status::ok) {
      const index_prefix i2 = parse_index<decode_keys>(i1.after, ke, opt_.max_index);
      if (i2.status == index_status::none) {
        f.lv = level::order;
        f.x = i1.value;
        f.nb = i1.after;
      } else if (i2.status == index_status::ok) {
        f.lv = level::certificate;
        f.x = i1.value;
        f.y = i2.value;
        f.nb = i2.after;
      } else if (strict()) {
        return fail(index_error(i2.status), kb, ke);
      }
      // else lenient: a top-level unknown field under the whole key.
    } else if (i1.status != index_status::none && strict()) {
      return fail(index_error(i1.status), kb, ke);
    }
    const std::string_view name(f.nb, static_cast<std::size_t>(ke - f.nb));
    f.escaped_name = decode_keys && form::needs_decoding(name);
    if (f.escaped_name) {
      // The longest known name has 28 characters: a longer decoded name is unknown.
      std::array<char, 32> buf{};
      const auto d = form::decode_to(name, buf);
      if (d) f.id = lookup_name(f.lv, std::string_view(buf.data(), d.size));
    } else {
      f.id = lookup_name(f.lv, name);
    }
    return store(f);
  }

  // Orders and certificates are found through order_table_, with the last one used cached:
  // consecutive keys nearly always name the same one. Positions in `orders` and addresses of
  // certificates stay valid while parsing, because order_table_ only ever appends (a vector of
  // orders that grows moves each order's certificate vector without moving its elements).
  [[nodiscard]] constexpr basic_order<S>* order_at(const piece& f) {
    if (f.x != order_x_) {
      const std::size_t op = table_.order(f.x, opt_);
      if (op == npos) {
        fail(response_errc::too_many_orders, f.kb, f.ke);
        return nullptr;
      }
      order_x_ = f.x;
      order_pos_ = op;
    }
    return &r_.orders[order_pos_];
  }

  [[nodiscard]] constexpr basic_certificate<S>* certificate_at(const piece& f) {
    if (f.x == cert_x_ && f.y == cert_y_) return cert_;
    basic_order<S>* o = order_at(f);
    if (o == nullptr) return nullptr;
    const std::size_t cp = table_.certificate(order_pos_, f.x, f.y, opt_);
    if (cp == npos) {
      fail(response_errc::too_many_certificates, f.kb, f.ke);
      return nullptr;
    }
    cert_x_ = f.x;
    cert_y_ = f.y;
    cert_ = &o->certificates[cp];
    return cert_;
  }

  template <class T>
  [[nodiscard]] constexpr bool set(std::optional<T>& slot, T v, const piece& f) {
    if (slot.has_value() && strict()) return fail(response_errc::duplicate_key, f.kb, f.ke);
    slot = v;
    return true;
  }

  [[nodiscard]] constexpr bool set_text(std::optional<S>& slot, const piece& f) {
    return set(slot, make_string<S>(f.vb, f.ve), f);
  }

  [[nodiscard]] constexpr bool set_progress(std::optional<progress_status>& slot, const piece& f) {
    std::int32_t v = 0;
    // The values are nearly always one of "-1", "0", "1", "2".
    if (f.ve - f.vb == 1 && static_cast<unsigned char>(*f.vb - '0') < 10) {
      v = *f.vb - '0';
    } else if (f.ve - f.vb == 2 && *f.vb == '-' && f.vb[1] == '1') {
      v = -1;
    } else if (!parse_integer<decode_keys>(f.vb, f.ve, v)) {
      if (strict()) return fail(response_errc::invalid_value, f.kb, f.ke);
      return add_unknown(f);
    }
    return set(slot, static_cast<progress_status>(v), f);
  }

  [[nodiscard]] constexpr bool add_unknown(const piece& f) {
    std::uint32_t x = 0;
    std::uint32_t y = 0;
    if (f.lv == level::certificate) {
      if (certificate_at(f) == nullptr) return false;
      x = f.x;
      y = f.y;
    } else if (f.lv == level::order) {
      if (order_at(f) == nullptr) return false;
      x = f.x;
    }
    return push_unknown(f, x, y);
  }

  // add_unknown() once the field's order and certificate exist.
  [[nodiscard]] constexpr bool push_unknown(const piece& f, std::uint32_t x, std::uint32_t y) {
    auto& v = r_.unknown_fields;
    const S name = make_string<S>(f.nb, f.ne);
    if (f.escaped_name) plain_names_ = false;
    const std::size_t dup =
        dedup_.find(v, (static_cast<std::uint64_t>(x) << 32) | y, name, plain_names_);
    if (dup != npos) {
      if (strict()) return fail(response_errc::duplicate_key, f.kb, f.ke);
      v[dup].value = make_string<S>(f.vb, f.ve);
      return true;
    }
    // A reply with one unknown field has one per certificate or so: about one per 128 bytes
    // in real replies. Reserving that once saves the copies of repeated growth.
    if (v.capacity() == 0)
      v.reserve(std::max<std::size_t>(16, static_cast<std::size_t>(end_ - begin_) / 128));
    v.push_back({x, y, name, make_string<S>(f.vb, f.ve)});
    return true;
  }

  [[nodiscard]] constexpr bool store(const piece& f) {
    if (f.id == fid::unknown) return add_unknown(f);
    switch (f.lv) {
      case level::certificate: {
        basic_certificate<S>* c = certificate_at(f);
        if (c == nullptr) return false;
        if (f.id <= fid::certificate_status_reason)
          return set_text(c->*certificate_text<S>[offset_of(f.id, fid::serial_number)], f);
        return set_progress(c->*certificate_progress<S>[offset_of(f.id, fid::csr_status)], f);
      }
      case level::order: {
        basic_order<S>* o = order_at(f);
        if (o == nullptr) return false;
        if (f.id != fid::order_number)
          return set_text(o->*order_text<S>[offset_of(f.id, fid::order_date_time)], f);
        std::int64_t v = 0;
        if (parse_integer<decode_keys>(f.vb, f.ve, v)) return set(o->number, v, f);
        if (strict()) return fail(response_errc::invalid_value, f.kb, f.ke);
        return add_unknown(f);
      }
      case level::top:
        break;
    }
    if (f.id != fid::error_code)
      return set_text(r_.*top_text<S>[offset_of(f.id, fid::error_message)], f);
    std::int32_t v = 0;
    if (!parse_integer<decode_keys>(f.vb, f.ve, v))
      return fail(response_errc::invalid_error_code, f.kb, f.ke);
    if (have_error_code_ && strict()) return fail(response_errc::duplicate_key, f.kb, f.ke);
    have_error_code_ = true;
    r_.error_code = static_cast<api_code>(v);
    return true;
  }

  const char* begin_;
  const char* end_;
  char* mbegin_;
  const parse_options& opt_;
  basic_response<S>& r_;
  order_table<S> table_;
  unknown_dedup dedup_{};
  parse_error err_{};
  bool count_fields_;
  std::size_t fields_ = 0;
  // False once an unknown name with an escape was kept: until then names compare as raw bytes.
  bool plain_names_ = true;
  std::uint32_t order_x_ = 0;  // 0: no order cached (indices start at 1)
  std::size_t order_pos_ = 0;
  std::uint32_t cert_x_ = 0;
  std::uint32_t cert_y_ = 0;
  basic_certificate<S>* cert_ = nullptr;
  bool have_error_code_ = false;
};

template <class S, bool InPlace, class /* Lazy: see "Parsing" below */>
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

// ---- the suggestedOrgDetails parser ----------------------------------------------------------

template <class S, bool InPlace, class /* Lazy: see "Parsing" below */>
[[nodiscard]] constexpr result<basic_org_details<S>, parse_error> parse_org_details_impl(
    const char* b, std::size_t n, char* mb, const parse_options& opt) {
  constexpr bool decode = !InPlace;
  constexpr std::size_t npos = static_cast<std::size_t>(-1);
  const bool strict = opt.mode == parse_mode::strict;
  if (n > opt.max_body_size)
    return parse_error{response_errc::body_too_large, opt.max_body_size, {}, api_code::success, {}};
  basic_org_details<S> d;
  unknown_dedup dedup;
  const char* const end = b + n;
  const auto fail = [b](response_errc code, const char* kb, const char* ke) {
    return parse_error{code,
                       static_cast<std::size_t>(kb - b),
                       std::string_view(kb, static_cast<std::size_t>(ke - kb)),
                       api_code::success,
                       {}};
  };
  std::size_t fields = 0;
  for (const char* p = b; p < end;) {
    if (*p == '&') {
      ++p;
      continue;
    }
    if (++fields > opt.max_fields) return fail(response_errc::too_many_fields, p, p);
    const char* kb = p;
    const char* ke = find_eq_or_amp(p, end);
    const char* vb = ke != end && *ke == '=' ? ke + 1 : ke;
    const char* ve = find_amp(vb, end);
    p = ve == end ? end : ve + 1;
    if constexpr (InPlace) {
      const auto dec = [&](const char* x, const char* e) {
        char* m = mb + (x - b);
        return x + form::decode_in_place(std::span<char>(m, static_cast<std::size_t>(e - x)));
      };
      ke = dec(kb, ke);
      ve = dec(vb, ve);
    }
    const index_prefix ix = parse_index<decode>(kb, ke, opt.max_index);
    std::uint32_t match = 0;
    const char* nb = kb;
    if (ix.status == index_status::ok) {
      match = ix.value;
      nb = ix.after;
    } else if (ix.status != index_status::none && strict) {
      return fail(index_error(ix.status), kb, ke);
    }
    const std::string_view raw_name(nb, static_cast<std::size_t>(ke - nb));
    fid id = fid::unknown;
    if (decode && form::needs_decoding(raw_name)) {
      std::array<char, 32> buf{};
      const auto r = form::decode_to(raw_name, buf);
      if (r) id = lookup_org_name(match != 0, std::string_view(buf.data(), r.size));
    } else {
      id = lookup_org_name(match != 0, raw_name);
    }
    const S value = make_string<S>(vb, ve);
    if (id == fid::org_status_field) {
      if (d.status && strict) return fail(response_errc::duplicate_key, kb, ke);
      d.status = value;
      continue;
    }
    if (id == fid::unknown && match == 0) {
      // A key with a bad index (lenient) or no index at all.
    } else {
      // Known names without an index belong to match 1.
      const std::uint32_t m = match == 0 ? 1 : match;
      auto& v = d.matches;
      auto it = std::lower_bound(v.begin(), v.end(), m,
                                 [](const auto& x, std::uint32_t i) { return x.index < i; });
      if (it == v.end() || it->index != m) {
        if (v.size() >= opt.max_org_matches) return fail(response_errc::too_many_matches, kb, ke);
        it = v.insert(it, basic_org_match<S>{});
        it->index = m;
      }
      std::optional<S>* slot = nullptr;
      switch (id) {
        case fid::organization_name:
          slot = &it->organization_name;
          break;
        case fid::street_address:
          slot = &it->street_address;
          break;
        case fid::locality_name:
          slot = &it->locality_name;
          break;
        case fid::state_or_province_name:
          slot = &it->state_or_province_name;
          break;
        case fid::postal_code:
          slot = &it->postal_code;
          break;
        case fid::country_name:
          slot = &it->country_name;
          break;
        case fid::duns_number:
          slot = &it->duns_number;
          break;
        case fid::telephone_number:
          slot = &it->telephone_number;
          break;
        default:
          break;
      }
      if (slot != nullptr) {
        if (slot->has_value() && strict) return fail(response_errc::duplicate_key, kb, ke);
        *slot = value;
        continue;
      }
    }
    auto& u = d.unknown_fields;
    const S name = make_string<S>(ix.status == index_status::ok ? nb : kb, ke);
    const std::size_t dup = dedup.find(u, match, name, false);
    if (dup != npos) {
      if (strict) return fail(response_errc::duplicate_key, kb, ke);
      u[dup].value = value;
      continue;
    }
    u.push_back({match, name, value});
  }
  if (strict && !d.status)
    return parse_error{response_errc::missing_org_status, 0, {}, api_code::success, {}};
  const std::size_t dup = dedup.finish(d.unknown_fields, strict);
  if (dup != npos) {
    std::string_view name;
    if constexpr (InPlace)
      name = d.unknown_fields[dup].name;
    else
      name = d.unknown_fields[dup].name.encoded();
    return fail(response_errc::duplicate_key, name.data(), name.data() + name.size());
  }
  return d;
}

}  // namespace gdos::detail
