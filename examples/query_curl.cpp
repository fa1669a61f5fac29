// Queries one order through libcurl and prints its orders and certificates (see query_main.hpp):
//
//   env GDOS_LOGIN_NAME=reseller GDOS_LOGIN_PASSWORD=...
//     example_query_curl [--allow-plain-http] [--timeout SECONDS] ORDER
//       [URL [CA_FILE]]
#include "curl_transport.hpp"
#include "query_main.hpp"

int main(int argc, char** argv) {
  return gdos_examples::query_main<gdos_examples::curl_transport, gdos_examples::curl_options>(
      argc, argv);
}
