// gdos decode [FILE] [--json] [--lenient]: a reply body (stdin by default) as a table or JSON.
#include "command.hpp"
#include "exit_codes.hpp"
#include "output.hpp"

#include <gdos/gdos.hpp>

#include <fmt/core.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>

namespace gdos_cli {
namespace {

struct decode_options {
  std::string file;
  bool json = false;
  bool lenient = false;
};

int run_decode(const decode_options& o) {
  std::string body;
  if (o.file.empty() || o.file == "-") {
    body.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(o.file, std::ios::binary);
    if (!in) {
      fmt::print(stderr, "gdos: cannot open {}\n", o.file);
      return exit_usage;
    }
    body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  gdos::parse_options po;
  if (o.lenient) po.mode = gdos::parse_mode::lenient;
  const auto r = gdos::parse_response(body, po);
  if (!r) {
    fmt::print(stderr, "gdos: malformed reply: {}\n", r.error().message());
    return exit_no_reply;
  }
  if (!r->ok()) {
    // The reply is well-formed, so scripts still get it whole; the error itself goes to stderr.
    if (o.json) print_response(*r, true);
    fmt::print(stderr, "gdos: errorCode {}: {}\n", gdos::to_int(r->error_code),
               text(r->error_message));
    return exit_api_error;
  }
  print_response(*r, o.json);
  return exit_ok;
}

}  // namespace

command decode_command(CLI::App& gdos) {
  auto o = std::make_shared<decode_options>();
  auto* cmd = gdos.add_subcommand("decode", "Print a reply body (a file, or stdin) as a table");
  cmd->add_option("file", o->file, "Reply body file (default: stdin)");
  cmd->add_flag("--json", o->json, "JSON instead of a table");
  cmd->add_flag("--lenient", o->lenient, "Parse in lenient mode (see gdos::parse_mode)");
  return {cmd, [o] { return run_decode(*o); }};
}

}  // namespace gdos_cli
