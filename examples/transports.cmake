# The two example transports as static libraries, shared by examples/ (the example programs)
# and tools/ (the gdos CLI uses the libcurl one, the end-to-end tests both). Included from both
# directories: the packages are found in each including directory (imported targets are
# directory-scoped), the targets are defined once.
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(PkgConfig REQUIRED)

include_guard(GLOBAL)
# Debian's libcpp-httplib-dev is the split build: a declarations-only httplib.h plus
# libcpp-httplib.so compiled with OpenSSL, zlib and brotli. The .pc file's Cflags carry the
# matching -DCPPHTTPLIB_*_SUPPORT macros (class layouts depend on them), so they are taken from
# pkg-config rather than written here.
pkg_check_modules(GDOS_HTTPLIB REQUIRED IMPORTED_TARGET GLOBAL cpp-httplib)

set(GDOS_EXAMPLES_DIR ${CMAKE_CURRENT_LIST_DIR})

add_library(gdos_curl_transport STATIC ${GDOS_EXAMPLES_DIR}/curl_transport.cpp)
target_include_directories(gdos_curl_transport PUBLIC ${GDOS_EXAMPLES_DIR})
target_link_libraries(gdos_curl_transport PUBLIC gdos::gdos CURL::libcurl PRIVATE gdos_warnings)

add_library(gdos_httplib_transport STATIC ${GDOS_EXAMPLES_DIR}/httplib_transport.cpp)
target_include_directories(gdos_httplib_transport PUBLIC ${GDOS_EXAMPLES_DIR})
target_link_libraries(
  gdos_httplib_transport
  PUBLIC gdos::gdos
  PRIVATE PkgConfig::GDOS_HTTPLIB OpenSSL::SSL OpenSSL::Crypto gdos_warnings)
