/// @file detail/reply_tables.hpp
/// @brief The parsers' containers: scratch memory, a heap sort, the duplicate finder for unknown
/// fields, and the table that locates orders, certificates and matches by index.
#pragma once

#include <gdos/config.hpp>
#include <gdos/form.hpp>
#include <gdos/response_model.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace gdos::detail {

// ---- unknown fields: duplicates ----------------------------------------------------------------

/// The parsers' scratch space (hash table, sort keys, flags): n zeroed 64-bit integers on the
/// heap. Not a std::vector: each vector type is some fifty small functions that a unit calling
/// a parser instantiates and optimizes (bench/README.md, Compile time); this is a handful.
class scratch {
 public:
  constexpr scratch() noexcept = default;
  constexpr explicit scratch(std::size_t n)
      : p_(std::allocator<std::uint64_t>{}.allocate(n)), n_(n) {
    for (std::size_t i = 0; i < n; ++i) std::construct_at(p_ + i, std::uint64_t{0});
  }
  scratch(const scratch&) = delete;
  scratch& operator=(const scratch&) = delete;
  constexpr ~scratch() {
    if (p_ != nullptr) std::allocator<std::uint64_t>{}.deallocate(p_, n_);
  }
  constexpr void swap(scratch& o) noexcept {
    std::swap(p_, o.p_);
    std::swap(n_, o.n_);
  }
  [[nodiscard]] constexpr std::size_t size() const noexcept { return n_; }
  [[nodiscard]] constexpr bool empty() const noexcept { return n_ == 0; }
  [[nodiscard]] constexpr std::uint64_t& operator[](std::size_t i) noexcept { return p_[i]; }
  [[nodiscard]] constexpr const std::uint64_t& operator[](std::size_t i) const noexcept {
    return p_[i];
  }

 private:
  std::uint64_t* p_ = nullptr;
  std::size_t n_ = 0;
};

/// Sorts `v` by `less` in O(n log n) without allocating; returns at once when already sorted.
/// (Not std::sort: its instantiations cost several times this one's compile time, and these
/// sorts run only on out-of-order input.)
template <class Less>
constexpr void heap_sort(scratch& v, const Less& less) {
  const std::size_t n = v.size();
  bool sorted = true;
  for (std::size_t i = 1; i < n && sorted; ++i) sorted = !less(v[i], v[i - 1]);
  if (sorted) return;
  const auto sift_down = [&v, &less](std::size_t i, std::size_t size) {
    for (;;) {
      std::size_t c = 2 * i + 1;
      if (c >= size) return;
      if (c + 1 < size && less(v[c], v[c + 1])) ++c;
      if (!less(v[i], v[c])) return;
      std::swap(v[i], v[c]);
      i = c;
    }
  };
  for (std::size_t i = n / 2; i-- > 0;) sift_down(i, n);
  for (std::size_t end = n; end > 1; --end) {
    std::swap(v[0], v[end - 1]);
    sift_down(0, end - 1);
  }
}

[[nodiscard]] constexpr std::string_view raw_text(std::string_view s) noexcept { return s; }
[[nodiscard]] constexpr std::string_view raw_text(const form::encoded_view& s) noexcept {
  return s.encoded();
}

/// Plain integer order, a named type so that every sort of integer keys is one instantiation.
struct less_u64 {
  constexpr bool operator()(std::uint64_t a, std::uint64_t b) const noexcept { return a < b; }
};

/// The order of the deferred duplicate check: level, then decoded name, then position.
template <class U>
GDOS_DETAIL_COLD [[nodiscard]] constexpr bool unknown_less(const std::vector<U>& v, std::uint64_t a,
                                                           std::uint64_t b) noexcept {
  const std::uint64_t ta = tag_of(v[static_cast<std::size_t>(a)]);
  const std::uint64_t tb = tag_of(v[static_cast<std::size_t>(b)]);
  if (ta != tb) return ta < tb;
  const int c = str_cmp(v[static_cast<std::size_t>(a)].name, v[static_cast<std::size_t>(b)].name);
  return c != 0 ? c < 0 : a < b;
}

