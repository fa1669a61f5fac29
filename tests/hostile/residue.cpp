// After one call through an example transport, is the password anywhere in this process's
// writable memory? Reads the password on stdin (never argv or the environment, which are
// writable memory too), calls URL once, destroys the transport, wipes its own copy, then scans
// every writable mapping (heap, stacks, anonymous maps, data segments) for the password, plain
// and form-encoded. Prints each copy found and exits 1 if there is any (3 if the call did not
// reach the server, 2 on a usage or /proc error). Run without MALLOC_PERTURB_ (which clears
// freed memory itself and would hide what the transports leave behind).
//
//   hostile_residue curl|httplib URL CA_FILE < password
#include <gdos/gdos.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "curl_transport.hpp"
#include "httplib_transport.hpp"

namespace {

// The scanner looks for the needles XOR-masked, so its own copies never match.
constexpr unsigned char mask = 0x5A;

int scan(const std::vector<std::string>& masked) {
  std::ifstream maps("/proc/self/maps");
  const int mem = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
  if (!maps || mem < 0) {
    std::fprintf(stderr, "hostile_residue: cannot read /proc/self/maps or /proc/self/mem\n");
    return -1;
  }
  std::size_t longest = 0;
  for (const std::string& needle : masked) longest = std::max(longest, needle.size());
  int found = 0;
  std::string line;
  // Read in blocks, each starting with the previous block's last longest - 1 bytes, so a copy
  // across a block boundary is seen once.
  constexpr std::size_t block = std::size_t{1} << 20;
  std::vector<unsigned char> bytes(block + longest);
  while (std::getline(maps, line)) {
    unsigned long begin = 0;
    unsigned long end = 0;
    char perms[5] = {};
    char name[512] = {};
    if (std::sscanf(line.c_str(), "%lx-%lx %4s %*s %*s %*s %511[^\n]", &begin, &end, perms, name) <
            3 ||
        perms[1] != 'w')
      continue;
    const auto own = reinterpret_cast<std::uintptr_t>(bytes.data());
    if (own >= begin && own < end) continue;  // this scanner's buffer: what it just read
    if (end - begin > (std::size_t{1} << 30)) {
      std::printf("  skipped %s (%lu MiB: a reservation, not a heap)\n", name, (end - begin) >> 20);
      continue;
    }
    std::size_t kept = 0;  // bytes carried over from the previous block
    for (unsigned long at = begin; at < end;) {
      const std::size_t want = std::min<std::size_t>(block, end - at);
      if (pread(mem, bytes.data() + kept, want, static_cast<off_t>(at)) !=
          static_cast<ssize_t>(want))
        break;  // [vvar] and the like cannot be read
      const std::size_t have = kept + want;
      for (std::size_t w = 0; w < masked.size(); ++w) {
        const std::string& needle = masked[w];
        for (std::size_t i = 0; i + needle.size() <= have; ++i) {
          std::size_t j = 0;
          while (j < needle.size() && static_cast<unsigned char>(bytes[i + j] ^ mask) ==
                                          static_cast<unsigned char>(needle[j]))
            ++j;
          // A match wholly inside the carried-over bytes was counted with the previous block.
          if (j == needle.size() && i + needle.size() > kept) {
            ++found;
            std::printf("  %s copy in %s at +0x%lx\n", w == 0 ? "plain" : "encoded",
                        name[0] != '\0' ? name : "[anonymous]",
                        static_cast<unsigned long>(at - begin) + i - kept);
          }
        }
      }
      kept = std::min(longest - 1, have);
      std::copy(bytes.begin() + static_cast<std::ptrdiff_t>(have - kept),
                bytes.begin() + static_cast<std::ptrdiff_t>(have), bytes.begin());
      at += want;
    }
    std::fill(bytes.begin(), bytes.end(), 0);  // it held this mapping's bytes, maybe a copy
  }
  close(mem);
  return found;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4 ||
      (std::string_view(argv[1]) != "curl" && std::string_view(argv[1]) != "httplib")) {
    std::fprintf(stderr, "usage: %s curl|httplib URL CA_FILE < password\n", argv[0]);
    return 2;
  }
  const std::string_view which = argv[1];
  static char password[256];
  ssize_t n = read(0, password, sizeof password - 1);
  while (n > 0 && (password[n - 1] == '\n' || password[n - 1] == '\r')) --n;
  if (n <= 0) return 2;
  const auto size = static_cast<std::size_t>(n);

  // Masked as they are built: a temporary std::string holding the password (in its small
  // buffer on the stack, in a debug build) would be found by the scan.
  std::vector<std::string> masked(2);
  for (std::size_t i = 0; i < size; ++i)
    masked[0].push_back(static_cast<char>(static_cast<unsigned char>(password[i]) ^ mask));
  {
    std::string encoded = gdos::form::encode(std::string_view(password, size));
    for (char c : encoded)
      masked[1].push_back(static_cast<char>(static_cast<unsigned char>(c) ^ mask));
    explicit_bzero(encoded.data(), encoded.size());
  }

  int status = 0;
  {
    const gdos::request req{.login_name = "residue",
                            .login_password = std::string_view(password, size),
                            .order_number = 1};
    const gdos::call_options call{.url = argv[2]};
    std::string outcome;
    if (which == "curl") {
      gdos_examples::curl_transport t({.ca_file = argv[3]});
      const auto r = gdos::get_detailed_order_status(t, req, call);
      outcome = r ? "reply" : r.error().message();
    } else {
      gdos_examples::httplib_transport t({.ca_file = argv[3]});
      const auto r = gdos::get_detailed_order_status(t, req, call);
      outcome = r ? "reply" : r.error().message();
    }
    std::printf("call: %s\n", outcome.c_str());
    // The request must have reached the server (a reply or an API error) to prove anything.
    if (outcome != "reply" && !outcome.starts_with("errorCode")) status = 3;
  }
  explicit_bzero(password, sizeof password);

  const int found = scan(masked);
  std::printf("%.*s: %d copies of the password left in writable memory\n",
              static_cast<int>(which.size()), which.data(), found);
  if (found != 0) return 1;
  return found < 0 ? 2 : status;
}
