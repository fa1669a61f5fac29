#!/usr/bin/env bash
# Builds and runs one consumer project of gdos: a small project that pulls gdos in the way a user
# would (tests/consumers/<name>/) and runs tests/consumers/common/consumer.cpp against it.
#
#   tests/consumers/run.sh <name>     one consumer (see `list`)
#   tests/consumers/run.sh all        every consumer, in turn
#   tests/consumers/run.sh install    (re)install gdos into the shared prefix
#   tests/consumers/run.sh list       the consumer names
#
# Nothing is written into the source tree: each consumer is copied to, configured and built in
# $GDOS_CONSUMER_WORK/<name>/. Environment:
#   GDOS_SOURCE_DIR        the gdos checkout under test (default: this script's repository)
#   GDOS_CONSUMER_WORK     scratch directory (default: a temporary directory, removed at exit);
#                          the install prefix in it is shared by the consumers that need one and
#                          reinstalled when a header or build file is newer than it
#   GDOS_CONSUMER_INSTALLER  cmake (default) or meson: which build system installs the prefix
#   CXX                    the compiler for the consumers (default: c++)
#   CMAKE_GENERATOR        as for cmake (default: Ninja when ninja is installed)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "${GDOS_SOURCE_DIR:-$here/../..}" && pwd)
installer=${GDOS_CONSUMER_INSTALLER:-cmake}
consumers=(find_package add_subdirectory fetchcontent pkg_config pkg_config_relocated
  meson_installed meson_subproject single_header)

if [[ -z ${GDOS_CONSUMER_WORK:-} ]]; then
  GDOS_CONSUMER_WORK=$(mktemp -d "${TMPDIR:-/tmp}/gdos-consumers.XXXXXX")
  trap 'rm -rf "$GDOS_CONSUMER_WORK"' EXIT
fi
mkdir -p "$GDOS_CONSUMER_WORK"
work=$(cd "$GDOS_CONSUMER_WORK" && pwd)

if [[ -z ${CMAKE_GENERATOR:-} ]] && command -v ninja >/dev/null; then
  export CMAKE_GENERATOR=Ninja
fi
export CXX=${CXX:-c++}
# Keep a consumer from finding some other gdos: only what this script points at may be used.
unset PKG_CONFIG_PATH CMAKE_PREFIX_PATH
cmake_common=(-DCMAKE_BUILD_TYPE=Release -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
  "-DCMAKE_CXX_COMPILER=$CXX" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
  -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)

version=$(sed -n 's/^#define GDOS_VERSION_STRING "\(.*\)"$/\1/p' "$src/include/gdos/version.hpp")
[[ -n $version ]] || { echo "run.sh: no GDOS_VERSION_STRING in version.hpp" >&2; exit 1; }

die() {
  echo "consumer $name: $*" >&2
  exit 1
}

# Runs a command with its output in $log; shows the log when it fails.
quiet() {
  if ! "$@" >>"$log" 2>&1; then
    echo "---- $log" >&2
    tail -n 60 "$log" >&2
    die "failed: $*"
  fi
}

# ---- the shared install prefix ---------------------------------------------------------------

prefix_for() { echo "$work/prefix-$1"; }

