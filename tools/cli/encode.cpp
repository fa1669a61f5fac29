// gdos encode --order N ... [-o FILE]: the POST body of a request. On stdout the password is
// masked; the real body goes only to -o FILE (a new file, mode 0600) or, with -o -, to stdout.
#include "command.hpp"
#include "exit_codes.hpp"
#include "options.hpp"
#include "output.hpp"
#include "password.hpp"

#include <gdos/gdos.hpp>

#include <fcntl.h>
#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

namespace gdos_cli {
namespace {

struct encode_options {
  request_options request;
  password_options password;
  std::string out_file;
};

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Writes `data` to `path` as a new file readable by the user alone: a temporary file created
// beside it (O_EXCL, mode 0600 whatever the umask), then renamed over it. An existing file keeps
// neither its mode nor its inode; a symlink at `path` is refused (and rename() would replace the
// link itself, never write through it). Returns an error sentence, or empty.
std::string write_private_file(const std::string& path, std::string_view data) {
  struct stat st{};
  if (lstat(path.c_str(), &st) == 0) {
    if (S_ISLNK(st.st_mode)) return "it is a symbolic link: give the file itself";
    if (!S_ISREG(st.st_mode)) return "it exists and is not a regular file";
  }
  std::string temp = path + ".XXXXXX";
  const int fd = mkostemp(temp.data(), O_CLOEXEC);  // 0600, O_EXCL
  if (fd < 0) return std::strerror(errno);
  const bool ok = fchmod(fd, 0600) == 0 && write_all(fd, data) && fsync(fd) == 0;
  const int write_errno = errno;
  const bool closed = close(fd) == 0;
  if (!ok || !closed) {
    const int e = ok ? errno : write_errno;
    unlink(temp.c_str());
    return std::strerror(e);
  }
  if (rename(temp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    unlink(temp.c_str());
    return std::strerror(e);
  }
  return {};
}

int run_encode(const encode_options& eo) {
  const request_options& o = eo.request;
  const std::string name = login_name_of(o);
  if (name.empty()) return report_usage(no_login_name, false);
  if (!o.order && !o.certificate_id)
    return report_usage("say which order: --order N or --certificate-id N", false);
  const bool to_stdout = eo.out_file == "-";
  std::string password;
  if (!eo.out_file.empty()) {
    std::string error;
    auto p = read_password(eo.password, error);
    if (!p) return report_usage(error, false);
    password = std::move(*p);
  } else {
    // Only the masked body is printed, so no password is needed; a stand-in lets validate()
    // check everything else. The variable is not needed either: out of the environment with it.
    drop_password_variable();
    password = "-";
  }
  const gdos::request req = make_request(o, name, password);
  if (const gdos::validation_result v = gdos::validate(req); !v) {
    gdos::call_error e;
    e.code = gdos::call_errc::invalid_request;
    e.validation = v;
    return report(e, false);
  }
  if (!to_stdout) {
    std::ostringstream masked;
    masked << req;
    std::fputs((masked.str() + "\n").c_str(), stdout);
    std::fflush(stdout);
  }
  if (eo.out_file.empty()) return exit_ok;
  // The real body holds the password: written only where the user said.
  auto body = gdos::encode_request(req);
  struct wiper {
    std::string& s;
    ~wiper() {
      volatile char* p = s.data();
      for (std::size_t i = 0; i < s.size(); ++i) p[i] = '\0';
    }
  } wipe_body{*body}, wipe_password{password};
  if (to_stdout) {
    if (!write_all(STDOUT_FILENO, *body))
      return report_usage(fmt::format("cannot write the body to stdout: {}", std::strerror(errno)),
                          false, "output");
    return exit_ok;
  }
  if (const std::string error = write_private_file(eo.out_file, *body); !error.empty())
    return report_usage(fmt::format("cannot write {}: {}", eo.out_file, error), false, "output");
  fmt::print(stderr, "gdos: wrote the body ({} bytes, loginPassword included) to {} (mode 0600)\n",
             body->size(), eo.out_file);
  return exit_ok;
}

}  // namespace

command encode_command(CLI::App& gdos) {
  auto o = std::make_shared<encode_options>();
  auto* cmd = gdos.add_subcommand(
      "encode", "Print the POST body for a request (loginPassword masked; -o writes it whole)");
  add_request_options(*cmd, o->request);
  cmd->add_option("--response-format", o->request.response_format,
                  "1 (url-encoded, what gdos reads), 2 (JSON) or omit (the server's default, 1)")
      ->check(CLI::IsMember({"1", "2", "omit"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", o->out_file,
                  "Write the real body, password included, to this file (a new file, mode 0600; "
                  "a symlink is refused) or, with -, to stdout instead of the masked one");
  add_password_options(*cmd, o->password);
  return {cmd, [o] { return run_encode(*o); }};
}

}  // namespace gdos_cli
