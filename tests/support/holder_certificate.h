#pragma once

#include <string>

#include "crypto/certificate.h"
#include "crypto/private_key.h"
#include "support/test_instance.h"

namespace lontar::testing {

// A holder with a key and a certificate issued by the test instance's CA (individual-1y:
// document signing and e-mail protection), as the signing paths need one.
struct Holder {
  Account account;
  crypto::PrivateKey key;
  crypto::Certificate certificate;
};
Holder issue_holder(TestInstance& test, const std::string& nik = "5108010101900001");

}  // namespace lontar::testing