install_prefix() {
  local how=$1 prefix build
  prefix=$(prefix_for "$how")
  build="$work/install-build-$how"
  rm -rf "$prefix" "$build"
  case $how in
    cmake)
      quiet cmake -S "$src" -B "$build" "${cmake_common[@]}" "-DCMAKE_INSTALL_PREFIX=$prefix" \
        -DGDOS_BUILD_TESTS=OFF -DGDOS_BUILD_FUZZERS=OFF -DGDOS_BUILD_BENCHMARKS=OFF \
        -DGDOS_BUILD_EXAMPLES=OFF -DGDOS_BUILD_TOOLS=OFF -DGDOS_INSTALL=ON
      quiet cmake --install "$build"
      ;;
    meson)
      quiet meson setup "$build" "$src" "--prefix=$prefix" -Dtests=disabled -Dfuzzers=disabled \
        -Dbenchmarks=disabled -Dexamples=disabled -Dtools=disabled
      quiet meson install -C "$build" --quiet
      ;;
    *) die "GDOS_CONSUMER_INSTALLER must be cmake or meson, not '$how'" ;;
  esac
  # Every public header is installed, and nothing else goes next to them.
  diff <(cd "$src/include/gdos" && ls) <(cd "$prefix/include/gdos" && ls) >>"$log" 2>&1 ||
    { cat "$log" >&2; die "$how installs a different set of headers than include/gdos/"; }
  # Header-only: no architecture-dependent directory (lib/, lib64/...) in the package.
  if compgen -G "$prefix/lib*" >/dev/null; then
    die "$how installed into $(echo "$prefix"/lib*): the package must be architecture-independent"
  fi
  [[ -f $prefix/share/pkgconfig/gdos.pc ]] || die "$how installed no share/pkgconfig/gdos.pc"
  if [[ $how == cmake ]]; then
    [[ -f $prefix/share/cmake/gdos/gdosConfig.cmake ]] || die "no share/cmake/gdos/gdosConfig.cmake"
  fi
  touch "$prefix/.gdos-installed"
}

# The prefix for `how`, installed now if it is missing or older than anything it is made from.
ensure_prefix() {
  local how=$1 prefix
  prefix=$(prefix_for "$how")
  exec 9>"$work/.lock-$how"
  flock 9
  if [[ ! -f $prefix/.gdos-installed ]] ||
    [[ -n $(find "$src/include" "$src/cmake" "$src/CMakeLists.txt" "$src/meson.build" \
      -newer "$prefix/.gdos-installed" -print -quit 2>/dev/null) ]]; then
    install_prefix "$how"
  fi
  exec 9>&-
}

# ---- a source archive of the checkout, as a release tarball would be -------------------------

# Writes gdos-<version>.tar.gz into the consumer's directory; sets archive and archive_sha256.
make_archive() {
  archive="$dir/gdos-$version.tar.gz"
  local list="$dir/archive-files"
  if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    # Tracked and new files, without what .gitignore excludes (build trees, fuzz artifacts).
    git -C "$src" ls-files --cached --others --exclude-standard |
      while IFS= read -r f; do [[ -f $src/$f ]] && printf '%s\n' "$f"; done >"$list"
  else
    (cd "$src" && find . -path ./.git -prune -o -path './build*' -prune -o -type f -print |
      sed 's,^\./,,') >"$list"
  fi
  tar -C "$src" --files-from="$list" --transform "s,^,gdos-$version/," -czf "$archive"
  archive_sha256=$(sha256sum "$archive" | cut -d' ' -f1)
}

# ---- staging, building, running ---------------------------------------------------------------

stage() {
  dir="$work/$name"
  rm -rf "$dir"
  mkdir -p "$dir/src"
  if [[ -d $here/$name ]]; then cp -R "$here/$name/." "$dir/src/"; fi
  cp "$here/common/consumer.cpp" "$dir/src/"
  log="$dir/log"
  : >"$log"
}

# The include directories of a compile_commands.json, each made canonical (a relocatable .pc
# file gives `<prefix>/share/pkgconfig/../../include`), one a line.
include_dirs() {
  python3 - "$1" <<'PY'
import json, os, shlex, sys
for entry in json.load(open(sys.argv[1])):
    args = entry.get("arguments") or shlex.split(entry["command"])
    for i, a in enumerate(args):
        for flag in ("-I", "-isystem"):
            if a == flag and i + 1 < len(args):
                d = args[i + 1]
            elif a.startswith(flag) and a != flag:
                d = a[len(flag):]
            else:
                continue
            print(os.path.realpath(os.path.join(entry["directory"], d)))
PY
}

