#pragma once

#include <openssl/x509.h>

#include <string>
#include <utility>
#include <vector>

namespace lontar::crypto {

// A name's attributes in order, each as (OpenSSL short name, UTF-8 value): "CN",
// "serialNumber", … An attribute that cannot be read as text is returned with an empty
// value, for the caller to refuse.
std::vector<std::pair<std::string, std::string>> name_attributes(const X509_NAME* name);

// The rfc822Name entries of a subjectAltName among `extensions` (may be null).
std::vector<std::string> email_addresses(const STACK_OF(X509_EXTENSION) * extensions);

// The same, from a PKCS#10 request's extensionRequest.
std::vector<std::string> request_email_addresses(const X509_REQ* request);

}  // namespace lontar::crypto
