// Milliseconds per signed document inside one process (as the server signs through
// the API): PAdES B-T with a timestamp from the built-in TSA, the visible QR stamp and
// the registration in SQLite, for each PDF given. Usage:
//   document_signing_bench --count N FILE.pdf...
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "app/data_dir.h"
#include "app/document_signing.h"
#include "app/instance.h"
#include "crypto/csr.h"

int main(int argc, char** argv) {
  int count = 20;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--count") && i + 1 < argc)
      count = std::atoi(argv[++i]);
    else
      files.emplace_back(argv[i]);
  }
  if (files.empty()) {
    std::cerr << "usage: document_signing_bench [--count N] FILE.pdf...\n";
    return 2;
  }
  char pattern[] = "/tmp/lontar-sign-bench-XXXXXX";
  const std::string dir = ::mkdtemp(pattern);
  lontar::InitOptions init;
  init.data = dir;
  lontar::initialise(init);
  lontar::OpenOptions open;
  open.load_ca_key = true;
  auto instance = lontar::Instance::open(dir, open);
  lontar::Account account;
  account.nik = "5108010101900001";
  account.name = "Bench Signer";
  account.email = "bench@undiksha.ac.id";
  account.organisation = "Universitas Pendidikan Ganesha";
  account.unit = "UPT TIK";
  instance->store().write([&](lontar::StoreTransaction& tx) { tx.accounts().insert(account); });
  const auto key = lontar::crypto::PrivateKey::generate("ec-p256");
  const auto certificate = instance->issuance().issue_for_operator(
      {account.nik, "individual-1y", lontar::crypto::make_csr_pem(key.get(), "bench", {}), "bench"});

  for (const auto& file : files) {
    lontar::SignDocumentCommand command;
    command.pdf = lontar::read_file(file);
    command.certificate_pem = certificate.pem;
    command.actor = "bench";
    lontar::sign_document(*instance, key, command);  // warm-up
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < count; ++i) lontar::sign_document(*instance, key, command);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::printf("%s: %.2f ms/document in process (%d documents)\n", file.c_str(), ms / count, count);
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return 0;
}