# The compiler must have been pointed at `want` for gdos' headers (and never at `not`).
check_includes() {
  local db=$1 want=$2 not=${3:-} dirs
  [[ -f $db ]] || die "no $db"
  dirs=$(include_dirs "$db")
  grep -q -- "$want" <<<"$dirs" || die "the consumer was not compiled with gdos from $want"
  if [[ -n $not ]] && grep -q -- "$not" <<<"$dirs"; then die "the consumer saw $not"; fi
}

# pkg-config's include directory for gdos, made canonical.
pc_includedir() {
  local cflags
  cflags=$(pkg-config --cflags gdos)
  [[ $cflags == -I* && $cflags != *" -"* ]] || die "pkg-config --cflags gdos is '$cflags'"
  cflags=${cflags#-I}
  realpath -m "${cflags%% }"
}

run_consumer() {
  local exe=$1
  shift
  "$exe" "$version" "$@" || die "the consumer program failed"
}

consumer_find_package() {
  local prefix
  ensure_prefix cmake
  prefix=$(prefix_for cmake)
  quiet cmake -S "$dir/src" -B "$dir/build" "${cmake_common[@]}" "-DCMAKE_PREFIX_PATH=$prefix" \
    "-DGDOS_EXPECTED_PREFIX=$prefix"
  quiet cmake --build "$dir/build"
  check_includes "$dir/build/compile_commands.json" "$prefix/include" "$src/include"
  run_consumer "$dir/build/consumer"
}

consumer_add_subdirectory() {
  quiet cmake -S "$dir/src" -B "$dir/build" "${cmake_common[@]}" "-DGDOS_SOURCE_DIR=$src"
  quiet cmake --build "$dir/build"
  check_includes "$dir/build/compile_commands.json" "$src/include"
  run_consumer "$dir/build/consumer"
}

consumer_fetchcontent() {
  make_archive
  quiet cmake -S "$dir/src" -B "$dir/build" "${cmake_common[@]}" \
    "-DGDOS_ARCHIVE_URL=file://$archive" "-DGDOS_ARCHIVE_SHA256=$archive_sha256"
  quiet cmake --build "$dir/build"
  check_includes "$dir/build/compile_commands.json" "$dir/build/_deps/gdos-src/include" \
    "$src/include"
  run_consumer "$dir/build/consumer"
}

consumer_pkg_config() {
  local prefix cflags
  ensure_prefix "$installer"
  prefix=$(prefix_for "$installer")
  export PKG_CONFIG_PATH="$prefix/share/pkgconfig"
  [[ $(pkg-config --modversion gdos) == "$version" ]] ||
    die "pkg-config --modversion gdos is '$(pkg-config --modversion gdos)', not $version"
  cflags=$(pc_includedir)
  [[ $cflags == "$(realpath "$prefix/include")" ]] || die "pkg-config's include directory is $cflags"
  [[ -z $(pkg-config --libs gdos) ]] || die "a header-only package has no --libs"
  (cd "$dir/src" && quiet ./build.sh)
  run_consumer "$dir/src/consumer"
  unset PKG_CONFIG_PATH
}

# An install whose place is decided after configuring (`cmake --install --prefix`, or Meson's
# DESTDIR staging), then moved elsewhere, as packagers and users do: pkg-config must still name
# the headers where they are now.
consumer_pkg_config_relocated() {
  local build="$dir/install-build" moved="$dir/moved" includedir
  case $installer in
    cmake)
      quiet cmake -S "$src" -B "$build" "${cmake_common[@]}" -DGDOS_BUILD_TESTS=OFF \
        -DGDOS_BUILD_FUZZERS=OFF -DGDOS_BUILD_BENCHMARKS=OFF -DGDOS_BUILD_EXAMPLES=OFF \
        -DGDOS_BUILD_TOOLS=OFF -DGDOS_INSTALL=ON
      quiet cmake --install "$build" --prefix "$dir/installed"
      ;;
    meson)
      quiet meson setup "$build" "$src" --prefix=/opt/gdos-configured -Dtests=disabled \
        -Dfuzzers=disabled -Dbenchmarks=disabled -Dexamples=disabled -Dtools=disabled
      DESTDIR="$dir/stage" quiet meson install -C "$build" --quiet
      mv "$dir/stage/opt/gdos-configured" "$dir/installed"
      ;;
  esac
  mv "$dir/installed" "$moved"
  export PKG_CONFIG_PATH="$moved/share/pkgconfig"
  includedir=$(pc_includedir)
  [[ $includedir == "$(realpath "$moved/include")" ]] ||
    die "pkg-config names $includedir for an install moved to $moved"
  cp "$here/pkg_config/build.sh" "$dir/src/"
  (cd "$dir/src" && quiet ./build.sh)
  run_consumer "$dir/src/consumer"
  unset PKG_CONFIG_PATH
}

