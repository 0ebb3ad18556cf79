#pragma once

#include <string>
#include <string_view>

#include "core/account.h"
#include "core/account_administration.h"
#include "core/clock.h"
#include "core/key_custody.h"
#include "core/product.h"
#include "core/store.h"

namespace lontar {

// A holder's eSign keys, held by the server and opened only with the holder's
// passphrase. A passphrase guessed through the signing form or the API is counted per
// key: after `attempts` wrong ones in a row the key is locked (audited, the holder is
// told by e-mail) until the helpdesk releases it, and while it is locked even the right
// passphrase opens nothing.
class EsignKeys final {
 public:
  struct Opened {
    std::string key_der;  // unencrypted PKCS#8: the caller wipes it after use
    std::string certificate_pem;
  };

  EsignKeys(Store& store, const KeyCustody& custody, const Clock& clock, int attempts)
      : store_(store), custody_(custody), clock_(clock), attempts_(attempts) {}

  // The key of the holder's newest valid eSign certificate of `type`. Throws not_found
  // "no_esign_certificate", unauthenticated "wrong_passphrase", forbidden
  // "esign_key_locked".
  Opened open(const Account& holder, CertificateType type, std::string_view passphrase) const;

  // The helpdesk (or an administrator) releases every locked eSign key of the account
  // named by `nik`; returns how many were locked. Audited.
  int release(const Actor& actor, std::string_view nik) const;

 private:
  Store& store_;
  const KeyCustody& custody_;
  const Clock& clock_;
  int attempts_;
};

}  // namespace lontar