/// Finds duplicate unknown fields as they are added. Keys nearly always arrive grouped by
/// level in ascending order, so a new field can only repeat one of the current level's run,
/// which is short; anything else (a level met again, a long run) switches to one sort-based
/// pass at the end (finish()), so adversarial input costs O(n log n), never O(n^2).
struct unknown_dedup {
  std::uint64_t run_tag = 0;
  std::size_t run_start = 0;
  bool any = false;
  bool deferred = false;

  static constexpr std::size_t max_run_scan = 16;

  /// Position of an earlier field with the same level and name, npos when there is none or
  /// the check is deferred to finish().
  template <class U, class Name>
  [[nodiscard]] constexpr std::size_t find(const std::vector<U>& v, std::uint64_t tag,
                                           const Name& name, bool plain_names) noexcept {
    constexpr std::size_t npos = static_cast<std::size_t>(-1);
    if (deferred) return npos;
    if (any && tag == run_tag) {
      if (v.size() - run_start > max_run_scan) {
        deferred = true;
        return npos;
      }
      if (plain_names) {
        // No name has an escape: decoded equality is raw equality.
        const std::string_view raw = raw_text(name);
        for (std::size_t i = run_start; i < v.size(); ++i)
          if (raw_text(v[i].name) == raw) return i;
        return npos;
      }
      return find_decoded(v, run_start, name);
    }
    if (!any || tag > run_tag) {
      any = true;
      run_tag = tag;
      run_start = v.size();
      return npos;
    }
    deferred = true;
    return npos;
  }

  /// find() once a name with an escape was kept: names compared decoded.
  template <class U, class Name>
  GDOS_DETAIL_COLD [[nodiscard]] static constexpr std::size_t find_decoded(
      const std::vector<U>& v, std::size_t from, const Name& name) noexcept {
    for (std::size_t i = from; i < v.size(); ++i)
      if (str_eq(v[i].name, name)) return i;
    return static_cast<std::size_t>(-1);
  }

  /// The deferred check over the whole list. Strict: the body position (index in v) of the
  /// earliest second occurrence, or npos. Lenient: each repeated name keeps its first position
  /// and its last value, the later copies are removed; returns npos.
  template <class U>
  [[nodiscard]] constexpr std::size_t finish(std::vector<U>& v, bool strict) const {
    if (!deferred || v.size() < 2) return static_cast<std::size_t>(-1);
    return finish_sorted(v, strict);
  }

 private:
  template <class U>
  GDOS_DETAIL_COLD [[nodiscard]] static constexpr std::size_t finish_sorted(std::vector<U>& v,
                                                                            bool strict) {
    constexpr std::size_t npos = static_cast<std::size_t>(-1);
    scratch idx(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) idx[i] = i;
    heap_sort(idx, [&v](std::uint64_t a, std::uint64_t b) { return unknown_less(v, a, b); });
    std::size_t first_dup = npos;
    scratch drop;  // flags, allocated when a duplicate is dropped
    const auto pos = [&idx](std::size_t k) { return static_cast<std::size_t>(idx[k]); };
    for (std::size_t i = 0; i < idx.size();) {
      std::size_t j = i + 1;
      while (j < idx.size() && tag_of(v[pos(j)]) == tag_of(v[pos(i)]) &&
             str_eq(v[pos(j)].name, v[pos(i)].name))
        ++j;
      if (j - i > 1) {
        if (strict) {
          first_dup = std::min(first_dup, pos(i + 1));
        } else {
          if (drop.empty()) scratch(v.size()).swap(drop);
          v[pos(i)].value = v[pos(j - 1)].value;
          for (std::size_t k = i + 1; k < j; ++k) drop[pos(k)] = 1;
        }
      }
      i = j;
    }
    if (!drop.empty()) {
      std::size_t out = 0;
      for (std::size_t i = 0; i < v.size(); ++i)
        if (!drop[i]) v[out++] = v[i];
      while (v.size() > out) v.pop_back();
    }
    return first_dup;
  }
};

// ---- locating entries by index ----------------------------------------------------------------

