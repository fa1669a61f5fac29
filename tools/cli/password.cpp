#include "password.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace gdos_cli {
namespace {

constexpr const char* password_variable = "GDOS_LOGIN_PASSWORD";

// The terminal's settings while the prompt has echo off, restored by the signal handler too so
// that Ctrl-C at the prompt does not leave the terminal silent.
int prompt_fd = -1;
termios prompt_saved{};

extern "C" void restore_terminal_and_die(int sig) {
  if (prompt_fd >= 0) tcsetattr(prompt_fd, TCSAFLUSH, &prompt_saved);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void wipe(std::string& s) noexcept {
  volatile char* p = s.data();
  for (std::size_t i = 0; i < s.size(); ++i) p[i] = '\0';
  s.clear();
}

// Reads at most max_password_input + 1 bytes from fd and keeps the first line. `what` names the
// source in messages.
std::optional<std::string> read_line(int fd, const std::string& what, std::string& error) {
  std::string buf(max_password_input + 1, '\0');
  std::size_t n = 0;
  while (n < buf.size()) {
    const ssize_t got = read(fd, buf.data() + n, buf.size() - n);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      error = fmt::format("cannot read the password from {}: {}", what, std::strerror(errno));
      wipe(buf);
      return std::nullopt;
    }
    if (got == 0) break;
    n += static_cast<std::size_t>(got);
  }
  if (n > max_password_input) {
    error = fmt::format("{} holds more than {} bytes: not a password", what, max_password_input);
    wipe(buf);
    return std::nullopt;
  }
  std::string_view text(buf.data(), n);
  if (const std::size_t nl = text.find('\n'); nl != text.npos) {
    if (nl + 1 != text.size()) {
      error = fmt::format("{} holds more than one line; put the password alone on the first", what);
      wipe(buf);
      return std::nullopt;
    }
    text.remove_suffix(1);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  }
  if (text.empty()) {
    error = fmt::format("{} is empty: no password given", what);
    wipe(buf);
    return std::nullopt;
  }
  std::string password(text);
  wipe(buf);
  return password;
}

std::optional<std::string> read_password_file(const std::string& path, std::string& error) {
  const std::string what = "password file '" + path + "'";
  const int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    error = errno == ELOOP ? fmt::format("{} is a symbolic link: give the file itself", what)
                           : fmt::format("cannot open {}: {}", what, std::strerror(errno));
    return std::nullopt;
  }
  struct closer {
    int fd;
    ~closer() { close(fd); }
  } close_fd{fd};
  struct stat st{};
  if (fstat(fd, &st) != 0) {
    error = fmt::format("cannot examine {}: {}", what, std::strerror(errno));
    return std::nullopt;
  }
  if (!S_ISREG(st.st_mode)) {
    error = fmt::format("{} is not a regular file (for a pipe, use --password-stdin)", what);
    return std::nullopt;
  }
  if (st.st_uid != geteuid()) {
    error = fmt::format("{} belongs to another user (uid {}): refused", what, st.st_uid);
    return std::nullopt;
  }
  if ((st.st_mode & 077) != 0) {
    error = fmt::format(
        "permissions {:04o} for {} are too open: it must be readable by you alone (chmod 600)",
        st.st_mode & 07777, what);
    return std::nullopt;
  }
  return read_line(fd, what, error);
}

std::optional<std::string> prompt_on_terminal(std::string& error) {
  const int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    error =
        "no password: use --password-file, --password-stdin or GDOS_LOGIN_PASSWORD, or run gdos "
        "on a terminal to be asked for it";
    return std::nullopt;
  }
  termios quiet{};
  if (tcgetattr(fd, &prompt_saved) != 0) {
    close(fd);
    error = "no password: cannot set up the terminal; use --password-file or --password-stdin";
    return std::nullopt;
  }
  quiet = prompt_saved;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHONL);
  prompt_fd = fd;
  auto old_int = std::signal(SIGINT, restore_terminal_and_die);
  auto old_term = std::signal(SIGTERM, restore_terminal_and_die);
  constexpr std::string_view prompt = "loginPassword: ";
  (void)!write(fd, prompt.data(), prompt.size());
  tcsetattr(fd, TCSAFLUSH, &quiet);
  std::string password;
  char c = 0;
  // Bounded as the other sources are; the rest of an over-long line is left unread.
  while (password.size() <= max_password_input && read(fd, &c, 1) == 1 && c != '\n' && c != '\r')
    password.push_back(c);
  c = 0;
  tcsetattr(fd, TCSAFLUSH, &prompt_saved);
  std::signal(SIGINT, old_int);
  std::signal(SIGTERM, old_term);
  prompt_fd = -1;
  (void)!write(fd, "\n", 1);
  close(fd);
  if (password.size() > max_password_input) {
    wipe(password);
    error = fmt::format("the password typed is longer than {} bytes", max_password_input);
    return std::nullopt;
  }
  if (password.empty()) {
    error = "no password given";
    return std::nullopt;
  }
  return password;
}

}  // namespace

void add_password_options(CLI::App& cmd, password_options& o) {
  auto* file = cmd.add_option("--password-file", o.file,
                              "Read loginPassword from the first line of this file (it must be "
                              "readable by you alone, as ssh requires of keys)");
  auto* in = cmd.add_flag("--password-stdin", o.from_stdin,
                          "Read loginPassword from the first line of standard input");
  file->excludes(in);
  in->excludes(file);
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::string(v) : std::string();
}

void protect_secrets_in_memory() noexcept {
  // Both: RLIMIT_CORE alone leaves core_pattern pipes (systemd-coredump, apport) writing cores,
  // and a non-dumpable process also keeps other processes of the same user from reading its
  // memory through ptrace or /proc/PID/mem.
  (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  const rlimit none{0, 0};
  (void)setrlimit(RLIMIT_CORE, &none);
}

void drop_password_variable() noexcept {
  // getenv() points into the environment block itself (for variables gdos was started with,
  // into the memory /proc/PID/environ shows), just after "NAME=": overwrite the whole entry there
  // once it is out of the environment.
  char* v = std::getenv(password_variable);
  unsetenv(password_variable);
  if (v == nullptr) return;
  char* entry = v - std::strlen(password_variable) - 1;
  const std::size_t n = std::strlen(entry);
  volatile char* p = entry;
  for (std::size_t i = 0; i < n; ++i) p[i] = '\0';
}

std::optional<std::string> read_password(const password_options& o, std::string& error) {
  protect_secrets_in_memory();
  std::string from_env = env(password_variable);
  drop_password_variable();
  if (!o.file.empty()) {
    wipe(from_env);
    return read_password_file(o.file, error);
  }
  if (o.from_stdin) {
    wipe(from_env);
    return read_line(STDIN_FILENO, "standard input", error);
  }
  if (!from_env.empty()) return from_env;
  return prompt_on_terminal(error);
}

}  // namespace gdos_cli
