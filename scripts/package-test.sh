#!/usr/bin/env bash
# Proves every documented way to consume gdos, with a throw-away consumer project
# (tests/package/): CMake install + find_package, pkg-config, add_subdirectory, FetchContent,
# and Meson install + subproject. Also checks that both installs hold every header.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=${GDOS_PACKAGE_TEST_DIR:-$root/build/package-test}
rm -rf "$work"
mkdir -p "$work"
export CXX=${CXX:-g++}
off=(-DGDOS_BUILD_TESTS=OFF -DGDOS_BUILD_FUZZERS=OFF -DGDOS_BUILD_BENCHMARKS=OFF
     -DGDOS_BUILD_EXAMPLES=OFF -DGDOS_BUILD_TOOLS=OFF)

step() { printf -- '--- %s\n' "$*"; }

expect_headers() {  # expect_headers <installed include/gdos dir>
  diff <(cd include/gdos && ls -- *.hpp) <(cd "$1" && ls) ||
    { echo "the install in $1 differs from include/gdos/" >&2; return 1; }
}

consume_cmake() {  # consume_cmake <mode> <build dir> [cmake args...]
  local mode=$1 dir=$2
  shift 2
  cmake -S tests/package -B "$dir" -G Ninja -DGDOS_CONSUME="$mode" "$@" >"$dir.log" 2>&1 ||
    { cat "$dir.log"; return 1; }
  cmake --build "$dir" >>"$dir.log" 2>&1 || { cat "$dir.log"; return 1; }
  "$dir/consumer"
}

step "CMake install"
cmake -S . -B "$work/cmake-build" -G Ninja "${off[@]}" -DCMAKE_INSTALL_PREFIX="$work/cmake-prefix" \
  >"$work/cmake-build.log" 2>&1 || { cat "$work/cmake-build.log"; exit 1; }
cmake --install "$work/cmake-build" >>"$work/cmake-build.log"
expect_headers "$work/cmake-prefix/include/gdos"
for f in share/cmake/gdos/gdosConfig.cmake share/cmake/gdos/gdosConfigVersion.cmake \
  share/cmake/gdos/gdosTargets.cmake share/pkgconfig/gdos.pc; do
  test -f "$work/cmake-prefix/$f" || { echo "missing $f in the CMake install" >&2; exit 1; }
done

step "CMake find_package(gdos CONFIG)"
consume_cmake find_package "$work/find_package" -DCMAKE_PREFIX_PATH="$work/cmake-prefix"

step "pkg-config --cflags gdos"
cflags=$(PKG_CONFIG_PATH="$work/cmake-prefix/share/pkgconfig" pkg-config --cflags gdos)
# shellcheck disable=SC2086 # word splitting of the flags is intended
"$CXX" -std=c++20 $cflags tests/package/consumer.cpp -o "$work/pkgconfig-consumer"
"$work/pkgconfig-consumer"

step "CMake add_subdirectory"
consume_cmake add_subdirectory "$work/add_subdirectory" -DGDOS_SOURCE="$root"

step "CMake FetchContent (from a source archive)"
tar -C "$root" -czf "$work/gdos-src.tar.gz" --exclude='./build*' --exclude=./.git \
  --exclude=./.cache --transform 's,^\./,gdos/,' .
consume_cmake fetchcontent "$work/fetchcontent" -DGDOS_SOURCE="$work/gdos-src.tar.gz"

if command -v meson >/dev/null; then
  step "Meson install"
  meson setup "$work/meson-build" --prefix="$work/meson-prefix" -Dtests=disabled \
    -Dfuzzers=disabled -Dbenchmarks=disabled -Dexamples=disabled -Dtools=disabled \
    >"$work/meson-build.log" 2>&1 || { cat "$work/meson-build.log"; exit 1; }
  meson install -C "$work/meson-build" >>"$work/meson-build.log" 2>&1 ||
    { cat "$work/meson-build.log"; exit 1; }
  expect_headers "$work/meson-prefix/include/gdos"
  test -f "$work/meson-prefix/share/pkgconfig/gdos.pc" ||
    { echo "missing share/pkgconfig/gdos.pc in the Meson install" >&2; exit 1; }

  step "Meson subproject"
  mkdir -p "$work/meson-consumer/subprojects"
  cp tests/package/meson/meson.build tests/package/consumer.cpp "$work/meson-consumer/"
  ln -s "$root" "$work/meson-consumer/subprojects/gdos"
  meson setup "$work/meson-consumer/build" "$work/meson-consumer" --force-fallback-for=gdos \
    >"$work/meson-consumer.log" 2>&1 || { cat "$work/meson-consumer.log"; exit 1; }
  meson compile -C "$work/meson-consumer/build" >>"$work/meson-consumer.log" 2>&1 ||
    { cat "$work/meson-consumer.log"; exit 1; }
  "$work/meson-consumer/build/consumer"
fi
echo "package test: every way to consume gdos works"