/// Locates the entries of a vector by index: orders and their certificates (Entry =
/// basic_order<S>), or the matches of a suggestedOrgDetails list (Entry = basic_org_match<S>).
/// Keys usually arrive grouped and ascending, so the last entry used, or one past it, is nearly
/// always the one wanted; then the vectors are appended to and stay sorted. A key that goes back
/// to an index not seen yet would need an insertion in the middle (quadratic on adversarial
/// input), so from then on new entries are appended unsorted, found through a hash index, and
/// sorted once at the end.
template <class Entry>
class index_table {
  static constexpr bool has_children = requires(Entry& e) { e.certificates; };

 public:
  constexpr explicit index_table(std::vector<Entry>& entries) noexcept : entries_(&entries) {}

  /// Entry x's position, or npos when adding it would pass `limit` entries.
  [[nodiscard]] constexpr std::size_t entry(std::uint32_t x, std::size_t limit) {
    auto& v = *entries_;
    if (cur_ < v.size() && v[cur_].index == x) return cur_;
    if (!hashed_ && (v.empty() || v.back().index < x)) return cur_ = append_entry(x, limit);
    return cur_ = entry_slow(x, limit);
  }

  /// Certificate y of the order at position `op` (index x): its position, or npos when
  /// adding it would pass `limit` certificates in the order.
  [[nodiscard]] constexpr std::size_t child(std::size_t op, std::uint32_t x, std::uint32_t y,
                                            std::size_t limit)
    requires has_children
  {
    GDOS_ASSERT(op < entries_->size() && (*entries_)[op].index == x);
    auto& v = (*entries_)[op].certificates;
    if (!v.empty() && v.back().index == y) return v.size() - 1;
    if (!hashed_ && (v.empty() || v.back().index < y)) return append_child(v, y, limit);
    return child_slow(v, x, y, limit);
  }

  /// Restores ascending index order after unsorted appends.
  constexpr void finish() {
    if (hashed_) sort_all();
  }

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

 private:
  // entry() for a key that goes back to an earlier entry.
  GDOS_DETAIL_COLD [[nodiscard]] constexpr std::size_t entry_slow(std::uint32_t x,
                                                                  std::size_t limit) {
    auto& v = *entries_;
    if (!hashed_) {
      const auto it = std::lower_bound(v.begin(), v.end(), x,
                                       [](const auto& o, std::uint32_t i) { return o.index < i; });
      if (it != v.end() && it->index == x) return static_cast<std::size_t>(it - v.begin());
      build_hash();
    }
    if (const std::uint64_t* pos = lookup(key(x, 0))) return static_cast<std::size_t>(*pos);
    const std::size_t p = append_entry(x, limit);
    if (p != npos) insert(key(x, 0), p);
    return p;
  }

  // child() for a key that goes back to an earlier certificate of the order.
  template <class Children>
  GDOS_DETAIL_COLD [[nodiscard]] constexpr std::size_t child_slow(Children& v, std::uint32_t x,
                                                                  std::uint32_t y,
                                                                  std::size_t limit) {
    if (!hashed_) {
      const auto it = std::lower_bound(v.begin(), v.end(), y,
                                       [](const auto& c, std::uint32_t i) { return c.index < i; });
      if (it != v.end() && it->index == y) return static_cast<std::size_t>(it - v.begin());
      build_hash();
    }
    if (const std::uint64_t* pos = lookup(key(x, y))) return static_cast<std::size_t>(*pos);
    const std::size_t p = append_child(v, y, limit);
    if (p != npos) insert(key(x, y), p);
    return p;
  }

  GDOS_DETAIL_COLD constexpr void sort_all() {
    sort_by_index(*entries_);
    if constexpr (has_children)
      for (auto& o : *entries_) sort_by_index(o.certificates);
  }

