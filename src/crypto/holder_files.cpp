#include "crypto/holder_files.h"

#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509_vfy.h>

#include "crypto/certificate.h"
#include "crypto/crypto_error.h"
#include "crypto/ossl_ptr.h"

namespace lontar::crypto {


std::string make_pkcs12(const PrivateKey& key, std::string_view certificate_pem, std::string_view chain_pem,
                        std::string_view passphrase, const std::string& friendly_name) {
  const auto certificate = Certificate::from_pem(certificate_pem);
  const CertificateStack chain(Certificate::all_from_pem(chain_pem));
  const std::string pass(passphrase);
  OsslPtr<PKCS12> p12(PKCS12_create_ex(pass.c_str(), friendly_name.c_str(), key.get(), certificate.get(), chain.get(),
                                       NID_aes_256_cbc, NID_aes_256_cbc, 600000, -1, 0, nullptr, nullptr));
  if (!p12) throw_openssl("building the PKCS#12 file");
  if (PKCS12_set_mac(p12.get(), pass.c_str(), -1, nullptr, 0, 600000, EVP_sha256()) != 1)
    throw_openssl("protecting the PKCS#12 file");
  return encode_der(p12.get(), i2d_PKCS12, "encoding the PKCS#12 file");
}

bool chains_to(std::string_view certificate_pem, std::string_view trusted_pem) {
  const auto certificate = Certificate::from_pem(certificate_pem);
  OsslPtr<X509_STORE> store(X509_STORE_new());
  if (!store) throw_openssl("allocating a certificate store");
  for (const auto& c : Certificate::all_from_pem(trusted_pem))
    if (X509_STORE_add_cert(store.get(), c.get()) != 1) throw_openssl("loading the pinned CA");
  OsslPtr<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), certificate.get(), nullptr) != 1)
    throw_openssl("preparing verification");
  return X509_verify_cert(ctx.get()) == 1;
}

std::string certificate_key_sha256(std::string_view certificate_pem) {
  const auto certificate = Certificate::from_pem(certificate_pem);
  return spki_sha256_hex(X509_get_X509_PUBKEY(certificate.get()));
}

std::string public_key_sha256(std::string_view public_key_pem) {
  auto bio = memory_bio(public_key_pem);
  OsslPtr<EVP_PKEY> key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key) throw_invalid("bad_public_key", "The public key file is damaged.");
  return spki_sha256_hex(key.get());
}

bool certifies(std::string_view certificate_pem, const PrivateKey& key) {
  const auto certificate = Certificate::from_pem(certificate_pem);
  return X509_check_private_key(certificate.get(), key.get()) == 1;
}

}  // namespace lontar::crypto
