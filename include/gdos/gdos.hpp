/// @file gdos.hpp
/// @brief The umbrella header: everything gdos offers, in one include.
///
/// `single_include/gdos/gdos.hpp` is the same content generated as one file by
/// tools/amalgamate.py; `#include <gdos/gdos.hpp>` works with either include directory.
#pragma once

#include <gdos/common.hpp>
#include <gdos/config.hpp>
#include <gdos/form.hpp>
#include <gdos/progress.hpp>
#include <gdos/reply.hpp>
#include <gdos/request.hpp>
#include <gdos/response.hpp>
#include <gdos/retry.hpp>
#include <gdos/transport.hpp>
#include <gdos/version.hpp>
