/// @file version.hpp
/// @brief gdos version macros. They match the CMake and Meson project versions (a test checks).
#pragma once

/// Major version: changes when the API breaks.
#define GDOS_VERSION_MAJOR 0
/// Minor version: changes when the API grows.
#define GDOS_VERSION_MINOR 1
/// Patch version: changes for fixes only.
#define GDOS_VERSION_PATCH 0
/// The version as a string literal, "MAJOR.MINOR.PATCH".
#define GDOS_VERSION_STRING "0.1.0"
/// The version as one comparable integer: MAJOR * 10000 + MINOR * 100 + PATCH.
#define GDOS_VERSION (GDOS_VERSION_MAJOR * 10000 + GDOS_VERSION_MINOR * 100 + GDOS_VERSION_PATCH)
