// Must not compile (with GDOS_MISUSE defined): a transport that returns the body as a plain
// std::string instead of a gdos::http_response. tests/compile_check.py compiles this file twice:
// as is, to prove it is otherwise valid, and with -DGDOS_MISUSE, expecting the static_assert of
// get_detailed_order_status() with its message.
#include <gdos/transport.hpp>

#include <string>

namespace {

struct returns_string {
  std::string operator()(const gdos::http_request&) const { return "errorCode=0"; }
};

struct returns_response {
  gdos::http_response operator()(const gdos::http_request&) const { return {}; }
};

}  // namespace

int main() {
#ifdef GDOS_MISUSE
  const auto r = gdos::get_detailed_order_status(returns_string{}, gdos::request{});
#else
  const auto r = gdos::get_detailed_order_status(returns_response{}, gdos::request{});
#endif
  return r ? 0 : 1;
}
