// Issuance throughput of the in-process path (CSR in, certificate recorded durably in
// SQLite with synchronous=FULL, ECDSA P-256 issuing key), printed beside the raw
// single-core signing and verifying speed of the same key measured in the same run, and
// the floor they imply (one CSR verification plus one signature per certificate).
#include <openssl/evp.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "instance/instance.h"
#include "crypto/csr.h"
#include "crypto/ossl_ptr.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Signatures per second on one thread: SHA-256 + ECDSA over a certificate-sized message.
double raw_signing_rate(EVP_PKEY* key, double budget_seconds) {
  using lontar::crypto::OsslPtr;
  const std::string message(600, 'x');
  unsigned char signature[256];
  long count = 0;
  const auto start = Clock::now();
  while (seconds_since(start) < budget_seconds) {
    for (int i = 0; i < 100; ++i) {
      OsslPtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
      size_t length = sizeof signature;
      if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
          EVP_DigestSign(ctx.get(), signature, &length, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size()) != 1) {
        std::cerr << "signing failed\n";
        std::exit(2);
      }
    }
    count += 100;
  }
  return static_cast<double>(count) / seconds_since(start);
}

// Verifications per second on one thread of a signature by the same key: what checking
// a CSR's self-signature costs (for an equal key).
double raw_verify_rate(EVP_PKEY* key, double budget_seconds) {
  using lontar::crypto::OsslPtr;
  const std::string message(600, 'x');
  unsigned char signature[256];
  size_t length = sizeof signature;
  {
    OsslPtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
    if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
        EVP_DigestSign(ctx.get(), signature, &length, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1)
      std::exit(2);
  }
  long count = 0;
  const auto start = Clock::now();
  while (seconds_since(start) < budget_seconds) {
    for (int i = 0; i < 100; ++i) {
      OsslPtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
      if (EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
          EVP_DigestVerify(ctx.get(), signature, length, reinterpret_cast<const unsigned char*>(message.data()),
                           message.size()) != 1) {
        std::cerr << "verification failed\n";
        std::exit(2);
      }
    }
    count += 100;
  }
  return static_cast<double>(count) / seconds_since(start);
}

}  // namespace

int main(int argc, char** argv) {
  int count = 20000;
  // Many concurrent issuers, as behind an HTTP server: they fill the commit groups.
  unsigned threads = 64;
  double sign_seconds = 2.0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--count")) count = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--threads")) threads = static_cast<unsigned>(std::atoi(argv[i + 1]));
    if (!std::strcmp(argv[i], "--sign-seconds")) sign_seconds = std::atof(argv[i + 1]);
  }

  char pattern[] = "/tmp/lontar-bench-XXXXXX";
  const std::string dir = ::mkdtemp(pattern);
  lontar::InitOptions init;
  init.data = dir;
  lontar::initialise(init);
  lontar::OpenOptions open;
  open.load_ca_key = true;
  auto instance = lontar::Instance::open(dir, open);

  constexpr int kAccounts = 64;
  std::vector<std::string> niks;
  for (int a = 0; a < kAccounts; ++a) {
    lontar::Account account;
    account.nik = std::to_string(5108010100000000LL + a);
    account.name = "Bench " + std::to_string(a);
    account.email = "bench" + std::to_string(a) + "@undiksha.ac.id";
    account.organisation = "Universitas Pendidikan Ganesha";
    account.unit = "UPT TIK";
    instance->store().write([&](lontar::StoreTransaction& tx) { tx.accounts().insert(account); });
    niks.push_back(account.nik);
  }

  std::cout << "preparing " << count << " CSRs..." << std::endl;
  std::vector<std::string> csrs(static_cast<size_t>(count));
  {
    std::vector<std::thread> makers;
    for (unsigned t = 0; t < 2; ++t)
      makers.emplace_back([&, t] {
        for (int i = static_cast<int>(t); i < count; i += 2)
          csrs[static_cast<size_t>(i)] =
              lontar::crypto::make_csr_pem(lontar::crypto::PrivateKey::generate("ec-p256").get(), "bench", {});
      });
    for (auto& m : makers) m.join();
  }

  const double raw = raw_signing_rate(instance->issuing_signer().key(), sign_seconds);
  const double verify = raw_verify_rate(instance->issuing_signer().key(), sign_seconds);
  // One issuance is at least one CSR verification plus one certificate signature.
  const double floor = 1.0 / (1.0 / raw + 1.0 / verify);

  std::atomic<int> next{0};
  std::atomic<int> failures{0};
  const auto start = Clock::now();
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t)
    workers.emplace_back([&] {
      auto issuance = instance->issuance();
      for (int i = next++; i < count; i = next++) {
        try {
          issuance.issue_for_operator({niks[static_cast<size_t>(i) % kAccounts], "individual-1y",
                                       csrs[static_cast<size_t>(i)], "bench"});
        } catch (const std::exception& e) {
          if (failures++ == 0) std::cerr << "issuance failed: " << e.what() << "\n";
        }
      }
    });
  for (auto& w : workers) w.join();
  const double elapsed = seconds_since(start);
  const double rate = (count - failures.load()) / elapsed;
  const auto& store = instance->store();

  std::printf("raw ECDSA P-256 signing, 1 core:        %10.0f signatures/s  (baseline)\n", raw);
  std::printf("raw ECDSA P-256 verifying, 1 core:      %10.0f verifications/s\n", verify);
  std::printf("floor (1 verify + 1 sign), 1 core:      %10.0f issuances/s\n", floor);
  std::printf("issuance, %2u threads, SQLite FULL sync: %10.0f certificates/s (%d in %.2f s, %d failed)\n", threads,
              rate, count, elapsed, failures.load());
  std::printf("commits: %llu for %llu certificates (%.1f per fsync)\n",
              static_cast<unsigned long long>(store.commits()),
              static_cast<unsigned long long>(store.committed_work()),
              static_cast<double>(store.committed_work()) / static_cast<double>(std::max<std::uint64_t>(1, store.commits())));
  std::printf("ratio to raw signing: %.2f\n", rate / raw);
  std::printf("ratio to the one-core floor: %.2f (machine has %u cores)\n", rate / floor,
              std::thread::hardware_concurrency());
  std::filesystem::remove_all(dir);
  return failures.load() == 0 ? 0 : 1;
}
