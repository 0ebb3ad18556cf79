#include "crypto/signer.h"

#include "crypto/crypto_error.h"

namespace lontar::crypto {

FileSigner::FileSigner(PrivateKey key, Certificate certificate)
    : key_(std::move(key)), certificate_(std::move(certificate)) {
  if (X509_check_private_key(certificate_.get(), key_.get()) != 1)
    throw_invalid("key_mismatch", "The CA key does not belong to the CA certificate " + certificate_.subject() + ".");
}

FileSigner FileSigner::load(std::string_view key_pem, std::string_view certificate_pem, std::string_view passphrase) {
  return FileSigner(PrivateKey::from_encrypted_pem(key_pem, passphrase), Certificate::from_pem(certificate_pem));
}

void FileSigner::sign(X509* tbs) const {
  if (X509_sign(tbs, key_.get(), signature_digest(key_.get())) <= 0) throw_openssl("signing a certificate");
}

void FileSigner::sign(X509_CRL* tbs) const {
  if (X509_CRL_sign(tbs, key_.get(), signature_digest(key_.get())) <= 0) throw_openssl("signing a CRL");
}

}  // namespace lontar::crypto
