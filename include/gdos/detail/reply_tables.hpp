/// @file detail/reply_tables.hpp
/// @brief The parsers' containers: the duplicate finder for unknown fields (also the round-trip
/// check's), and the table that locates orders, certificates and matches by index.
#pragma once

#include <gdos/config.hpp>
#include <gdos/detail/scratch.hpp>
#include <gdos/form.hpp>
#include <gdos/response_model.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace gdos::detail {

// ---- unknown fields: duplicates ----------------------------------------------------------------

/// Little-endian 64-bit word of the 8 bytes at p (a form the compilers turn into one load).
[[nodiscard]] constexpr std::uint64_t load_le64(const char* p) noexcept {
  std::uint64_t w = 0;
  for (int i = 0; i < 8; ++i)
    w |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return w;
}

/// The 64 bits of a 64 x 64 -> 128-bit product folded (high half xor low half).
[[nodiscard]] constexpr std::uint64_t mul_fold(std::uint64_t a, std::uint64_t b) noexcept {
#if defined(__SIZEOF_INT128__)
  // A typedef: __extension__, which keeps -Wpedantic quiet about __int128, does not apply to an
  // alias-declaration.
  // NOLINTNEXTLINE(modernize-use-using)
  __extension__ typedef unsigned __int128 u128;
  const u128 p = static_cast<u128>(a) * b;
  return static_cast<std::uint64_t>(p) ^ static_cast<std::uint64_t>(p >> 64);
#else
  const std::uint64_t a0 = a & 0xFFFFFFFFu, a1 = a >> 32, b0 = b & 0xFFFFFFFFu, b1 = b >> 32;
  const std::uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const std::uint64_t mid = (p00 >> 32) + (p01 & 0xFFFFFFFFu) + (p10 & 0xFFFFFFFFu);
  const std::uint64_t lo = (mid << 32) | (p00 & 0xFFFFFFFFu);
  const std::uint64_t hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
  return lo ^ hi;
#endif
}

/// A 64-bit hash of the decoded bytes of a name, read once from its raw text: names that
/// decode alike hash alike whatever their spelling (`A`, `%41`, `%61`...). Bytes go in eight at
/// a time, each word multiplied with the state (128-bit product, folded), so that no word can
/// cancel what came before by a plain xor. Nothing relies on its quality for correctness, nor
/// for the bound: callers compare names exactly wherever hashes are equal, and sort, so names
/// built to collide cost a comparison sort, never more.
class name_hasher {
 public:
  constexpr explicit name_hasher(std::uint64_t seed) noexcept : h_(seed) {}

  constexpr void bytes(const char* p, const char* end) noexcept {
    if (k_ == 0) {
      for (; end - p >= 8; p += 8) mix(load_le64(p));
    } else {
      // The unfinished word takes the first 8 - k_ bytes of each loaded word, the rest start
      // the next one: the words are those byte() would form.
      for (; end - p >= 8; p += 8) {
        const std::uint64_t x = load_le64(p);
        mix(w_ | x << (8 * k_));
        w_ = x >> (64 - 8 * k_);
      }
    }
    for (; p != end; ++p) byte(*p);
  }
  constexpr void byte(char c) noexcept {
    w_ |= static_cast<std::uint64_t>(static_cast<unsigned char>(c)) << (8 * k_);
    if (++k_ == 8) {
      mix(w_);
      w_ = 0;
      k_ = 0;
    }
  }
  [[nodiscard]] constexpr std::uint64_t finish() noexcept {
    mix(w_);
    mix(words_);
    std::uint64_t h = h_ ^ k_;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
  }

 private:
  constexpr void mix(std::uint64_t w) noexcept {
    ++words_;
    h_ ^= mul_fold(h_ ^ 0xa0761d6478bd642fULL, w ^ 0xe7037ed1a0b428dbULL);
  }
  std::uint64_t h_;
  std::uint64_t w_ = 0;  // the bytes of an unfinished word, first byte lowest
  std::uint64_t words_ = 0;
  unsigned k_ = 0;  // how many bytes w_ holds
};

/// The hash of `name`'s decoded text at level `tag`.
GDOS_DETAIL_COLD [[nodiscard]] constexpr std::uint64_t name_hash(std::uint64_t tag,
                                                                 std::string_view name) noexcept {
  name_hasher h(tag * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL);
  h.bytes(name.data(), name.data() + name.size());
  return h.finish();
}
GDOS_DETAIL_COLD [[nodiscard]] constexpr std::uint64_t name_hash(
    std::uint64_t tag, const form::encoded_view& name) noexcept {
  name_hasher h(tag * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL);
  const char* p = name.encoded().data();
  const char* const end = p + name.size();
  const char* s = form::detail::find_special(p, end);
  h.bytes(p, s);
  decoded_pieces rest(s, end);
  for (std::string_view d = rest.next(); !d.empty(); d = rest.next())
    h.bytes(d.data(), d.data() + d.size());
  return h.finish();
}

