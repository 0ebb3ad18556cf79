#include "support/holder_certificate.h"

namespace lontar::testing {

Holder issue_holder(TestInstance& test, const std::string& nik) {
  auto account = test.add_account(nik);
  auto key = crypto::PrivateKey::generate("ec-p256");
  const auto record =
      test.instance().issuance().issue_for_operator({nik, "individual-1y", csr_for(key), "test"});
  return Holder{account, std::move(key), crypto::Certificate::from_pem(record.pem)};
}

}  // namespace lontar::testing
