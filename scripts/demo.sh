#!/usr/bin/env bash
# Quick start on a fresh Debian 12 machine: `bash scripts/demo.sh` (as root, or as a user
# who may sudo: only the package installation needs root).
# Installs what the demo builds (install-deps.sh's demo set: compiler, CMake, Ninja, pkg-config
# and the tools' six libraries; nothing when they are there already), builds the gdos tools and
# the two example programs (build/examples/example_query_curl and example_query_httplib, which
# README.md names; they need no library beyond the tools') into build/ and runs
# `build/tools/gdos demo`.
# Under sudo, only the package installation runs as root; the build belongs to the calling user,
# so a later `bash scripts/check.sh` (without sudo) can write to build/.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh demo

as_user=()
if [ "$(id -u)" -eq 0 ] && [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
  as_user=(sudo -u "$SUDO_USER" --)
fi

"${as_user[@]}" cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DGDOS_BUILD_TOOLS=ON -DGDOS_BUILD_TESTS=OFF -DGDOS_BUILD_FUZZERS=OFF \
  -DGDOS_BUILD_BENCHMARKS=OFF -DGDOS_BUILD_EXAMPLES=ON
"${as_user[@]}" cmake --build build -j 2

"${as_user[@]}" build/tools/gdos demo