  // Sorts entries by index: the (index, position) pairs as integers, then the elements moved
  // once into their places. (Not a sort of the elements with a comparator: that would be one
  // more sort instantiation per element type.)
  template <class T>
  static constexpr void sort_by_index(std::vector<T>& v) {
    bool sorted = true;
    for (std::size_t i = 1; i < v.size() && sorted; ++i) sorted = v[i - 1].index < v[i].index;
    if (sorted) return;
    scratch keys(v.size());
    for (std::size_t i = 0; i < v.size(); ++i)
      keys[i] = (static_cast<std::uint64_t>(v[i].index) << 32) | i;
    heap_sort(keys, less_u64{});
    std::vector<T> out;
    out.reserve(v.size());
    for (std::size_t i = 0; i < keys.size(); ++i)
      out.emplace_back() = std::move(v[static_cast<std::size_t>(keys[i] & 0xFFFFFFFFu)]);
    v.swap(out);
  }

  [[nodiscard]] static constexpr std::uint64_t key(std::uint32_t x, std::uint32_t y) noexcept {
    return (static_cast<std::uint64_t>(x) << 32) | y;  // never 0: x >= 1
  }
  [[nodiscard]] static constexpr std::uint64_t mix(std::uint64_t k) noexcept {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return k;
  }

  [[nodiscard]] constexpr std::size_t append_entry(std::uint32_t x, std::size_t limit) {
    auto& v = *entries_;
    if (v.size() >= limit) return npos;
    if (v.capacity() == 0) v.reserve(4);
    v.emplace_back().index = x;
    return v.size() - 1;
  }

  template <class Children>
  [[nodiscard]] constexpr std::size_t append_child(Children& v, std::uint32_t y,
                                                   std::size_t limit) {
    if (v.size() >= limit) return npos;
    // Orders of one reply tend to have alike certificate counts: size for the largest so far.
    if (v.capacity() == 0) v.reserve(std::max<std::size_t>(4, child_hint_));
    v.emplace_back().index = y;
    child_hint_ = std::max(child_hint_, v.size());
    return v.size() - 1;
  }

  GDOS_DETAIL_COLD constexpr void build_hash() {
    hashed_ = true;
    std::size_t n = entries_->size();
    if constexpr (has_children)
      for (const auto& o : *entries_) n += o.certificates.size();
    rehash(n * 2 + 16);
    for (std::size_t i = 0; i < entries_->size(); ++i) {
      const auto& o = (*entries_)[i];
      insert(key(o.index, 0), i);
      if constexpr (has_children)
        for (std::size_t j = 0; j < o.certificates.size(); ++j)
          insert(key(o.index, o.certificates[j].index), j);
    }
  }

  // The hash table: slot i is slots_[2i] (the key, 0 when free) and slots_[2i + 1] (the
  // position).
  [[nodiscard]] constexpr std::size_t capacity() const noexcept { return slots_.size() / 2; }

  GDOS_DETAIL_COLD constexpr void rehash(std::size_t want) {
    std::size_t cap = 16;
    while (cap < want) cap *= 2;
    scratch old(2 * cap);
    old.swap(slots_);
    count_ = 0;
    for (std::size_t i = 0; i < old.size(); i += 2)
      if (old[i] != 0) insert(old[i], static_cast<std::size_t>(old[i + 1]));
  }

  [[nodiscard]] constexpr const std::uint64_t* lookup(std::uint64_t k) const noexcept {
    const std::size_t mask = capacity() - 1;
    for (std::size_t i = static_cast<std::size_t>(mix(k)) & mask;; i = (i + 1) & mask) {
      if (slots_[2 * i] == k) return &slots_[2 * i + 1];
      if (slots_[2 * i] == 0) return nullptr;
    }
  }

  constexpr void insert(std::uint64_t k, std::size_t pos) {
    if ((count_ + 1) * 2 > capacity()) rehash(capacity() * 2);
    const std::size_t mask = capacity() - 1;
    std::size_t i = static_cast<std::size_t>(mix(k)) & mask;
    while (slots_[2 * i] != 0) i = (i + 1) & mask;
    slots_[2 * i] = k;
    slots_[2 * i + 1] = pos;
    ++count_;
  }

  std::vector<Entry>* entries_;
  std::size_t cur_ = npos;
  std::size_t child_hint_ = 0;
  bool hashed_ = false;
  scratch slots_;
  std::size_t count_ = 0;
};

}  // namespace gdos::detail
