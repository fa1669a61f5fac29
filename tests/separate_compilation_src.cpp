// The one file of the test_separate_compilation program that compiles gdos' parsers
// (GDOS_SEPARATE_COMPILATION=1: see test_separate_compilation.cpp).
#include <gdos/src.hpp>
