// Runs a command and reports its peak RSS and wall time, for tests/hostile/run_hostile.py.
//
//   hostile_spawn REPORT_FILE LIMIT_SECONDS COMMAND [ARGS...]
//
// The command is forked from this small process, not from the Python driver: Linux counts in a
// child's ru_maxrss the memory it had before exec(), i.e. a copy of whoever forked it (about
// 22 MiB for the driver). COMMAND is killed after LIMIT_SECONDS. Writes "MAXRSS_KB SECONDS" to
// REPORT_FILE and exits with the command's status (128 + signal if a signal ended it).
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s REPORT_FILE LIMIT_SECONDS COMMAND [ARGS...]\n", argv[0]);
    return 2;
  }
  const double limit = std::atof(argv[2]);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) return 2;
  if (pid == 0) {
    execvp(argv[3], argv + 3);
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  bool killed = false;
  while (wait4(pid, &status, WNOHANG, &usage) != pid) {
    const std::chrono::duration<double> waited = std::chrono::steady_clock::now() - start;
    if (!killed && waited.count() > limit) {
      kill(pid, SIGKILL);
      killed = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  if (FILE* report = std::fopen(argv[1], "w")) {
    std::fprintf(report, "%ld %.3f\n", usage.ru_maxrss, took.count());
    std::fclose(report);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
