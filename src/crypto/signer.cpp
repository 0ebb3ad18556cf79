#include "crypto/signer.h"

#include "crypto/crypto_error.h"

namespace lontar::crypto {

std::string Signer::sign_data(std::initializer_list<std::string_view> parts) const {
  OsslPtr<EVP_MD_CTX> context(EVP_MD_CTX_new());
  if (!context || EVP_DigestSignInit(context.get(), nullptr, signature_digest(key()), nullptr, key()) != 1)
    throw_openssl("preparing a signature");
  for (const auto part : parts)
    if (EVP_DigestSignUpdate(context.get(), part.data(), part.size()) != 1) throw_openssl("hashing for a signature");
  size_t length = 0;
  if (EVP_DigestSignFinal(context.get(), nullptr, &length) != 1) throw_openssl("sizing a signature");
  std::string signature(length, '\0');
  if (EVP_DigestSignFinal(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length) != 1)
    throw_openssl("signing");
  signature.resize(length);
  return signature;
}

std::string Signer::signature_algorithm_der() const {
  int signature_nid = NID_undef;
  const int key_nid = EVP_PKEY_get_base_id(key());
  if (OBJ_find_sigid_by_algs(&signature_nid, EVP_MD_get_type(signature_digest(key())), key_nid) != 1)
    throw_openssl("finding the signature algorithm");
  OsslPtr<X509_ALGOR> algorithm(X509_ALGOR_new());
  // RFC 3279: RSA PKCS#1 v1.5 identifiers carry NULL parameters, ECDSA ones none.
  if (!algorithm || X509_ALGOR_set0(algorithm.get(), OBJ_nid2obj(signature_nid),
                                    key_nid == EVP_PKEY_RSA ? V_ASN1_NULL : V_ASN1_UNDEF, nullptr) != 1)
    throw_openssl("encoding the signature algorithm");
  return encode_der<X509_ALGOR>(algorithm.get(), i2d_X509_ALGOR, "the signature algorithm");
}

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
