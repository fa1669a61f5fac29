// Runs code that must end its process (a trap, an abort) in a child, for the tests of gdos'
// run-time misuse checks. POSIX only: the tests that include it are built on __unix__ only, or
// guard their use with it.
#pragma once

#include <doctest/doctest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstddef>
#include <string>

namespace gdos_test {

/// How a child ended, and what it wrote to stderr.
struct death {
  bool signalled = false;
  int signal = 0;
  std::string stderr_text;
};

/// Runs `fn` in a child process whose stderr goes to a pipe; reports how it ended and what it
/// wrote. The child gets no core file (a trap or an abort would otherwise dump one).
template <class Fn>
death run_in_child(Fn fn) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const rlimit no_core{0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    dup2(fds[1], 2);
    close(fds[0]);
    close(fds[1]);
    fn();
    _exit(0);  // not reached when fn ends the process
  }
  close(fds[1]);
  death d;
  char buf[512];
  ssize_t n = 0;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    d.stderr_text.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  d.signalled = WIFSIGNALED(status);
  d.signal = d.signalled ? WTERMSIG(status) : 0;
  return d;
}

}  // namespace gdos_test
