// Second translation unit of test_simd: here the kernels are reached only through
// form::decode_append, which ignores decode_unchecked's result. g++ 12 then compiled the
// AVX-512 kernel as a clone without its result (IPA-SRA) and, in that clone, folded the hex
// value table to zeros: every escape decoded to 0 (detail/simd.hpp, load_table). test_simd.cpp
// checks what this unit decodes.
#include <gdos/form.hpp>

#include <string>
#include <string_view>

namespace gdos_test {

std::string decode_by_append(std::string_view text) {
  std::string out = "<";
  gdos::form::decode_append(out, text);
  return out;
}

}  // namespace gdos_test
