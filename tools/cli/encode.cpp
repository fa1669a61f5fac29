// gdos encode --order N ... [-o FILE]: the POST body of a request (password masked on stdout).
#include "command.hpp"
#include "exit_codes.hpp"
#include "options.hpp"
#include "password.hpp"

#include <gdos/gdos.hpp>

#include <fcntl.h>
#include <fmt/core.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <sstream>
#include <string>

namespace gdos_cli {
namespace {

struct encode_options {
  request_options request;
  std::string out_file;
};

int run_encode(const encode_options& eo) {
  const request_options& o = eo.request;
  const std::string& out_file = eo.out_file;
  const std::string name = login_name_of(o);
  std::string password;
  std::string error;
  if (!out_file.empty()) {
    auto p = read_password(error);
    if (!p) {
      fmt::print(stderr, "gdos: {}\n", error);
      return exit_usage;
    }
    password = std::move(*p);
  } else {
    // Only the masked body is printed, so no password is needed; a stand-in lets validate()
    // check everything else.
    password = env("GDOS_LOGIN_PASSWORD");
    if (password.empty()) password = "-";
  }
  const gdos::request req = make_request(o, name, password);
  const gdos::validation_result v = gdos::validate(req);
  if (!v) {
    std::ostringstream msg;
    msg << v;
    fmt::print(stderr, "gdos: invalid request: {}\n", msg.str());
    return exit_usage;
  }
  std::ostringstream masked;
  masked << req;
  std::fputs((masked.str() + "\n").c_str(), stdout);
  if (!out_file.empty()) {
    // The real body holds the password: written only to the file the user named, readable by
    // the user alone.
    const auto body = gdos::encode_request(req);
    const int fd = open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || write(fd, body->data(), body->size()) != static_cast<ssize_t>(body->size()) ||
        close(fd) != 0) {
      fmt::print(stderr, "gdos: cannot write {}\n", out_file);
      return exit_usage;
    }
    fmt::print(stderr, "gdos: wrote the body ({} bytes, loginPassword included) to {}\n",
               body->size(), out_file);
  }
  return exit_ok;
}

}  // namespace

command encode_command(CLI::App& gdos) {
  auto o = std::make_shared<encode_options>();
  auto* cmd = gdos.add_subcommand(
      "encode", "Print the POST body for a request (loginPassword masked; -o writes it whole)");
  add_request_options(*cmd, o->request);
  cmd->add_option("--response-format", o->request.response_format, "0, 1 or omit")
      ->check(CLI::IsMember({"0", "1", "omit"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", o->out_file,
                  "Write the real body, password included, to this file (mode 0600)");
  return {cmd, [o] { return run_encode(*o); }};
}

}  // namespace gdos_cli
