// Compiled and linked alone with GDOS_SEPARATE_COMPILATION=1 (tests/CMakeLists.txt,
// tests/meson.build: separate_compilation_needs_src): the link must fail for want of the parser
// that gdos/src.hpp defines, which shows that a unit in that mode calls the compiled parser
// instead of compiling its own. The same file builds when linked with
// separate_compilation_src.cpp (separate_compilation_links_with_src).
#include <gdos/parse_response.hpp>

#include <cstddef>
#include <string_view>

int main(int argc, char**) {
  const std::string_view body = "errorCode=0&1_orderNumber=1";
  const auto r = gdos::parse_response(body.substr(static_cast<std::size_t>(argc - 1)));
  return r && r->orders.size() == 1 ? 0 : 1;
}
