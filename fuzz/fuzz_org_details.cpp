// Invariants of the suggestedOrgDetails parser (gdos/response.hpp) for every input, checked with
// an abort. The input is a list as found in the value once decoded, parsed in strict and in
// lenient mode:
//   - a refused list gives an offset and a key inside it, and the in-place parse refuses it
//     with the same code;
//   - an accepted list gives matches in strictly ascending index order, unknown fields whose
//     match exists; write_org_details() of it parses again to an equal list and writing that
//     gives the same bytes; the in-place parse is equal;
//   - the list encoded once more (as it travels inside a reply) and given to the buffer
//     overload parses to the same list, and a buffer one byte short is refused.
#include <gdos/response.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"

namespace {

bool within(std::string_view outer, std::string_view inner) {
  return inner.empty() || (inner.data() >= outer.data() &&
                           inner.data() + inner.size() <= outer.data() + outer.size());
}

void check_mode(std::string_view list, gdos::parse_mode mode) {
  gdos::parse_options opt;
  opt.mode = mode;
  const auto d = gdos::parse_org_details(list, opt);
  std::string copy(list);
  const auto p = gdos::parse_org_details_in_place(std::span<char>(copy.data(), copy.size()), opt);
  FUZZ_CHECK(d.has_value() == p.has_value());
  if (!d) {
    FUZZ_CHECK(d.error().offset <= list.size());
    FUZZ_CHECK(within(list, d.error().key));
    FUZZ_CHECK(p.error().code == d.error().code);
    return;
  }
  for (std::size_t i = 0; i < d->matches.size(); ++i) {
    FUZZ_CHECK(d->matches[i].index >= 1);
    FUZZ_CHECK(i == 0 || d->matches[i - 1].index < d->matches[i].index);
  }
  for (const auto& u : d->unknown_fields) {
    FUZZ_CHECK(within(list, u.name.encoded()) && within(list, u.value.encoded()));
    bool found = u.match == 0;
    for (const auto& m : d->matches) found |= m.index == u.match;
    FUZZ_CHECK(found);
  }
  FUZZ_CHECK(*p == *d);

  const std::string w = gdos::write_org_details(*d);
  const auto again = gdos::parse_org_details(w, opt);
  FUZZ_CHECK(again.has_value() && *again == *d);
  FUZZ_CHECK(gdos::write_org_details(*again) == w);
  std::vector<char> buf(w.size());
  const auto fits = gdos::write_org_details(*d, std::span<char>(buf));
  FUZZ_CHECK(fits.ok && std::string_view(buf.data(), buf.size()) == w);

  // As inside a reply: encoded once more, decoded by the buffer overload.
  const std::string outer = gdos::form::encode(list);
  std::vector<char> inner(list.size());
  const auto via_buffer =
      gdos::parse_org_details(gdos::form::encoded_view(outer), std::span<char>(inner), opt);
  FUZZ_CHECK(via_buffer.has_value() && *via_buffer == *d);
  if (!list.empty()) {
    std::vector<char> short_buf(list.size() - 1);
    const auto refused =
        gdos::parse_org_details(gdos::form::encoded_view(outer), std::span<char>(short_buf), opt);
    FUZZ_CHECK(!refused && refused.error().code == gdos::response_errc::buffer_too_small);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view list(reinterpret_cast<const char*>(data), size);
  check_mode(list, gdos::parse_mode::strict);
  check_mode(list, gdos::parse_mode::lenient);
  return 0;
}
