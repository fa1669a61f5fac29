#!/usr/bin/env bash
# Consumer that uses no build system at all: one compiler call with the flags pkg-config gives.
# tests/consumers/run.sh runs it in a staged copy, with PKG_CONFIG_PATH=<prefix>/share/pkgconfig.
set -euo pipefail
cflags=$(pkg-config --cflags gdos)
# shellcheck disable=SC2086 # pkg-config output is a list of flags
"${CXX:-c++}" -std=c++20 $cflags consumer.cpp -o consumer