[[nodiscard]] constexpr std::string_view raw_text(std::string_view s) noexcept { return s; }
[[nodiscard]] constexpr std::string_view raw_text(const form::encoded_view& s) noexcept {
  return s.encoded();
}

/// name_hash() as a function object: the default hash of find_repeats().
struct level_name_hash {
  template <class S>
  [[nodiscard]] constexpr std::uint64_t operator()(std::uint64_t tag,
                                                   const S& name) const noexcept {
    return name_hash(tag, name);
  }
};

/// find_repeats() for m fields (positions ascending at `pos`) whose hashes agree while their
/// names do not all: the names copied, decoded, into one buffer, the fields merge-sorted by
/// level and decoded name comparing the copies as memory, and each run of equal ones marked (in
/// position order: the sort is stable). O(m log m) comparisons, no decoding inside the sort,
/// whatever the spellings: this is what an input built to make hashes collide costs.
template <class U>
GDOS_DETAIL_COLD constexpr void repeats_among(const std::vector<U>& v, const std::uint64_t* pos,
                                              std::size_t m, scratch& first) {
  // loc: [0, m) the fields (numbered 0 to m-1 in position order) being sorted; [m, 2m) the
  // sort's room; [2m, 3m) each one's level; [3m, 4m) where its name ends in `text`.
  scratch loc(4 * m);
  std::size_t raw_size = 0;
  for (std::size_t k = 0; k < m; ++k) raw_size += v[static_cast<std::size_t>(pos[k])].name.size();
  basic_scratch<char> text(raw_size);  // decoding never lengthens
  std::size_t end = 0;
  for (std::size_t k = 0; k < m; ++k) {
    const U& u = v[static_cast<std::size_t>(pos[k])];
    loc[k] = k;
    loc[2 * m + k] = tag_of(u);
    const std::string_view raw = raw_text(u.name);
    if constexpr (std::is_same_v<decltype(U::name), std::string_view>) {
      for (const char c : raw) text[end++] = c;
    } else {
      end = static_cast<std::size_t>(form::decode_unchecked(raw, text.data() + end) - text.data());
    }
    loc[3 * m + k] = end;
  }
  const auto name = [&loc, &text, m](std::uint64_t k) {
    const auto i = static_cast<std::size_t>(k);
    const auto from = static_cast<std::size_t>(i == 0 ? 0 : loc[3 * m + i - 1]);
    return std::string_view(text.data() + from, static_cast<std::size_t>(loc[3 * m + i]) - from);
  };
  const auto tag = [&loc, m](std::uint64_t k) { return loc[2 * m + static_cast<std::size_t>(k)]; };
  merge_sort(&loc[0], &loc[m], m, [&](std::uint64_t a, std::uint64_t b) {
    return tag(a) != tag(b) ? tag(a) < tag(b) : name(a) < name(b);
  });
  for (std::size_t a = 0, b = 1; b < m; ++b) {
    if (tag(loc[b]) == tag(loc[a]) && name(loc[b]) == name(loc[a]))
      first[static_cast<std::size_t>(pos[loc[b]])] = pos[loc[a]];
    else
      a = b;
  }
}

/// Sets `first` to n integers, n = v.size(): for each unknown field of `v`, the position of the
/// earliest field with its level and decoded name (its own when it is that one). O(n) to hash
/// the names and sort the hashes (a radix sort of 64-bit keys: each the hash of a field's level
/// and decoded name, with its position in the low bits), then equal hashes are confirmed by
/// comparing the names; a set of equal hashes whose names differ (a collision, which an input
/// can be built to cause) goes to repeats_among(), O(m log m). `hash` is a parameter for the
/// tests, which make every hash collide to time and check that path.
template <class U, class Hash = level_name_hash>
GDOS_DETAIL_COLD constexpr void find_repeats(const std::vector<U>& v, scratch& first,
                                             const Hash& hash = {}) {
  const std::size_t n = v.size();
  scratch(n).swap(first);
  for (std::size_t i = 0; i < n; ++i) first[i] = i;
  if (n < 2) return;
  unsigned bits = 1;
  while (bits < 64 && (n - 1) >> bits != 0) ++bits;
  const std::uint64_t low = (std::uint64_t{1} << bits) - 1;
  // The keys, then room for the radix sort: n integers and 256 counters.
  scratch keys(2 * n + 256);
  for (std::size_t i = 0; i < n; ++i) keys[i] = (hash(tag_of(v[i]), v[i].name) & ~low) | i;
  // Positions ascend already: sorting the hash bits stably sorts the whole keys.
  radix_sort(&keys[0], nullptr, n, bits, &keys[n], &keys[2 * n]);
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && (keys[j] & ~low) == (keys[i] & ~low)) ++j;
    if (j - i > 1) {
      for (std::size_t k = i; k < j; ++k) keys[k] &= low;
      const U& head = v[static_cast<std::size_t>(keys[i])];
      bool same = true;
      for (std::size_t k = i + 1; k < j && same; ++k) {
        const U& u = v[static_cast<std::size_t>(keys[k])];
        same = tag_of(u) == tag_of(head) && str_eq(u.name, head.name);
      }
      if (same) {
        for (std::size_t k = i + 1; k < j; ++k) first[static_cast<std::size_t>(keys[k])] = keys[i];
      } else {
        repeats_among(v, &keys[i], j - i, first);
      }
    }
    i = j;
  }
}

