#!/usr/bin/env bash
# Consumer that copies the generated single header into its own folder and compiles with nothing
# else: no gdos include directory, no build system. tests/consumers/run.sh stages the copy as
# ./gdos/gdos.hpp beside consumer.cpp.
set -euo pipefail
"${CXX:-c++}" -std=c++20 -I. consumer.cpp -o consumer
