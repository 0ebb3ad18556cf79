#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "crypto/ossl_ptr.h"

namespace lontar::crypto {

// An X.509 certificate as a move-only value.
class Certificate final {
 public:
  explicit Certificate(OsslPtr<X509> x509) : x509_(std::move(x509)) {}
  static Certificate from_pem(std::string_view pem);
  static Certificate from_der(std::string_view der);
  static std::vector<Certificate> all_from_pem(std::string_view pem);

  Certificate duplicate() const;
  std::string pem() const;
  std::string der() const;
  std::string serial_hex() const;  // upper-case, no separators
  std::string subject() const;     // RFC 2253
  TimePoint not_before() const;
  TimePoint not_after() const;
  X509* get() const noexcept { return x509_.get(); }

 private:
  OsslPtr<X509> x509_;
};

// An owned STACK_OF(X509): OpenSSL APIs that take a list of certificates borrow it.
class CertificateStack final {
 public:
  CertificateStack() : stack_(sk_X509_new_null()) {}
  explicit CertificateStack(const std::vector<Certificate>& certificates);
  // Takes ownership of a list an OpenSSL call returned (may be null: an empty list).
  explicit CertificateStack(STACK_OF(X509)* owned) : stack_(owned ? owned : sk_X509_new_null()) {}
  ~CertificateStack();
  CertificateStack(const CertificateStack&) = delete;
  CertificateStack& operator=(const CertificateStack&) = delete;
  void push(const Certificate& certificate);  // shares the certificate
  STACK_OF(X509)* get() const noexcept { return stack_; }

 private:
  STACK_OF(X509)* stack_;
};

TimePoint to_time_point(const ASN1_TIME* time);
std::string name_to_string(const X509_NAME* name);
// An INTEGER (a serial number) as upper-case hex without separators; "" when unreadable.
std::string integer_hex(const ASN1_INTEGER* value);

}  // namespace lontar::crypto
