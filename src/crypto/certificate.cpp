#include "crypto/certificate.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include "crypto/crypto_error.h"
#include "crypto/private_key.h"

namespace lontar::crypto {

Certificate Certificate::from_pem(std::string_view pem) {
  auto bio = memory_bio(pem);
  OsslPtr<X509> x509(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!x509) throw_invalid("bad_certificate", "The file does not hold a PEM certificate.");
  return Certificate(std::move(x509));
}

Certificate Certificate::from_der(std::string_view der) {
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  OsslPtr<X509> x509(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
  if (!x509) throw_invalid("bad_certificate", "The bytes are not a DER certificate.");
  return Certificate(std::move(x509));
}

std::vector<Certificate> Certificate::all_from_pem(std::string_view pem) {
  auto bio = memory_bio(pem);
  std::vector<Certificate> out;
  while (X509* raw = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr))
    out.emplace_back(OsslPtr<X509>(raw));
  ERR_clear_error();  // the loop ends on "no start line"
  return out;
}

CertificateStack::CertificateStack(const std::vector<Certificate>& certificates) : CertificateStack() {
  for (const auto& c : certificates) push(c);
}

CertificateStack::~CertificateStack() { sk_X509_pop_free(stack_, X509_free); }

void CertificateStack::push(const Certificate& certificate) {
  if (!stack_) throw_openssl("allocating a certificate list");
  X509_up_ref(certificate.get());
  if (sk_X509_push(stack_, certificate.get()) == 0) {
    X509_free(certificate.get());
    throw_openssl("adding to a certificate list");
  }
}

Certificate Certificate::duplicate() const {
  X509_up_ref(x509_.get());
  return Certificate(OsslPtr<X509>(x509_.get()));
}

std::string Certificate::pem() const {
  OsslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), x509_.get()) != 1) throw_openssl("writing a certificate");
  return bio_to_string(bio.get());
}

std::string Certificate::der() const { return encode_der<X509>(x509_.get(), i2d_X509, "a certificate"); }

std::string integer_hex(const ASN1_INTEGER* value) {
  OsslPtr<BIGNUM> bn(ASN1_INTEGER_to_BN(value, nullptr));
  if (!bn) return {};
  char* hex = BN_bn2hex(bn.get());
  std::string out(hex);
  OPENSSL_free(hex);
  return out;
}

std::string Certificate::serial_hex() const {
  auto out = integer_hex(X509_get0_serialNumber(x509_.get()));
  if (out.empty()) throw_openssl("reading a serial number");
  return out;
}

std::string name_to_string(const X509_NAME* name) {
  OsslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0)
    throw_openssl("printing a name");
  return bio_to_string(bio.get());
}

std::string Certificate::subject() const { return name_to_string(X509_get_subject_name(x509_.get())); }

TimePoint to_time_point(const ASN1_TIME* time) {
  struct tm parts = {};
  if (ASN1_TIME_to_tm(time, &parts) != 1) throw_openssl("reading a time");
  return from_unix(static_cast<std::int64_t>(timegm(&parts)));
}

TimePoint Certificate::not_before() const { return to_time_point(X509_get0_notBefore(x509_.get())); }
TimePoint Certificate::not_after() const { return to_time_point(X509_get0_notAfter(x509_.get())); }

}  // namespace lontar::crypto
