// Test tool: issues certificates from several threads until killed. The crash test
// SIGKILLs it at random moments and then checks the database.
#include <atomic>
#include <iostream>
#include <thread>
#include <vector>

#include "instance/instance.h"
#include "crypto/csr.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: issue_loop DATA NIK\n";
    return 1;
  }
  lontar::OpenOptions options;
  options.load_ca_key = true;
  auto instance = lontar::Instance::open(argv[1], options);
  std::cout << "ready" << std::endl;
  std::atomic<long> issued{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      auto issuance = instance->issuance();
      for (;;) {
        const auto key = lontar::crypto::PrivateKey::generate("ec-p256");
        issuance.issue_for_operator({argv[2], "individual-1y", lontar::crypto::make_csr_pem(key.get(), "x", {}), "loop"});
        ++issued;
      }
    });
  for (auto& th : threads) th.join();
}
