#include "crypto/csr.h"

#include <openssl/pem.h>

#include <algorithm>
#include <cctype>

#include "crypto/certificate.h"
#include "crypto/crypto_error.h"
#include "crypto/private_key.h"
#include "crypto/public_key_info.h"

// RFC 2986 §4 with the key kept as its two fields (see public_key_info.h). The info
// keeps the bytes it was read from, so the signature is checked over exactly those.
struct LONTAR_CSR_INFO_st {
  ASN1_ENCODING enc;
  ASN1_INTEGER* version;
  X509_NAME* subject;
  LONTAR_SPKI* key;
  STACK_OF(X509_ATTRIBUTE) * attributes;
};
using LONTAR_CSR_INFO = LONTAR_CSR_INFO_st;

struct LONTAR_CSR_st {
  LONTAR_CSR_INFO* info;
  X509_ALGOR* signature_algorithm;
  ASN1_BIT_STRING* signature;
};
using LONTAR_CSR = LONTAR_CSR_st;
DECLARE_ASN1_FUNCTIONS(LONTAR_CSR)

ASN1_SEQUENCE_enc(LONTAR_CSR_INFO, enc, 0) = {
    ASN1_SIMPLE(LONTAR_CSR_INFO, version, ASN1_INTEGER),
    ASN1_SIMPLE(LONTAR_CSR_INFO, subject, X509_NAME),
    ASN1_SIMPLE(LONTAR_CSR_INFO, key, LONTAR_SPKI),
    // Optional as in OpenSSL's own reader: some old tools leave the empty set out.
    ASN1_IMP_SET_OF_OPT(LONTAR_CSR_INFO, attributes, X509_ATTRIBUTE, 0),
} ASN1_SEQUENCE_END_enc(LONTAR_CSR_INFO, LONTAR_CSR_INFO)

ASN1_SEQUENCE(LONTAR_CSR) = {
    ASN1_SIMPLE(LONTAR_CSR, info, LONTAR_CSR_INFO),
    ASN1_SIMPLE(LONTAR_CSR, signature_algorithm, X509_ALGOR),
    ASN1_SIMPLE(LONTAR_CSR, signature, ASN1_BIT_STRING),
} ASN1_SEQUENCE_END(LONTAR_CSR)

IMPLEMENT_ASN1_FUNCTIONS(LONTAR_CSR)

namespace lontar::crypto {

template <>
struct OsslFree<LONTAR_CSR> {
  void operator()(LONTAR_CSR* p) const noexcept { LONTAR_CSR_free(p); }
};

namespace {
constexpr std::string_view kPemBegin = "-----BEGIN ";

bool only_space(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

// The DER inside exactly one PEM block (CERTIFICATE REQUEST, or the older NEW
// CERTIFICATE REQUEST), with nothing but white space around it.
std::string der_from_pem(std::string_view data) {
  const auto begin = data.find(kPemBegin);
  if (!only_space(data.substr(0, begin)))
    throw_invalid("csr_garbage", "The CSR file has extra text before its BEGIN line.");
  // PEM readers expect the BEGIN line at the start of a line.
  auto bio = memory_bio(data.substr(begin));
  unsigned char* der = nullptr;
  long length = 0;
  char* name = nullptr;
  if (PEM_bytes_read_bio(&der, &length, &name, PEM_STRING_X509_REQ, bio.get(), nullptr, nullptr) != 1)
    throw_invalid("csr_unreadable",
                  "The file is not a readable certificate request (expected a PEM block "
                  "'BEGIN CERTIFICATE REQUEST').");
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  OPENSSL_free(name);
  char rest[256];
  int got = 0;
  while ((got = BIO_read(bio.get(), rest, sizeof rest)) > 0)
    if (!only_space(std::string_view(rest, static_cast<size_t>(got))))
      throw_invalid("csr_garbage", "The CSR file has extra data after its END line; upload the request alone.");
  return out;
}

OsslPtr<LONTAR_CSR> read_der(std::string_view data) {
  auto* cursor = reinterpret_cast<const unsigned char*>(data.data());
  OsslPtr<LONTAR_CSR> request(d2i_LONTAR_CSR(nullptr, &cursor, static_cast<long>(data.size())));
  if (!request)
    throw_invalid("csr_unreadable", "The file is not a readable certificate request (neither PEM nor DER PKCS#10).");
  if (cursor != reinterpret_cast<const unsigned char*>(data.data() + data.size()))
    throw_invalid("csr_garbage", "The CSR file has extra data after the request; upload the request alone.");
  if (ASN1_INTEGER_get(request->info->version) != 0)
    throw_invalid("csr_bad_version", "The CSR has an unknown version; PKCS#10 requests are version 1.");
  return request;
}

// RFC 2985 §5.4.1: challengePassword ::= DirectoryString (PrintableString or UTF8String used in practice).
std::optional<std::string> challenge_password(const STACK_OF(X509_ATTRIBUTE) * attributes) {
  const X509_ATTRIBUTE* found = nullptr;
  for (int i = 0; i < sk_X509_ATTRIBUTE_num(attributes); ++i) {
    const X509_ATTRIBUTE* attribute = sk_X509_ATTRIBUTE_value(attributes, i);
    if (OBJ_obj2nid(X509_ATTRIBUTE_get0_object(const_cast<X509_ATTRIBUTE*>(attribute))) != NID_pkcs9_challengePassword)
      continue;
    if (found) throw_invalid("csr_two_challenges", "The CSR carries more than one challengePassword.");
    found = attribute;
  }
  if (!found) return std::nullopt;
  if (X509_ATTRIBUTE_count(found) != 1)
    throw_invalid("csr_bad_challenge", "The CSR's challengePassword must hold exactly one value.");
  const ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(const_cast<X509_ATTRIBUTE*>(found), 0);
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
  Csr csr;
  csr.der_ = pem ? der_from_pem(data) : std::string(data);
  const auto request = read_der(csr.der_);
  auto key = read_public_key(*request->info->key);
  if (ASN1_item_verify(ASN1_ITEM_rptr(LONTAR_CSR_INFO), request->signature_algorithm, request->signature,
                       request->info, key.key.get()) != 1)
    throw_invalid("csr_bad_signature",
                  "The CSR's signature does not match its public key: the file is damaged or was altered.");
  csr.facts_.key = describe_public_key(key.key.get(), key.canonical_der);
  csr.facts_.public_key_der = std::move(key.canonical_der);
  csr.facts_.challenge_password = challenge_password(request->info->attributes);
  csr.facts_.claimed_subject = name_to_string(request->info->subject);
  csr.key_ = std::move(key.key);
  return csr;
}

std::string Csr::pem() const {
  OsslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio(bio.get(), PEM_STRING_X509_REQ, "", reinterpret_cast<const unsigned char*>(der_.data()),
                    static_cast<long>(der_.size())) <= 0)
    throw_openssl("writing the CSR");
  return bio_to_string(bio.get());
}

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
  return parse(encode_der<X509_REQ>(request.get(), i2d_X509_REQ, "a CSR"));
}

std::string make_csr_pem(EVP_PKEY* key, const std::string& common_name,
                         const std::optional<std::string>& challenge_password) {
  return Csr::make(key, common_name, challenge_password).pem();
}

}  // namespace lontar::crypto
