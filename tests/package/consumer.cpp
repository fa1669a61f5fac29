// A program that uses gdos the way a consumer project does; scripts/package-test.sh builds it
// against an installed gdos (CMake find_package, pkg-config), with add_subdirectory, with
// FetchContent and as a Meson subproject.
#include <gdos/gdos.hpp>

#include <cstdio>
#include <string>

int main() {
  const std::string body = gdos::form::encode("Request was not made over https!");
  if (body != "Request+was+not+made+over+https%21") return 1;
  if (gdos::form::decode(body) != "Request was not made over https!") return 1;
  std::printf("gdos %s: %s\n", GDOS_VERSION_STRING, body.c_str());
  return 0;
}
