// The guard-page helper itself: other tests trust it to turn any overread into a crash.
#include "guard_page.hpp"

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace {

// Runs `touch` in a forked child and reports the signal that killed it (0 if it exited normally).
// The child restores the default SIGSEGV/SIGBUS action first: sanitizer runtimes install handlers
// that would otherwise turn the fault into an ordinary exit with a report.
template <class F>
int death_signal_of(F touch) {
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    std::signal(SIGSEGV, SIG_DFL);
    std::signal(SIGBUS, SIG_DFL);
    touch();
    ::_exit(0);
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

char read_byte(const char* p) { return *static_cast<const volatile char*>(p); }

void write_byte(const char* p) {
  *const_cast<volatile char*>(static_cast<const volatile char*>(p)) = 'x';
}

}  // namespace

TEST_CASE("a guarded input keeps its bytes") {
  const std::string text = "errorCode=0&1_orderNumber=1234567&1_1_FQDN=www.example.com\n";
  const gdos_test::guarded_input in(text);
  CHECK(in.view() == text);
  CHECK(in.view().data() != text.data());
}

TEST_CASE("a guarded input keeps bytes that fill whole pages exactly") {
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::string text(2 * page, '\0');
  for (std::size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>('a' + i % 26);
  const gdos_test::guarded_input in(text);
  CHECK(in.view() == text);
  CHECK(death_signal_of([&] { (void)read_byte(in.view().data() + in.view().size()); }) == SIGSEGV);
}

TEST_CASE("reading one byte past the end of a guarded input faults") {
  const gdos_test::guarded_input in("a=b&c=d");
  const std::string_view v = in.view();
  CHECK(death_signal_of([&] { (void)read_byte(v.data() + v.size() - 1); }) == 0);
  CHECK(death_signal_of([&] { (void)read_byte(v.data() + v.size()); }) == SIGSEGV);
}

TEST_CASE("an empty guarded input is empty and its data pointer is unreadable") {
  const gdos_test::guarded_input in("");
  CHECK(in.view().empty());
  CHECK(in.view().data() != nullptr);
  CHECK(death_signal_of([&] { (void)read_byte(in.view().data()); }) == SIGSEGV);
}

TEST_CASE("a guarded input is read-only") {
  const gdos_test::guarded_input in("abc");
  CHECK(death_signal_of([&] { write_byte(in.view().data()); }) == SIGSEGV);
}

TEST_CASE("moving a guarded input transfers the pages") {
  gdos_test::guarded_input a("1_1_serialNumber=0A1B");
  const char* data = a.view().data();
  gdos_test::guarded_input b(std::move(a));
  CHECK(b.view() == "1_1_serialNumber=0A1B");
  CHECK(b.view().data() == data);
  CHECK(a.view().empty());  // NOLINT(bugprone-use-after-move): moved-from state is specified

  gdos_test::guarded_input c("x");
  c = std::move(b);
  CHECK(c.view() == "1_1_serialNumber=0A1B");
  CHECK(death_signal_of([&] { (void)read_byte(c.view().data() + c.view().size()); }) == SIGSEGV);
}

TEST_CASE("a guarded buffer is writable up to its end, and the byte after it faults") {
  const gdos_test::guarded_buffer buf(5, "abc");
  CHECK(buf.size() == 5);
  CHECK(buf.view() == std::string_view("abc\0\0", 5));
  buf.data()[4] = 'z';
  CHECK(buf.view()[4] == 'z');
  CHECK(death_signal_of([&] { write_byte(buf.data() + buf.size()); }) == SIGSEGV);
  CHECK(death_signal_of([&] { (void)read_byte(buf.data() + buf.size()); }) == SIGSEGV);
  const gdos_test::guarded_buffer empty(0);
  CHECK(death_signal_of([&] { write_byte(empty.data()); }) == SIGSEGV);
}
