// Queries one order through cpp-httplib and prints its orders and certificates (see
// query_main.hpp):
//
//   env GDOS_LOGIN_NAME=reseller GDOS_LOGIN_PASSWORD=...
//     example_query_httplib [--allow-plain-http] [--timeout SECONDS] ORDER
//       [URL [CA_FILE]]
#include "httplib_transport.hpp"
#include "query_main.hpp"

int main(int argc, char** argv) {
  return gdos_examples::query_main<gdos_examples::httplib_transport,
                                   gdos_examples::httplib_options>(argc, argv);
}
