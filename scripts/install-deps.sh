#!/usr/bin/env bash
# Installs every Debian 12 package gdos' build, tests, fuzzers, benchmarks, examples and tools
# use. Run as root or as a user with sudo.
set -euo pipefail

packages=(
  g++ cmake ninja-build meson pkg-config python3
  clang-19 libclang-rt-19-dev clang-format-19 clang-tidy-19 doxygen
  doctest-dev libbenchmark-dev
  libcurl4-openssl-dev libcpp-httplib-dev libssl-dev openssl
  libboost-url1.81-dev libglib2.0-dev libpoco-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev
  ca-certificates git
)

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  sudo=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update
"${sudo[@]}" apt-get install -y --no-install-recommends "${packages[@]}"
