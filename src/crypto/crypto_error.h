#pragma once

#include <openssl/crypto.h>

#include <string>

#include "core/error.h"

namespace lontar::crypto {

// Drains the OpenSSL error queue into one line (OpenSSL never puts key material there).
std::string drain_openssl_errors();

// Throws Error(internal) naming the operation that failed and OpenSSL's reason.
[[noreturn]] void throw_openssl(const std::string& operation);

// Throws Error(invalid_input) with the user-facing `message`; OpenSSL's reason is
// dropped from the queue so it does not leak into a later, unrelated error.
[[noreturn]] void throw_invalid(const std::string& code, const std::string& message);

// The DER encoding of an OpenSSL object through its i2d_ function.
template <class T>
std::string encode_der(const T* object, int (*i2d)(const T*, unsigned char**), const char* what) {
  unsigned char* der = nullptr;
  const int length = i2d(object, &der);
  if (length <= 0) throw_openssl(std::string("encoding ") + what);
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

}  // namespace lontar::crypto