/// Finds duplicate unknown fields as they are added. Keys nearly always arrive grouped by
/// level in ascending order, so a new field can only repeat one of the current level's run,
/// which is short; anything else (a level met again, a long run) switches to one pass over the
/// whole list at the end (finish(), find_repeats()), so adversarial input costs O(n log n),
/// never O(n^2).
struct unknown_dedup {
  static constexpr std::size_t max_run_scan = 16;

  std::uint64_t run_tag = 0;
  std::size_t run_start = 0;
  bool any = false;
  bool deferred = false;
  // Once names are compared decoded: the hashes of the run's first `hashed` fields, so that
  // a new name is compared only with those that hash alike (a decoded comparison can read as
  // much as both names hold, and each new name meets up to max_run_scan of them).
  std::size_t hashed = 0;
  std::uint64_t hashes[max_run_scan + 1] = {};

  /// Position of an earlier field with the same level and name, npos when there is none or
  /// the check is deferred to finish(). The caller appends the field when it gets npos.
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
      return find_decoded(v, name);
    }
    if (!any || tag > run_tag) {
      any = true;
      run_tag = tag;
      run_start = v.size();
      hashed = 0;
      return npos;
    }
    deferred = true;
    return npos;
  }

  /// find() once a name with an escape was kept: names compared decoded where hashes agree.
  template <class U, class Name>
  GDOS_DETAIL_COLD [[nodiscard]] constexpr std::size_t find_decoded(const std::vector<U>& v,
                                                                    const Name& name) noexcept {
    for (; run_start + hashed < v.size(); ++hashed)
      hashes[hashed] = name_hash(run_tag, v[run_start + hashed].name);
    const std::uint64_t h = name_hash(run_tag, name);
    for (std::size_t i = 0; i < hashed; ++i)
      if (hashes[i] == h && str_eq(v[run_start + i].name, name)) return run_start + i;
    hashes[hashed++] = h;  // the caller appends `name` at run_start + hashed - 1
    return static_cast<std::size_t>(-1);
  }

  /// The deferred check over the whole list. Strict: the body position (index in v) of the
  /// earliest second occurrence, or npos. Lenient: each repeated name keeps its first position
  /// and its last value, the later copies are removed; returns npos.
  template <class U>
  [[nodiscard]] constexpr std::size_t finish(std::vector<U>& v, bool strict) const {
    if (!deferred || v.size() < 2) return static_cast<std::size_t>(-1);
    return strict ? first_repeat(v) : merge_repeats(v);
  }

  /// The earliest position that repeats the level and decoded name of an earlier unknown
  /// field, or npos.
  template <class U>
  GDOS_DETAIL_COLD [[nodiscard]] static constexpr std::size_t first_repeat(
      const std::vector<U>& v) {
    scratch first;
    find_repeats(v, first);
    for (std::size_t i = 0; i < v.size(); ++i)
      if (first[i] != i) return i;
    return static_cast<std::size_t>(-1);
  }

 private:
  template <class U>
  GDOS_DETAIL_COLD [[nodiscard]] static constexpr std::size_t merge_repeats(std::vector<U>& v) {
    scratch first;
    find_repeats(v, first);
    // The last value goes to the first position, in body order; then the copies go.
    std::size_t out = 0;
    for (std::size_t i = 0; i < v.size(); ++i)
      if (first[i] != i) v[static_cast<std::size_t>(first[i])].value = v[i].value;
    for (std::size_t i = 0; i < v.size(); ++i)
      if (first[i] == i) v[out++] = v[i];
    while (v.size() > out) v.pop_back();
    return static_cast<std::size_t>(-1);
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

  // Forced inline (into the parser's store(), once per certificate): as a call it cost the
  // parse 1-6 % (response_parse / floor_memchr).
  template <class Children>
  [[nodiscard]] GDOS_DETAIL_ALWAYS_INLINE constexpr std::size_t append_child(Children& v,
                                                                             std::uint32_t y,
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