consumer_meson_installed() {
  local prefix methods=(pkg-config) m
  ensure_prefix "$installer"
  prefix=$(prefix_for "$installer")
  # Only the CMake install has gdosConfig.cmake for meson's cmake lookup.
  [[ $installer == cmake ]] && methods+=(cmake)
  for m in "${methods[@]}"; do
    PKG_CONFIG_PATH="$prefix/share/pkgconfig" CMAKE_PREFIX_PATH="$prefix" \
      quiet meson setup "$dir/build-$m" "$dir/src" "-Dgdos_method=$m"
    quiet meson compile -C "$dir/build-$m"
    check_includes "$dir/build-$m/compile_commands.json" "$prefix/include" "$src/include"
    run_consumer "$dir/build-$m/consumer"
  done
}

consumer_meson_subproject() {
  make_archive
  mkdir -p "$dir/src/subprojects"
  cat >"$dir/src/subprojects/gdos.wrap" <<EOF
[wrap-file]
directory = gdos-$version
source_url = file://$archive
source_filename = gdos-$version.tar.gz
source_hash = $archive_sha256

[provide]
dependency_names = gdos
EOF
  # --force-fallback-for: the subproject even if some gdos is installed on this machine.
  quiet meson setup "$dir/build" "$dir/src" --force-fallback-for=gdos
  quiet meson compile -C "$dir/build"
  check_includes "$dir/build/compile_commands.json" "subprojects/gdos-$version/include" \
    "$src/include"
  # A subproject builds none of gdos' own tests, fuzzers, benchmarks or tools.
  local targets
  targets=$(meson introspect --targets "$dir/build" |
    python3 -c 'import json,sys; print(" ".join(sorted(t["name"] for t in json.load(sys.stdin))))')
  [[ $targets == consumer ]] || die "the build has targets besides the consumer: $targets"
  run_consumer "$dir/build/consumer"
}

consumer_single_header() {
  [[ -f $src/single_include/gdos/gdos.hpp ]] || die "no single_include/gdos/gdos.hpp"
  mkdir -p "$dir/src/gdos"
  cp "$src/single_include/gdos/gdos.hpp" "$dir/src/gdos/"
  (cd "$dir/src" && quiet ./build.sh)
  run_consumer "$dir/src/consumer" single
}

run_one() {
  name=$1
  [[ " ${consumers[*]} " == *" $name "* ]] || { echo "run.sh: no consumer '$name'" >&2; exit 2; }
  stage
  "consumer_$name"
  echo "consumer $name: OK"
}

case ${1:-} in
  list) printf '%s\n' "${consumers[@]}" ;;
  install)
    name=install
    dir="$work"
    log="$work/install-$installer.log"
    : >"$log"
    exec 9>"$work/.lock-$installer"
    flock 9
    install_prefix "$installer"
    echo "gdos $version installed by $installer into $(prefix_for "$installer")"
    ;;
  all) for c in "${consumers[@]}"; do run_one "$c"; done ;;
  '') sed -n '2,19p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
  *) run_one "$1" ;;
esac
