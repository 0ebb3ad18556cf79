// Untrusted input: a PKCS#10 request uploaded by an applicant or sent by the LOCK tool.
#include <cstdlib>

#include "core/error.h"
#include "crypto/csr.h"
#include "crypto/private_key.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto csr = lontar::crypto::Csr::parse(std::string_view(reinterpret_cast<const char*>(data), size));
    if (csr.facts().key.spki_sha256.size() != 64) std::abort();  // a parsed CSR always describes its key
  } catch (const lontar::Error& e) {
    if (e.kind() != lontar::ErrorKind::invalid_input) std::abort();  // bad input is the caller's error, never ours
  }
  return 0;
}

std::vector<std::string> lontar_fuzz_seeds() {
  const auto ec = lontar::crypto::PrivateKey::generate("ec-p256");
  const auto rsa = lontar::crypto::PrivateKey::generate("rsa-2048");
  auto pem = lontar::crypto::make_csr_pem(ec.get(), "Seed", std::string("token-1234"));
  return {pem, lontar::crypto::make_csr_pem(rsa.get(), "Seed RSA", std::nullopt), "\n" + pem + "\n"};
}
