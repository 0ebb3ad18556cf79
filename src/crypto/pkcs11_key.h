#pragma once

#include <string>

#include "crypto/private_key.h"

namespace lontar::crypto {

// Where a CA key lives in a PKCS#11 token (an HSM, or SoftHSM for tests).
struct Pkcs11KeyLocation {
  std::string module_path;  // the token's PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so
  std::string uri;          // RFC 7512, e.g. "pkcs11:token=lontar;object=issuing-ca;type=private"
};

// A handle to the private key in the token through OpenSSL's pkcs11 engine (libp11):
// signing happens inside the token and the key never enters this process. Throws
// Error(invalid_input) with a sentence an operator can act on when the engine, the
// module, the token, the PIN or the key is not there.
PrivateKey load_pkcs11_key(const Pkcs11KeyLocation& location, const std::string& pin);

}  // namespace lontar::crypto
