#include "crypto/csr.h"

#include <openssl/pem.h>

#include <algorithm>
#include <cctype>

#include "crypto/certificate.h"
#include "crypto/crypto_error.h"
#include "crypto/private_key.h"

namespace lontar::crypto {

namespace {
constexpr std::string_view kPemBegin = "-----BEGIN ";

bool only_space(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

OsslPtr<X509_REQ> read_pem(std::string_view data) {
  const auto begin = data.find(kPemBegin);
  if (!only_space(data.substr(0, begin)))
    throw_invalid("csr_garbage", "The CSR file has extra text before its BEGIN line.");
  // PEM readers expect the BEGIN line at the start of a line.
  auto bio = memory_bio(data.substr(begin));
  OsslPtr<X509_REQ> request(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
  if (!request)
    throw_invalid("csr_unreadable",
                  "The file is not a readable certificate request (expected a PEM block "
                  "'BEGIN CERTIFICATE REQUEST').");
  char rest[256];
  int got = 0;
  while ((got = BIO_read(bio.get(), rest, sizeof rest)) > 0)
    if (!only_space(std::string_view(rest, static_cast<size_t>(got))))
      throw_invalid("csr_garbage", "The CSR file has extra data after its END line; upload the request alone.");
  return request;
}

OsslPtr<X509_REQ> read_der(std::string_view data) {
  auto* cursor = reinterpret_cast<const unsigned char*>(data.data());
  OsslPtr<X509_REQ> request(d2i_X509_REQ(nullptr, &cursor, static_cast<long>(data.size())));
  if (!request)
    throw_invalid("csr_unreadable", "The file is not a readable certificate request (neither PEM nor DER PKCS#10).");
  if (cursor != reinterpret_cast<const unsigned char*>(data.data() + data.size()))
    throw_invalid("csr_garbage", "The CSR file has extra data after the request; upload the request alone.");
  return request;
}

// RFC 2985 §5.4.1: challengePassword ::= DirectoryString (PrintableString or UTF8String used in practice).
std::optional<std::string> challenge_password(X509_REQ* request) {
  const int index = X509_REQ_get_attr_by_NID(request, NID_pkcs9_challengePassword, -1);
  if (index < 0) return std::nullopt;
  if (X509_REQ_get_attr_by_NID(request, NID_pkcs9_challengePassword, index) >= 0)
    throw_invalid("csr_two_challenges", "The CSR carries more than one challengePassword.");
  X509_ATTRIBUTE* attribute = X509_REQ_get_attr(request, index);
  if (X509_ATTRIBUTE_count(attribute) != 1)
    throw_invalid("csr_bad_challenge", "The CSR's challengePassword must hold exactly one value.");
  const ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(attribute, 0);
  switch (value->type) {
    case V_ASN1_PRINTABLESTRING:
    case V_ASN1_UTF8STRING:
    case V_ASN1_IA5STRING:
    case V_ASN1_T61STRING: {
      const ASN1_STRING* text = value->value.asn1_string;
      return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                         static_cast<size_t>(ASN1_STRING_length(text)));
    }
    default: throw_invalid("csr_bad_challenge", "The CSR's challengePassword is not a text string.");
  }
}
}  // namespace

Csr Csr::parse(std::string_view data) {
  if (data.empty()) throw_invalid("csr_empty", "The CSR is empty.");
  if (data.size() > kMaxCsrBytes)
    throw_invalid("csr_too_large", "The CSR is larger than 64 KiB; a certificate request is normally under 4 KiB.");
  // A DER request starts with a SEQUENCE tag and never contains this ASCII marker
  // as its first bytes; anything mentioning it is treated (and checked) as PEM.
  const bool pem = data.find(kPemBegin) != std::string_view::npos && data.front() != 0x30;
  auto request = pem ? read_pem(data) : read_der(data);
  EVP_PKEY* key = X509_REQ_get0_pubkey(request.get());
  if (!key) throw_invalid("csr_bad_key", "The CSR's public key cannot be read or uses an unknown algorithm.");
  if (X509_REQ_verify(request.get(), key) != 1)
    throw_invalid("csr_bad_signature",
                  "The CSR's signature does not match its public key: the file is damaged or was altered.");
  return Csr(std::move(request));
}

Csr::Csr(OsslPtr<X509_REQ> request) : request_(std::move(request)) {
  const X509_PUBKEY* encoded = X509_REQ_get_X509_PUBKEY(request_.get());
  facts_.key = describe_public_key(X509_REQ_get0_pubkey(request_.get()), encoded);
  unsigned char* der = nullptr;
  const int length = i2d_X509_PUBKEY(encoded, &der);
  if (length <= 0) throw_openssl("encoding the CSR's public key");
  facts_.public_key_der.assign(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  facts_.challenge_password = challenge_password(request_.get());
  facts_.claimed_subject = name_to_string(X509_REQ_get_subject_name(request_.get()));
}

std::string Csr::pem() const {
  OsslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509_REQ(bio.get(), request_.get()) != 1) throw_openssl("writing the CSR");
  return bio_to_string(bio.get());
}

EVP_PKEY* Csr::public_key() const { return X509_REQ_get0_pubkey(request_.get()); }

Csr Csr::make(EVP_PKEY* key, const std::string& common_name, const std::optional<std::string>& challenge_password) {
  OsslPtr<X509_REQ> request(X509_REQ_new());
  if (!request || X509_REQ_set_version(request.get(), X509_REQ_VERSION_1) != 1) throw_openssl("allocating a CSR");
  X509_NAME* name = X509_REQ_get_subject_name(request.get());
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(common_name.data()),
                                 static_cast<int>(common_name.size()), -1, 0) != 1)
    throw_openssl("setting the CSR subject");
  if (X509_REQ_set_pubkey(request.get(), key) != 1) throw_openssl("setting the CSR key");
  if (challenge_password &&
      X509_REQ_add1_attr_by_NID(request.get(), NID_pkcs9_challengePassword, MBSTRING_UTF8,
                                reinterpret_cast<const unsigned char*>(challenge_password->data()),
                                static_cast<int>(challenge_password->size())) != 1)
    throw_openssl("adding the challengePassword");
  if (X509_REQ_sign(request.get(), key, signature_digest(key)) <= 0) throw_openssl("signing the CSR");
  return Csr(std::move(request));
}

std::string make_csr_pem(EVP_PKEY* key, const std::string& common_name,
                         const std::optional<std::string>& challenge_password) {
  return Csr::make(key, common_name, challenge_password).pem();
}

}  // namespace lontar::crypto
