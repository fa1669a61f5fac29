#include "password.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <string_view>

namespace gdos_cli {
namespace {

// The terminal's settings while the prompt has echo off, restored by the signal handler too so
// that Ctrl-C at the prompt does not leave the terminal silent.
int prompt_fd = -1;
termios prompt_saved{};

extern "C" void restore_terminal_and_die(int sig) {
  if (prompt_fd >= 0) tcsetattr(prompt_fd, TCSAFLUSH, &prompt_saved);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::string(v) : std::string();
}

std::optional<std::string> read_password(std::string& error) {
  if (std::string p = env("GDOS_LOGIN_PASSWORD"); !p.empty()) return p;
  const int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    error = "no password: set GDOS_LOGIN_PASSWORD or run gdos on a terminal to be asked for it";
    return std::nullopt;
  }
  termios quiet{};
  if (tcgetattr(fd, &prompt_saved) != 0) {
    close(fd);
    error = "no password: cannot set up the terminal; set GDOS_LOGIN_PASSWORD";
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
  while (read(fd, &c, 1) == 1 && c != '\n' && c != '\r') password.push_back(c);
  tcsetattr(fd, TCSAFLUSH, &prompt_saved);
  std::signal(SIGINT, old_int);
  std::signal(SIGTERM, old_term);
  prompt_fd = -1;
  (void)!write(fd, "\n", 1);
  close(fd);
  if (password.empty()) {
    error = "no password given";
    return std::nullopt;
  }
  return password;
}

}  // namespace gdos_cli
