// gdos query --order N ...: the real call, over libcurl (examples/curl_transport).
#include "call.hpp"
#include "command.hpp"
#include "exit_codes.hpp"
#include "options.hpp"
#include "output.hpp"
#include "password.hpp"

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
  const bool json = qo.call.json;
  const std::string name = login_name_of(o);
  if (name.empty()) return report_usage(no_login_name, json);
  if (!o.order && !o.certificate_id)
    return report_usage("say which order: --order N or --certificate-id N", json);
  if (auto e = insecure_endpoint(qo.call)) return report(*e, json);
  std::string error;
  const auto password = read_password(qo.call.password, error);
  if (!password) return report_usage(error, json);
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
