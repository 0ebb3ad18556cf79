#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "crypto/private_key.h"

namespace lontar::crypto {

// A key update request (RFC 4210 §5.3.5, kur) through OpenSSL's CMP client
// (OSSL_CMP_CTX): signed with the current certificate's key, proving possession of the
// new one; the server's responses must be signed by a certificate that chains to the
// given roots. The message transport is the caller's (lontar-lock's HTTPS client).
class KeyUpdate final {
 public:
  using Transfer = std::function<std::string(const std::string& request_der)>;

  KeyUpdate(Transfer transfer, const std::string& current_certificate_pem, const PrivateKey& current_key,
            const PrivateKey& new_key, const std::string& trusted_chain_pem);
  ~KeyUpdate();
  KeyUpdate(const KeyUpdate&) = delete;
  KeyUpdate& operator=(const KeyUpdate&) = delete;

  struct Step {
    enum class Kind { issued, waiting, refused } kind = Kind::refused;
    std::string certificate_pem;  // issued
    int check_after_seconds = 0;  // waiting
    std::string status;           // the server's words (PKIStatusInfo), for every kind
  };
  // Sends the kur, or the next pollReq of a waiting one.
  Step step();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lontar::crypto
