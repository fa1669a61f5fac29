#!/usr/bin/env bash
# Installs the Debian 12 packages gdos needs, by set. Run as root or as a user with sudo (only
# when something is missing: with everything installed it needs neither, nor the network).
#
#   bash scripts/install-deps.sh [all|demo]     install the set (default: all)
#   bash scripts/install-deps.sh --print SET    list the set's packages, one a line
#
#   demo  what scripts/demo.sh builds: the gdos tool, the mock, the example programs (compiler,
#         CMake, Ninja, pkg-config, libcurl, cpp-httplib, OpenSSL, CLI11, nlohmann-json, fmt)
#   all   what CI runs: every build, test, fuzzer, benchmark, example and tool (.ci/run)
set -euo pipefail

demo=(
  g++ cmake ninja-build pkg-config
  libcurl4-openssl-dev libcpp-httplib-dev libssl-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev
)
all=(
  "${demo[@]}"
  meson python3 python3-jsonschema
  clang-19 libclang-rt-19-dev clang-format-19 clang-tidy-19 doxygen
  doctest-dev libbenchmark-dev openssl
  libboost-url1.81-dev libglib2.0-dev libpoco-dev
  ca-certificates git
)

usage() {
  sed -n '2,10p' "$0" >&2
  exit 2
}

print=false
if [ "${1:-}" = --print ]; then
  print=true
  shift
fi
[ $# -le 1 ] || usage
case ${1:-all} in
  all) packages=("${all[@]}") ;;
  demo) packages=("${demo[@]}") ;;
  *) usage ;;
esac

if $print; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

# Only what is missing: a machine that has the set already needs no root and no apt-get update.
missing=()
for p in "${packages[@]}"; do
  if [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" != installed ]; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: the ${1:-all} set (${#packages[@]} packages) is installed"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  sudo=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update
"${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
