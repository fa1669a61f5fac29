// gdos decode [FILE] [--json] [--lenient] [--max-body-size N]: a reply body (stdin by default)
// as a table or JSON. Reads at most --max-body-size + 1 bytes, whatever the input holds.
#include "command.hpp"
#include "exit_codes.hpp"
#include "numbers.hpp"
#include "output.hpp"

#include <gdos/gdos.hpp>

#include <fcntl.h>
#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

namespace gdos_cli {
namespace {

struct decode_options {
  std::string file;
  bool json = false;
  bool lenient = false;
  std::int64_t max_body_size = static_cast<std::int64_t>(gdos::parse_options{}.max_body_size);
};

// Reads fd until end of file or `limit` bytes, growing the buffer as data comes (a small body
// costs little, whatever the limit). False, with errno set, on a read error.
bool read_bounded(int fd, std::size_t limit, std::string& out) {
  constexpr std::size_t chunk = 64 * 1024;
  out.clear();
  while (out.size() < limit) {
    const std::size_t n = out.size();
    out.resize(std::min(limit, n + chunk));
    const ssize_t got = read(fd, out.data() + n, out.size() - n);
    if (got <= 0) out.resize(n);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return false;
    if (got == 0) break;
    out.resize(n + static_cast<std::size_t>(got));
  }
  return true;
}

int run_decode(const decode_options& o) {
  const auto max = static_cast<std::size_t>(o.max_body_size);
  const bool from_stdin = o.file.empty() || o.file == "-";
  int fd = STDIN_FILENO;
  if (from_stdin) {
    if (isatty(STDIN_FILENO) == 1)
      fmt::print(stderr,
                 "gdos decode: reading a reply body from the terminal; end it with Ctrl-D "
                 "(or give a FILE, or pipe one in)\n");
  } else {
    fd = open(o.file.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
      return report_usage(fmt::format("cannot open {}: {}", o.file, std::strerror(errno)), o.json,
                          "input");
  }
  // One byte more than allowed is enough to know the body is too large.
  std::string body;
  const bool ok = read_bounded(fd, max + 1, body);
  const int read_errno = errno;
  if (!from_stdin) close(fd);
  if (!ok)
    return report_usage(fmt::format("cannot read {}: {}", from_stdin ? "standard input" : o.file,
                                    std::strerror(read_errno)),
                        o.json, "input");

  gdos::parse_options po;
  po.max_body_size = max;
  if (o.lenient) po.mode = gdos::parse_mode::lenient;
  const auto r = gdos::parse_response(body, po);
  if (!r) {
    // The same shape as `query` reports a reply it refused.
    gdos::call_error e;
    e.code = gdos::call_errc::malformed_reply;
    e.parse = r.error();
    e.detail = r.error().message();
    if (r.error().code == gdos::response_errc::body_too_large)
      e.detail = fmt::format("the body is larger than --max-body-size ({} bytes)", max);
    return report(e, o.json);
  }
  if (!r->ok()) {
    gdos::call_error e;
    e.code = gdos::call_errc::api_error;
    e.api = r->error_code;
    if (r->error_message) e.detail = r->error_message->decode();
    if (r->error_item) e.item = r->error_item->decode();
    if (r->error_detail) e.extra = r->error_detail->decode();
    return report(e, o.json);
  }
  print_response(*r, o.json);
  return exit_ok;
}

}  // namespace

command decode_command(CLI::App& gdos) {
  auto o = std::make_shared<decode_options>();
  auto* cmd = gdos.add_subcommand("decode", "Print a reply body (a file, or stdin) as a table");
  cmd->add_option("file", o->file, "Reply body file (default, or -: standard input)");
  cmd->add_flag("--json", o->json, "JSON instead of a table (docs/gdos-cli.schema.json)");
  cmd->add_flag("--lenient", o->lenient, "Parse in lenient mode (see gdos::parse_mode)");
  add_integer(*cmd, "--max-body-size", o->max_body_size, 1, std::int64_t{1} << 30,
              "Largest body accepted, in bytes (at most this + 1 are read)");
  return {cmd, [o] { return run_decode(*o); }};
}

}  // namespace gdos_cli
