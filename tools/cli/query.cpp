// gdos query --order N ...: the real call, over libcurl (examples/curl_transport).
#include "call.hpp"
#include "command.hpp"
#include "exit_codes.hpp"
#include "options.hpp"
#include "password.hpp"

#include <fmt/core.h>

#include <memory>
#include <string>

namespace gdos_cli {
namespace {

struct query_options {
  request_options request;
  call_settings call;
};

int run_query(const query_options& qo) {
  const request_options& o = qo.request;
  const std::string name = login_name_of(o);
  if (name.empty()) {
    fmt::print(stderr, "gdos: no login name: use --login-name or set GDOS_LOGIN_NAME\n");
    return exit_usage;
  }
  if (!o.order && !o.certificate_id) {
    fmt::print(stderr, "gdos: say which order: --order N or --certificate-id N\n");
    return exit_usage;
  }
  std::string error;
  const auto password = read_password(error);
  if (!password) {
    fmt::print(stderr, "gdos: {}\n", error);
    return exit_usage;
  }
  return query(make_request(o, name, *password), qo.call);
}

}  // namespace

command query_command(CLI::App& gdos) {
  auto o = std::make_shared<query_options>();
  auto* cmd = gdos.add_subcommand("query", "Call GetDetailedOrderStatus over HTTPS (libcurl)");
  add_request_options(*cmd, o->request);
  add_call_options(*cmd, o->call);
  return {cmd, [o] { return run_query(*o); }};
}

}  // namespace gdos_cli
