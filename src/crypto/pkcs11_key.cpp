// The ENGINE API is deprecated in OpenSSL 3 but is how Debian 12's libp11 reaches
// PKCS#11 tokens (there is no pkcs11 provider in bookworm); only this file uses it.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "crypto/pkcs11_key.h"

#include <openssl/engine.h>
#include <openssl/err.h>

#include <mutex>

#include "core/error.h"
#include "crypto/crypto_error.h"

namespace lontar::crypto {

namespace {
Error unusable(const std::string& why) {
  return Error(ErrorKind::invalid_input, "pkcs11_unusable", "The CA key in the PKCS#11 token cannot be used: " + why);
}

// One engine per process, loaded once and kept: the keys it hands out refer to its
// PKCS#11 session for as long as they live.
ENGINE* pkcs11_engine(const std::string& module_path) {
  static std::mutex mutex;
  static ENGINE* engine = nullptr;
  static std::string loaded_module;
  std::lock_guard lock(mutex);
  if (engine) {
    if (module_path != loaded_module) throw unusable("one process can use one PKCS#11 module.");
    return engine;
  }
  ENGINE_load_dynamic();
  ENGINE* candidate = ENGINE_by_id("pkcs11");
  if (!candidate) {
    ERR_clear_error();
    throw unusable("OpenSSL's pkcs11 engine is not installed (Debian: libengine-pkcs11-openssl).");
  }
  if (ENGINE_ctrl_cmd_string(candidate, "MODULE_PATH", module_path.c_str(), 0) != 1 || ENGINE_init(candidate) != 1) {
    ENGINE_free(candidate);
    ERR_clear_error();
    throw unusable("the PKCS#11 module " + module_path + " does not load.");
  }
  ENGINE_free(candidate);  // ENGINE_init holds the functional reference kept for the process
  engine = candidate;
  loaded_module = module_path;
  return engine;
}
}  // namespace

PrivateKey load_pkcs11_key(const Pkcs11KeyLocation& location, const std::string& pin) {
  ENGINE* engine = pkcs11_engine(location.module_path);
  if (ENGINE_ctrl_cmd_string(engine, "PIN", pin.c_str(), 0) != 1) {
    ERR_clear_error();
    throw unusable("the engine does not take the PIN.");
  }
  OsslPtr<EVP_PKEY> key(ENGINE_load_private_key(engine, location.uri.c_str(), nullptr, nullptr));
  ERR_clear_error();
  if (!key) throw unusable("no private key at " + location.uri + " (is the PIN right and the token present?).");
  return PrivateKey(std::move(key));
}

}  // namespace lontar::crypto
