#include "crypto/crypto_error.h"

#include <openssl/err.h>

namespace lontar::crypto {

std::string drain_openssl_errors() {
  std::string text;
  while (const unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    if (!text.empty()) text += "; ";
    text += buffer;
  }
  return text;
}

void throw_openssl(const std::string& operation) {
  const auto reason = drain_openssl_errors();
  throw Error(ErrorKind::internal, "crypto_failure",
              operation + " failed" + (reason.empty() ? "" : ": " + reason));
}

void throw_invalid(const std::string& code, const std::string& message) {
  ERR_clear_error();
  throw Error(ErrorKind::invalid_input, code, message);
}

}  // namespace lontar::crypto
